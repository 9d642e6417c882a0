"""The QR encoder of the certificates (``documents.qr``): the same matrix as reportlab's own
encoder with the lowest-penalty mask, the penalty on strings and on whole-matrix integers, the
Reed–Solomon step, the inline image; and reportlab's encoder is imported, never loaded by path."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from lzcenter_desktop.documents import qr as qr_module
from lzcenter_desktop.documents.qr import _mask_ints, _mask_penalty, _matrix_penalty, _transpose, qr_matrix
from lzcenter_desktop.documents.verify import make_code

KEY = bytes(range(32))
NUMBER = "LZGC-2026-001"
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
DAY = date(2026, 11, 26)


def modules(qr: QRCode) -> int:
    return int("".join("1" if m else "0" for row in qr.modules for m in row), 2)


@pytest.mark.parametrize(
    "code", [make_code(NUMBER, NAME, DAY, KEY), make_code("柳科证〔2026〕1号", "名称", DAY, KEY), "x" * 120]
)
def test_masked_variants_equal_reportlabs_own_masking(code: str) -> None:
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(code)
    qr.version = qr.calculate_version()
    qr.makeImpl(True, 0)
    base = modules(qr)
    masks = _mask_ints(qr.version)
    for mask in range(8):
        qr.makeImpl(True, mask)
        assert modules(qr) == base ^ masks[0] ^ masks[mask], mask


def test_qr_matrix_is_reportlabs_encoding_with_the_lowest_penalty_mask() -> None:
    code = make_code(NUMBER, NAME, DAY, KEY)
    matrix = qr_matrix(code)
    n = len(matrix)
    assert n == 29  # a version-2 code (40 characters, QR alphanumeric) is a version-3 QR code
    penalties = []
    for mask in range(8):
        qr = QRCode(None, QRErrorCorrectLevel.M)
        qr.addData(code)
        qr.version = qr.calculate_version()
        qr.makeImpl(True, mask)
        penalties.append(_mask_penalty(["".join("1" if m else "0" for m in row) for row in qr.modules]))
        qr.makeImpl(False, mask)
        if [[bool(m) for m in row] for row in qr.modules] == matrix:
            chosen = mask
    assert penalties[chosen] == min(penalties)


def test_mask_penalty_of_known_matrices() -> None:
    blank = ["0" * 21] * 21
    # N1: 42 lines each one run of 21 → 19 each; N2: 20×20 blocks × 3; N4: 0 % dark → 10 × 10
    assert _mask_penalty(blank) == 42 * 19 + 400 * 3 + 100
    checker = ["".join("1" if (r + c) % 2 else "0" for c in range(21)) for r in range(21)]
    # no runs, no blocks; 220 of 441 dark = 49.9 % → N4 = 0
    assert _mask_penalty(checker) == 0
    # one finder-like pattern (4 light + 1:1:3:1:1) in the first row costs 40 (N3) and nothing else
    finder = ["00001011101" + "0101010101", *checker[1:]]
    assert _mask_penalty(finder) == 40


def _reportlab_reference(code: str) -> list[list[bool]]:
    """reportlab's own encoder, masks scored with _mask_penalty, the lowest first one chosen."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(code)
    qr.version = qr.calculate_version()
    penalties = []
    for mask in range(8):
        qr.makeImpl(True, mask)
        penalties.append(_mask_penalty(["".join("1" if m else "0" for m in row) for row in qr.modules]))
    qr.makeImpl(False, penalties.index(min(penalties)))
    return [[bool(m) for m in row] for row in qr.modules]


@pytest.mark.parametrize("length", [1, 10, 17, 40, 60, 61, 62, 90, 120, 200, 300])
def test_fast_qr_matrix_equals_reportlabs_encoder(length: int) -> None:
    """Versions 1 to 10 (7+ carry version information), one and several Reed–Solomon blocks."""
    import random

    rng = random.Random(length)
    for _ in range(3):
        code = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567.-%") for _ in range(length))
        assert qr_matrix(code) == _reportlab_reference(code)


def test_reed_solomon_remainder_of_a_known_codeword() -> None:
    from lzcenter_desktop.documents.qr import _rs_remainder

    # ISO/IEC 18004 Annex I: "01234567", version 1-M; 16 data codewords → 10 EC codewords
    data = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
    assert _rs_remainder(data, 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]


@pytest.mark.parametrize("seed", range(12))
def test_whole_matrix_penalty_equals_the_row_string_penalty(seed: int) -> None:
    import random

    rng = random.Random(seed)
    n = rng.choice([21, 25, 29, 33, 45, 57])
    share = rng.choice([0.1, 0.5, 0.9])  # N4 at its extremes too
    bits = "".join("1" if rng.random() < share else "0" for _ in range(n * n))
    rows = [bits[i : i + n] for i in range(0, n * n, n)]
    value = int(bits, 2)
    assert _transpose(_transpose(value, n), n) == value
    assert _matrix_penalty(value, _transpose(value, n), n) == _mask_penalty(rows)


def test_whole_matrix_penalty_of_uniform_matrices() -> None:
    n = 21
    light_rows = ["0" * n] * n
    assert _matrix_penalty(0, 0, n) == _mask_penalty(light_rows)
    full = (1 << (n * n)) - 1
    assert _matrix_penalty(full, full, n) == _mask_penalty(["1" * n] * n)


def test_qr_inline_image_of_a_small_matrix() -> None:
    matrix = [[True, False, True], [False, True, False], [True, True, True]]
    # rows 101, 010, 111 padded to a byte: A0, 40, E0
    assert qr_module.qr_inline_image(matrix) == (
        "BI /W 3 /H 3 /IM true /D [1 0] /I false /F /AHx ID\nA040E0>\nEI"
    )


@pytest.mark.parametrize("width", [7, 8, 9])  # just below, at and just above a whole byte
def test_qr_inline_image_rows_are_padded_to_whole_bytes(width: int) -> None:
    matrix = [[True] * width for _ in range(2)]
    data = qr_module.qr_inline_image(matrix).split("ID\n", 1)[1].split(">", 1)[0]
    row_bytes = (width + 7) // 8
    assert len(data) == 2 * 2 * row_bytes
    row = int(data[: 2 * row_bytes], 16)
    assert row == ((1 << width) - 1) << (8 * row_bytes - width)


def test_reportlabs_encoder_is_imported_not_loaded_from_its_file() -> None:
    """The frozen build has no .py files: the encoder must come from the import system (checked in
    a fresh process, where nothing has imported reportlab's barcode package yet)."""
    script = (
        "import importlib.util, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('loaded from a file path')\n"
        "importlib.util.spec_from_file_location = refuse\n"
        "from lzcenter_desktop.documents import qr\n"
        "assert 'reportlab.graphics.barcode.qrencoder' not in sys.modules\n"
        "encoder = qr._qrencoder()\n"
        "assert encoder is sys.modules['reportlab.graphics.barcode.qrencoder']\n"
        "print(len(qr.qr_matrix('LZ2-20261126-001-ABCD')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["25"]  # 22 alphanumeric characters: a version-2 code


def test_no_module_of_the_application_loads_code_from_a_file_path() -> None:
    from lzcenter_desktop.paths import PACKAGE_DIR

    offenders = [
        str(path.relative_to(PACKAGE_DIR))
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if "spec_from_file_location" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
