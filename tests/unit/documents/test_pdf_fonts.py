"""Which fonts a PDF uses and whether they are embedded (``documents.pdf_fonts``), the self-test's
font check: our documents embed every font; reportlab's standard and CID fonts are not embedded."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from lzcenter_desktop.documents.pdf_fonts import pdf_fonts
from lzcenter_desktop.documents.selftest_page import render_selftest_page


def test_our_page_embeds_every_font(tmp_path: Path) -> None:
    found = pdf_fonts(render_selftest_page(tmp_path / "页 面.pdf"))
    assert found.fonts and all("+LZ" in name for name in found.fonts)
    assert found.not_embedded == ()


def test_a_standard_font_is_not_embedded(tmp_path: Path) -> None:
    path = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 72, "hello")
    canvas.save()
    assert pdf_fonts(path).not_embedded == ("Helvetica",)


def test_a_cid_font_is_judged_by_its_descendant(tmp_path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "cid.pdf"
    canvas = Canvas(str(path), initialFontName="STSong-Light")
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(72, 72, "柳州")
    canvas.save()
    found = pdf_fonts(path)
    assert "STSong-Light" in " ".join(found.fonts)
    assert any("STSong-Light" in n for n in found.not_embedded)


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"PK\x03\x04 not a pdf")
    with pytest.raises(ValueError, match="不是 PDF"):
        pdf_fonts(path)


def test_object_streams_are_refused_not_passed(tmp_path: Path) -> None:
    path = tmp_path / "objstm.pdf"
    path.write_bytes(b"%PDF-1.5\n1 0 obj << /Type /ObjStm /N 1 >> stream\nx\nendstream endobj\n")
    with pytest.raises(ValueError, match="压缩对象流"):
        pdf_fonts(path)
