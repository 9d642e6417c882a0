"""评审模式: the application opened on a ``.lzreview`` review package, for an expert's laptop.

A restricted window — score entry only — whose only input is the package file and whose only
output is the return file; it never opens or creates a database. ``lzcenter-desktop review FILE``
(and the ``.lzreview`` file association) starts it through :func:`run_review_mode`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from lzcenter_desktop.domain.review_package import ReviewPackage
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review.package_files import (
    default_return_path,
    load_return_work,
    read_package_file,
    start_entries,
)
from lzcenter_desktop.ui.review_mode.pick_expert import ExpertPickDialog
from lzcenter_desktop.ui.review_mode.window import ReviewModeWindow

__all__ = [
    "ExpertPickDialog",
    "NoExpertChosen",
    "ReviewModeWindow",
    "open_review_window",
    "pick_expert",
    "run_review_mode",
]


class NoExpertChosen(Exception):
    """The expert closed the name list: nothing to show."""


def pick_expert(package: ReviewPackage, parent: QWidget | None = None) -> int | None:
    """The expert the window is for: the only one of a per-expert package, else the one picked."""
    if len(package.experts) == 1:
        return package.experts[0].expert_id
    dialog = ExpertPickDialog(package, parent)
    return dialog.expert_id() if dialog.exec() == QDialog.DialogCode.Accepted else None


def open_review_window(
    path: Path,
    *,
    expert_id: int | None = None,
    pick: Callable[[ReviewPackage], int | None] = pick_expert,
) -> ReviewModeWindow:
    """The review window on the package at ``path`` (``ServiceError`` when it cannot be opened;
    ``None`` from ``pick`` — the expert cancelled — raises :class:`NoExpertChosen`). The expert's earlier
    return file beside the package, if any, is loaded to go on from there."""
    opened = read_package_file(path)
    chosen = expert_id if expert_id is not None else pick(opened.package)
    if chosen is None:
        raise NoExpertChosen
    expert = opened.package.expert(chosen)
    work = start_entries(opened, chosen)
    note = ""
    earlier = default_return_path(path, expert.name)
    if earlier.exists():
        try:
            work.update(load_return_work(earlier, opened, chosen))
            note = f"已载入上次保存的回执“{earlier.name}”，可以接着评分。"
        except ServiceError as exc:
            note = f"未能载入上次保存的回执：{exc}（本次从评审包中的评分开始，保存时将覆盖该文件）"
    return ReviewModeWindow(opened, Path(path), chosen, work=work, note=note)


def run_review_mode(path: Path | None) -> int:
    """Start the application in 评审模式 on ``path`` (asked for when ``None``); the exit code."""
    from lzcenter_desktop.ui.app import create_application

    app = create_application()
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(None, "打开评审包", "", "评审包 (*.lzreview)")
        if not chosen:
            return 0
        path = Path(chosen)
    try:
        window = open_review_window(path)
    except NoExpertChosen:
        return 0
    except ServiceError as exc:
        QMessageBox.critical(None, "无法打开评审包", str(exc))
        return 2
    window.show()
    return int(app.exec())
