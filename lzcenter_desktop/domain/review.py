"""第十条（三）—（五） — review, public notice and recognition: rules R10.*.

Scores are exact (``Fraction``); an expert score given as a decimal is converted from its
decimal text, so 79.5 is exactly 159/2.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from . import text
from .catalog import violation
from .model import Declaration
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Violation
from .workdays import NO_HOLIDAYS, HolidayCalendar, PeriodRule, count_days

MAX_SCORE = 100
MIN_TRIMMED_SCORES = 5  # 去掉一个最高分和一个最低分：only with at least 5 expert scores
Score = int | Fraction | Decimal | float


def as_fraction(score: Score) -> Fraction:
    """Exact value of a score; floats are read from their shortest decimal text (79.5 → 159/2)."""
    if isinstance(score, float):
        return Fraction(Decimal(repr(score)))
    return Fraction(score)


class Aggregation(StrEnum):
    """How a review session aggregates its experts' scores (recorded with the result)."""

    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"  # drop one highest and one lowest

    @property
    def label(self) -> str:
        return "算术平均" if self is Aggregation.MEAN else "去掉一个最高分和一个最低分后平均"


class ReviewDecision(StrEnum):
    PROPOSED = "proposed"  # 拟认定
    NOT_RECOGNIZED = "not_recognized"  # 不予认定

    @property
    def label(self) -> str:
        return "拟认定" if self is ReviewDecision.PROPOSED else "不予认定"


def aggregate_expert_scores(scores: Sequence[Score], method: Aggregation = Aggregation.MEAN) -> Fraction:
    """The expert review score of a declaration from its experts' scores.

    Raises ``ValueError`` (Chinese) when there are no scores, or fewer than
    :data:`MIN_TRIMMED_SCORES` (5) for a trimmed mean.
    """
    values = sorted(as_fraction(s) for s in scores)
    if Aggregation(method) is Aggregation.TRIMMED_MEAN:
        if len(values) < MIN_TRIMMED_SCORES:
            raise ValueError(
                f"去掉一个最高分和一个最低分后平均，至少需要{MIN_TRIMMED_SCORES}名专家的评分，"
                f"实际只有{len(values)}名；请改用算术平均或增加评审专家"
            )
        values = values[1:-1]
    if not values:
        raise ValueError("没有专家评分")
    return sum(values, Fraction(0)) / len(values)


def check_scores(expert_score: Score, site_score: Score, *, path: str = "") -> list[Violation]:
    """R10.3a: each score lies in [0, 100]."""
    out: list[Violation] = []
    for key, label, value in (
        ("expert_score", "专家评审得分", expert_score),
        ("site_score", "现场考察得分", site_score),
    ):
        exact = as_fraction(value)
        if not 0 <= exact <= MAX_SCORE:
            out.append(
                violation(
                    "R10.3a",
                    f"{path}.{key}" if path else key,
                    f"{label} {format_score(exact)} 不在0—{MAX_SCORE}分之间",
                    format_score(exact),
                    f"0—{MAX_SCORE}分",
                )
            )
    return out


def total_score(
    expert_score: Score, site_score: Score, settings: RuleSettings = DEFAULT_SETTINGS
) -> Fraction:
    """R10.3a: 专家评审 × 50% + 现场考察 × 50% (weights from the settings), exact."""
    return (
        as_fraction(expert_score) * settings.expert_score_weight
        + as_fraction(site_score) * settings.site_score_weight
    )


def review_decision(total: Score, settings: RuleSettings = DEFAULT_SETTINGS) -> ReviewDecision:
    """R10.3b: total ≥ pass score (60) → 拟认定, otherwise 不予认定."""
    return (
        ReviewDecision.PROPOSED
        if as_fraction(total) >= settings.pass_score
        else ReviewDecision.NOT_RECOGNIZED
    )


def exact_text(score: Fraction) -> str:
    """The exact text of a score as stored: a decimal when it terminates (``79.5``), else ``a/b``
    (``182/3``); :func:`parse_exact` reads both back."""
    n, d = score.numerator, score.denominator
    rest = d
    for p in (2, 5):
        while rest % p == 0:
            rest //= p
    if rest != 1:
        return f"{n}/{d}"
    digits = 0
    while (score * 10**digits).denominator != 1:
        digits += 1
    scaled = int(score * 10**digits)
    if digits == 0:
        return str(scaled)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def parse_exact(text_value: str) -> Fraction:
    """Inverse of :func:`exact_text` (``79.5`` or ``182/3``); ``ValueError`` for anything else."""
    try:
        return Fraction(text_value.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"分数“{text_value}”格式错误") from None


def shown_score(score: Score) -> str:
    """A score with exactly two decimals, cut (never rounded up): ``59.995`` → ``59.99``, so a score
    below a bound of whole or two-decimal points never shows as the bound (``60.00``)."""
    value = as_fraction(score)
    cents = math.floor(value * 100)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"


def format_score(score: Fraction) -> str:
    """``Fraction(159, 2)`` → ``79.5``; non-terminating values to two decimals."""
    if score.denominator == 1:
        return str(score.numerator)
    for digits in (1, 2):
        if (score * 10**digits).denominator == 1:
            return f"{float(score):.{digits}f}"
    return f"{float(score):.2f}"


@dataclass(frozen=True, slots=True)
class ExpertAffiliation:
    """An expert of a review panel and the organization they work for."""

    name: str
    organization: str
    credit_code: str | None = None


def check_recusal(expert: ExpertAffiliation, decl: Declaration) -> list[Violation]:
    """R10.3c: an expert from the applicant, a co-building unit or a joint applicant must not score."""
    units = [("依托单位", decl.host.name, decl.host.credit_code)]
    units += [("共建单位", o.name, o.credit_code) for o in decl.co_builders]
    units += [("联合申报单位", o.name, o.credit_code) for o in decl.joint_applicants]
    for role, name, code in units:
        same_code = (
            bool(expert.credit_code and code)
            and (expert.credit_code or "").strip().upper() == code.strip().upper()
        )
        same_name = expert.organization.strip() != "" and expert.organization.strip() == name.strip()
        if same_code or same_name:
            return [
                violation(
                    "R10.3c",
                    "experts",
                    f"专家{expert.name}来自{role}“{name}”，应回避，不得为该申报评分",
                    expert.organization,
                    "与申报单位、共建单位、联合申报单位无隶属关系",
                )
            ]
    return []


@dataclass(frozen=True, slots=True)
class Objection:
    received: date
    resolved: bool
    upheld: bool = False  # an upheld objection means the centre is withdrawn, not recognised


@dataclass(frozen=True, slots=True)
class PublicNotice:
    """公示: first and last day (both included) and the (accepted) objections received; how the
    period was counted (``None``: as the settings say)."""

    start: date
    end: date
    objections: tuple[Objection, ...] = ()
    period_rule: PeriodRule | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def notice_rule(settings: RuleSettings) -> PeriodRule:
    """How the settings count a 公示 period."""
    return PeriodRule.WORKING_DAYS if settings.public_notice_working_days else PeriodRule.CALENDAR_DAYS


def check_recognition(
    notice: PublicNotice | None,
    recognition_date: date,
    settings: RuleSettings = DEFAULT_SETTINGS,
    calendar: HolidayCalendar = NO_HOLIDAYS,
) -> list[Violation]:
    """R10.4: recognition needs a finished public notice of the set length (calendar or working
    days, ``calendar`` gives the holidays) with every objection resolved and none upheld."""
    if notice is None:
        return [
            violation(
                "R10.4", "public_notice", "拟认定名单尚未公示，不能发文认定", "未公示", "公示期满且无异议"
            )
        ]
    out: list[Violation] = []
    rule = notice.period_rule or notice_rule(settings)
    counted = count_days(notice.start, notice.end, rule, calendar)
    if counted < settings.public_notice_days:
        out.append(
            violation(
                "R10.4",
                "public_notice.end",
                f"公示期 {text.day(notice.start)} 至 {text.day(notice.end)} 共 {counted}{rule.unit}，"
                f"要求不少于 {settings.public_notice_days}{rule.unit}",
                f"{counted}{rule.unit}",
                f"≥ {settings.public_notice_days}{rule.unit}",
            )
        )
    if recognition_date <= notice.end:
        out.append(
            violation(
                "R10.4",
                "recognition_date",
                f"认定日期 {text.day(recognition_date)} 早于公示期结束（{text.day(notice.end)}）",
                text.day(recognition_date),
                f"≥ {text.day(notice.end + timedelta(days=1))}",
            )
        )
    open_objections = [o for o in notice.objections if not o.resolved]
    if open_objections:
        out.append(
            violation(
                "R10.4",
                "public_notice.objections",
                f"公示期间收到的异议有 {len(open_objections)} 件尚未处理",
                f"{len(open_objections)}件未处理",
                "异议全部处理完毕",
            )
        )
    upheld = [o for o in notice.objections if o.resolved and o.upheld]
    if upheld:
        out.append(
            violation(
                "R10.4",
                "public_notice.objections",
                f"公示异议 {len(upheld)} 件经核实成立，不予认定",
                f"{len(upheld)}件异议成立",
                "公示无异议",
            )
        )
    return out


def awarded_title(field: str) -> str:
    """R10.5: the title awarded, 柳州市××工程技术研究中心."""
    return f"柳州市{field}工程技术研究中心"
