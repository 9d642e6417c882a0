"""The modules of a QR code as the application's own viewer (QtPdf) shows a PDF page: the
self-test renders a certificate, reads its QR code off the picture and verifies the text.

Only the area where the code is printed is searched (given in mm from the page's top-left corner);
the code's size in modules is measured from its top-left finder pattern (seven modules wide), so
the reader does not assume the version the certificate happens to use.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument

DOTS_PER_MM = 8.0  # about 200 dpi: a module of a 30 mm version-3 code is some 7 dots wide
_DARK = 128


def render_page(path: Path, page: int, width_mm: float, height_mm: float) -> QImage:
    """Page ``page`` of the PDF ``path`` rendered at :data:`DOTS_PER_MM` (grey scale)."""
    document = QPdfDocument()
    status = document.load(str(path))
    if status != QPdfDocument.Error.None_:
        raise ValueError(f"无法打开 PDF 文件“{path}”（{status.name}）")
    try:
        if page >= document.pageCount():
            raise ValueError(f"“{path.name}”没有第 {page + 1} 页")
        size = QSize(round(width_mm * DOTS_PER_MM), round(height_mm * DOTS_PER_MM))
        image = document.render(page, size)
    finally:
        document.close()
    if image.isNull():
        raise ValueError(f"无法显示“{path.name}”的第 {page + 1} 页")
    paper = QImage(image.size(), QImage.Format.Format_RGB32)  # the page is transparent: lay it on white
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def read_modules(image: QImage, left_mm: float, top_mm: float, size_mm: float) -> list[list[bool]]:
    """The QR code inside the square (``left_mm``, ``top_mm``, side ``size_mm``) of ``image`` as
    rows of modules (dark = ``True``); :class:`ValueError` (Chinese) when there is none."""
    x0, y0 = round(left_mm * DOTS_PER_MM), round(top_mm * DOTS_PER_MM)
    side = round(size_mm * DOTS_PER_MM)

    def dark(x: int, y: int) -> bool:
        return image.pixelColor(x, y).value() < _DARK

    xs = [x for x in range(x0, x0 + side) for y in range(y0, y0 + side, 2) if dark(x, y)]
    ys = [y for y in range(y0, y0 + side) for x in range(x0, x0 + side, 2) if dark(x, y)]
    if not xs or not ys:
        raise ValueError("证书上应印二维码的位置是空白的")
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    run = 0
    while left + run <= right and dark(left + run, top + 1):
        run += 1
    module = run / 7  # the top row of the finder pattern: seven dark modules
    if module <= 1:
        raise ValueError("证书上的二维码太小，无法读取")
    n = round((right - left + 1) / module)
    step_x = (right - left + 1) / n
    step_y = (bottom - top + 1) / n
    return [
        [dark(round(left + (c + 0.5) * step_x), round(top + (r + 0.5) * step_y)) for c in range(n)]
        for r in range(n)
    ]
