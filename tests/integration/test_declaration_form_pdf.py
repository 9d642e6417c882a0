"""The printed application form: all sections and tables, page numbers, signature and stamp boxes,
fonts embedded, repeatable output, and a missing glyph refused before anything is written."""

from __future__ import annotations

import copy
import hashlib
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.documents.declaration_form import render_declaration_form
from lzcenter_desktop.documents.fonts import MissingGlyphError
from lzcenter_desktop.services.declarations import empty_document, load_declaration_form

# poppler-utils is part of the test environment: a missing tool fails these tests rather than skipping them.


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def test_form_has_every_section_table_and_value(tmp_path: Path, example: dict[str, Any]) -> None:
    form = load_declaration_form(2026)
    pdf = render_declaration_form(tmp_path / "form.pdf", form, example, declaration_id=7)
    text = text_of(pdf)
    flat = re.sub(r"\s+", "", text)
    for section in form.sections:
        if section.fields or section.tables:
            assert section.title in text, section.title
        for table in section.tables:
            assert table.label in flat, table.label
    assert "第7号" in flat
    for staff in example["staff"]:
        assert staff["name"] in flat
    assert "ZL202310000002.X" in flat
    assert "3,200,000" in text  # money with thousands separators
    assert "2026年6月10日" in flat
    assert "自治区级" in text and "首席技术官" in text  # labels, not codes
    assert "签字：黄工" in flat and "（单位公章）" in flat and "业务主管部门意见（盖章）" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found is not None
    pages = int(found.group(1))
    assert pages >= 3
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in flat


def test_fonts_are_embedded(tmp_path: Path, example: dict[str, Any]) -> None:
    pdf = render_declaration_form(tmp_path / "f.pdf", load_declaration_form(2026), example)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert "LZSerifSC" in row[0], row
        assert row[-5] == "yes", row  # emb


def test_output_is_repeatable(tmp_path: Path, example: dict[str, Any]) -> None:
    form = load_declaration_form(2026)
    a = render_declaration_form(tmp_path / "a.pdf", form, example)
    b = render_declaration_form(tmp_path / "b.pdf", form, example)
    assert hashlib.md5(a.read_bytes()).hexdigest() == hashlib.md5(b.read_bytes()).hexdigest()


def test_blank_draft_prints_with_dashes(tmp_path: Path) -> None:
    pdf = render_declaration_form(tmp_path / "blank.pdf", load_declaration_form(2026), empty_document(2026))
    text = text_of(pdf)
    assert "研发人员（共0项）" in re.sub(r"\s+", "", text) and "—" in text


def test_missing_glyph_is_refused_before_writing(tmp_path: Path, example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["host"]["competent_department"] = "柳北区\U000e0100科技局"  # a character no bundled font has
    target = tmp_path / "bad.pdf"
    with pytest.raises(MissingGlyphError) as info:
        render_declaration_form(target, load_declaration_form(2026), data)
    assert "业务主管部门" in str(info.value)
    assert not target.exists()
