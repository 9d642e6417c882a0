"""绩效评估评分表 (第二十三条): the indicators experts score in an evaluation, their groups and the
group weights — all data, in ``forms/evaluation-<year>.toml``, format ``lzcenter.evaluation-sheet/1``::

    format = "lzcenter.evaluation-sheet/1"
    version = "2026.1"
    year = 2026
    title = "柳州市工程技术研究中心绩效评估评分表"
    [grades]                    # optional
    conditions_failed_cap = "整改"   # best grade when E23a finds a 第九条 failure
    [[indicators]]
    key = "rd_team"             # ASCII key, unique
    name = "研发队伍规模与结构"
    group = "队伍建设与人才培养"  # one of the four groups of 第二十三条
    max = 10
    guidance = "…"

A group's weight is the sum of its indicators' maxima; the maxima add up to exactly 100 and every
group of 第二十三条 has at least one indicator. The shipped default (35 / 25 / 20 / 20, cap 整改) is
the bureau's to adjust.

The grade bands (the lowest total of 优秀 / 合格 / 整改) are **not** in the sheet: they are the
year's rule settings (``RuleSettings.grade_*_min``, edited on the 设置 page with their history), so
a sheet giving ``excellent`` / ``qualified`` / ``rectify`` is refused. A parsed sheet carries the
bands of :data:`~lzcenter_desktop.domain.settings.DEFAULT_SETTINGS` (90 / 70 / 60);
:meth:`EvaluationSheet.with_settings` gives it the bands of a year's settings — what a round
snapshots when it starts. The cap: ``[grades]`` absent → 整改 (the :class:`GradeBands` default);
``[grades]`` present with ``conditions_failed_cap`` absent or empty → no cap.

:attr:`EvaluationSheet.score_sheet` is a plain :class:`~lzcenter_desktop.domain.scoresheet.ScoreSheet`
(format ``lzcenter.evaluation-sheet/1``) so the review's score entry, offline packages and 评审模式
work on it unchanged.

Grades are decided on the exact total (``Decimal`` or ``Fraction``, never ``float``): 90.00 is 优秀,
89.99 合格. Pure Python: the standard library only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from .evaluation import INDICATOR_GROUPS, Grade, as_grade
from .scoresheet import Indicator, ScoreSheet, decimal_text, parse_decimal
from .settings import DEFAULT_SETTINGS, RuleSettings
from .sheet_parsing import SHEET_TOTAL as SHEET_TOTAL
from .sheet_parsing import (
    check_total,
    indicator_key_name,
    indicator_max_guidance,
    load_toml,
    sheet_header,
    sheet_items,
)

EVALUATION_SHEET_FORMAT: Final = "lzcenter.evaluation-sheet/1"
_WHAT = "绩效评估评分表"

#: the storage code of each group (``indicator_score.group_code``)
GROUP_CODES: Final[Mapping[str, str]] = {
    "研究水平与创新成果": "research",
    "队伍建设与人才培养": "talent",
    "开放交流与运行管理": "openness",
    "依托单位条件保障与组织管理": "support",
}

#: grades from best to worst
GRADE_ORDER: Final[tuple[Grade, ...]] = (Grade.EXCELLENT, Grade.QUALIFIED, Grade.RECTIFY, Grade.FAILED)


@dataclass(frozen=True, slots=True)
class GradeBands:
    """The lowest total of 优秀, 合格 and 整改 (bounds included; below ``rectify`` is 不合格) and the
    best grade a centre failing a 第九条 condition can get (``None``: no cap)."""

    excellent: Decimal
    qualified: Decimal
    rectify: Decimal
    conditions_failed_cap: Grade | None = Grade.RECTIFY

    def grade(self, total: Decimal | Fraction | int) -> Grade:
        """The grade of the exact ``total``: 90 → 优秀, 89.99 → 合格 (with the default bands)."""
        if isinstance(total, float | bool):
            raise TypeError("总分应为精确的数（Decimal），不能是浮点数")
        exact = Fraction(total)
        if exact >= Fraction(self.excellent):
            return Grade.EXCELLENT
        if exact >= Fraction(self.qualified):
            return Grade.QUALIFIED
        if exact >= Fraction(self.rectify):
            return Grade.RECTIFY
        return Grade.FAILED

    def capped(self, grade: Grade, *, conditions_ok: bool | None) -> Grade:
        """``grade`` limited to the cap when the 第九条 conditions are not met (``conditions_ok`` is
        ``False``); unchanged when they are met, unknown (``None``) or there is no cap."""
        cap = self.conditions_failed_cap
        if conditions_ok is not False or cap is None:
            return grade
        return grade if GRADE_ORDER.index(grade) >= GRADE_ORDER.index(cap) else cap

    @classmethod
    def from_settings(cls, settings: RuleSettings, cap: Grade | None = Grade.RECTIFY) -> GradeBands:
        """The bands of a year's rule settings (``grade_*_min``) with ``cap``."""
        return cls(
            excellent=Decimal(settings.grade_excellent_min),
            qualified=Decimal(settings.grade_qualified_min),
            rectify=Decimal(settings.grade_rectify_min),
            conditions_failed_cap=cap,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "excellent": decimal_text(self.excellent),
            "qualified": decimal_text(self.qualified),
            "rectify": decimal_text(self.rectify),
            "conditions_failed_cap": self.conditions_failed_cap.value if self.conditions_failed_cap else None,
        }

    def describe(self) -> str:
        """The bands in Chinese, e.g. ``优秀 ≥ 90 分，合格 ≥ 70 分，整改 ≥ 60 分，不合格 < 60 分``."""
        e, q, r = (decimal_text(v) for v in (self.excellent, self.qualified, self.rectify))
        text = f"优秀 ≥ {e} 分，合格 ≥ {q} 分，整改 ≥ {r} 分，不合格 < {r} 分"
        if self.conditions_failed_cap is not None:
            text += f"；不满足第九条基本条件的最高为“{self.conditions_failed_cap.value}”"
        return text


@dataclass(frozen=True, slots=True)
class EvaluationIndicator:
    key: str
    name: str
    group: str
    max_points: Decimal
    guidance: str


@dataclass(frozen=True, slots=True)
class EvaluationSheet:
    """A parsed, valid evaluation sheet."""

    version: str
    year: int
    title: str
    indicators: tuple[EvaluationIndicator, ...]
    bands: GradeBands

    @property
    def format(self) -> str:
        return EVALUATION_SHEET_FORMAT

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators)

    @property
    def score_sheet(self) -> ScoreSheet:
        """The indicators as a review :class:`ScoreSheet` (its ``format`` marks it an evaluation sheet)."""
        return ScoreSheet(
            format=EVALUATION_SHEET_FORMAT,
            version=self.version,
            year=self.year,
            title=self.title,
            indicators=tuple(
                Indicator(key=i.key, name=i.name, max_points=i.max_points, guidance=i.guidance)
                for i in self.indicators
            ),
        )

    def group_of(self, key: str) -> str:
        """The group of indicator ``key``; ``KeyError`` when the sheet has none."""
        for item in self.indicators:
            if item.key == key:
                return item.group
        raise KeyError(key)

    @property
    def group_weights(self) -> dict[str, Decimal]:
        """Each group's weight (the sum of its indicators' maxima), in the order of 第二十三条."""
        out = {g: Decimal(0) for g in INDICATOR_GROUPS}
        for item in self.indicators:
            out[item.group] += item.max_points
        return out

    def group_points(self, points: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """Points per indicator summed by group (indicators missing from ``points`` count 0)."""
        out = {g: Decimal(0) for g in INDICATOR_GROUPS}
        for item in self.indicators:
            out[item.group] += points.get(item.key, Decimal(0))
        return out

    def grade(self, total: Decimal | Fraction | int) -> Grade:
        """The grade of the exact ``total`` by the sheet's bands (see :meth:`GradeBands.grade`)."""
        return self.bands.grade(total)

    def with_settings(self, settings: RuleSettings) -> EvaluationSheet:
        """This sheet with the grade bands of ``settings`` (the year's rule settings); cap unchanged."""
        return replace(self, bands=GradeBands.from_settings(settings, self.bands.conditions_failed_cap))

    def settings_json(self) -> str:
        """What a round snapshots when it starts: the version, the group weights and the bands."""
        return json.dumps(
            {
                "sheet_format": EVALUATION_SHEET_FORMAT,
                "sheet_version": self.version,
                "sheet_year": self.year,
                "group_weights": {g: decimal_text(w) for g, w in self.group_weights.items()},
                "grades": self.bands.to_json(),
            },
            ensure_ascii=False,
        )


def bands_from_settings(text: str | None) -> GradeBands | None:
    """The bands a round snapshotted (:meth:`EvaluationSheet.settings_json`), ``None`` when there
    are none; ``ValueError`` (Chinese) for a damaged snapshot."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("评估批次保存的评分设置已损坏，无法读取等级分数线") from None
    grades = data.get("grades") if isinstance(data, dict) else None
    if grades is None:
        return None
    return _bands(grades)


def parse_evaluation_sheet(text: str) -> EvaluationSheet:
    """Parse and validate an evaluation sheet; ``ValueError`` (Chinese, naming the item) when wrong."""
    data = load_toml(text, _WHAT)
    unknown = sorted(set(data) - {"format", "version", "year", "title", "grades", "indicators"})
    if unknown:
        raise ValueError(f"绩效评估评分表有无法识别的项：{'、'.join(unknown)}")
    version, year, title = sheet_header(data, _WHAT, EVALUATION_SHEET_FORMAT)
    bands = GradeBands.from_settings(DEFAULT_SETTINGS)
    if "grades" in data:
        bands = GradeBands.from_settings(DEFAULT_SETTINGS, _sheet_cap(data["grades"]))
    raw_items = sheet_items(data, _WHAT)
    keys: set[str] = set()
    names: set[str] = set()
    indicators = tuple(_indicator(n, item, keys, names) for n, item in enumerate(raw_items, start=1))
    check_total((i.max_points for i in indicators), _WHAT)
    empty = [g for g in INDICATOR_GROUPS if not any(i.group == g for i in indicators)]
    if empty:
        raise ValueError(f"绩效评估评分表缺少第二十三条的指标分组：{'、'.join(empty)}（每组至少一项指标）")
    return EvaluationSheet(version=version, year=year, title=title, indicators=indicators, bands=bands)


def _bound(grades: Mapping[str, Any], key: str, label: str) -> Decimal:
    raw = grades.get(key)
    if raw is None:
        raise ValueError(f"等级分数线缺少“{label}”最低分（[grades] {key}）")
    if isinstance(raw, float):
        raw = repr(raw)
    value = parse_decimal(raw, f"等级分数线“{label}”最低分")
    if not 0 < value <= SHEET_TOTAL:
        raise ValueError(f"等级分数线“{label}”最低分应在 0—100 分之间，实际为 {decimal_text(value)}")
    return value


def _bands(grades: object) -> GradeBands:
    if not isinstance(grades, dict):
        raise ValueError("等级分数线 [grades] 格式错误")
    unknown = sorted(set(grades) - {"excellent", "qualified", "rectify", "conditions_failed_cap"})
    if unknown:
        raise ValueError(f"等级分数线 [grades] 有无法识别的项：{'、'.join(unknown)}")
    excellent = _bound(grades, "excellent", "优秀")
    qualified = _bound(grades, "qualified", "合格")
    rectify = _bound(grades, "rectify", "整改")
    if not excellent > qualified > rectify:
        raise ValueError(
            f"等级分数线应满足 优秀（{decimal_text(excellent)}）> 合格（{decimal_text(qualified)}）"
            f"> 整改（{decimal_text(rectify)}）"
        )
    cap = _cap(grades.get("conditions_failed_cap"))
    return GradeBands(excellent=excellent, qualified=qualified, rectify=rectify, conditions_failed_cap=cap)


def _sheet_cap(grades: object) -> Grade | None:
    """The cap of a sheet's ``[grades]``, which holds nothing else (the bands are rule settings)."""
    if not isinstance(grades, dict):
        raise ValueError("绩效评估评分表的 [grades] 格式错误")
    labels = {"excellent": "优秀", "qualified": "合格", "rectify": "整改"}
    numbers = [f"{k}（{label}最低分）" for k, label in labels.items() if k in grades]
    if numbers:
        raise ValueError(
            "等级分数线不在绩效评估评分表中规定，请在“设置”页按年度调整，"
            f"并从评分表 [grades] 中删除：{'、'.join(numbers)}"
        )
    unknown = sorted(set(grades) - {"conditions_failed_cap"})
    if unknown:
        raise ValueError(f"绩效评估评分表的 [grades] 有无法识别的项：{'、'.join(unknown)}")
    return _cap(grades.get("conditions_failed_cap"))


def _cap(raw_cap: object) -> Grade | None:
    if raw_cap is None or not str(raw_cap).strip():
        return None
    try:
        return as_grade(str(raw_cap))
    except ValueError as exc:
        raise ValueError(f"不满足第九条基本条件时的最高等级（conditions_failed_cap）有误：{exc}") from None


def _indicator(n: int, item: object, keys: set[str], names: set[str]) -> EvaluationIndicator:
    where = f"绩效评估评分表第{n}项指标"
    allowed = {"key", "name", "group", "max", "guidance"}
    table, key, name = indicator_key_name(where, item, allowed, keys, names)
    group = table.get("group")
    if not isinstance(group, str) or group.strip() not in INDICATOR_GROUPS:
        raise ValueError(
            f"{where}“{name}”的分组 group 应为 {'、'.join(INDICATOR_GROUPS)} 之一，实际为“{group}”"
        )
    max_points, guidance = indicator_max_guidance(where, table, name)
    keys.add(key)
    names.add(name)
    return EvaluationIndicator(
        key=key, name=name, group=group.strip(), max_points=max_points, guidance=guidance
    )
