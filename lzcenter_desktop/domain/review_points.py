"""Points as an expert types them in 评审模式: checked entry by entry, with a live running sum.

The rules are those of :mod:`.scoresheet` (exact decimals, at most two decimal places, 0 to the
indicator's maximum); this module only adds what typing needs — full-width digits accepted, an
empty entry meaning "not scored yet", and a problem per indicator instead of the first one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .scoresheet import Indicator, ScoreSheet, decimal_text, parse_decimal, sheet_total


def normalise_points_text(text: str) -> str:
    """What was typed, as decimal text: full-width digits, point and minus accepted, spaces dropped."""
    table = str.maketrans("０１２３４５６７８９．。－", "0123456789..-")
    return text.translate(table).replace(" ", "").replace("\u3000", "")


def check_entry(indicator: Indicator, text: str) -> tuple[Decimal | None, str | None]:
    """The value of one typed entry and, when it cannot be accepted, why (Chinese, naming the
    indicator, as :func:`~.scoresheet.check_points` words it). An empty entry is ``(None, None)``:
    not scored yet."""
    cleaned = normalise_points_text(text)
    if cleaned == "":
        return None, None
    try:
        value = parse_decimal(cleaned, f"指标“{indicator.name}”的得分")
    except ValueError as exc:
        return None, str(exc)
    if value < 0:
        return value, f"指标“{indicator.name}”的得分 {decimal_text(value)} 不能为负数"
    if value > indicator.max_points:
        return value, (
            f"指标“{indicator.name}”的得分 {decimal_text(value)} "
            f"超过该项满分 {decimal_text(indicator.max_points)} 分"
        )
    return value, None


def canonical_points(sheet: ScoreSheet, points: Mapping[str, str]) -> dict[str, str]:
    """The entries of ``points`` as stored: valid values as exact decimal text (``85.50`` →
    ``85.5``), anything else as typed (a set with such an entry is incomplete); empty ones left out."""
    out: dict[str, str] = {}
    for indicator in sheet.indicators:
        text = points.get(indicator.key, "")
        value, problem = check_entry(indicator, text)
        if value is not None and problem is None:
            out[indicator.key] = decimal_text(value)
        elif normalise_points_text(text) != "":
            out[indicator.key] = normalise_points_text(text)
    return out


@dataclass(frozen=True, slots=True)
class PointsCheck:
    """The live state of one score set: the sum of the accepted entries, the problems by
    indicator key, the indicators not yet scored, and the exact total when complete."""

    running_sum: Decimal
    problems: Mapping[str, str]
    missing: tuple[str, ...]
    total: Decimal | None

    @property
    def complete(self) -> bool:
        return self.total is not None


def check_score_set(sheet: ScoreSheet, points: Mapping[str, str]) -> PointsCheck:
    running = Decimal(0)
    problems: dict[str, str] = {}
    missing: list[str] = []
    for indicator in sheet.indicators:
        value, problem = check_entry(indicator, points.get(indicator.key, ""))
        if problem is not None:
            problems[indicator.key] = problem
        elif value is None:
            missing.append(indicator.key)
        else:
            running += value
    total: Decimal | None = None
    if not problems and not missing:
        total = sheet_total(sheet, canonical_points(sheet, points))
    return PointsCheck(running, problems, tuple(missing), total)
