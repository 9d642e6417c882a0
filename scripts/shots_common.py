"""What the screenshot generators share: waiting for the event loop, saving widgets and PDF pages.

Not part of the product: ``scripts/screenshots.py`` runs the generators (``shots_*.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the office PCs' screen (issue 12): what a clerk sees must fit it
SCREEN = (1366, 768)


def process(seconds: float) -> None:
    """Run the event loop for ``seconds`` (QPdfView renders its pages on a thread of its own)."""
    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def wait(predicate: Callable[[], object], what: str, timeout_s: float = 60.0) -> None:
    """Run the event loop until ``predicate()`` is true; :class:`TimeoutError` naming ``what``."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            QCoreApplication.processEvents()
            return
        time.sleep(0.01)
    raise TimeoutError(f"截图超时：{what}")


def grab(widget: Any, path: Path, written: list[Path]) -> None:
    """Save ``widget`` as it is on screen to ``path``."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"无法写入截图 {path}")
    written.append(path)


def pdf_page(pdf: Path, page: int, dpi: float, path: Path, written: list[Path]) -> None:
    """Save page ``page`` (0-based) of ``pdf`` at ``dpi`` on white to ``path``."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    if doc.load(str(pdf)) != QPdfDocument.Error.None_:
        raise OSError(f"无法读取 {pdf}")
    size = doc.pagePointSize(page)
    pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
    rendered = doc.render(page, pixels)
    image = QImage(pixels, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    doc.close()
    if not image.save(str(path)):
        raise OSError(f"无法写入截图 {path}")
    written.append(path)


def pages(pdf: Path) -> int:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(pdf))
    count = doc.pageCount()
    doc.close()
    return count
