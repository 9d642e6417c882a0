"""A 工作年报 compared with the centre's report of the year before (issue 14 item 2).

Findings, not a grade: the key figures that fell (研发人员, 研发经费, 科技计划项目, 成果, 科研用房面积,
仪器设备 …) and the 第九条 conditions a single year's report can show that it no longer meets
(D9.3a/b/c staff and their degrees and titles, D9.5a floor area, D9.5b instruments) with the
thresholds of :class:`~lzcenter_desktop.domain.settings.RuleSettings`. A figure that stayed the same
(a fall of exactly 0) or is blank in either report is not a finding. The three-year conditions
(D9.4a/b projects and outputs, D9.6 investment) cannot be judged from one year and are left to the
evaluation (E23a). Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Final

from . import text
from .annual_report import AnnualReportDocument
from .settings import DEFAULT_SETTINGS, RuleSettings

BACHELOR_OR_ABOVE: Final = frozenset({"博士", "硕士", "本科"})
INTERMEDIATE_OR_ABOVE: Final = frozenset({"正高级", "副高级", "中级"})
PATENT_KINDS: Final = frozenset({"invention_patent", "utility_patent", "design_patent"})


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """The comparable figures of one report; ``None`` where the report does not give it."""

    staff: int | None = None
    rd_received_yuan: int | None = None
    rd_spent_yuan: int | None = None
    projects: int | None = None
    outputs: int | None = None
    patents: int | None = None
    standards: int | None = None
    assets_yuan: int | None = None
    floor_area_m2: float | None = None
    equipment_items: int | None = None
    equipment_value_yuan: int | None = None
    open_topics: int | None = None
    shared_instruments: int | None = None
    bachelor_share: Fraction | None = None
    intermediate_share: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the comparison found: ``what`` (Chinese name of the figure or condition), the
    figures of last year and this year as shown, a Chinese sentence, and the rule (D9.3a …) for a
    condition no longer met, ``None`` for a figure that fell."""

    what: str
    last_year: str
    this_year: str
    message: str
    rule: str | None = None


#: field of ReportFigures → (Chinese name, unit, how to show a value)
_FIGURES: Final[dict[str, tuple[str, str]]] = {
    "staff": ("研发人员", "人"),
    "rd_received_yuan": ("研发经费到位", "元"),
    "rd_spent_yuan": ("研发经费支出", "元"),
    "projects": ("科技计划项目", "项"),
    "outputs": ("本年度成果", "项"),
    "patents": ("专利", "件"),
    "standards": ("标准", "项"),
    "assets_yuan": ("年末资产总额", "元"),
    "floor_area_m2": ("科研集中用房面积", "平方米"),
    "equipment_items": ("主要科研仪器设备", "台（套）"),
    "equipment_value_yuan": ("主要科研仪器设备原值", "元"),
    "open_topics": ("开放课题", "项"),
    "shared_instruments": ("开放共享的仪器设备", "台（套）"),
}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _share(rows: list[object], wanted: frozenset[str]) -> Fraction | None:
    if not rows:
        return None
    return Fraction(sum(1 for value in rows if value in wanted), len(rows))


def figures_from_document(doc: AnnualReportDocument) -> ReportFigures:
    """The figures of a parsed report."""
    staff = doc.rows("staff")
    outputs = doc.rows("outputs")
    equipment = doc.rows("equipment")
    area = doc.value("conditions.floor_area_m2")
    values = [_int(row.get("value_yuan")) for row in equipment]
    return ReportFigures(
        staff=len(staff),
        rd_received_yuan=_int(doc.value("funding.rd_received_yuan")),
        rd_spent_yuan=_int(doc.value("funding.rd_spent_yuan")),
        projects=len(doc.rows("projects")),
        outputs=len(outputs),
        patents=sum(1 for row in outputs if row.get("kind") in PATENT_KINDS),
        standards=sum(1 for row in outputs if row.get("kind") == "standard"),
        assets_yuan=_int(doc.value("conditions.assets_yuan")),
        floor_area_m2=float(area) if isinstance(area, int | float) and not isinstance(area, bool) else None,
        equipment_items=len(equipment),
        equipment_value_yuan=sum(v for v in values if v is not None),
        open_topics=len(doc.rows("open_topics")),
        shared_instruments=len(doc.rows("shared_instruments")),
        bachelor_share=_share([row.get("degree") for row in staff], BACHELOR_OR_ABOVE),
        intermediate_share=_share([row.get("title") for row in staff], INTERMEDIATE_OR_ABOVE),
    )


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _shown(value: object, unit: str) -> str:
    if value is None:
        return "（未填）"
    if isinstance(value, Fraction):
        return text.percent(value)
    assert isinstance(value, int | float)
    return f"{_number(value)}{unit}"


def _falls(last: ReportFigures, this: ReportFigures, year: int) -> list[Finding]:
    out: list[Finding] = []
    for f in fields(ReportFigures):
        if f.name not in _FIGURES:
            continue
        before, now = getattr(last, f.name), getattr(this, f.name)
        if before is None or now is None or not now < before:
            continue
        name, unit = _FIGURES[f.name]
        drop = before - now
        if isinstance(drop, float):
            drop = round(drop, 2)
        out.append(
            Finding(
                what=name,
                last_year=_shown(before, unit),
                this_year=_shown(now, unit),
                message=f"{name}由{year - 1}年的{_shown(before, unit)}降至{year}年的"
                f"{_shown(now, unit)}，减少{_shown(drop, unit)}",
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class _Condition:
    rule: str
    what: str
    value: Callable[[ReportFigures], int | float | Fraction | None]
    minimum: Callable[[RuleSettings], int | Fraction]
    unit: str


_CONDITIONS: Final = (
    _Condition("D9.3a", "研发人员人数", lambda f: f.staff, lambda s: s.min_staff, "人"),
    _Condition(
        "D9.3b", "本科及以上学历人员占比", lambda f: f.bachelor_share, lambda s: s.min_bachelor_share, ""
    ),
    _Condition(
        "D9.3c",
        "中级及以上职称人员占比",
        lambda f: f.intermediate_share,
        lambda s: s.min_intermediate_title_share,
        "",
    ),
    _Condition(
        "D9.5a", "科研集中用房面积", lambda f: f.floor_area_m2, lambda s: s.min_floor_area_m2, "平方米"
    ),
    _Condition(
        "D9.5b", "主要科研仪器设备", lambda f: f.equipment_items, lambda s: s.min_equipment_items, "台（套）"
    ),
)


def _conditions(
    last: ReportFigures | None, this: ReportFigures, year: int, settings: RuleSettings
) -> list[Finding]:
    out: list[Finding] = []
    for c in _CONDITIONS:
        now = c.value(this)
        minimum = c.minimum(settings)
        if now is None or now >= minimum:
            continue
        before = c.value(last) if last is not None else None
        if before is None:
            since = "（无上年度年报可比）"
        elif before >= minimum:
            since = f"，上年度为{_shown(before, c.unit)}，本年度起不再满足"
        else:
            since = f"，上年度为{_shown(before, c.unit)}，仍未满足"
        out.append(
            Finding(
                what=c.what,
                last_year=_shown(before, c.unit),
                this_year=_shown(now, c.unit),
                message=f"{year}年度{c.what}为{_shown(now, c.unit)}，第九条要求不低于"
                f"{_shown(minimum, c.unit)}{since}",
                rule=c.rule,
            )
        )
    return out


def compare_reports(
    last: ReportFigures | None,
    this: ReportFigures,
    *,
    year: int,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """The figures of ``year``'s report that fell below last year's (none without a last year),
    then the 第九条 conditions the report does not meet, in a fixed order."""
    falls = _falls(last, this, year) if last is not None else []
    return falls + _conditions(last, this, year, settings)
