"""The 绩效评估评分表 (domain/evaluation_sheet.py, forms/evaluation-2026.toml): the shipped sheet's
four groups of 第二十三条 and their weights, the grade bands (from the rule settings, never the sheet)
on the exact total (bounds included: 59.99 / 60 / 60.01 …), the cap when E23a fails, Chinese
refusals of a wrong sheet, the round's snapshot, and picking the sheet of a year
(services/evaluation/sheet.py)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from lzcenter_desktop.domain.evaluation import INDICATOR_GROUPS, Grade
from lzcenter_desktop.domain.evaluation_sheet import (
    EVALUATION_SHEET_FORMAT,
    GradeBands,
    bands_from_settings,
    parse_evaluation_sheet,
)
from lzcenter_desktop.domain.review_package import sheet_from_json, sheet_to_json
from lzcenter_desktop.domain.scoresheet import ScoreSheet, check_points, sheet_total
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.paths import forms_dir
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation.sheet import load_evaluation_sheet

SHIPPED = (forms_dir() / "evaluation-2026.toml").read_text(encoding="utf-8")
D = Decimal


def _sheet_text(
    *,
    groups: tuple[str, ...] = INDICATOR_GROUPS,
    maxima: tuple[int, ...] = (35, 25, 20, 20),
    grades: str | None = "",
    head: str = f'format = "{EVALUATION_SHEET_FORMAT}"\nversion = "t.1"\nyear = 2026\ntitle = "测试评分表"\n',
) -> str:
    items = "".join(
        f'[[indicators]]\nkey = "k{i}"\nname = "指标{i}"\ngroup = "{g}"\nmax = {m}\nguidance = "说明"\n'
        for i, (g, m) in enumerate(zip(groups, maxima, strict=True))
    )
    return head + ("" if grades is None else "[grades]\n" + grades) + items


def test_shipped_sheet_has_the_four_groups_with_the_default_weights() -> None:
    sheet = parse_evaluation_sheet(SHIPPED)
    assert sheet.version == "2026.1"
    assert sheet.group_weights == {
        "研究水平与创新成果": D(35),
        "队伍建设与人才培养": D(25),
        "开放交流与运行管理": D(20),
        "依托单位条件保障与组织管理": D(20),
    }
    assert 10 <= len(sheet.indicators) <= 14
    assert sum(i.max_points for i in sheet.indicators) == 100
    assert all(i.guidance for i in sheet.indicators)
    assert sheet.group_of("open_topics") == "开放交流与运行管理"
    assert "第十七条" in sheet.score_sheet.indicator("open_topics").guidance
    assert "第十八条" in sheet.score_sheet.indicator("shared_instruments").guidance
    with pytest.raises(KeyError):
        sheet.group_of("no_such")
    assert sheet.bands == GradeBands(D(90), D(70), D(60), Grade.RECTIFY)  # DEFAULT_SETTINGS' bands
    assert "市科技局" in SHIPPED and "调整" in SHIPPED  # documented as the bureau's to adjust
    assert "分数线在“设置”页按年度调整" in SHIPPED


def test_score_sheet_is_a_review_score_sheet_marked_as_an_evaluation_sheet() -> None:
    sheet = parse_evaluation_sheet(SHIPPED)
    score_sheet = sheet.score_sheet
    assert isinstance(score_sheet, ScoreSheet)
    assert score_sheet.format == EVALUATION_SHEET_FORMAT
    assert score_sheet.keys == sheet.keys
    full = {i.key: str(i.max_points) for i in score_sheet.indicators}
    assert sheet_total(score_sheet, full) == 100
    over = dict(full, integrity="4.01")
    with pytest.raises(ValueError, match="超过该项满分"):
        check_points(score_sheet, over)
    # the offline package's manifest carries it unchanged
    assert sheet_from_json(sheet_to_json(score_sheet)) == score_sheet


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90.01", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("90.00", Grade.EXCELLENT),
        ("89.99", Grade.QUALIFIED),
        ("70.01", Grade.QUALIFIED),
        ("70", Grade.QUALIFIED),
        ("69.99", Grade.RECTIFY),
        ("60.01", Grade.RECTIFY),
        ("60", Grade.RECTIFY),
        ("59.99", Grade.FAILED),
        ("0", Grade.FAILED),
    ],
)
def test_grade_bands_include_their_bound(total: str, grade: Grade) -> None:
    sheet = parse_evaluation_sheet(SHIPPED)
    assert sheet.grade(D(total)) is grade  # the defaults (90 / 70 / 60)
    assert sheet.with_settings(DEFAULT_SETTINGS).grade(D(total)) is grade


def test_grade_on_an_exact_fraction_and_never_a_float() -> None:
    bands = parse_evaluation_sheet(SHIPPED).bands
    assert bands.grade(Fraction(180, 2)) is Grade.EXCELLENT
    assert bands.grade(Fraction(269, 3)) is Grade.QUALIFIED  # 89.666…
    assert bands.grade(Fraction(8999999, 100000)) is Grade.QUALIFIED  # 89.99999
    with pytest.raises(TypeError, match="浮点数"):
        bands.grade(90.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("grade", "ok", "expected"),
    [
        (Grade.EXCELLENT, False, Grade.RECTIFY),
        (Grade.QUALIFIED, False, Grade.RECTIFY),
        (Grade.RECTIFY, False, Grade.RECTIFY),
        (Grade.FAILED, False, Grade.FAILED),
        (Grade.EXCELLENT, True, Grade.EXCELLENT),
        (Grade.EXCELLENT, None, Grade.EXCELLENT),  # not checked: no cap
    ],
)
def test_cap_when_the_conditions_fail(grade: Grade, ok: bool | None, expected: Grade) -> None:
    bands = parse_evaluation_sheet(SHIPPED).bands
    assert bands.capped(grade, conditions_ok=ok) is expected


def test_the_cap_is_data() -> None:
    qualified_cap = parse_evaluation_sheet(_sheet_text(grades='conditions_failed_cap = "合格"\n'))
    assert qualified_cap.bands.capped(Grade.EXCELLENT, conditions_ok=False) is Grade.QUALIFIED
    no_cap = parse_evaluation_sheet(_sheet_text())  # [grades] without the cap: no cap
    assert no_cap.bands.conditions_failed_cap is None
    assert no_cap.bands.capped(Grade.EXCELLENT, conditions_ok=False) is Grade.EXCELLENT
    empty_cap = parse_evaluation_sheet(_sheet_text(grades='conditions_failed_cap = ""\n'))
    assert empty_cap.bands.conditions_failed_cap is None
    default_cap = parse_evaluation_sheet(_sheet_text(grades=None))  # no [grades]: the default 整改
    assert default_cap.bands == GradeBands(D(90), D(70), D(60), Grade.RECTIFY)


SETTINGS_85_75_50 = RuleSettings(grade_excellent_min=85, grade_qualified_min=75, grade_rectify_min=50)


def test_with_settings_takes_the_bands_of_the_rule_settings_and_keeps_the_cap() -> None:
    sheet = parse_evaluation_sheet(_sheet_text(grades='conditions_failed_cap = "合格"\n'))
    adjusted = sheet.with_settings(SETTINGS_85_75_50)
    assert adjusted.bands == GradeBands(D(85), D(75), D(50), Grade.QUALIFIED)
    assert (adjusted.version, adjusted.indicators) == (sheet.version, sheet.indicators)
    assert sheet.bands.excellent == D(90)  # the original is unchanged
    assert bands_from_settings(adjusted.settings_json()) == adjusted.bands
    no_cap = parse_evaluation_sheet(_sheet_text()).with_settings(SETTINGS_85_75_50)
    assert no_cap.bands.conditions_failed_cap is None


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("85.01", Grade.EXCELLENT),
        ("85", Grade.EXCELLENT),
        ("84.99", Grade.QUALIFIED),
        ("75.01", Grade.QUALIFIED),
        ("75", Grade.QUALIFIED),
        ("74.99", Grade.RECTIFY),
        ("50.01", Grade.RECTIFY),
        ("50", Grade.RECTIFY),
        ("49.99", Grade.FAILED),
    ],
)
def test_bands_of_the_settings_are_used_not_fixed_numbers(total: str, grade: Grade) -> None:
    sheet = parse_evaluation_sheet(SHIPPED).with_settings(SETTINGS_85_75_50)
    assert sheet.grade(D(total)) is grade


@pytest.mark.parametrize(
    ("grades", "named"),
    [
        ("excellent = 90\n", "excellent（优秀最低分）"),
        ("qualified = 70\n", "qualified（合格最低分）"),
        ("rectify = 60\n", "rectify（整改最低分）"),
        (
            'excellent = 90\nqualified = 70\nrectify = 60\nconditions_failed_cap = "整改"\n',
            "excellent（优秀最低分）、qualified（合格最低分）、rectify（整改最低分）",
        ),
    ],
)
def test_bands_in_the_sheet_are_refused_pointing_to_the_settings_page(grades: str, named: str) -> None:
    with pytest.raises(ValueError, match=f"请在“设置”页按年度调整.*{named}"):
        parse_evaluation_sheet(_sheet_text(grades=grades))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _sheet_text(head='format = "lzcenter.review-sheet/1"\nversion = "1"\nyear = 2026\ntitle = "x"\n'),
            "format",
        ),
        (_sheet_text(maxima=(35, 25, 20, 19)), "满分之和应为 100 分，实际为 99 分"),
        (_sheet_text(groups=(*INDICATOR_GROUPS[:3], "其他")), "分组 group 应为"),
        (
            _sheet_text(groups=(*INDICATOR_GROUPS[:3], INDICATOR_GROUPS[0])),
            "缺少第二十三条的指标分组：依托单位条件保障与组织管理",
        ),
        (_sheet_text(grades='conditions_failed_cap = "良好"\n'), "conditions_failed_cap"),
        (_sheet_text(grades="cap = 1\n"), r"\[grades\] 有无法识别的项：cap"),
        (
            _sheet_text(
                head=f'format = "{EVALUATION_SHEET_FORMAT}"\nversion = "t.1"\nyear = 2026\n'
                'title = "x"\ngrades = 1\n',
                grades=None,
            ),
            r"\[grades\] 格式错误",
        ),
        ("format = ", "TOML"),
    ],
)
def test_a_wrong_sheet_is_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_evaluation_sheet(text)


def test_a_damaged_snapshot_of_bands_is_refused() -> None:
    snapshot = parse_evaluation_sheet(SHIPPED).settings_json()
    with pytest.raises(ValueError, match="优秀（60）> 合格（70）"):
        bands_from_settings(snapshot.replace('"excellent": "90"', '"excellent": "60"'))
    with pytest.raises(ValueError, match="缺少“合格”最低分"):
        bands_from_settings(snapshot.replace('"qualified": "70", ', ""))


def test_the_round_snapshot_keeps_weights_and_bands() -> None:
    sheet = parse_evaluation_sheet(SHIPPED)
    snapshot = sheet.settings_json()
    assert "研究水平与创新成果" in snapshot and '"35"' in snapshot
    assert bands_from_settings(snapshot) == sheet.bands
    assert bands_from_settings(None) is None
    with pytest.raises(ValueError, match="已损坏"):
        bands_from_settings("{not json")


def test_load_picks_the_latest_sheet_not_after_the_year(tmp_path: Path) -> None:
    (tmp_path / "evaluation-2026.toml").write_text(_sheet_text(), encoding="utf-8")
    (tmp_path / "evaluation-2029.toml").write_text(
        _sheet_text().replace('version = "t.1"', 'version = "t.2029"'), encoding="utf-8"
    )
    assert load_evaluation_sheet(2028, tmp_path).version == "t.1"
    assert load_evaluation_sheet(2029, tmp_path).version == "t.2029"
    assert load_evaluation_sheet(2030, tmp_path).version == "t.2029"
    assert load_evaluation_sheet(2020, tmp_path).version == "t.1"  # before the first: the first
    assert load_evaluation_sheet(2026).version == "2026.1"  # the shipped forms folder


def test_load_refuses_a_missing_or_wrong_sheet_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match=r"找不到绩效评估评分表文件"):
        load_evaluation_sheet(2026, tmp_path)
    (tmp_path / "evaluation-2026.toml").write_text(_sheet_text(maxima=(35, 25, 20, 21)), encoding="utf-8")
    with pytest.raises(ServiceError, match=r"evaluation-2026\.toml 有误：.*实际为 101 分"):
        load_evaluation_sheet(2026, tmp_path)
