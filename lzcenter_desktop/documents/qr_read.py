"""Reading a QR code back: the text held by a matrix of modules (what the self-test reads off a
printed certificate, so a certificate whose code does not decode is noticed).

The reverse of :func:`lzcenter_desktop.documents.qr.qr_matrix`, on the same tables (reportlab's
encoder, imported): the format information gives the error-correction level and the mask, the mask
is removed, the codewords are read in the placement order of the version, de-interleaved into their
blocks, and every block's Reed–Solomon check is recomputed — a single wrong module makes the read
fail instead of giving a wrong text.  Numeric, alphanumeric and byte segments (UTF-8) are read; no
error correction (a printed-and-rendered certificate has no damaged modules).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

from lzcenter_desktop.documents.qr import _mask_ints, _qrencoder, _rs_remainder, _version_layout

_ALPHANUMERIC: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


class QrReadError(ValueError):
    """The matrix is not a QR code this reader can read (message in Chinese)."""


@functools.lru_cache(maxsize=8)
def _format_patterns(n: int) -> tuple[frozenset[int], tuple[tuple[int, int, frozenset[int]], ...]]:
    """For an n×n code: the module indices (row * n + col) of the format information, and for each
    (error-correction level, mask) the indices among them that are dark."""
    qe = _qrencoder()
    version = (n - 17) // 4
    out: list[tuple[int, int, frozenset[int]]] = []
    every: set[int] = set()
    for level in (qe.QRErrorCorrectLevel.L, qe.QRErrorCorrectLevel.M, qe.QRErrorCorrectLevel.Q,
                  qe.QRErrorCorrectLevel.H):  # fmt: skip
        for mask in range(8):
            probe = qe.QRCode(version, level)
            probe.moduleCount = n
            probe.modules = [[False] * n for _ in range(n)]
            probe.setupTypeInfo(False, mask)
            dark = frozenset(r * n + c for r in range(n) for c in range(n) if probe.modules[r][c])
            out.append((level, mask, dark))
            every |= dark
    # the format positions are those any candidate darkens (the fixed dark module included)
    return frozenset(every), tuple(out)


def _format_of(matrix: Sequence[Sequence[bool]]) -> tuple[int, int]:
    """(error-correction level, mask) from the format information; both copies must agree."""
    n = len(matrix)
    positions, candidates = _format_patterns(n)
    dark = frozenset(i for i in positions if matrix[i // n][i % n])
    for level, mask, pattern in candidates:
        if dark == pattern:
            return level, mask
    raise QrReadError("二维码的格式信息无法识别（纠错等级和掩模）")


def _segments(data: bytes, version: int) -> str:
    """The text of the data codewords: numeric, alphanumeric and byte segments up to the terminator."""
    bits = "".join(format(b, "08b") for b in data)
    size = 0 if version < 10 else 1 if version < 27 else 2
    pos = 0
    out: list[str] = []

    def take(count: int) -> int:
        nonlocal pos
        if pos + count > len(bits):
            raise QrReadError("二维码的数据不完整")
        value = int(bits[pos : pos + count], 2) if count else 0
        pos += count
        return value

    while len(bits) - pos >= 4:
        mode = take(4)
        if mode == 0:
            break
        if mode == 1:  # numeric: groups of 3 digits in 10 bits, 2 in 7, 1 in 4
            count = take((10, 12, 14)[size])
            digits = []
            while count > 0:
                group = min(3, count)
                digits.append(str(take((4, 7, 10)[group - 1])).zfill(group))
                count -= group
            out.append("".join(digits))
        elif mode == 2:  # alphanumeric: pairs in 11 bits, a single one in 6
            count = take((9, 11, 13)[size])
            chars = []
            while count >= 2:
                value = take(11)
                chars.append(_ALPHANUMERIC[value // 45] + _ALPHANUMERIC[value % 45])
                count -= 2
            if count:
                chars.append(_ALPHANUMERIC[take(6)])
            out.append("".join(chars))
        elif mode == 4:  # bytes
            count = take((8, 16, 16)[size])
            raw = bytes(take(8) for _ in range(count))
            try:
                out.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(raw.decode("latin-1"))
        else:
            raise QrReadError(f"二维码使用了本程序不读的数据模式（{mode}）")
    return "".join(out)


def read_qr_matrix(matrix: Sequence[Sequence[bool]]) -> str:
    """The text of the QR code given as rows of modules (dark = ``True``, no quiet zone).

    Raises :class:`QrReadError` when the matrix is not square of a QR size, its format information
    is not one of the 32 valid ones, or a block's Reed–Solomon check does not match."""
    n = len(matrix)
    if n < 21 or (n - 17) % 4 or n > 177 or any(len(row) != n for row in matrix):
        raise QrReadError(f"二维码的大小不对（{n} 行），应为 21、25、29……177 模块见方")
    version = (n - 17) // 4
    level, mask = _format_of(matrix)
    value = int("".join("1" if m else "0" for row in matrix for m in row), 2)
    unmasked = value ^ _mask_ints(version)[mask]
    _template, positions = _version_layout(version)
    qe = _qrencoder()
    blocks = qe.QRRSBlock.getRSBlocks(version, level)
    total = sum(b.totalCount for b in blocks)
    bits = "".join("1" if unmasked >> index & 1 else "0" for index in positions[: total * 8])
    codewords = [int(bits[i : i + 8], 2) for i in range(0, total * 8, 8)]
    data_blocks: list[list[int]] = [[] for _ in blocks]
    ec_blocks: list[list[int]] = [[] for _ in blocks]
    at = 0
    for i in range(max(b.dataCount for b in blocks)):
        for k, block in enumerate(blocks):
            if i < block.dataCount:
                data_blocks[k].append(codewords[at])
                at += 1
    for i in range(max(b.totalCount - b.dataCount for b in blocks)):
        for k, block in enumerate(blocks):
            if i < block.totalCount - block.dataCount:
                ec_blocks[k].append(codewords[at])
                at += 1
    for k, block in enumerate(blocks):
        if _rs_remainder(data_blocks[k], block.totalCount - block.dataCount) != ec_blocks[k]:
            raise QrReadError(f"二维码第 {k + 1} 块的纠错码与数据不符（模块读错或二维码已损坏）")
    return _segments(bytes(b for block in data_blocks for b in block), version)
