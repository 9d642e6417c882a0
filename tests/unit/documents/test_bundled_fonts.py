"""The committed font files: format, names and character coverage (no Qt, no PDF)."""

from __future__ import annotations

import hashlib
import json
import struct
import unicodedata
from pathlib import Path

import pytest

from lzcenter_desktop.documents.fonts import (
    SANS_FAMILY,
    SERIF_FAMILY,
    TONGGUI_COUNT,
    FontFace,
    bundled_faces,
    coverage,
    missing_glyphs,
    tonggui_chars,
)
from lzcenter_desktop.paths import fonts_dir

FACES = bundled_faces()
FACE_IDS = [f.name for f in FACES]
MAX_FACE_BYTES = 15_000_000  # the size budget of a committed face


def sfnt_tables(path: Path) -> dict[str, tuple[int, int]]:
    """The table directory of a TrueType/OpenType file: tag → (offset, length)."""
    data = path.read_bytes()
    version, count = struct.unpack(">IH", data[:6])
    assert version in (0x00010000, 0x4F54544F), f"{path.name}: not an sfnt font"
    tables: dict[str, tuple[int, int]] = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        tables[tag.decode("latin-1")] = (offset, length)
    return tables


def test_four_faces_serif_and_sans_regular_and_bold() -> None:
    assert {(f.role, f.bold) for f in FACES} == {
        ("serif", False), ("serif", True), ("sans", False), ("sans", True),
    }
    assert [f.key for f in FACES] == ["serif", "serif-bold", "sans", "sans-bold"]
    assert len({f.name for f in FACES}) == 4
    assert all(f.path.parent == fonts_dir() for f in FACES)


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_face_is_truetype_with_glyf_and_no_cff(face: FontFace) -> None:
    tables = sfnt_tables(face.path)
    assert face.path.read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert "glyf" in tables and "loca" in tables
    assert "CFF " not in tables and "CFF2" not in tables
    # Layout and vertical tables were dropped to keep the files small.
    assert not {"GSUB", "GPOS", "VORG", "vmtx"} & set(tables)


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_face_size_within_budget(face: FontFace) -> None:
    assert 1_000_000 < face.path.stat().st_size <= MAX_FACE_BYTES


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_face_names_cannot_clash_with_system_fonts(face: FontFace) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    info = TTFontFile(str(face.path))
    assert info.name == face.name.encode()
    family = info.familyName.decode()
    assert family == face.family
    assert family in (SERIF_FAMILY, SANS_FAMILY)
    assert "Noto" not in family and "Source" not in family
    assert info.styleName == (b"Bold" if face.bold else b"Regular")


def test_manifest_matches_committed_files() -> None:
    manifest = json.loads((fonts_dir() / "fonts-manifest.json").read_text(encoding="utf-8"))
    for face in FACES:
        entry = manifest["faces"][face.name]
        assert entry["sha256"] == hashlib.sha256(face.path.read_bytes()).hexdigest(), face.name
        assert entry["family"] == face.family


def test_licence_and_readme_beside_the_fonts() -> None:
    ofl = (fonts_dir() / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl
    assert "Reserved Font Name 'Source'" in ofl
    readme = (fonts_dir() / "README.md").read_text(encoding="utf-8")
    assert "fonts-noto-cjk" in readme and "build_fonts.py" in readme


# --------------------------------------------------------------------------- the 8,105 list


def test_tonggui_list_has_exactly_8105_distinct_han_characters() -> None:
    chars = tonggui_chars()
    assert len(chars) == TONGGUI_COUNT == 8105
    assert len(set(chars)) == 8105
    assert all(unicodedata.category(c) == "Lo" and "CJK" in unicodedata.name(c, "CJK") for c in chars)
    assert list(chars) == sorted(chars)


def test_tonggui_list_contains_known_characters_and_not_others() -> None:
    chars = set(tonggui_chars())
    for c in "柳州市科学技术局镕䶮𬌗喆":
        assert c in chars, c
    assert "\U00020000" not in chars  # 𠀀 (CJK Ext-B) is not in the table
    assert "們" not in chars  # a traditional form


def test_tonggui_list_spans_bmp_ext_a_and_supplementary_planes() -> None:
    codes = [ord(c) for c in tonggui_chars()]
    assert sum(1 for c in codes if 0x3400 <= c <= 0x4DBF) == 77
    assert sum(1 for c in codes if c > 0xFFFF) == 196


# --------------------------------------------------------------------------- coverage


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_face_covers_all_8105_characters(face: FontFace) -> None:
    missing = missing_glyphs("".join(tonggui_chars()), face)
    assert missing == [], f"{face.name} lacks {len(missing)}: {''.join(missing[:30])}"


def _gb2312_chars() -> str:
    chars = []
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.append(bytes((first, second)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_face_covers_gb2312(face: FontFace) -> None:
    text = _gb2312_chars()
    assert len(text) == 7445
    assert missing_glyphs(text, face) == []


SYMBOLS = (
    "".join(chr(c) for c in range(0x21, 0x7F))  # printable ASCII, first and last included
    + "".join(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms ！ … ～
    + "".join(chr(c) for c in range(0x2460, 0x2474))  # ① … ⑳
    + "〇一二三四五六七八九十百千万亿"
    + "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕…—～·"
    + "№×÷±°℃㎡㎎㎏㎝㎞‰§ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ¥￥"
    + "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
    + "αβγΩμ"
)


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_face_covers_punctuation_letters_digits_and_symbols(face: FontFace) -> None:
    assert missing_glyphs(SYMBOLS, face) == []


@pytest.mark.parametrize("face", FACES, ids=FACE_IDS)
def test_gbk_beyond_gb2312_is_covered(face: FontFace) -> None:
    # Characters of GBK outside GB 2312 that turn up in company and personal names.
    assert missing_glyphs("堃犇淼昇喆玥琇", face) == []


def test_all_faces_cover_the_same_characters() -> None:
    sets = {f.name: coverage(f) for f in FACES}
    first = sets[FACES[0].name]
    assert len(first) > 20_000
    assert all(s == first for s in sets.values())
