"""Certificates: the QR matrix, single and batch rendering, cancelling, validation, glyph checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from lzcenter_desktop.documents import certificate
from lzcenter_desktop.documents.certificate import CertificateSpec, _mask_ints, _mask_penalty, qr_matrix
from lzcenter_desktop.documents.fonts import MissingGlyphError
from lzcenter_desktop.documents.verify import make_code

KEY = bytes(range(32))
SPEC = CertificateSpec(
    number="LZGC-2026-001",
    center_name="柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）",
    host_name="柳州某某汽车有限公司",
    recognition_doc_no="柳科规〔2026〕12号",
    date=date(2026, 11, 26),
)


def specs(n: int) -> list[CertificateSpec]:
    return [replace(SPEC, number=f"LZGC-2026-{i:03d}") for i in range(1, n + 1)]


def modules(qr: QRCode) -> int:
    return int("".join("1" if m else "0" for row in qr.modules for m in row), 2)


# --------------------------------------------------------------------------- QR


@pytest.mark.parametrize("code", [make_code(SPEC.number, SPEC.center_name, SPEC.date, KEY),
                                  make_code("柳科证〔2026〕1号", "名称", SPEC.date, KEY), "x" * 120])
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
    code = make_code(SPEC.number, SPEC.center_name, SPEC.date, KEY)
    matrix = qr_matrix(code)
    n = len(matrix)
    assert n in (29, 33)  # version 3 or 4 for a code of this length
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


# --------------------------------------------------------------------------- rendering


def test_render_one_certificate_repeatably(tmp_path: Path) -> None:
    a = certificate.render(SPEC, tmp_path / "a.pdf", key=KEY)
    b = certificate.render(SPEC, tmp_path / "b.pdf", key=KEY)
    assert a.read_bytes().startswith(b"%PDF-")
    assert a.read_bytes() == b.read_bytes()
    other_key = certificate.render(SPEC, tmp_path / "c.pdf", key=bytes(range(1, 33)))
    assert other_key.read_bytes() != a.read_bytes()  # the QR code and printed code differ


def test_batch_to_a_folder_names_files_by_number(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    out = certificate.render_batch(specs(3), tmp_path / "certs", key=KEY,
                                   progress=lambda d, t: calls.append((d, t)) is None)
    assert [p.name for p in out] == ["LZGC-2026-001.pdf", "LZGC-2026-002.pdf", "LZGC-2026-003.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in out)
    assert calls == [(1, 3), (2, 3), (3, 3)]
    # each file of the batch is the same as that certificate rendered alone
    alone = certificate.render(specs(3)[1], tmp_path / "alone.pdf", key=KEY)
    assert out[1].read_bytes() == alone.read_bytes()


def test_batch_to_one_multi_page_file(tmp_path: Path) -> None:
    out = certificate.render_batch(specs(4), tmp_path / "all.pdf", key=KEY)
    assert out == [tmp_path / "all.pdf"]
    assert b"/Count 4" in out[0].read_bytes()


@pytest.mark.parametrize("target", ["folder", "all.pdf"])
@pytest.mark.parametrize("stop_after", [1, 2, 3])
def test_cancelling_writes_nothing(tmp_path: Path, target: str, stop_after: int) -> None:
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < stop_after

    out = certificate.render_batch(specs(3), tmp_path / target, key=KEY, progress=progress)
    assert out == []  # False cancels at any point, even after the last certificate
    assert seen == list(range(1, stop_after + 1))
    assert not any(tmp_path.rglob("*.pdf"))
    assert not any(tmp_path.rglob("*.part"))


def test_empty_batch_writes_nothing(tmp_path: Path) -> None:
    assert certificate.render_batch([], tmp_path / "x", key=KEY) == []
    assert list(tmp_path.iterdir()) == []


def test_duplicate_numbers_are_refused_before_writing(tmp_path: Path) -> None:
    batch = [*specs(2), replace(SPEC, number="lzgc-2026-001")]  # same file name on Windows
    with pytest.raises(ValueError, match=r"证书编号.*重复"):
        certificate.render_batch(batch, tmp_path / "out", key=KEY)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("field", "label"),
    [("number", "证书编号"), ("center_name", "中心名称"), ("host_name", "依托单位"),
     ("recognition_doc_no", "认定文号"), ("issuer", "发证单位")],
)
def test_empty_fields_are_refused_naming_the_field(tmp_path: Path, field: str, label: str) -> None:
    with pytest.raises(ValueError, match=label):
        certificate.render(replace(SPEC, **{field: "  "}), tmp_path / "x.pdf", key=KEY)


def test_uncovered_character_is_reported_with_the_certificate_number(tmp_path: Path) -> None:
    bad = replace(SPEC, number="LZGC-2026-009", host_name="柳州\U0002a6a5有限公司")
    with pytest.raises(MissingGlyphError) as info:
        certificate.render_batch([*specs(2), bad], tmp_path / "out", key=KEY)
    [problem] = info.value.missing
    assert problem.field == "证书 LZGC-2026-009 的依托单位"
    assert problem.char == "\U0002a6a5"
    assert not (tmp_path / "out").exists()


def test_rare_characters_the_fonts_have_print(tmp_path: Path) -> None:
    spec = replace(SPEC, center_name="柳州镕䶮工程技术研究中心（某公司）")
    out = certificate.render(spec, tmp_path / "r.pdf", key=KEY)
    assert out.exists()


def test_long_centre_name_goes_to_two_lines_and_absurd_one_is_refused(tmp_path: Path) -> None:
    long_name = ("柳州新能源汽车动力电池热管理与高压电气系统安全及智能网联控制器工程技术研究中心"
                 "（广西柳州某某汽车零部件集团股份有限公司）")
    certificate.render(replace(SPEC, center_name=long_name), tmp_path / "long.pdf", key=KEY)
    with pytest.raises(ValueError, match=r"中心名称.*太长"):
        certificate.render(replace(SPEC, center_name="柳州" + "甲" * 120), tmp_path / "x.pdf", key=KEY)
