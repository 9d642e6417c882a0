"""第五章 绩效评估 — annual reports, three-yearly evaluations and their outcome: rules E21–E25."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from . import dates, text
from .catalog import violation
from .dates import months_after, years_after
from .eligibility import check_declaration
from .model import Declaration
from .review import Score, as_fraction
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Violation

INDICATOR_GROUPS: tuple[str, ...] = (
    "研究水平与创新成果",
    "队伍建设与人才培养",
    "开放交流与运行管理",
    "依托单位条件保障与组织管理",
)


class Grade(StrEnum):
    EXCELLENT = "优秀"
    QUALIFIED = "合格"
    RECTIFY = "整改"
    FAILED = "不合格"


class Outcome(StrEnum):
    KEEP = "keep"  # 保留称号
    RECTIFY = "rectify"  # 整改一年
    REVOKE = "revoke"  # 取消称号
    FORFEIT = "forfeit"  # 视为自动放弃

    @property
    def label(self) -> str:
        return {
            "keep": "保留称号",
            "rectify": "限期整改",
            "revoke": "取消称号",
            "forfeit": "视为自动放弃资格",
        }[self.value]


# ------------------------------------------------------------------ 第二十一条


@dataclass(frozen=True, slots=True)
class AnnualReport:
    """The state of one year's 工作年报 of a centre."""

    year: int
    submitted: date | None
    host_assessment: str | None  # 依托单位年度考核结果


def annual_report_due(year: int, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """The last day to file the 工作年报 of ``year`` (31 December by default)."""
    month, day = settings.annual_report_due_month_day
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def check_annual_report(
    report: AnnualReport, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """E21a (filed by 31 December of the year) and E21b (host's assessment result attached)."""
    due = annual_report_due(report.year, settings)
    out: list[Violation] = []
    if report.submitted is None:
        if as_of > due:
            out.append(
                violation(
                    "E21a",
                    "annual_report.submitted",
                    f"{report.year}年工作年报逾期未报（截止 {text.day(due)}）",
                    "未报送",
                    f"≤ {text.day(due)}",
                )
            )
    elif report.submitted > due:
        out.append(
            violation(
                "E21a",
                "annual_report.submitted",
                f"{report.year}年工作年报于 {text.day(report.submitted)} 报送，已超过截止日 {text.day(due)}",
                text.day(report.submitted),
                f"≤ {text.day(due)}",
            )
        )
    if report.submitted is not None and (
        report.host_assessment is None or not report.host_assessment.strip()
    ):
        out.append(
            violation(
                "E21b",
                "annual_report.host_assessment",
                f"{report.year}年工作年报未附依托单位年度考核结果",
                "（空）",
                "依托单位年度考核结果",
            )
        )
    return out


# ------------------------------------------------------------------ 第二十二条


def evaluation_due(
    recognized: date, last_evaluation: date | None, settings: RuleSettings = DEFAULT_SETTINGS
) -> date:
    """The date by which the next evaluation is due (every three years)."""
    return years_after(last_evaluation or recognized, settings.evaluation_interval_years)


def check_evaluation_due(
    recognized: date, last_evaluation: date | None, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """E22: a recognised centre overdue for its three-yearly evaluation is flagged."""
    due = evaluation_due(recognized, last_evaluation, settings)
    if as_of <= due:
        return []
    since = f"上次评估 {text.day(last_evaluation)}" if last_evaluation else f"认定于 {text.day(recognized)}"
    return [
        violation(
            "E22",
            "evaluations",
            f"中心{since}，应于 {text.day(due)} 前完成绩效评估，已逾期",
            f"逾期（应于 {text.day(due)} 前）",
            f"每{settings.evaluation_interval_years}年评估一次",
        )
    ]


# ------------------------------------------------------------------ 第二十三条


def recheck_conditions(
    decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """E23a: the 第九条 conditions re-run on the centre's current data at the evaluation date.

    Each failing D9 rule is reported as E23a (same severity, path, values), naming the D9 rule.
    """
    out: list[Violation] = []
    for v in check_declaration(decl, settings, as_of=as_of):
        if v.rule.startswith("D9."):
            out.append(
                replace(
                    v,
                    rule="E23a",
                    article="第二十三条",
                    message=f"评估期内不满足第九条基本条件（{v.rule} {v.article}）：{v.message}",
                )
            )
    return out


def weighted_score(scores: Mapping[str, Score], weights: Mapping[str, Fraction]) -> Fraction:
    """E23b: total evaluation score from the indicator-group scores and the round's weights.

    Raises ``ValueError`` (Chinese) when the groups differ or the weights do not sum to 100%.
    """
    if set(scores) != set(weights):
        missing = sorted(set(weights) - set(scores)) + sorted(set(scores) - set(weights))
        raise ValueError(f"指标得分与权重的指标不一致：{'、'.join(missing)}")
    if sum(weights.values(), Fraction(0)) != 1:
        raise ValueError("各指标权重之和应为100%")
    return sum((as_fraction(scores[k]) * w for k, w in weights.items()), Fraction(0))


def grade_for(score: Score, settings: RuleSettings = DEFAULT_SETTINGS) -> Grade:
    """E23b: grade from the total score and the round's bands (bounds included)."""
    exact = as_fraction(score)
    if exact >= settings.grade_excellent_min:
        return Grade.EXCELLENT
    if exact >= settings.grade_qualified_min:
        return Grade.QUALIFIED
    if exact >= settings.grade_rectify_min:
        return Grade.RECTIFY
    return Grade.FAILED


# ------------------------------------------------------------------ 第二十四条、第二十五条


def as_grade(value: Grade | str) -> Grade:
    """The :class:`Grade` of ``value`` compared by value (a grade read from a database or a file
    as the text "不合格" is the same grade as ``Grade.FAILED``); ``ValueError`` (Chinese) otherwise."""
    try:
        return Grade(str(value).strip())
    except ValueError:
        allowed = "、".join(g.value for g in Grade)
        raise ValueError(f"评估等级“{value}”不是 {allowed} 之一") from None


def evaluation_outcome(
    grade: Grade | str | None,
    previous_grades: Sequence[Grade | str] = (),
    settings: RuleSettings = DEFAULT_SETTINGS,
    *,
    took_part: bool = True,
) -> Outcome:
    """E24: what follows from an evaluation.

    ``previous_grades`` are the centre's earlier evaluation grades, oldest first.  Not taking part
    (or withdrawing) forfeits the title (E24c); 不合格 revokes it; 整改 for the
    ``revoke_after_consecutive_rectify``-th consecutive time revokes it (E24b); a first 整改 gives a
    rectification period (E24a).
    """
    if not took_part or grade is None:
        return Outcome.FORFEIT
    current = as_grade(grade)
    if current is Grade.FAILED:
        return Outcome.REVOKE
    if current is Grade.RECTIFY:
        needed = settings.revoke_after_consecutive_rectify - 1
        recent = [as_grade(g) for g in previous_grades][-needed:] if needed else []
        if len(recent) == needed and all(g is Grade.RECTIFY for g in recent):
            return Outcome.REVOKE
        return Outcome.RECTIFY
    return Outcome.KEEP


def rectification_deadline(notice_date: date, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """E24a: the end of the one-year rectification period counted from the notice date."""
    return months_after(notice_date, settings.rectification_months)


def rectification_outcome(accepted: bool) -> Outcome:
    """E24a: after the acceptance check — accepted keeps the title, no obvious progress revokes it."""
    return Outcome.KEEP if accepted else Outcome.REVOKE


def reapply_allowed_from(revocation: date, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """E25 / D25: first day a revoked host may apply again."""
    return dates.reapply_allowed_from(revocation, settings.reapply_wait_years)
