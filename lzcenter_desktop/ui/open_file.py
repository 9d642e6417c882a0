"""Opening a file or folder with the program the computer associates with it (an exported PDF in the
PDF reader, a workbook in Excel, a folder in Explorer) — the one way the UI does it.

``QDesktopServices.openUrl`` on a ``file:`` URL made by ``QUrl.fromLocalFile``: on Windows that is the
shell's default action (what ``os.startfile`` does), and a path with Chinese characters or spaces
is passed intact (the URL is percent-encoded, never split at the spaces).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

__all__ = ["file_url", "open_with_default_program"]


def file_url(path: Path | str) -> QUrl:
    """The ``file:`` URL of ``path`` (made absolute)."""
    return QUrl.fromLocalFile(str(Path(path).absolute()))


def open_with_default_program(path: Path | str) -> bool:
    """Open ``path`` with its default program; False when it does not exist or nothing opened it."""
    target = Path(path)
    if not target.exists():
        return False
    return bool(QDesktopServices.openUrl(file_url(target)))
