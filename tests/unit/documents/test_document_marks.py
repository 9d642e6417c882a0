"""Control characters are refused before drawing; a certificate not from the register is marked so."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lzcenter_desktop.documents import certificate, plaque
from lzcenter_desktop.documents.certificate import UNREGISTERED_NOTE, CertificateSpec
from lzcenter_desktop.documents.plaque import PlaqueSpec
from lzcenter_desktop.documents.textcheck import refuse_unprintable, unprintable
from lzcenter_desktop.documents.verify import check_code, make_code

KEY = bytes(range(32))
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
EN = "Liuzhou Intelligent Connected Vehicle Research Center of Engineering Technology"
CERT = CertificateSpec(
    number="LZGC-2026-001",
    center_name=NAME,
    host_name="柳州某某汽车有限公司",
    recognition_doc_no="柳科发〔2026〕12号",
    date=date(2026, 11, 26),
)
PLAQUE = PlaqueSpec(NAME, EN, date(2026, 11, 26))


def pdf_text(path: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    text = "".join(doc.getAllText(i).text() for i in range(doc.pageCount()))
    return text.replace("\r", "").replace("\n", "")


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize(
    ("char", "refused"),
    [
        ("\x07", True),  # bell: the case of the issue
        ("\x00", True),
        ("\x1b", True),  # escape
        ("\x1f", True),  # a separator Python counts as white space — still a control character
        ("\x7f", True),  # delete
        ("\x9f", True),  # the last C1 control
        ("\xa0", False),  # just above the C1 block: no-break space, printable white space
        ("\u200b", True),  # zero-width space (format)
        ("\u202e", True),  # right-to-left override (format)
        ("\ufeff", True),  # byte order mark (format)
        ("\t", False),  # folded into a space
        ("\n", False),
        ("\r", False),
        (" ", False),
        ("䶮", False),
        ("\ue000", False),  # private use: left to the glyph check
    ],
)
def test_which_characters_are_unprintable(char: str, refused: bool) -> None:
    assert unprintable(f"柳州{char}中心") == ([char] if refused else [])


def test_the_message_names_the_field_and_the_character() -> None:
    with pytest.raises(ValueError) as info:
        refuse_unprintable({"依托单位": "某公司", "中心名称": "柳州\x07中心\x07\u200b"}, what="证书的")
    message = str(info.value)
    assert "证书的“中心名称”" in message and "U+0007" in message and "U+200B" in message
    assert message.count("U+0007") == 1  # each character once
    assert "依托单位" not in message
    refuse_unprintable({"中心名称": "柳州\t智能\n中心"})  # white space is not refused


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("number", "证书编号"),
        ("center_name", "中心名称"),
        ("host_name", "依托单位"),
        ("recognition_doc_no", "认定文号"),
    ],
)
def test_certificate_refuses_a_bell_in_any_field(tmp_path: Path, field: str, label: str) -> None:
    spec = replace(CERT, **{field: getattr(CERT, field)[:2] + "\x07" + getattr(CERT, field)[2:]})
    out = tmp_path / "c.pdf"
    with pytest.raises(ValueError, match=f"“{label}”含有不可见的控制字符 U\\+0007"):
        certificate.render(spec, out, key=KEY)
    assert not out.exists()
    with pytest.raises(ValueError, match=label):
        certificate.render_batch([replace(CERT, number="LZGC-2026-009"), spec], tmp_path / "b", key=KEY)
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("spec", "label"),
    [
        (replace(PLAQUE, name_zh="柳州智能\x07网联汽车工程技术研究中心"), "中心名称"),
        (replace(PLAQUE, name_en=EN.replace("Vehicle", "Vehicle\x07")), "英文名称"),
        (replace(PLAQUE, issuer="柳州市科学\x07技术局"), "发文单位"),
    ],
)
def test_plaque_refuses_a_bell_naming_the_field(tmp_path: Path, spec: PlaqueSpec, label: str) -> None:
    out = tmp_path / "p.pdf"
    with pytest.raises(ValueError, match=f"牌匾的“{label}”含有不可见的控制字符 U\\+0007"):
        plaque.render(spec, out)
    assert not out.exists()
    with pytest.raises(ValueError, match=label):
        plaque.layout(spec)


def test_a_tab_in_a_name_is_folded_not_refused(tmp_path: Path) -> None:
    out = plaque.render(replace(PLAQUE, name_zh=NAME.replace("网联", "网联\t")), tmp_path / "p.pdf")
    assert "柳州市智能网联汽车工程技术研究中心" in pdf_text(out)  # the plaque title drops white space


# --------------------------------------------------------------------------- not registered


def test_a_registered_certificate_carries_no_mark(tmp_path: Path) -> None:
    text = pdf_text(certificate.render(CERT, tmp_path / "c.pdf", key=KEY))
    assert UNREGISTERED_NOTE not in text and "未登记" not in text
    assert "登记说明" not in certificate.certificate_texts(CERT)


def test_an_unregistered_certificate_says_so_and_keeps_its_code(tmp_path: Path) -> None:
    spec = replace(CERT, registered=False)
    out = certificate.render(spec, tmp_path / "c.pdf", key=KEY)
    text = pdf_text(out)
    assert UNREGISTERED_NOTE in text
    assert certificate.certificate_texts(spec)["登记说明"] == UNREGISTERED_NOTE
    # the mark is not part of what is signed: the code is the same as for the registered spec
    code = certificate.certificate_code(spec, KEY)
    assert code == make_code(CERT.number, CERT.center_name, CERT.date, KEY) in text
    # the document's metadata says so too
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(out))
    assert UNREGISTERED_NOTE in str(doc.metaData(QPdfDocument.MetaDataField.Subject))


def test_a_batch_marks_only_the_unregistered_certificates(tmp_path: Path) -> None:
    specs = [CERT, replace(CERT, number="LZGC-2026-002", registered=False)]
    files = certificate.render_batch(specs, tmp_path / "b", key=KEY)
    assert [UNREGISTERED_NOTE in pdf_text(f) for f in files] == [False, True]


# ------------------------------------------------------------- verification of a typed certificate


def test_with_the_register_a_typed_certificate_it_lacks_is_unregistered_not_genuine() -> None:
    code = make_code(CERT.number, NAME, CERT.date, KEY)
    result = check_code(code, KEY, candidates=lambda serial, on: [], number=CERT.number, name=NAME)
    assert not result.genuine and result.status == "unregistered"
    assert "未登记" in result.message and "真实有效" not in result.message
    assert result.number == CERT.number and result.name == NAME
    # a typed name that does not match the signature is still forged, registered or not
    forged = check_code(code, KEY, candidates=lambda serial, on: [], number=CERT.number, name="柳州别的中心")
    assert forged.status == "forged"
    # without the register (offline), a match proves the signature only: genuine, as documented
    assert check_code(code, KEY, number=CERT.number, name=NAME).genuine
