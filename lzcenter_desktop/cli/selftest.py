"""``lzcenter-desktop selftest``: every layer once, on a throw-away database (the installer's smoke
test, run frozen by ``installer/build.py``).

One line per check, in Chinese: the database created at head and one built at the oldest known
schema revision migrated to head; the demo data; every section of the main window opened
(offscreen when there is no display); one document of every kind the program makes
(:func:`~lzcenter_desktop.services.selftest_support.document_kinds`) made and checked — a PDF
opens, has pages, says what its record says and embeds its fonts, the certificate's QR code is read
off the rendered page and verified, a workbook opens again.  A kind no step makes fails the test.
Exit status 0 when everything passed, 1 otherwise (the failed checks are named).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lzcenter_desktop.cli.args import EXIT_OK
from lzcenter_desktop.cli.selftest_documents import issue_document_steps
from lzcenter_desktop.cli.selftest_evaluation import evaluation_document_steps
from lzcenter_desktop.cli.selftest_review import Step, review_document_steps


@contextlib.contextmanager
def _temporary_keystore(folder: Path) -> Iterator[None]:
    """The certificates of the selftest are signed with keys of a throw-away key store, never the
    user's (``LZCENTER_KEYSTORE`` points into ``folder`` meanwhile)."""
    from lzcenter_desktop.services.keystore import STORE_ENV

    previous = os.environ.get(STORE_ENV)
    os.environ[STORE_ENV] = str(folder / "keys")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(STORE_ENV, None)
        else:
            os.environ[STORE_ENV] = previous


def document_steps(ctx: Any, folder: Path) -> list[Step]:
    """Every document step of the self-test, in the order they run (nothing runs here)."""
    return [
        *issue_document_steps(ctx, folder),
        *review_document_steps(ctx, folder),
        *evaluation_document_steps(ctx, folder),
    ]


def uncovered_kinds(steps: Sequence[Step]) -> list[str]:
    """The Chinese names of the document kinds (:func:`document_kinds`) that no step makes."""
    from lzcenter_desktop.services.selftest_support import document_kinds

    covered = {kind for _title, kinds, _action in steps for kind in kinds}
    return [k.label for k in document_kinds() if k.key not in covered]


def cmd_selftest(args: argparse.Namespace) -> int:
    """Every layer once, on a throw-away database; prints each step. The installer's smoke test."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    failures: list[str] = []

    def step(title: str, action: Callable[[], str]) -> None:
        try:
            detail = action()
        except Exception as exc:
            failures.append(title)
            print(f"✗ {title}：{exc}", flush=True)
            traceback.print_exc(file=sys.stderr)
        else:
            print(f"✓ {title}" + (f"：{detail}" if detail else ""), flush=True)

    with tempfile.TemporaryDirectory(prefix="lzcenter-selftest-") as tmp, _temporary_keystore(Path(tmp)):
        tmp_path = Path(tmp)
        db_path = tmp_path / "selftest.sqlite"
        state: dict[str, object] = {}

        def open_and_migrate() -> str:
            from lzcenter_desktop.services import context

            ctx = context.open_app(str(db_path), operator="selftest")
            state["ctx"] = ctx
            return str(db_path)

        def load_demo() -> str:
            from lzcenter_desktop.services import demo

            summary = demo.build_demo(state["ctx"], seed=2026)  # type: ignore[arg-type]
            return str(getattr(summary, "headline", summary))

        def render_pdf() -> str:
            from lzcenter_desktop.services.documents import render_selftest_page

            pdf = render_selftest_page(tmp_path / "selftest.pdf")
            return f"{pdf.name}，{pdf.stat().st_size} 字节"

        def migrate_oldest() -> str:
            from lzcenter_desktop.services.selftest_support import migrate_from_oldest

            checked = migrate_from_oldest(tmp_path)
            return f"第 {checked.from_revision} 版 → 第 {checked.to_revision} 版，{checked.tables} 张表"

        def open_window() -> str:
            from lzcenter_desktop.ui.app import make_main_window_for_selftest

            window = make_main_window_for_selftest(state["ctx"])  # type: ignore[arg-type]
            state["window"] = window
            return str(window.windowTitle())

        def open_section(section: str) -> Callable[[], str]:
            def action() -> str:
                from lzcenter_desktop.ui.selftest_sections import open_section as show

                return show(state["window"], section)  # type: ignore[arg-type]

            return action

        def every_kind(steps: Sequence[Step]) -> Callable[[], str]:
            def action() -> str:
                missing = uncovered_kinds(steps)
                if missing:
                    raise ValueError(f"以下文档种类没有自检步骤：{'、'.join(missing)}")
                return f"{len({k for _t, kinds, _a in steps for k in kinds})} 种"

            return action

        step("创建并迁移临时数据库", open_and_migrate)
        step("从最早的数据库结构升级到最新结构", migrate_oldest)
        if "ctx" in state:
            step("生成演示数据", load_demo)
        step("生成一页 PDF（内嵌中文字体）", render_pdf)
        if "ctx" in state:
            step("离屏打开主窗口", open_window)
            if "window" in state:
                from lzcenter_desktop.ui.selftest_sections import SECTIONS

                for section in SECTIONS:
                    step(f"打开“{section}”页", open_section(section))
                state.pop("window").close()  # type: ignore[attr-defined]
            ctx = state["ctx"]
            steps = document_steps(ctx, tmp_path)
            for title, _kinds, action in steps:
                step(title, action)
            step("每种文档都已生成并检查", every_kind(steps))
            ctx.db.dispose()  # type: ignore[attr-defined]
    seconds = time.monotonic() - started
    if failures:
        print(f"自检失败：{len(failures)} 项未通过（{'；'.join(failures)}），用时 {seconds:.1f} 秒")
        return 1
    print(f"自检通过，用时 {seconds:.1f} 秒")
    return EXIT_OK
