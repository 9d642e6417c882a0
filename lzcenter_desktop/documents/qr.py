"""The QR code printed on a certificate: reportlab's encoder (level M), made fast.

:func:`qr_matrix` builds the same matrix as reportlab's ``reportlab.graphics.barcode.qrencoder``
with the mask of lowest ISO/IEC 18004 penalty, on whole-matrix integers (the penalty, the
Reed–Solomon step and the data placement are reimplemented; reportlab supplies the version
tables, the data encoding and the format information).  :func:`qr_inline_image` draws a matrix
as a 1-bit inline image mask in a PDF content stream.  Used by
:mod:`lzcenter_desktop.documents.certificate_page`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from typing import Any, Final

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
    """reportlab's QR encoder module (``reportlab.graphics.barcode.qrencoder``), imported.

    Always by import, never loaded from its file: the frozen (PyInstaller) build has no ``.py``
    files.  The import runs ``reportlab.graphics.barcode/__init__`` too (the graphics widgets and
    platypus, some 50 ms the first time in a process).
    """
    from reportlab.graphics.barcode import qrencoder

    return qrencoder


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
