"""Drawing recognition certificates: the page (frame, texts, QR code, printed verification
code), a PDF of many pages, and that PDF cut into one file per certificate.

What is printed comes from :mod:`lzcenter_desktop.documents.certificate_spec`, the QR code from
:mod:`lzcenter_desktop.documents.qr`; the public API is :mod:`lzcenter_desktop.documents.certificate`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Final

from lzcenter_desktop.documents.certificate_spec import (
    BODY,
    TITLE,
    UNREGISTERED_NOTE,
    CertificateSpec,
    Progress,
    _clean,
    _resolve_faces,
    _seed_texts,
    certificate_texts,
)
from lzcenter_desktop.documents.fonts import seed_subsets
from lzcenter_desktop.documents.layout import (
    DEEP_GOLD,
    INK,
    RED,
    draw_text_block,
    fit_lines,
    load_faces,
    mm,
    new_canvas,
)
from lzcenter_desktop.documents.pdf_split import split_pages
from lzcenter_desktop.documents.qr import qr_inline_image, qr_matrix

#: A4 landscape, in points.
PAGE_SIZE: Final = (mm(297), mm(210))

#: Where the QR code is printed: its lower-left corner and side in mm (quiet zone included), and the
#: quiet zone in modules.  A version-2 code of 40 characters is a version-3 QR code (29 modules), so
#: 30 mm for 33 modules with the quiet zone gives modules of 0.9 mm, easy for a phone.
QR_X_MM: Final = 26.0
QR_Y_MM: Final = 24.0
QR_SIZE_MM: Final = 30.0
QR_QUIET_MODULES: Final = 2


@functools.lru_cache(maxsize=4)
def _border_operators(w: float, h: float) -> tuple[str, ...]:
    """The frame's content-stream operators, drawn once on a scratch canvas (the frame is the same
    on every certificate; formatting its few dozen numbers is a tenth of a page's drawing time)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO(), pagesize=(w, h))
    before = len(scratch._code)
    _draw_border_ops(scratch, w, h)
    return tuple(scratch._code[before:])


def _draw_border(canvas: Any, w: float, h: float) -> None:
    """The double gold frame with its corner marks, inside ``q``/``Q`` so it leaves no state behind."""
    canvas.saveState()
    for op in _border_operators(w, h):
        canvas.addLiteral(op)
    canvas.restoreState()


def _draw_border_ops(canvas: Any, w: float, h: float) -> None:
    gold = DEEP_GOLD.reportlab()
    canvas.setStrokeColor(gold)
    canvas.setFillColor(gold)
    canvas.setLineWidth(3.2)
    canvas.rect(mm(9), mm(9), w - mm(18), h - mm(18), stroke=1, fill=0)
    canvas.setLineWidth(0.8)
    canvas.rect(mm(12), mm(12), w - mm(24), h - mm(24), stroke=1, fill=0)
    # a row of small diamonds between the two frames would be busy; corner squares are enough
    s = mm(4.2)
    for x, y in ((mm(9), mm(9)), (w - mm(9), mm(9)), (mm(9), h - mm(9)), (w - mm(9), h - mm(9))):
        canvas.rect(x - s / 2, y - s / 2, s, s, stroke=0, fill=1)
    canvas.setLineWidth(0.5)
    d = mm(8)
    for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
        x = mm(15) if sx == 1 else w - mm(15)
        y = mm(15) if sy == 1 else h - mm(15)
        path = canvas.beginPath()
        path.moveTo(x + sx * d, y)
        path.lineTo(x, y)
        path.lineTo(x, y + sy * d)
        canvas.drawPath(path, stroke=1, fill=0)


def _draw_qr(canvas: Any, code: str, x: float, y: float, size: float) -> None:
    """The QR code of ``code`` with a 2-module quiet zone, as an inline image mask
    (:func:`qr_inline_image`) filled in ink."""
    matrix = qr_matrix(code)
    count = len(matrix)
    border = QR_QUIET_MODULES
    box = size / (count + 2 * border)
    canvas.saveState()
    canvas.setFillColor(INK.reportlab())
    canvas.transform(box * count, 0, 0, box * count, x + border * box, y + border * box)
    canvas.addLiteral(qr_inline_image(matrix))
    canvas.restoreState()


def _draw_certificate(
    canvas: Any, spec: CertificateSpec, code: str, fonts: dict[str, str], *, seal_guide: bool
) -> None:
    texts = certificate_texts(spec)
    w, h = PAGE_SIZE
    cx = w / 2
    _draw_border(canvas, w, h)

    red = RED.reportlab()
    ink = INK.reportlab()
    canvas.setFillColor(red)
    title_size = 40.0
    canvas.setFont(fonts["serif-bold"], title_size)
    spacing = title_size * 0.6
    # letter-spaced; the last letter's spacing is taken back so the title stays centred
    tw = canvas.stringWidth(TITLE, fonts["serif-bold"], title_size) + spacing * (len(TITLE) - 1)
    canvas.drawString(cx - tw / 2, h - mm(42), TITLE, charSpace=spacing)

    canvas.setFillColor(ink)
    canvas.setFont(fonts["serif"], 12)
    canvas.drawRightString(w - mm(30), h - mm(28), texts["证书编号"])
    if "登记说明" in texts:  # a certificate not made from the register says so, in red, under its number
        canvas.setFillColor(red)
        canvas.setFont(fonts["serif"], 9)
        canvas.drawRightString(w - mm(30), h - mm(33), texts["登记说明"])
        canvas.setFillColor(ink)

    text_width = w - 2 * mm(36)
    name = fit_lines(
        texts["中心名称"],
        fonts["serif-bold"],
        text_width,
        nominal=24,
        minimum=18,
        two_line_nominal=21,
        two_line_minimum=14,
        preferred_before=("（", "工程技术研究中心"),
        field="中心名称",
    )
    canvas.setFont(fonts["serif-bold"], name.size)
    y = h - mm(66)
    for line in name.lines:
        canvas.drawCentredString(cx, y, line)
        y -= name.size * 1.4
    host = fit_lines(
        texts["依托单位"],
        fonts["serif"],
        text_width,
        nominal=14,
        minimum=10,
        two_line_nominal=12,
        two_line_minimum=9,
        field="依托单位",
    )
    canvas.setFont(fonts["serif"], host.size)
    y -= mm(1)
    for line in host.lines:
        canvas.drawCentredString(cx, y, line)
        y -= host.size * 1.5

    size = 16.0
    canvas.setFillColor(ink)
    draw_text_block(
        canvas,
        BODY,
        fonts["serif"],
        size,
        30.0,
        mm(44),
        y - mm(6) - size,
        w - 2 * mm(44),
        first_indent=2 * size,
    )

    # issuer, date and the place for the seal (the seal covers the date: 骑年盖月)
    right_cx = w - mm(78)
    canvas.setFillColor(ink)
    canvas.setFont(fonts["serif-bold"], 18)
    canvas.drawCentredString(right_cx, mm(48), texts["发证单位"])
    canvas.setFont(fonts["serif"], 15)
    canvas.drawCentredString(right_cx, mm(37), texts["日期"])
    if seal_guide:
        canvas.saveState()
        canvas.setStrokeColor(RED.reportlab())
        canvas.setLineWidth(0.6)
        canvas.setDash(3, 3)
        canvas.circle(right_cx, mm(44), mm(21), stroke=1, fill=0)
        canvas.restoreState()

    # QR code and the recognition document, bottom left
    qr_size = mm(QR_SIZE_MM)
    qr_x, qr_y = mm(QR_X_MM), mm(QR_Y_MM)
    _draw_qr(canvas, code, qr_x, qr_y, qr_size)
    canvas.setFillColor(ink)
    tx = qr_x + qr_size + mm(3)
    canvas.setFont(fonts["serif"], 11)
    canvas.drawString(tx, qr_y + qr_size - mm(8), texts["认定文号"])
    canvas.setFont(fonts["serif"], 8.5)
    canvas.drawString(tx, qr_y + mm(10), texts["验证说明"])
    lines, size = code_lines(code, fonts["serif"], w - mm(20) - tx)
    canvas.setFont(fonts["serif"], size)
    for i, line in enumerate(lines):
        canvas.drawString(tx, qr_y + mm(4.5) - i * size * 1.2, line)


CODE_SIZE: Final = 10.0
CODE_MIN_SIZE: Final = 7.0


def code_lines(code: str, font: str, width: float) -> tuple[list[str], float]:
    """The printed verification code in ``width`` points: one line at 10 pt (a version-2 code of
    about 40 characters takes some 75 mm of the 218 mm there are), shrinking to 7 pt if it must,
    then — only for a freak number with dozens of digits — broken into lines of 7 pt, preferably
    after a ``-``, so the code never runs into the border."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    full = stringWidth(code, font, CODE_SIZE)
    if full <= width:
        return [code], CODE_SIZE
    if stringWidth(code, font, CODE_MIN_SIZE) <= width:
        return [code], max(CODE_MIN_SIZE, CODE_SIZE * width / full)
    lines: list[str] = []
    rest = code
    while rest:
        cut = len(rest)
        while cut > 1 and stringWidth(rest[:cut], font, CODE_MIN_SIZE) > width:
            cut -= 1
        if cut < len(rest):
            nice = max(rest.rfind("-", 0, cut), rest.rfind(".", 0, cut))
            if nice > cut // 2:
                cut = nice + 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines, CODE_MIN_SIZE


def _binary_page_stream(canvas: Any) -> None:
    """Store the page just finished deflated only, without reportlab's ASCII85 layer (a fifth of
    a certificate's time, and 25 % of the stream's size); the PDF is as valid and as repeatable."""
    from reportlab.pdfbase import pdfdoc

    page = canvas._doc.Pages.pages[-1]
    if page.Contents or not page.stream:
        return
    stream = pdfdoc.PDFStream()
    stream.filters = [pdfdoc.PDFZCompress] if page.compression else []
    stream.content = page.stream
    stream.__Comment__ = "page stream"
    page.Contents = stream


def _document(
    specs: Sequence[CertificateSpec],
    codes: Sequence[str],
    *,
    seal_guide: bool,
    progress: Progress | None,
    total: int,
    done: int = 0,
    faces: Mapping[str, str] | None = None,
    seed: Mapping[str, str] | None = None,
) -> bytes | None:
    """One PDF of ``specs`` (one page each); ``None`` if ``progress`` cancelled.

    ``seed`` (role → text) is every text of the batch, so that all files of a batch share their
    font subsets (see :func:`~lzcenter_desktop.documents.fonts.seed_subsets`); by default the texts
    of ``specs``.
    """
    import io

    chosen = _resolve_faces(faces)
    loaded = load_faces(*chosen.values())
    fonts = {role: loaded[face] for role, face in chosen.items()}
    if seed is None:
        seed = _seed_texts(specs, codes)
    buffer = io.BytesIO()
    first = specs[0]
    title = f"认定证书 {_clean(first.number)}" if len(specs) == 1 else f"认定证书（{len(specs)} 份）"
    subject = "柳州市工程技术研究中心认定证书"
    if not all(s.registered for s in specs):
        subject += f"（{UNREGISTERED_NOTE}）"
    canvas = new_canvas(buffer, PAGE_SIZE, fonts=fonts, title=title, subject=subject)
    seeds: dict[str, str] = {}
    for role, text in seed.items():
        seeds[fonts[role]] = seeds.get(fonts[role], "") + text
    seed_subsets(canvas, seeds)
    for spec, code in zip(specs, codes, strict=True):
        _draw_certificate(canvas, spec, code, fonts, seal_guide=seal_guide)
        canvas.showPage()
        _binary_page_stream(canvas)
        done += 1
        if progress is not None and progress(done, total) is False:
            return None
    canvas.save()
    return buffer.getvalue()


def _file_title(spec: CertificateSpec) -> str:
    return f"认定证书 {_clean(spec.number)}"


def _render_files(
    specs: Sequence[CertificateSpec],
    codes: Sequence[str],
    *,
    seal_guide: bool,
    faces: Mapping[str, str] | None,
    seed: Mapping[str, str],
    progress: Progress | None,
    total: int,
    done: int = 0,
) -> list[bytes] | None:
    """One PDF per certificate: drawn as one multi-page document, then cut into files
    (:func:`split_pages`); ``None`` if ``progress`` cancelled."""
    data = _document(
        specs, codes, seal_guide=seal_guide, progress=progress, total=total, done=done, faces=faces, seed=seed
    )
    return None if data is None else split_pages(data, [_file_title(s) for s in specs])
