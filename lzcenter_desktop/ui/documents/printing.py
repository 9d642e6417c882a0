"""Printing a previewed PDF: each page rendered into the printer at its real size where the paper
allows (plaques and certificates are made to size), shrunk to fit where it does not."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter


def print_pdf(pdf: QPdfDocument, printer: QPrinter) -> int:
    """Render the pages of ``pdf`` chosen in ``printer`` (all when none are) into it, 1:1 where the
    paper allows, at most about 300 dpi of raster; return how many pages were printed."""
    count = pdf.pageCount()
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        first, last = 1, count
    first, last = max(1, first), min(count, last)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印：打印机不可用。")
    printed = 0
    try:
        for index in range(first - 1, last):
            if printed:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            size_pt = pdf.pagePointSize(index)
            dpi = printer.resolution()
            want_w, want_h = size_pt.width() / 72 * dpi, size_pt.height() / 72 * dpi
            scale = min(1.0, area.width() / want_w, area.height() / want_h)
            target = QSize(max(1, int(want_w * scale)), max(1, int(want_h * scale)))
            # at most about 300 dpi of raster, whatever the printer's resolution says
            limit = min(1.0, 300 / max(dpi, 1))
            image = pdf.render(
                index, QSize(max(1, int(target.width() * limit)), max(1, int(target.height() * limit)))
            )
            rect = QRectF(
                QPointF((area.width() - target.width()) / 2, (area.height() - target.height()) / 2),
                QSize(target.width(), target.height()).toSizeF(),
            )
            painter.drawImage(rect, image)
            printed += 1
    finally:
        painter.end()
    return printed
