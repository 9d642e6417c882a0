"""Plaque: title derivation, Chinese dates, size bounds, title fitting, glyph checks, repeatability."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lzcenter_desktop.documents import plaque
from lzcenter_desktop.documents.fonts import MissingGlyphError, coverage
from lzcenter_desktop.documents.layout import (
    CANNOT_START,
    MM,
    balanced_two_lines,
    chinese_date,
    chinese_year_month,
    string_width,
)
from lzcenter_desktop.documents.plaque import PlaqueSpec, layout, plaque_title

NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
EN = ("Liuzhou Intelligent Connected Vehicle Research Center of Engineering Technology "
      "(Liuzhou Moumou Automobile Co., Ltd.)")
SPEC = PlaqueSpec(NAME, EN, date(2026, 11, 26))
SIDE_UNITS = 11.0  # plaque._SIDE: text keeps this many units from each edge


def forty_char_name() -> str:
    core = "柳州新能源汽车动力电池热管理与高压电气系统安全及智能网联控制器工程技术研究中心"
    title = plaque_title(core)
    assert len(title) == 40, len(title)
    return core


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 26), "二〇二六年十一月"),
        (date(2026, 1, 5), "二〇二六年一月"),
        (date(2030, 10, 1), "二〇三〇年十月"),
        (date(2029, 12, 31), "二〇二九年十二月"),
    ],
)
def test_chinese_year_month(day: date, expected: str) -> None:
    assert chinese_year_month(day) == expected
    assert plaque.chinese_year_month is chinese_year_month


@pytest.mark.parametrize(
    ("day", "expected"),
    [(1, "一日"), (9, "九日"), (10, "十日"), (11, "十一日"), (19, "十九日"), (20, "二十日"), (21, "二十一日"),
     (30, "三十日"), (31, "三十一日")],
)
def test_chinese_date_days(day: int, expected: str) -> None:
    assert chinese_date(date(2026, 1, day)) == "二〇二六年一月" + expected


# --------------------------------------------------------------------------- title


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (NAME, "柳州市智能网联汽车工程技术研究中心"),
        ("柳州螺蛳粉工程技术研究中心（广西柳州某某（集团）有限公司）", "柳州市螺蛳粉工程技术研究中心"),
        ("柳州市螺蛳粉工程技术研究中心", "柳州市螺蛳粉工程技术研究中心"),
        ("螺蛳粉工程技术研究中心(Some Co.)", "柳州市螺蛳粉工程技术研究中心"),
        (" 柳州 螺蛳粉工程技术研究中心 ", "柳州市螺蛳粉工程技术研究中心"),
    ],
)
def test_plaque_title_from_the_registered_name(name: str, title: str) -> None:
    assert plaque_title(name) == title


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "不能为空"),
        ("柳州某某研究院（某公司）", "第二十六条"),
        ("柳州工程技术研究中心（某公司）", "××"),
    ],
)
def test_bad_centre_names_are_refused_naming_the_field(name: str, words: str) -> None:
    with pytest.raises(ValueError, match="中心名称") as info:
        plaque_title(name)
    assert words in str(info.value)


@pytest.mark.parametrize("english", ["", "Intelligent Vehicle Center", "Liuzhou Intelligent Vehicle Lab"])
def test_english_name_must_follow_article_26(english: str) -> None:
    with pytest.raises(ValueError, match="英文名称"):
        layout(replace(SPEC, name_en=english))


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(
    ("w", "h", "ok"),
    [
        (600, 400, True), (400, 300, True),
        (150, 99.9, False), (150, 100, True),           # smallest side: just below / at
        (3000, 1500, True), (3000.1, 1500, False),      # largest side: at / just above
        (399.9, 400, False), (400, 400, True),          # ratio 1.0: just below / at
        (1000, 400, True), (1000.5, 400, False),        # ratio 2.5: at / just above
    ],
)
def test_size_bounds(w: float, h: float, ok: bool) -> None:
    spec = replace(SPEC, width_mm=w, height_mm=h)
    if ok:
        assert layout(spec).width == pytest.approx(w * MM)
    else:
        with pytest.raises(ValueError, match="牌匾"):
            layout(spec)


def test_built_in_sizes() -> None:
    assert plaque.STANDARD_SIZES == {"600×400": (600.0, 400.0), "400×300": (400.0, 300.0)}


# --------------------------------------------------------------------------- fitting


def _assert_fits(spec: PlaqueSpec) -> plaque.PlaqueLayout:
    lay = layout(spec)
    available = lay.width - 2 * SIDE_UNITS * lay.unit
    for line in lay.title.lines:
        assert string_width(line, lay.fonts["title"], lay.title.size) <= available + 1e-6
        assert line[0] not in CANNOT_START
    for line in lay.english.lines:
        assert string_width(line, lay.fonts["english"], lay.english.size) <= available + 1e-6
    assert "".join(lay.title.lines) == lay.title_text
    return lay


@pytest.mark.parametrize("size", [(600, 400), (400, 300), (400, 400)])
def test_a_40_character_name_fits_on_two_balanced_lines(size: tuple[int, int]) -> None:
    spec = replace(SPEC, name_zh=forty_char_name(), width_mm=size[0], height_mm=size[1])
    lay = _assert_fits(spec)
    assert len(lay.title.lines) == 2
    first, second = lay.title.lines
    assert abs(len(first) - len(second)) <= 2  # balanced
    assert lay.title.size >= 6.0 * lay.unit - 1e-6  # not below the two-line minimum


@pytest.mark.parametrize("size", [(600, 400), (400, 300)])
def test_a_12_character_name_stays_on_one_line_at_a_large_size(size: tuple[int, int]) -> None:
    spec = replace(SPEC, name_zh="柳州汽车工程技术研究中心（某公司）", width_mm=size[0], height_mm=size[1])
    lay = _assert_fits(spec)
    assert lay.title_text == "柳州市汽车工程技术研究中心"
    assert len(lay.title.lines) == 1
    assert lay.title.size >= 8.0 * lay.unit


def test_title_shrinks_before_it_breaks() -> None:
    """The longest title that still fits on one line is smaller than a short one; one more
    character than that goes to two lines."""
    short = layout(replace(SPEC, name_zh="柳州汽车工程技术研究中心")).title
    core = "柳州汽车"
    while len(layout(replace(SPEC, name_zh=core + "工程技术研究中心")).title.lines) == 1:
        core += "甲"
    two = layout(replace(SPEC, name_zh=core + "工程技术研究中心")).title
    one = layout(replace(SPEC, name_zh=core[:-1] + "工程技术研究中心")).title
    assert len(one.lines) == 1 and len(two.lines) == 2
    assert one.size < short.size


def test_two_lines_prefer_to_break_before_the_suffix() -> None:
    lay = layout(replace(SPEC, name_zh="柳州智能网联汽车零部件工程技术研究中心"))
    assert lay.title.lines == ("柳州市智能网联汽车零部件", "工程技术研究中心")


def test_balanced_break_never_starts_a_line_with_closing_punctuation() -> None:
    font = layout(SPEC).fonts["title"]
    text = "柳州市甲乙丙丁戊（己庚）、辛壬癸子丑寅卯工程技术研究中心"
    for preferred in ((), ("工程技术研究中心",)):
        first, second = balanced_two_lines(text, font, preferred_before=preferred)
        assert first + second == text
        assert second[0] not in CANNOT_START
        assert first[-1] not in "（《“"


def test_english_breaks_only_at_spaces() -> None:
    lay = layout(replace(SPEC, name_zh=forty_char_name()))
    assert len(lay.english.lines) == 2
    assert " ".join(lay.english.lines) == lay.english_text


def test_a_name_too_long_even_for_two_lines_is_refused() -> None:
    name = "柳州" + "甲" * 50 + "工程技术研究中心"
    with pytest.raises(ValueError, match=r"中心名称.*太长"):
        layout(replace(SPEC, name_zh=name))


# --------------------------------------------------------------------------- rendering


def test_render_writes_a_pdf_and_repeats_byte_for_byte(tmp_path: Path) -> None:
    a = plaque.render(replace(SPEC, bleed=True, proof=True), tmp_path / "a.pdf")
    b = plaque.render(replace(SPEC, bleed=True, proof=True), tmp_path / "b.pdf")
    assert a.read_bytes().startswith(b"%PDF-")
    assert a.read_bytes() == b.read_bytes()
    assert plaque.render(SPEC, tmp_path / "c.pdf").read_bytes() != a.read_bytes()


def test_rare_characters_that_the_font_has_are_accepted(tmp_path: Path) -> None:
    out = plaque.render(replace(SPEC, name_zh="柳州镕䶮工程技术研究中心（某公司）"), tmp_path / "rare.pdf")
    assert out.stat().st_size > 0


def test_an_uncovered_character_is_reported_before_anything_is_written(tmp_path: Path) -> None:
    missing = "\U0002a6a5"  # 𪚥, CJK Ext. B: not in the bundled faces
    assert ord(missing) not in coverage("serif-bold")
    target = tmp_path / "never.pdf"
    with pytest.raises(MissingGlyphError) as info:
        plaque.render(replace(SPEC, name_zh=f"柳州{missing}工程技术研究中心（某公司）"), target)
    [problem] = info.value.missing
    assert problem.field == "中心名称"
    assert problem.char == missing
    assert "U+2A6A5" in str(info.value)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_faces_can_be_overridden_but_not_invented(tmp_path: Path) -> None:
    lay = layout(SPEC, faces={"title": "sans-bold"})
    assert lay.fonts["title"] == "LZSansSC-Bold"
    with pytest.raises(ValueError, match="logo"):
        plaque.render(SPEC, tmp_path / "x.pdf", faces={"logo": "serif"})


def test_the_host_line_sits_under_the_title_in_smaller_type() -> None:
    """第二十六条: （依托单位名称） on the Chinese side too, between the title and the rule."""
    lay = plaque.layout(SPEC)
    assert lay.host_text == "（柳州某某汽车有限公司）" and lay.host.lines == ("（柳州某某汽车有限公司）",)
    assert lay.host.size < lay.title.size
    assert lay.title_baselines[-1] > lay.host_baselines[0] > lay.rule_y > lay.english_baselines[0]


def test_a_plaque_form_name_has_no_host_line() -> None:
    lay = plaque.layout(replace(SPEC, name_zh="柳州市智能网联汽车工程技术研究中心"))
    assert lay.host_text == "" and lay.host.lines == ()


def test_a_co_builder_in_the_bracket_is_printed_as_given() -> None:
    lay = plaque.layout(replace(SPEC, name_zh="柳州智能网联汽车工程技术研究中心（广西科技大学）"))
    assert lay.host.lines == ("（广西科技大学）",)
