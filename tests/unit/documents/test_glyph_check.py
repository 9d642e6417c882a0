"""Reporting characters a font lacks, reportlab registration and the ToUnicode fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from lzcenter_desktop.documents import font_faces, fonts
from lzcenter_desktop.documents.fonts import (
    FontFace,
    FontFileMissingError,
    MissingGlyph,
    MissingGlyphError,
    bundled_faces,
    check_fields,
    coverage,
    face_for,
    fallback_for,
    missing_glyphs,
    register_reportlab_fonts,
    require_glyphs,
    require_glyphs_multi,
)

PUA = "\ue000"  # private use: no font of ours has it
EXT_B = "\U00020000"  # 𠀀, CJK Ext-B, outside 通用规范汉字表 and GBK
SERIF = "serif"


def test_test_characters_really_are_uncovered() -> None:
    for face in bundled_faces():
        assert ord(PUA) not in coverage(face)
        assert ord(EXT_B) not in coverage(face)
        assert ord("䶮") in coverage(face)


def test_missing_glyphs_empty_for_ordinary_chinese() -> None:
    assert missing_glyphs("柳州市科学技术局，2025年（第3批）①№×·㎡", SERIF) == []
    assert missing_glyphs("", SERIF) == []


def test_missing_glyphs_reports_each_missing_character_once_in_order() -> None:
    text = f"甲{EXT_B}乙{PUA}丙{EXT_B}{PUA}"
    assert missing_glyphs(text, SERIF) == [EXT_B, PUA]


def test_whitespace_and_control_characters_are_ignored() -> None:
    assert missing_glyphs("柳州\n科技\t局\r 　\u00a0\x00\x07\x1f\x7f\x9f", SERIF) == []


def test_format_characters_are_not_ignored_when_the_font_lacks_them() -> None:
    # U+FEFF (a byte-order mark pasted from Word) is neither whitespace nor a control character.
    lacking = [c for c in ("\ufeff", "\u2061") if ord(c) not in coverage(SERIF)]
    assert lacking, "choose a format character the font lacks"
    assert missing_glyphs("柳" + lacking[0], SERIF) == [lacking[0]]


@pytest.mark.parametrize(
    ("char", "covered"),
    [
        ("\u2473", True),  # ⑳: last of ①…⑳
        ("\u2474", True),  # ⑴: next block, also kept
        ("\uff5e", True),  # ～: last full-width ASCII form
        ("\ue000", False),  # first private-use code point
        ("\U0002c317", True),  # 𬌗: in 通用规范汉字表, beyond the BMP
        ("\U0002c316", False),  # its neighbour, not in the table
    ],
)
def test_coverage_around_boundaries(char: str, covered: bool) -> None:
    assert (missing_glyphs(char, SERIF) == []) is covered


def test_check_fields_names_field_character_code_point_and_font() -> None:
    fields = {"中心名称": f"柳州{PUA}研究中心", "依托单位": f"广西{EXT_B}公司", "地址": "柳州市"}
    missing = check_fields(fields, SERIF)
    assert missing == [
        MissingGlyph(field="中心名称", char=PUA, codepoint=0xE000, font="宋体 常规（LZSerifSC-Regular）"),
        MissingGlyph(field="依托单位", char=EXT_B, codepoint=0x20000, font="宋体 常规（LZSerifSC-Regular）"),
    ]
    assert missing[0].code == "U+E000"
    assert missing[1].code == "U+20000"
    assert missing[1].message == (
        f"字段“依托单位”中的字“{EXT_B}”（U+20000）在字体“宋体 常规（LZSerifSC-Regular）”中没有字形"
    )


def test_check_fields_message_for_a_bmp_character_uses_four_hex_digits() -> None:
    (only,) = check_fields({"中心名称": "\ue00a"}, "sans-bold")
    assert only.message == (
        "字段“中心名称”中的字“\ue00a”（U+E00A）在字体“黑体 粗体（LZSansSC-Bold）”中没有字形"
    )


def test_check_fields_reports_the_same_character_in_each_field() -> None:
    missing = check_fields({"甲": PUA, "乙": PUA + PUA}, SERIF)
    assert [(m.field, m.char) for m in missing] == [("甲", PUA), ("乙", PUA)]


def test_check_fields_clean_text_gives_nothing() -> None:
    assert check_fields({"中心名称": "柳州市䶮镕工程技术研究中心"}, SERIF) == []


def test_require_glyphs_raises_value_error_with_the_list() -> None:
    require_glyphs({"中心名称": "柳州"}, SERIF)  # no error
    with pytest.raises(MissingGlyphError) as caught:
        require_glyphs({"中心名称": f"柳{PUA}"}, SERIF)
    assert isinstance(caught.value, ValueError)
    assert caught.value.missing == [MissingGlyph("中心名称", PUA, 0xE000, "宋体 常规（LZSerifSC-Regular）")]
    assert "字段“中心名称”" in str(caught.value) and "U+E000" in str(caught.value)
    assert caught.value.messages == [caught.value.missing[0].message]


def test_require_glyphs_multi_collects_problems_from_every_face() -> None:
    with pytest.raises(MissingGlyphError) as caught:
        require_glyphs_multi(
            [({"标题": PUA}, "sans-bold"), ({"正文": "好"}, SERIF), ({"落款": EXT_B}, SERIF)]
        )
    assert [(m.field, m.font) for m in caught.value.missing] == [
        ("标题", "黑体 粗体（LZSansSC-Bold）"),
        ("落款", "宋体 常规（LZSerifSC-Regular）"),
    ]


def test_face_for_accepts_face_key_and_name() -> None:
    serif_bold = bundled_faces()[1]
    assert face_for(serif_bold) is serif_bold
    assert face_for("serif-bold") == serif_bold
    assert face_for("LZSerifSC-Bold") == serif_bold
    with pytest.raises(ValueError, match="没有名为“楷体”的内置字体"):
        face_for("楷体")


def test_fallback_for() -> None:
    assert fallback_for("䶮") == face_for("serif")
    assert fallback_for(PUA) is None
    assert fallback_for(EXT_B) is None


def test_register_reportlab_fonts_is_idempotent() -> None:
    from reportlab.pdfbase import pdfmetrics

    names = register_reportlab_fonts()
    assert names == {
        "serif": "LZSerifSC-Regular",
        "serif-bold": "LZSerifSC-Bold",
        "sans": "LZSansSC-Regular",
        "sans-bold": "LZSansSC-Bold",
    }
    objects = {name: pdfmetrics.getFont(name) for name in names.values()}
    assert register_reportlab_fonts() == names
    assert all(pdfmetrics.getFont(name) is font for name, font in objects.items())
    # <b> inside a serif paragraph uses the serif bold face.
    from reportlab.lib.fonts import tt2ps

    assert tt2ps("LZSerifSC-Regular", 1, 0) == "LZSerifSC-Bold"
    assert tt2ps("LZSansSC-Regular", 1, 0) == "LZSansSC-Bold"


def test_tounicode_cmap_uses_surrogate_pairs_beyond_the_bmp() -> None:
    from reportlab.pdfbase import ttfonts

    register_reportlab_fonts()  # installs the fix
    cmap = ttfonts.makeToUnicodeCMap("X", [0x41, 0xFFFF, 0x10000, 0x2C317, 0x10FFFF])
    assert "<00> <0041>" in cmap
    assert "<01> <FFFF>" in cmap  # last BMP code point: unchanged
    assert "<02> <D800DC00>" in cmap  # first supplementary code point
    assert "<03> <D870DF17>" in cmap  # 𬌗
    assert "<04> <DBFFDFFF>" in cmap  # last code point
    assert "<2C317>" not in cmap


def test_missing_font_file_is_reported_in_chinese(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(font_faces, "fonts_dir", lambda: tmp_path)
    face = face_for("serif")
    assert face.path == tmp_path / "LZSerifSC-Regular.ttf"
    with pytest.raises(FontFileMissingError) as caught:
        missing_glyphs("柳", face)
    assert isinstance(caught.value, FileNotFoundError)
    assert "缺少字体文件" in str(caught.value) and "宋体 常规" in str(caught.value)
    assert fallback_for("柳") is None


def test_display_name_and_key() -> None:
    face = FontFace("X-Bold", Path("x.ttf"), "sans", True, "Fam", "黑体 粗体")
    assert face.key == "sans-bold"
    assert face.display_name == "黑体 粗体（X-Bold）"


# --------------------------------------------------------------------------- Windows system fonts


def _vera() -> Path:
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


@pytest.fixture
def no_system_faces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no discovered system faces (and leaves none behind)."""
    monkeypatch.setattr(font_faces, "_system_faces", {})


def test_windows_fonts_are_found_by_file_name_truetype_only(tmp_path: Path, no_system_faces: None) -> None:
    folder = tmp_path / "Fonts"
    folder.mkdir()
    vera = _vera().read_bytes()
    (folder / "SimHei.ttf").write_bytes(vera)  # Windows file names are case-insensitive
    (folder / "simkai.ttf").write_bytes(vera)
    (folder / "simfang.ttf").write_bytes(b"OTTO" + vera[4:])  # CFF outlines: reportlab cannot embed them
    # a collection whose first font is TrueType
    header = b"ttcf" + (0x00010000).to_bytes(4, "big") + (1).to_bytes(4, "big") + (16).to_bytes(4, "big")
    (folder / "simsun.ttc").write_bytes(header + vera)
    found = fonts.system_faces(folder)
    assert [(f.label, f.name, f.path.name) for f in found] == [
        ("宋体", "SimSun", "simsun.ttc"),
        ("黑体", "SimHei", "SimHei.ttf"),
        ("楷体", "KaiTi", "simkai.ttf"),
    ]
    assert face_for("黑体") == found[1] and face_for("SimHei") == found[1]
    # a found face checks glyphs like a bundled one: Vera has Latin, no Chinese
    assert check_fields({"英文名称": "Liuzhou"}, "SimHei") == []
    assert [m.char for m in check_fields({"中心名称": "柳州"}, "SimHei")] == ["柳", "州"]


def test_no_windows_fonts_where_there_are_none(tmp_path: Path, no_system_faces: None) -> None:
    assert fonts.system_faces(tmp_path / "missing") == ()
    assert fonts.system_faces(tmp_path) == ()
    with pytest.raises(ValueError, match="没有名为“SimHei”的内置字体或已安装的系统字体"):
        face_for("SimHei")


def test_a_truncated_font_file_is_not_offered(tmp_path: Path, no_system_faces: None) -> None:
    (tmp_path / "simhei.ttf").write_bytes(b"\x00\x01")
    (tmp_path / "simsun.ttc").write_bytes(b"ttcf\x00\x01")
    assert fonts.system_faces(tmp_path) == ()


def test_windows_fonts_dir_follows_windir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WINDIR", str(tmp_path))
    assert fonts.windows_fonts_dir() == tmp_path / "Fonts"
    monkeypatch.delenv("WINDIR")
    monkeypatch.delenv("SYSTEMROOT", raising=False)
    assert fonts.windows_fonts_dir() == Path(r"C:\Windows") / "Fonts"
