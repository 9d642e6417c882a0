"""Certificates: single and batch rendering, cancelling, validation, glyph checks."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lzcenter_desktop.documents import certificate, certificate_page
from lzcenter_desktop.documents.certificate import CertificateSpec, qr_matrix
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
    out = certificate.render_batch(
        specs(3), tmp_path / "certs", key=KEY, progress=lambda d, t: calls.append((d, t)) is None
    )
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
    [
        ("number", "证书编号"),
        ("center_name", "中心名称"),
        ("host_name", "依托单位"),
        ("recognition_doc_no", "认定文号"),
        ("issuer", "发证单位"),
    ],
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
    long_name = (
        "柳州新能源汽车动力电池热管理与高压电气系统安全及智能网联控制器工程技术研究中心"
        "（广西柳州某某汽车零部件集团股份有限公司）"
    )
    certificate.render(replace(SPEC, center_name=long_name), tmp_path / "long.pdf", key=KEY)
    with pytest.raises(ValueError, match=r"中心名称.*太长"):
        certificate.render(replace(SPEC, center_name="柳州" + "甲" * 120), tmp_path / "x.pdf", key=KEY)


def test_a_long_code_is_shrunk_then_broken_never_wider_than_the_space() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from lzcenter_desktop.documents.certificate import CODE_MIN_SIZE, CODE_SIZE, code_lines
    from lzcenter_desktop.documents.layout import load_faces

    font = load_faces("serif")["serif"]
    short = make_code("LZGC-2026-001", SPEC.center_name, SPEC.date, KEY)
    width = stringWidth(short, font, CODE_SIZE)
    assert code_lines(short, font, width) == ([short], CODE_SIZE)  # exactly fits
    lines, size = code_lines(short, font, width - 1)  # just too wide: shrinks a little
    assert lines == [short] and CODE_MIN_SIZE <= size < CODE_SIZE
    lines, size = code_lines(short, font, stringWidth(short, font, CODE_MIN_SIZE) - 1)  # broken
    assert size == CODE_MIN_SIZE and len(lines) == 2 and "".join(lines) == short
    long = make_code("9" * 50, SPEC.center_name, SPEC.date, KEY)  # a freak number: 50 digits
    lines, size = code_lines(long, font, 200.0)
    assert "".join(lines) == long and all(stringWidth(x, font, size) <= 200.0 for x in lines)
    assert len(lines) >= 2
    for before, _after in itertools.pairwise(lines):  # broken after a hyphen where one is near
        assert before.endswith("-") or before.rfind("-") <= len(before) // 2, before
    assert lines[-1].endswith(long[-19:])  # the grouped check code is not split here


def test_the_qr_code_holds_exactly_the_printed_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPdf import QPdfDocument

    drawn: list[str] = []
    real = certificate_page._draw_qr
    monkeypatch.setattr(
        certificate_page, "_draw_qr", lambda canvas, code, *a: (drawn.append(code), real(canvas, code, *a))
    )
    spec = replace(SPEC, number="柳工程中心证〔2019〕001号")
    out = certificate.render(spec, tmp_path / "c.pdf", key=KEY)
    doc = QPdfDocument()
    doc.load(str(out))
    text = doc.getAllText(0).text()
    expected = make_code(spec.number, spec.center_name, spec.date, KEY)
    assert drawn == [expected]
    assert expected in text.split()  # on one line, as one word


def test_a_chinese_number_gives_a_short_code_on_one_line_at_the_full_size() -> None:
    """The certificate numbers the bureau uses (柳工程中心证〔2019〕001号) no longer make a long code."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from lzcenter_desktop.documents.certificate import CODE_SIZE, PAGE_SIZE, QR_SIZE_MM, QR_X_MM, code_lines
    from lzcenter_desktop.documents.layout import load_faces, mm

    font = load_faces("serif")["serif"]
    code = make_code("柳工程中心证〔2019〕001号", SPEC.center_name, SPEC.date, KEY)
    assert code.startswith("LZ2-20261126-2019001-") and len(code) == 40
    available = PAGE_SIZE[0] - mm(20) - (mm(QR_X_MM) + mm(QR_SIZE_MM) + mm(3))
    assert code_lines(code, font, available) == ([code], CODE_SIZE)
    assert stringWidth(code, font, CODE_SIZE) < available / 2  # room to spare
    assert len(qr_matrix(code)) == 29  # version 3: coarse modules


def test_split_files_look_exactly_like_the_pages_of_the_batch(tmp_path: Path) -> None:
    """A batch to a folder is drawn as one document and cut: each file must render exactly like its
    page of the multi-page file, carry its own title and be repeatable."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    batch = specs(3)
    files = certificate.render_batch(batch, tmp_path / "files", key=KEY)
    merged = certificate.render_batch(batch, tmp_path / "all.pdf", key=KEY)[0]
    whole = QPdfDocument()
    assert whole.load(str(merged)) == QPdfDocument.Error.None_
    assert whole.pageCount() == 3
    for i, path in enumerate(files):
        one = QPdfDocument()
        assert one.load(str(path)) == QPdfDocument.Error.None_
        assert one.pageCount() == 1
        assert one.metaData(QPdfDocument.MetaDataField.Title) == f"认定证书 {batch[i].number}"
        assert one.pagePointSize(0) == whole.pagePointSize(i)
        assert one.getAllText(0).text() == whole.getAllText(i).text()
        size = QSize(595, 421)
        assert one.render(0, size) == whole.render(i, size)
    again = certificate.render_batch(batch, tmp_path / "again", key=KEY)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in files]


def test_split_pages_refuses_what_reportlab_did_not_write() -> None:
    with pytest.raises(ValueError, match="startxref"):
        certificate.split_pages(b"%PDF-1.4\nnot really\n", ["x"])


def test_split_pages_keeps_a_title_with_parentheses_and_backslashes(tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    batch = [replace(SPEC, number="LZ(1)\\2"), replace(SPEC, number="LZ-2")]
    files = certificate.render_batch(batch, tmp_path / "out", key=KEY)
    doc = QPdfDocument()
    assert doc.load(str(files[0])) == QPdfDocument.Error.None_
    assert doc.metaData(QPdfDocument.MetaDataField.Title) == "认定证书 LZ(1)\\2"
