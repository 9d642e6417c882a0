"""The recognition certificate (认定证书): A4 landscape, with a QR code that can be checked offline.

A certificate shows its number, the centre and its host, the recognition document number and
date, the issuer with a place for the seal (over the date, as is customary), and a QR code holding
the verification code of :func:`lzcenter_desktop.documents.verify.make_code` — the code is also
printed under the QR code so it can be typed.  Anyone with the bureau's key (the application)
can then tell whether a certificate is genuine with ``lzcenter-desktop verify CODE`` or the
验证证书 dialog.

Every character is checked against its font before anything is drawn; output is byte-for-byte
repeatable.  :func:`render_batch` makes many certificates, one file each or one multi-page file,
with a progress callback that can cancel (then nothing is written).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.fonts import require_glyphs_multi
from lzcenter_desktop.documents.layout import (
    DEEP_GOLD,
    INK,
    ISSUER,
    RED,
    chinese_date,
    draw_text_block,
    fit_lines,
    load_faces,
    mm,
    new_canvas,
    safe_file_stem,
    write_atomically,
)
from lzcenter_desktop.documents.verify import make_code

__all__ = ["BODY", "PAGE_SIZE", "TITLE", "CertificateSpec", "Progress", "certificate_texts", "render",
           "render_batch"]

TITLE: Final = "认定证书"
BODY: Final = (
    "经专家评审、现场考察和社会公示，根据《柳州市工程技术研究中心管理办法》，"
    "认定上述中心为柳州市工程技术研究中心。\n特发此证。"
)
QR_CAPTION: Final = "扫码或输入验证码核验真伪"
#: A4 landscape, in points.
PAGE_SIZE: Final = (mm(297), mm(210))

Progress = Callable[[int, int], bool]

#: Where the QR code is printed: its lower-left corner and side in mm (quiet zone included), and the
#: quiet zone in modules.  30 mm for about 33 modules gives modules of 0.9 mm, easy for a phone.
QR_X_MM: Final = 26.0
QR_Y_MM: Final = 24.0
QR_SIZE_MM: Final = 30.0
QR_QUIET_MODULES: Final = 2


@dataclass(frozen=True)
class CertificateSpec:
    """What one certificate says.  ``center_name`` is the registered name (第二十六条 form)."""

    number: str
    center_name: str
    host_name: str
    recognition_doc_no: str
    date: date
    issuer: str = ISSUER


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _validate(spec: CertificateSpec) -> None:
    for label, value in (
        ("证书编号", spec.number), ("中心名称", spec.center_name), ("依托单位", spec.host_name),
        ("认定文号", spec.recognition_doc_no), ("发证单位", spec.issuer),
    ):
        if not _clean(value):
            raise ValueError(f"证书的“{label}”不能为空。")


def certificate_texts(spec: CertificateSpec) -> dict[str, str]:
    """Every text printed on the certificate except the verification code, keyed by Chinese field."""
    return {
        "标题": TITLE,
        "证书编号": f"编号：{_clean(spec.number)}",
        "中心名称": _clean(spec.center_name),
        "依托单位": f"依托单位：{_clean(spec.host_name)}",
        "正文": BODY,
        "认定文号": f"认定文号：{_clean(spec.recognition_doc_no)}",
        "发证单位": _clean(spec.issuer),
        "日期": chinese_date(spec.date),
        "验证说明": QR_CAPTION,
    }


_BOLD_FIELDS: Final = ("标题", "中心名称", "发证单位")


def _check_glyphs(specs: Sequence[CertificateSpec]) -> None:
    """All fields of all certificates, reported together (field names carry the number in a batch)."""
    checks: list[tuple[dict[str, str], str]] = []
    many = len(specs) > 1
    for spec in specs:
        texts = certificate_texts(spec)
        prefix = f"证书 {_clean(spec.number)} 的" if many else ""
        checks.append(({f"{prefix}{k}": v for k, v in texts.items() if k in _BOLD_FIELDS}, "serif-bold"))
        checks.append(({f"{prefix}{k}": v for k, v in texts.items() if k not in _BOLD_FIELDS}, "serif"))
    require_glyphs_multi(checks)


# --------------------------------------------------------------------------- drawing


def _draw_border(canvas: Any, w: float, h: float) -> None:
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


_RUNS: Final = re.compile(r"0{5,}|1{5,}")
# finder-like patterns with four light modules on one side; neither overlaps itself, so
# str.count finds every occurrence
_FINDER_LIKE: Final = ("00001011101", "10111010000")


def _mask_penalty(rows: Sequence[str]) -> int:
    """The mask penalty of ISO/IEC 18004 §7.8.3 (rules N1–N4) for a matrix given as "0"/"1" rows.

    reportlab's encoder scores the eight masks with the same rules but in slow pure Python (about
    17 ms a code); this does it on strings and integers, a tenth of that, which keeps a batch of
    certificates above 100 a second.
    """
    cols = ["".join(col) for col in zip(*rows, strict=True)]
    lines = "|".join((*rows, *cols))
    runs = _RUNS.findall(lines)
    penalty = sum(map(len, runs)) - 2 * len(runs)  # N1: 3 + (run - 5) for each run of 5 or more
    penalty += 40 * sum(lines.count(p) for p in _FINDER_LIKE)  # N3
    n = len(rows)
    full = (1 << n) - 1
    ints = [int(r, 2) for r in rows]
    for upper, lower in itertools.pairwise(ints):  # N2: 3 per 2×2 block of one colour
        dark = upper & lower
        light = ~(upper | lower) & full
        penalty += 3 * (bin(dark & (dark >> 1)).count("1") + bin(light & (light >> 1)).count("1"))
    dark_share = sum(r.count("1") for r in rows) * 100 / (n * n)
    penalty += 10 * int(abs(dark_share - 50) // 5)  # N4
    return penalty


@functools.lru_cache(maxsize=8)
def _mask_ints(version: int) -> tuple[int, ...]:
    """For a QR version, the eight mask patterns restricted to the data modules, each as one
    integer of n×n bits (row-major, most significant bit first)."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRUtil

    probe = QRCode(version, QRErrorCorrectLevel.M)
    probe.addData("0")
    probe.makeImpl(True, 0)
    n = probe.getModuleCount()
    positions = probe.dataPosIterator()
    out: list[int] = []
    for mask in range(8):
        fn = QRUtil.getMask(mask)
        value = 0
        for col, row in positions:
            if fn(row, col):
                value |= 1 << (n * n - 1 - (row * n + col))
        out.append(value)
    return tuple(out)


def qr_matrix(code: str) -> list[list[bool]]:
    """The QR code (error correction level M) of ``code`` as rows of dark (True) modules.

    Encoded with reportlab's ``reportlab.graphics.barcode.qr`` encoder.  The mask is chosen by
    the ISO penalty (:func:`_mask_penalty`) computed on whole-matrix integers — the eight masked
    variants differ only by XOR with a fixed pattern on the data modules — instead of reportlab
    rebuilding and rescoring the matrix eight times (17 ms a code, too slow for batches).
    """
    from reportlab.graphics.barcode.qr import QrCodeWidget

    qr = QrCodeWidget(code, barLevel="M").qr
    qr.version = qr.calculate_version()
    qr.makeImpl(True, 0)
    n = qr.getModuleCount()
    base = int("".join("1" if m else "0" for row in qr.modules for m in row), 2)
    masks = _mask_ints(qr.version)
    unmasked = base ^ masks[0]
    best_mask, best_penalty = 0, -1
    for mask in range(8):
        bits = format(unmasked ^ masks[mask], f"0{n * n}b")
        penalty = _mask_penalty([bits[i : i + n] for i in range(0, n * n, n)])
        if best_penalty < 0 or penalty < best_penalty:
            best_mask, best_penalty = mask, penalty
    qr.makeImpl(False, best_mask)
    return [[bool(m) for m in row] for row in qr.modules]


def _draw_qr(canvas: Any, code: str, x: float, y: float, size: float) -> None:
    """The QR code of ``code`` with a 2-module quiet zone, as one filled path in module units."""
    matrix = qr_matrix(code)
    count = len(matrix)
    border = QR_QUIET_MODULES
    box = size / (count + 2 * border)
    ops: list[str] = []
    for r, row in enumerate(matrix):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start} {count - 1 - r} {c - start} 1 re")
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColor(INK.reportlab())
    canvas.transform(box, 0, 0, box, x + border * box, y + border * box)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def _draw_certificate(canvas: Any, spec: CertificateSpec, code: str, fonts: dict[str, str],
                      *, seal_guide: bool) -> None:
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

    text_width = w - 2 * mm(36)
    name = fit_lines(texts["中心名称"], fonts["serif-bold"], text_width, nominal=24, minimum=18,
                     two_line_nominal=21, two_line_minimum=14, preferred_before=("（", "工程技术研究中心"),
                     field="中心名称")
    canvas.setFont(fonts["serif-bold"], name.size)
    y = h - mm(66)
    for line in name.lines:
        canvas.drawCentredString(cx, y, line)
        y -= name.size * 1.4
    host = fit_lines(texts["依托单位"], fonts["serif"], text_width, nominal=14, minimum=10,
                     two_line_nominal=12, two_line_minimum=9, field="依托单位")
    canvas.setFont(fonts["serif"], host.size)
    y -= mm(1)
    for line in host.lines:
        canvas.drawCentredString(cx, y, line)
        y -= host.size * 1.5

    size = 16.0
    canvas.setFillColor(ink)
    draw_text_block(canvas, BODY, fonts["serif"], size, 30.0, mm(44), y - mm(6) - size,
                    w - 2 * mm(44), first_indent=2 * size)

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
    canvas.drawString(tx, qr_y + mm(9), texts["验证说明"])
    canvas.setFont(fonts["serif"], 7.5)
    canvas.drawString(tx, qr_y + mm(4.5), code)


# --------------------------------------------------------------------------- API


def _document(specs: Sequence[CertificateSpec], codes: Sequence[str], *, seal_guide: bool,
              progress: Progress | None, total: int, done: int = 0) -> bytes | None:
    """One PDF of ``specs`` (one page each); ``None`` if ``progress`` cancelled."""
    import io

    fonts = load_faces("serif", "serif-bold")
    buffer = io.BytesIO()
    first = specs[0]
    title = f"认定证书 {_clean(first.number)}" if len(specs) == 1 else f"认定证书（{len(specs)} 份）"
    canvas = new_canvas(buffer, PAGE_SIZE, fonts=fonts, title=title, subject="柳州市工程技术研究中心认定证书")
    for spec, code in zip(specs, codes, strict=True):
        _draw_certificate(canvas, spec, code, fonts, seal_guide=seal_guide)
        canvas.showPage()
        done += 1
        if progress is not None and progress(done, total) is False:
            return None
    canvas.save()
    return buffer.getvalue()


def render(spec: CertificateSpec, path: Path, *, key: bytes, seal_guide: bool = False) -> Path:
    """Write one certificate to ``path`` and return it.

    ``key`` is the bureau's verification key.  ``seal_guide`` draws a dashed circle where the seal
    goes (for a trial print; off for the real certificate).  Raises :class:`ValueError` for an
    empty field and :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before writing.
    """
    _validate(spec)
    _check_glyphs([spec])
    code = make_code(_clean(spec.number), spec.center_name, spec.date, key)
    data = _document([spec], [code], seal_guide=seal_guide, progress=None, total=1)
    assert data is not None
    return write_atomically(path, data)


def render_batch(
    specs: Sequence[CertificateSpec], target: Path, *, key: bytes,
    progress: Progress | None = None, seal_guide: bool = False,
) -> list[Path]:
    """Make many certificates; return the files written.

    If ``target`` ends in ``.pdf`` it is one multi-page PDF (one certificate a page); otherwise it
    is a folder, created if needed, that receives ``<证书编号>.pdf`` for each certificate.
    ``progress(done, total)`` is called after each certificate; returning ``False`` cancels, and
    then nothing is written and ``[]`` is returned.  Every certificate is checked (empty fields,
    duplicate numbers, glyphs) before the first is drawn.
    """
    if not specs:
        return []
    for spec in specs:
        _validate(spec)
    numbers = [_clean(s.number) for s in specs]
    stems = [safe_file_stem(n, "证书") for n in numbers]
    seen: set[str] = set()
    for number, stem in zip(numbers, stems, strict=True):
        if stem.casefold() in seen:
            raise ValueError(f"“证书编号”重复：{number}。每份证书的编号必须不同。")
        seen.add(stem.casefold())
    _check_glyphs(specs)
    codes = [make_code(n, s.center_name, s.date, key) for n, s in zip(numbers, specs, strict=True)]
    total = len(specs)
    if target.suffix.lower() == ".pdf":
        data = _document(specs, codes, seal_guide=seal_guide, progress=progress, total=total)
        return [] if data is None else [write_atomically(target, data)]
    pending: list[tuple[Path, bytes]] = []
    for i, (spec, code, stem) in enumerate(zip(specs, codes, stems, strict=True)):
        one = _document([spec], [code], seal_guide=seal_guide, progress=progress, total=total, done=i)
        if one is None:
            return []
        pending.append((target / f"{stem}.pdf", one))
    return [write_atomically(path, data) for path, data in pending]
