"""The self-test PDF, checked with poppler-utils (pdffonts, pdftotext, pdfinfo, pdftoppm).

poppler-utils is a test requirement (Debian package ``poppler-utils``; CI installs it).  A missing
tool fails these tests rather than skipping them.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from lzcenter_desktop.documents.fonts import MissingGlyph, MissingGlyphError, bundled_faces
from lzcenter_desktop.documents.selftest_page import BODY, ISSUER, TITLE, render_selftest_page


def run(tool: str, *args: str) -> str:
    exe = shutil.which(tool)
    assert exe, f"{tool} not found: install poppler-utils (apt-get install poppler-utils)"
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True, encoding="utf-8").stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_selftest_page(tmp_path_factory.mktemp("selftest") / "selftest.pdf")


def pdffonts_rows(path: Path) -> list[dict[str, str]]:
    """Rows of ``pdffonts``: name, type, emb, sub, uni (columns located from the dashes line)."""
    lines = run("pdffonts", str(path)).splitlines()
    header, dashes, *rows = lines
    spans: list[tuple[int, int]] = []
    start = 0
    for part in dashes.split(" "):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    keys = [header[a:b].strip() for a, b in spans]
    return [
        {k: row[a:b].strip() for k, (a, b) in zip(keys, spans, strict=True)} for row in rows if row.strip()
    ]


def test_every_font_is_embedded_and_only_our_fonts_are_used(pdf: Path) -> None:
    rows = pdffonts_rows(pdf)
    assert rows, "no fonts listed"
    for row in rows:
        assert row["emb"] == "yes", row
        assert row["type"] == "TrueType", row
        assert row["uni"] == "yes", row
    base_names = {row["name"].split("+", 1)[-1] for row in rows}
    assert base_names == {face.name for face in bundled_faces()}
    assert not any("Helvetica" in row["name"] for row in rows)


def test_pdftotext_gives_back_the_exact_chinese_text(pdf: Path) -> None:
    text = run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    joined = "".join(text.split())  # the paragraph is wrapped; compare without line breaks
    assert TITLE.replace(" ", "") in joined
    assert ISSUER in text
    assert "".join(BODY.split()) in joined
    for hard in ("镕", "䶮", "𬌗", "0123456789", "①②③", "№", "㎡"):
        assert hard in text, hard
    assert "ⰱ" not in text  # what 𬌗 used to come back as before the ToUnicode fix
    for face in bundled_faces():
        assert "通用规范汉字表覆盖 8105/8105" in text
        assert face.name in text


def test_pdf_is_one_a4_page_with_chinese_metadata(pdf: Path) -> None:
    info = run("pdfinfo", str(pdf))
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1"
    assert fields["Page size"].strip().startswith("595.276 x 841.89 pts")
    assert fields["Title"].strip() == TITLE


def test_two_renders_are_byte_identical(pdf: Path, tmp_path: Path) -> None:
    again = render_selftest_page(tmp_path / "again.pdf")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(pdf.read_bytes()).digest()


def test_page_renders_to_a_non_blank_image(pdf: Path, tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(tmp_path / "page"))
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    # A blank A4 page at 60 dpi compresses to well under 2 kB; text makes it far larger.
    assert len(png) > 20_000


def test_uncovered_character_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "bad.pdf"
    with pytest.raises(MissingGlyphError) as caught:
        render_selftest_page(target, extra_text="依托单位：广西\U00020000公司\ue000")
    assert caught.value.missing == [
        MissingGlyph("正文", "\U00020000", 0x20000, "宋体 常规（LZSerifSC-Regular）"),
        MissingGlyph("正文", "\ue000", 0xE000, "宋体 常规（LZSerifSC-Regular）"),
    ]
    assert "字段“正文”中的字“\U00020000”（U+20000）在字体“宋体 常规（LZSerifSC-Regular）”中没有字形" in str(
        caught.value
    )
    assert not target.exists()


def test_extra_text_that_is_covered_is_printed(tmp_path: Path) -> None:
    out = render_selftest_page(tmp_path / "extra.pdf", extra_text="广西柳州螺蛳粉䶮镕有限公司")
    assert "广西柳州螺蛳粉䶮镕有限公司" in "".join(run("pdftotext", str(out), "-").split())
