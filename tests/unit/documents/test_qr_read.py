"""Reading a QR code back (``documents.qr_read``): the text of every matrix ``qr_matrix`` makes, in
each data mode and across block and version boundaries; a wrong module, size or format is refused."""

from __future__ import annotations

import pytest

from lzcenter_desktop.documents.qr import qr_matrix
from lzcenter_desktop.documents.qr_read import QrReadError, read_qr_matrix


@pytest.mark.parametrize(
    "text",
    [
        "7",  # numeric, a group of 1
        "12",  # numeric, a group of 2
        "123456",  # numeric, groups of 3
        "A",  # alphanumeric, a single character
        "LZ2-20261126-2026001-038G-KJ3R-BYGS-3VS0",  # a certificate code (alphanumeric)
        "lzetrc1.lzgc-2026-001.20261126.abc",  # bytes (lower case)
        "柳州市工程技术研究中心",  # bytes, UTF-8
    ],
)
def test_reads_back_what_was_encoded(text: str) -> None:
    assert read_qr_matrix(qr_matrix(text)) == text


@pytest.mark.parametrize("length", [1, 14, 15, 16, 100, 230])  # versions 1 … 10, one and several blocks
def test_reads_back_across_versions(length: int) -> None:
    text = ("lz" * length)[:length]
    matrix = qr_matrix(text)
    assert read_qr_matrix(matrix) == text


def test_version_10_uses_the_longer_count_field() -> None:
    text = "x" * 200
    matrix = qr_matrix(text)
    assert len(matrix) >= 57  # version 10 or more: 16-bit byte count
    assert read_qr_matrix(matrix) == text


def test_one_wrong_data_module_is_refused() -> None:
    matrix = qr_matrix("LZ2-20261126-2026001-038G-KJ3R-BYGS-3VS0")
    matrix[12][12] = not matrix[12][12]
    with pytest.raises(QrReadError, match="纠错码"):
        read_qr_matrix(matrix)


def test_a_wrong_format_module_is_refused() -> None:
    matrix = qr_matrix("LZ2-ABC")
    matrix[8][0] = not matrix[8][0]  # the first format bit beside the top-left finder
    with pytest.raises(QrReadError, match="格式信息"):
        read_qr_matrix(matrix)


@pytest.mark.parametrize(("size", "ok"), [(20, False), (21, True), (22, False), (25, True)])
def test_only_qr_sizes_are_read(size: int, ok: bool) -> None:
    matrix = qr_matrix("1") if size == 21 else qr_matrix("x" * 20) if size == 25 else [[False] * size] * size
    if ok:
        assert len(matrix) == size
        read_qr_matrix(matrix)
    else:
        with pytest.raises(QrReadError, match="大小不对"):
            read_qr_matrix(matrix)


def test_a_ragged_matrix_is_refused() -> None:
    matrix = qr_matrix("1")
    matrix[3] = matrix[3][:-1]
    with pytest.raises(QrReadError, match="大小不对"):
        read_qr_matrix(matrix)
