"""The recognition certificate (认定证书): A4 landscape, with a QR code that can be checked offline.

A certificate shows its number, the centre and its host, the recognition document number and
date, the issuer with a place for the seal (over the date, as is customary), and a QR code holding
the version-2 verification code of :func:`lzcenter_desktop.documents.verify.make_code`
(``LZ2-日期-序号-校验码``, QR alphanumeric, so the QR code is small and coarse) — the same code is
printed beside the QR code on one line at 10 pt so it can be read aloud and typed.  Anyone with
the bureau's key (the application) can then tell whether a certificate is genuine with
``lzcenter-desktop verify CODE`` or the 验证证书 dialog.

Every character is checked against its font before anything is drawn; output is byte-for-byte
repeatable.  :func:`render_batch` makes many certificates, one file each or one multi-page file,
with a progress callback that can cancel (then nothing is written).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.fonts import face_for, require_glyphs_multi, seed_subsets
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
from lzcenter_desktop.documents.textcheck import refuse_unprintable
from lzcenter_desktop.documents.verify import make_code

__all__ = [
    "BODY",
    "PAGE_SIZE",
    "TITLE",
    "UNREGISTERED_NOTE",
    "CertificateSpec",
    "Progress",
    "certificate_code",
    "certificate_texts",
    "render",
    "render_batch",
]

TITLE: Final = "认定证书"
BODY: Final = (
    "经专家评审、现场考察和社会公示，根据《柳州市工程技术研究中心管理办法》，"
    "认定上述中心为柳州市工程技术研究中心。\n特发此证。"
)
QR_CAPTION: Final = "扫码或输入验证码核验真伪"
#: Printed (in red, under the number) on a certificate not made from the register's recognition
#: records, e.g. ``document certificate --name … --number …``.
UNREGISTERED_NOTE: Final = "未登记：非依据本系统认定记录生成"
#: A4 landscape, in points.
PAGE_SIZE: Final = (mm(297), mm(210))

Progress = Callable[[int, int], bool]

#: Where the QR code is printed: its lower-left corner and side in mm (quiet zone included), and the
#: quiet zone in modules.  A version-2 code of 40 characters is a version-3 QR code (29 modules), so
#: 30 mm for 33 modules with the quiet zone gives modules of 0.9 mm, easy for a phone.
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
    #: ``False`` for a certificate not made from the register's recognition records: it then
    #: carries :data:`UNREGISTERED_NOTE`.
    registered: bool = True


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _validate(spec: CertificateSpec) -> None:
    fields = {
        "证书编号": spec.number,
        "中心名称": spec.center_name,
        "依托单位": spec.host_name,
        "认定文号": spec.recognition_doc_no,
        "发证单位": spec.issuer,
    }
    for label, value in fields.items():
        if not _clean(value):
            raise ValueError(f"证书的“{label}”不能为空。")
    refuse_unprintable(fields, what="证书的")


def certificate_code(spec: CertificateSpec, key: bytes) -> str:
    """The verification code printed on the certificate ``spec`` under ``key`` (what the QR code holds)."""
    return make_code(_clean(spec.number), spec.center_name, spec.date, key)


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
    } | ({} if spec.registered else {"登记说明": UNREGISTERED_NOTE})


_BOLD_FIELDS: Final = ("标题", "中心名称", "发证单位")


#: The two faces a certificate is set in, by role; ``faces=`` may replace either with another face
#: (a bundled key such as ``sans-bold`` or a discovered system face's name such as ``SimHei``).
DEFAULT_FACES: Final[dict[str, str]] = {"serif": "serif", "serif-bold": "serif-bold"}


def _resolve_faces(faces: Mapping[str, str] | None) -> dict[str, str]:
    chosen = dict(DEFAULT_FACES)
    for role, face in (faces or {}).items():
        if role not in DEFAULT_FACES:
            raise ValueError(f"证书没有“{role}”字体角色（可用：serif、serif-bold）。")
        chosen[role] = face_for(face).name
    return chosen


def _check_glyphs(specs: Sequence[CertificateSpec], faces: Mapping[str, str] | None = None) -> None:
    """All fields of all certificates, reported together (field names carry the number in a batch)."""
    chosen = _resolve_faces(faces)
    checks: list[tuple[dict[str, str], str]] = []
    many = len(specs) > 1
    for spec in specs:
        texts = certificate_texts(spec)
        prefix = f"证书 {_clean(spec.number)} 的" if many else ""
        bold = {f"{prefix}{k}": v for k, v in texts.items() if k in _BOLD_FIELDS}
        regular = {f"{prefix}{k}": v for k, v in texts.items() if k not in _BOLD_FIELDS}
        checks.append((bold, chosen["serif-bold"]))
        checks.append((regular, chosen["serif"]))
    require_glyphs_multi(checks)


# --------------------------------------------------------------------------- drawing


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


def _transpose(value: int, n: int) -> int:
    """The n×n bit matrix ``value`` (row-major, most significant bit first) transposed."""
    bits = format(value, f"0{n * n}b")
    return int("".join(bits[c::n] for c in range(n)), 2)


@functools.lru_cache(maxsize=8)
def _block_masks(n: int) -> tuple[int, int]:
    """(every bit but the last column, every bit but the last row) of an n×n bit matrix."""
    row = ((1 << n) - 1) & ~1
    no_last_col = 0
    for _ in range(n):
        no_last_col = (no_last_col << n) | row
    return no_last_col, ((1 << (n * n)) - 1) >> n << n


@functools.lru_cache(maxsize=8)
def _start_masks(n: int) -> tuple[int, int, int]:
    """For an n×n bit matrix: the modules where a run of 5 fits in the row to their right, where a
    run of 11 fits, and every module but the first of each row."""

    def columns(first: int, last: int) -> int:
        row = 0
        for c in range(n):
            row = (row << 1) | (first <= c <= last)
        value = 0
        for _ in range(n):
            value = (value << n) | row
        return value

    return columns(0, n - 5), columns(0, n - 11), columns(1, n - 1)


_FINDER_BITS: Final = tuple(tuple(int(b) for b in p) for p in _FINDER_LIKE)


def _line_penalty(matrix: int, full: int, n: int) -> int:
    """N1 and N3 for the rows of an n×n matrix given as one integer (column c + k of a row is
    ``k`` bits below column c, so ``matrix << k`` lines column c + k up with column c)."""
    five, eleven, not_first = _start_masks(n)
    light = ~matrix & full
    penalty = 0
    for colour in (matrix, light):
        # every window of 5 modules of one colour starting in the row; a run of L ≥ 5 has L − 4 of
        # them, and exactly one (its first) with no module of the same colour just before it:
        # (L − 4) + 2 = 3 + (L − 5), the N1 penalty of the run
        windows = colour & (colour << 1) & (colour << 2) & (colour << 3) & (colour << 4) & five
        first = windows & ~((colour >> 1) & not_first)
        penalty += windows.bit_count() + 2 * first.bit_count()
    shifted = [(matrix << k, light << k) for k in range(11)]
    for pattern in _FINDER_BITS:
        hits = eleven
        for k, bit in enumerate(pattern):
            hits &= shifted[k][0] if bit else shifted[k][1]
        penalty += 40 * hits.bit_count()
    return penalty


def _matrix_penalty(matrix: int, transposed: int, n: int) -> int:
    """:func:`_mask_penalty` of an n×n matrix given as an integer and its transpose, all on
    whole-matrix integers (what a batch runs eight times a certificate): N1 and N3 on the rows of
    the matrix and of its transpose, N2 and N4 on the matrix."""
    size = n * n
    full = (1 << size) - 1
    penalty = _line_penalty(matrix, full, n) + _line_penalty(transposed, full, n)
    no_last_col, no_last_row = _block_masks(n)
    # a module and the one below it (the lowest row has none), then with the one to its right
    dark = matrix & (matrix << n) & no_last_row
    light = ~(matrix | (matrix << n)) & full & no_last_row
    blocks = (dark & (dark << 1) & no_last_col).bit_count() + (light & (light << 1) & no_last_col).bit_count()
    penalty += 3 * blocks
    penalty += 10 * int(abs(matrix.bit_count() * 100 / size - 50) // 5)
    return penalty


@functools.cache
def _qrencoder() -> Any:
    """reportlab's QR encoder module (``reportlab.graphics.barcode.qrencoder``, stdlib-only).

    Importing it the usual way runs ``reportlab.graphics.barcode/__init__`` first, which pulls in
    the graphics widgets and platypus (60 ms at start-up, a sixth of a whole batch run); so unless
    something has imported it already, the same file is loaded on its own under a private name.
    """
    import importlib.util
    import sys

    loaded = sys.modules.get("reportlab.graphics.barcode.qrencoder")
    if loaded is not None:
        return loaded
    import reportlab

    path = Path(reportlab.__file__).parent / "graphics" / "barcode" / "qrencoder.py"
    spec = importlib.util.spec_from_file_location("lzcenter_desktop.documents._rl_qrencoder", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a broken reportlab installation
        from reportlab.graphics.barcode import qrencoder

        return qrencoder
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=8)
def _mask_ints(version: int) -> tuple[int, ...]:
    """For a QR version, the eight mask patterns restricted to the data modules, each as one
    integer of n×n bits (row-major, most significant bit first)."""
    qe = _qrencoder()
    QRCode, QRErrorCorrectLevel, QRUtil = qe.QRCode, qe.QRErrorCorrectLevel, qe.QRUtil

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


@functools.lru_cache(maxsize=8)
def _version_layout(version: int) -> tuple[int, tuple[int, ...]]:
    """For a QR version (level M): the function patterns alone as one n×n-bit integer (format
    information blank, as when masks are scored), and the bit index of each data module in
    reportlab's placement order."""
    qe = _qrencoder()
    QRCode, QRErrorCorrectLevel = qe.QRCode, qe.QRErrorCorrectLevel

    probe = QRCode(version, QRErrorCorrectLevel.M)
    probe.addData("0")
    probe.makeImpl(True, 0)
    n = probe.getModuleCount()
    positions = tuple(n * n - 1 - (row * n + col) for col, row in probe.dataPosIterator())
    for col, row in probe.dataPosIterator():
        probe.modules[row][col] = False
    template = int("".join("1" if m else "0" for row in probe.modules for m in row), 2)
    return template, positions


_GF_EXP: Final = [0] * 512
_GF_LOG: Final = [0] * 256


def _init_gf() -> None:
    value = 1
    for i in range(255):
        _GF_EXP[i] = value
        _GF_LOG[value] = i
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for i in range(255, 512):
        _GF_EXP[i] = _GF_EXP[i - 255]


_init_gf()


@functools.lru_cache(maxsize=16)
def _rs_generator(degree: int) -> tuple[int, ...]:
    """The Reed–Solomon generator polynomial ∏(x − αⁱ), i < degree, highest power first."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            if coef:
                nxt[j + 1] ^= _GF_EXP[_GF_LOG[coef] + i]
        poly = nxt
    return tuple(poly)


@functools.lru_cache(maxsize=16)
def _rs_rows(degree: int) -> tuple[int, ...]:
    """For each factor 0–255, the generator's coefficients times the factor, packed big-endian into
    one integer of ``degree`` bytes (one XOR per data byte in :func:`_rs_remainder`)."""
    gen = _rs_generator(degree)[1:]
    rows = [0]
    for factor in range(1, 256):
        lf = _GF_LOG[factor]
        row = 0
        for g in gen:
            row = (row << 8) | (_GF_EXP[lf + _GF_LOG[g]] if g else 0)
        rows.append(row)
    return tuple(rows)


def _rs_remainder(data: Sequence[int], degree: int) -> list[int]:
    """The ``degree`` error-correction codewords of ``data`` (polynomial division, table-driven:
    the remainder is one integer of ``degree`` bytes, shifted a byte and XORed with a table row)."""
    rows = _rs_rows(degree)
    shift = 8 * (degree - 1)
    mask = (1 << (8 * degree)) - 1
    rem = 0
    for byte in data:
        rem = ((rem << 8) & mask) ^ rows[byte ^ (rem >> shift)]
    return list(rem.to_bytes(degree, "big"))


class _BitString:
    """What reportlab's ``QRBitBuffer`` does for the encoder's ``write`` methods (``put``,
    ``putBit``, ``getLengthInBits``), one ``put`` at a time instead of one bit at a time."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def put(self, num: int, length: int) -> None:
        if length > 0:
            self.parts.append(format(num & ((1 << length) - 1), f"0{length}b"))
            self.length += length

    def putBit(self, bit: bool) -> None:  # reportlab's name
        self.put(1 if bit else 0, 1)

    def getLengthInBits(self) -> int:  # reportlab's name
        return self.length

    def to_bytes(self) -> bytes:
        bits = "".join(self.parts)
        bits += "0" * (-len(bits) % 8)
        return int(bits, 2).to_bytes(len(bits) // 8, "big") if bits else b""


def _codewords(qr: Any) -> list[int]:
    """reportlab's ``QRCode.createData`` with a table-driven Reed–Solomon step (same codewords,
    a tenth of the time): the data bits, terminator and padding, then the blocks interleaved."""
    qe = _qrencoder()
    QRCode, QRRSBlock = qe.QRCode, qe.QRRSBlock

    blocks = QRRSBlock.getRSBlocks(qr.version, qr.errorCorrectLevel)
    buffer = _BitString()
    for data in qr.dataList:
        data.write(buffer, qr.version)
    capacity = sum(b.dataCount for b in blocks) * 8
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"二维码内容过长（{buffer.getLengthInBits()} 位，最多 {capacity} 位）。")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    if buffer.getLengthInBits() % 8:
        buffer.put(0, 8 - buffer.getLengthInBits() % 8)
    pads = itertools.cycle((QRCode.PAD0, QRCode.PAD1))
    while buffer.getLengthInBits() < capacity:
        buffer.put(next(pads), 8)
    codewords = buffer.to_bytes()
    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for block in blocks:
        chunk = list(codewords[offset : offset + block.dataCount])
        offset += block.dataCount
        data_blocks.append(chunk)
        ec_blocks.append(_rs_remainder(chunk, block.totalCount - block.dataCount))
    return [
        d
        for group in itertools.chain(itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks))
        for d in group
        if d is not None
    ]


@functools.lru_cache(maxsize=8)
def _transposed_masks(version: int) -> tuple[int, ...]:
    n = version * 4 + 17
    return tuple(_transpose(m, n) for m in _mask_ints(version))


def qr_matrix(code: str) -> list[list[bool]]:
    """The QR code (error correction level M) of ``code`` as rows of dark (True) modules.

    The same matrix as reportlab's ``reportlab.graphics.barcode.qr`` encoder with the mask of lowest
    ISO penalty (:func:`_mask_penalty`), built on whole-matrix integers: the function patterns of
    the version (cached), the data bits placed by precomputed index, the eight masked variants by
    XOR with fixed patterns, and reportlab's own format-information writer at the end.  Reportlab
    rebuilding and rescoring the matrix eight times took 17 ms a code; this takes well under 1 ms.
    """
    qe = _qrencoder()
    qr = qe.QRCode(None, qe.QRErrorCorrectLevel.M)  # what QrCodeWidget(code, barLevel="M") builds
    qr.addData(code)
    qr.version = qr.calculate_version()
    n = qr.version * 4 + 17
    template, positions = _version_layout(qr.version)
    bits = "".join(format(b, "08b") for b in _codewords(qr))
    unmasked = template
    for index, bit in zip(positions, bits, strict=False):  # modules past the data stay light
        if bit == "1":
            unmasked |= 1 << index
    masks = _mask_ints(qr.version)
    masks_t = _transposed_masks(qr.version)
    unmasked_t = _transpose(unmasked, n)
    best_mask, best_penalty = 0, -1
    for mask in range(8):
        penalty = _matrix_penalty(unmasked ^ masks[mask], unmasked_t ^ masks_t[mask], n)
        if best_penalty < 0 or penalty < best_penalty:
            best_mask, best_penalty = mask, penalty
    best_bits = format(unmasked ^ masks[best_mask], f"0{n * n}b")
    qr.moduleCount = n
    qr.modules = [[c == "1" for c in best_bits[i : i + n]] for i in range(0, n * n, n)]
    qr.setupTypeInfo(False, best_mask)
    if qr.version >= 7:
        qr.setupTypeNumber(False)
    return [[bool(m) for m in row] for row in qr.modules]


#: bytes 0/1 → ASCII "0"/"1" (a row of modules to a binary numeral at C speed)
_BIT_DIGITS: Final = bytes.maketrans(b"\x00\x01", b"01")


def qr_inline_image(matrix: Sequence[Sequence[bool]]) -> str:
    """The content-stream operators of a QR code as a 1-bit inline image mask of the unit square.

    One sample a module, dark = 1 (``/D [1 0]``: painted in the fill colour), rows padded to whole
    bytes, hex-encoded; ``/I false`` (no interpolation) keeps the modules sharp-edged at any
    resolution.  A few hundred bytes instead of a rectangle per run of dark modules.
    """
    width, height = len(matrix[0]), len(matrix)
    pad = -width % 8
    digits = f"0{(width + pad) // 4}X"
    rows = "".join(
        format(int(bytes(map(bool, row)).translate(_BIT_DIGITS), 2) << pad, digits) for row in matrix
    )
    return f"BI /W {width} /H {height} /IM true /D [1 0] /I false /F /AHx ID\n{rows}>\nEI"


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


def _seed_texts(specs: Sequence[CertificateSpec], codes: Sequence[str]) -> dict[str, str]:
    """Role → every character the certificates of ``specs`` draw in that role's face."""
    bold: set[str] = set()
    regular: set[str] = set(QR_CAPTION)
    for spec, code in zip(specs, codes, strict=True):
        for field, text in certificate_texts(spec).items():
            (bold if field in _BOLD_FIELDS else regular).update(text)
        regular.update(code)
    return {"serif-bold": "".join(sorted(bold)), "serif": "".join(sorted(regular))}


# --------------------------------------------------------------------------- API


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


def render(
    spec: CertificateSpec,
    path: Path,
    *,
    key: bytes,
    seal_guide: bool = False,
    faces: Mapping[str, str] | None = None,
) -> Path:
    """Write one certificate to ``path`` and return it.

    ``key`` is the bureau's verification key.  ``seal_guide`` draws a dashed circle where the seal
    goes (for a trial print; off for the real certificate).  Raises :class:`ValueError` for an
    empty field and :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` before writing.
    """
    _validate(spec)
    _check_glyphs([spec], faces)
    code = certificate_code(spec, key)
    seed = _seed_texts([spec], [code])
    files = _render_files(
        [spec], [code], seal_guide=seal_guide, faces=faces, seed=seed, progress=None, total=1
    )
    assert files is not None
    return write_atomically(path, files[0])  # the same bytes as in a batch of certificates like it


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


# --------------------------------------------------------------------------- two processes

#: A folder batch of at least this many certificates is drawn by two processes (Linux, see
#: :func:`_fork_allowed`): half by this process, half by a forked copy of it.  Measured on a 2-CPU
#: Linux machine: 60 certificates break even, 100 gain ≈ 25 ms, 200 ≈ 60 ms.
FORK_MIN_BATCH: Final = 100
#: Seconds the forked half may take, per certificate and at least; then it is killed and an error
#: raised (a child that dies or hangs must never leave the caller waiting).
FORK_TIMEOUT_PER_CERT: Final = 0.5
FORK_TIMEOUT_MIN: Final = 30.0


def _fork_allowed(total: int) -> bool:
    """Whether a folder batch of ``total`` certificates is split over two processes: only on Linux
    (``os.fork``; Windows and macOS stay single-process), with two CPUs or more, from a process
    with a single thread and without Qt loaded (forking a threaded or GUI process can deadlock the
    child), for ``total`` ≥ :data:`FORK_MIN_BATCH`."""
    return total >= FORK_MIN_BATCH and _can_fork()


def _can_fork() -> bool:
    """The conditions of :func:`_fork_allowed` other than the batch size."""
    import os
    import sys
    import threading

    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
        and "PySide6.QtCore" not in sys.modules
    )


def _render_files_forked(
    specs: Sequence[CertificateSpec],
    codes: Sequence[str],
    *,
    seal_guide: bool,
    faces: Mapping[str, str] | None,
    seed: Mapping[str, str],
    progress: Progress | None,
) -> list[bytes] | None:
    """:func:`_render_files` with the second half drawn by a forked child at the same time.

    The fonts are loaded before the fork, so the child starts drawing at once; it writes its files
    (or its error) to an anonymous temporary file the parent reads when both halves are done.  Both
    halves use the batch's seed, so every file is byte-for-byte the one a single process writes
    (tested).  An error in the child is raised here (a :class:`ValueError` keeps its message); a
    child that runs past its time is killed and :class:`RuntimeError` raised.
    """
    import marshal
    import os
    import tempfile
    import time

    total = len(specs)
    half = (total + 1) // 2
    load_faces(*_resolve_faces(faces).values())  # parsed once, before the fork, for both processes
    with tempfile.TemporaryFile() as shared:
        pid = os.fork()
        if pid == 0:  # the child: draw the second half, report, and leave without any clean-up
            status = 0
            try:
                try:
                    files = _render_files(
                        specs[half:],
                        codes[half:],
                        seal_guide=seal_guide,
                        faces=faces,
                        seed=seed,
                        progress=None,
                        total=total,
                        done=half,
                    )
                    payload = marshal.dumps(("ok", files))
                except BaseException as error:  # reported to the parent
                    kind = "value" if isinstance(error, ValueError) else "error"
                    payload = marshal.dumps(
                        (kind, f"{type(error).__name__}: {error}" if kind == "error" else str(error))
                    )
                    status = 1
                shared.write(payload)
                shared.flush()
            except BaseException:
                status = 2
            finally:
                os._exit(status)
        try:
            mine = _render_files(
                specs[:half],
                codes[:half],
                seal_guide=seal_guide,
                faces=faces,
                seed=seed,
                progress=progress,
                total=total,
            )
        except BaseException:
            _kill(pid)
            raise
        if mine is None:
            _kill(pid)
            return None
        deadline = time.monotonic() + max(FORK_TIMEOUT_MIN, FORK_TIMEOUT_PER_CERT * (total - half))
        while True:
            done_pid, _status = os.waitpid(pid, os.WNOHANG)
            if done_pid == pid:
                break
            if time.monotonic() > deadline:
                _kill(pid)
                raise RuntimeError(
                    f"生成证书超时：第 {half + 1}–{total} 份证书在限定时间内没有完成，"
                    "已停止，未写入任何文件。"
                )
            time.sleep(0.002)
        shared.seek(0)
        try:
            kind, result = marshal.loads(shared.read())
        except (EOFError, ValueError, TypeError):
            raise RuntimeError(
                f"生成证书失败：生成第 {half + 1}–{total} 份证书的子进程意外退出，未写入任何文件。"
            ) from None
    if kind == "value":
        raise ValueError(result)
    if kind != "ok":
        raise RuntimeError(f"生成证书失败（第 {half + 1}–{total} 份）：{result}")
    if progress is not None:
        for done in range(half + 1, total + 1):
            if progress(done, total) is False:
                return None
    return [*mine, *result]


def _kill(pid: int) -> None:
    """Kill the forked child ``pid`` and reap it (never raises)."""
    import contextlib
    import os
    import signal

    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def render_batch(
    specs: Sequence[CertificateSpec],
    target: Path,
    *,
    key: bytes,
    progress: Progress | None = None,
    seal_guide: bool = False,
    faces: Mapping[str, str] | None = None,
) -> list[Path]:
    """Make many certificates; return the files written.

    If ``target`` ends in ``.pdf`` it is one multi-page PDF (one certificate a page); otherwise it
    is a folder, created if needed, that receives ``<证书编号>.pdf`` for each certificate.
    ``progress(done, total)`` is called after each certificate; returning ``False`` cancels, and
    then nothing is written and ``[]`` is returned.  Every certificate is checked (empty fields,
    duplicate numbers, glyphs) before the first is drawn.

    A folder batch is drawn as one multi-page document and cut into files (:func:`split_pages`);
    all certificates of a batch share their font subsets (:func:`_seed_texts`), so the shared
    objects are formatted once.  On Linux, from a single-threaded process without Qt, a folder
    batch of :data:`FORK_MIN_BATCH` or more is drawn half by a forked child at the same time
    (:func:`_render_files_forked`); the files are byte-for-byte the same.
    """
    if not specs:
        return []
    with _gc_paused():
        return _render_batch(specs, target, key=key, progress=progress, seal_guide=seal_guide, faces=faces)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is made (it would otherwise sweep the parsed
    fonts' hundred thousand objects again and again for nothing; ≈ 3 % of a batch), as it was after."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render_batch(
    specs: Sequence[CertificateSpec],
    target: Path,
    *,
    key: bytes,
    progress: Progress | None,
    seal_guide: bool,
    faces: Mapping[str, str] | None,
) -> list[Path]:
    for spec in specs:
        _validate(spec)
    numbers = [_clean(s.number) for s in specs]
    stems = [safe_file_stem(n, "证书") for n in numbers]
    seen: set[str] = set()
    for number, stem in zip(numbers, stems, strict=True):
        if stem.casefold() in seen:
            raise ValueError(f"“证书编号”重复：{number}。每份证书的编号必须不同。")
        seen.add(stem.casefold())
    _check_glyphs(specs, faces)
    codes = [certificate_code(s, key) for s in specs]
    total = len(specs)
    seed = _seed_texts(specs, codes)
    if target.suffix.lower() == ".pdf":
        data = _document(
            specs, codes, seal_guide=seal_guide, progress=progress, total=total, faces=faces, seed=seed
        )
        return [] if data is None else [write_atomically(target, data)]
    if _fork_allowed(total):
        files = _render_files_forked(
            specs, codes, seal_guide=seal_guide, faces=faces, seed=seed, progress=progress
        )
    else:
        files = _render_files(
            specs, codes, seal_guide=seal_guide, faces=faces, seed=seed, progress=progress, total=total
        )
    if files is None:
        return []
    return [write_atomically(target / f"{stem}.pdf", data) for stem, data in zip(stems, files, strict=True)]


# --------------------------------------------------------------------------- one file per page

_OBJ_REF: Final = re.compile(rb"(\d+) 0 R\b")
_TITLE_ENTRY: Final = re.compile(rb"/Title \((?:\\.|[^\\)])*\)")


def _pdf_string(text: str) -> bytes:
    """``text`` as reportlab writes a PDF text string (for the /Title of a split file)."""
    from reportlab.pdfbase import pdfdoc

    return bytes(pdfdoc.PDFString(text).format(pdfdoc.PDFDocument(invariant=1)))


def split_pages(data: bytes, titles: Sequence[str]) -> list[bytes]:
    """Cut a multi-page PDF written by reportlab into one PDF per page, the ``i``-th titled
    ``titles[i]``.

    Each file holds its page, the page's content stream and everything the page refers to (the
    shared fonts, their subsets, ToUnicode maps), a one-page ``Pages`` node, the catalog and the
    document information with its own title; objects are renumbered densely and the
    cross-reference table rebuilt.  Rendering a batch as one document and cutting it is about
    twice as fast as a document per certificate: the shared objects are formatted once.
    Raises :class:`ValueError` if ``data`` is not laid out as reportlab writes it.
    """
    import hashlib

    tail = data[-64:]
    match = re.search(rb"startxref\n(\d+)\n%%EOF", tail)
    if match is None:
        raise ValueError("not a reportlab PDF: no startxref")
    xref_at = int(match.group(1))
    header_end = data.index(b"\n", data.index(b"\n") + 1) + 1
    xref = data[xref_at:].split(b"trailer", 1)
    lines = xref[0].split(b"\n")
    if lines[0] != b"xref" or not lines[1].startswith(b"0 "):
        raise ValueError("not a reportlab PDF: unexpected xref")
    count = int(lines[1].split()[1])
    offsets = [int(line[:10]) for line in lines[2 : 2 + count]]
    trailer = xref[1]
    root = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))  # type: ignore[union-attr]
    info = int(re.search(rb"/Info (\d+) 0 R", trailer).group(1))  # type: ignore[union-attr]

    ends = sorted([*offsets[1:], xref_at])
    bodies: dict[int, bytes] = {}
    for number in range(1, count):
        start = offsets[number]
        end = ends[ends.index(start) + 1]
        chunk = data[start:end]
        head = f"{number} 0 obj\n".encode()
        if not chunk.startswith(head) or not chunk.endswith(b"endobj\n"):
            raise ValueError(f"not a reportlab PDF: object {number}")
        bodies[number] = chunk[len(head) : -len(b"endobj\n")]

    def dict_part(body: bytes) -> bytes:
        cut = body.find(b"\nstream\n")
        return body if cut < 0 else body[:cut]

    pages_obj = int(re.search(rb"/Pages (\d+) 0 R", dict_part(bodies[root])).group(1))  # type: ignore[union-attr]
    kids_match = re.search(rb"/Kids \[([^\]]*)\]", dict_part(bodies[pages_obj]))
    if kids_match is None:
        raise ValueError("not a reportlab PDF: no page list")
    kids = [int(k) for k in _OBJ_REF.findall(kids_match.group(1))]
    if len(kids) != len(titles):
        raise ValueError(f"{len(kids)} pages, {len(titles)} titles")

    out: list[bytes] = []
    for page, title in zip(kids, titles, strict=True):
        keep = {root, info, pages_obj}
        todo = [page]
        while todo:
            number = todo.pop()
            if number in keep:
                continue
            keep.add(number)
            refs = dict_part(bodies[number])
            if number == page:
                refs = re.sub(rb"/Parent \d+ 0 R", b"", refs)
            todo.extend(int(r) for r in _OBJ_REF.findall(refs))
        order = sorted(keep)
        renumber = {old: new for new, old in enumerate(order, start=1)}

        def ref(m: re.Match[bytes], renumber: dict[int, int] = renumber) -> bytes:
            return b"%d 0 R" % renumber[int(m.group(1))]

        parts = [data[:header_end]]
        positions: list[int] = []
        size = len(parts[0])
        for old in order:
            if old == pages_obj:
                body = b"<<\n/Count 1 /Kids [ %d 0 R ] /Type /Pages\n>>\n" % renumber[page]
            else:
                body = bodies[old]
                if old == info:
                    found = _TITLE_ENTRY.search(body)
                    if found is not None:
                        body = body[: found.start()] + b"/Title " + _pdf_string(title) + body[found.end() :]
                cut = body.find(b"\nstream\n")
                body = _OBJ_REF.sub(ref, body) if cut < 0 else _OBJ_REF.sub(ref, body[:cut]) + body[cut:]
            obj = b"%d 0 obj\n" % renumber[old] + body + b"endobj\n"
            positions.append(size)
            parts.append(obj)
            size += len(obj)
        digest = hashlib.md5(b"".join(parts), usedforsecurity=False).hexdigest().encode()
        xref_lines = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(order) + 1)]
        xref_lines.extend(b"%010d 00000 n \n" % p for p in positions)
        parts.extend(xref_lines)
        parts.append(
            b"trailer\n<<\n/ID \n[<%s><%s>]\n%% ReportLab generated PDF document -- digest (opensource)\n\n"
            b"/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
            % (digest, digest, renumber[info], renumber[root], len(order) + 1, size)
        )
        out.append(b"".join(parts))
    return out
