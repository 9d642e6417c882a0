"""评审评分表 (第十条（三）): the indicators an expert scores, their maximum points and guidance.

A score sheet is a TOML file ``forms/review-<year>.toml`` in the format
``lzcenter.review-sheet/1``::

    format = "lzcenter.review-sheet/1"
    version = "2026.1"
    year = 2026
    title = "柳州市工程技术研究中心认定评审评分表"
    [[indicators]]
    key = "rd_team"          # ASCII key, unique
    name = "研发队伍"
    max = 20                 # points, an integer or a decimal text; all maxima add up to 100
    guidance = "…"

Points are exact decimals with at most two decimal places (``Decimal``, never ``float``); the
total an expert gives a declaration is the exact sum of the indicators' points.

Pure Python: the standard library only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .sheet_parsing import MAX_DECIMALS as MAX_DECIMALS
from .sheet_parsing import SHEET_TOTAL as SHEET_TOTAL
from .sheet_parsing import (
    check_total,
    indicator_key_name,
    indicator_max_guidance,
    load_toml,
    sheet_header,
    sheet_items,
)
from .sheet_parsing import decimal_text as decimal_text
from .sheet_parsing import parse_decimal as parse_decimal

SHEET_FORMAT = "lzcenter.review-sheet/1"
_WHAT = "评分表"

PointsInput = Mapping[str, Decimal | str | int]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One scoring indicator (评分指标): its key, Chinese name, maximum points and guidance."""

    key: str
    name: str
    max_points: Decimal
    guidance: str


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """A parsed, valid score sheet: the indicators' maxima add up to exactly 100."""

    format: str
    version: str
    year: int
    title: str
    indicators: tuple[Indicator, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators)

    def indicator(self, key: str) -> Indicator:
        """The indicator with ``key``; ``KeyError`` when the sheet has none."""
        for item in self.indicators:
            if item.key == key:
                return item
        raise KeyError(key)


def parse_sheet(text: str) -> ScoreSheet:
    """Parse and validate a score sheet; ``ValueError`` (Chinese, naming the item) when it is wrong."""
    data = load_toml(text, _WHAT)
    version, year, title = sheet_header(data, _WHAT, SHEET_FORMAT)
    indicators: list[Indicator] = []
    keys: set[str] = set()
    names: set[str] = set()
    for n, item in enumerate(sheet_items(data, _WHAT), start=1):
        indicators.append(_indicator(n, item, keys, names))
    check_total((i.max_points for i in indicators), _WHAT)
    return ScoreSheet(
        format=SHEET_FORMAT, version=version, year=year, title=title, indicators=tuple(indicators)
    )


def _indicator(n: int, item: object, keys: set[str], names: set[str]) -> Indicator:
    where = f"评分表第{n}项指标"
    table, key, name = indicator_key_name(where, item, {"key", "name", "max", "guidance"}, keys, names)
    max_points, guidance = indicator_max_guidance(where, table, name)
    keys.add(key)
    names.add(name)
    return Indicator(key=key, name=name, max_points=max_points, guidance=guidance)


def check_points(sheet: ScoreSheet, points: PointsInput) -> dict[str, Decimal]:
    """Every indicator's points, exact, in the sheet's order.

    ``ValueError`` naming the indicator for a missing, unknown, negative, above-maximum value or
    one with more than two decimals."""
    unknown = [k for k in points if k not in sheet.keys]
    if unknown:
        raise ValueError(f"评分表“{sheet.title}”（{sheet.version}）中没有指标“{unknown[0]}”")
    out: dict[str, Decimal] = {}
    for ind in sheet.indicators:
        raw = points.get(ind.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise ValueError(f"请填写指标“{ind.name}”的得分（0—{decimal_text(ind.max_points)}分）")
        value = parse_decimal(raw, f"指标“{ind.name}”的得分")
        if value < 0:
            raise ValueError(f"指标“{ind.name}”的得分 {decimal_text(value)} 不能为负数")
        if value > ind.max_points:
            raise ValueError(
                f"指标“{ind.name}”的得分 {decimal_text(value)} 超过该项满分 {decimal_text(ind.max_points)} 分"
            )
        out[ind.key] = value
    return out


def sheet_total(sheet: ScoreSheet, points: PointsInput) -> Decimal:
    """The exact total of one expert's points (see :func:`check_points` for what is refused)."""
    return sum(check_points(sheet, points).values(), Decimal(0))


def points_to_json(points: Mapping[str, Decimal]) -> str:
    """The points as stored: a JSON object of exact decimal texts keyed by indicator."""
    return json.dumps({k: decimal_text(v) for k, v in points.items()}, ensure_ascii=False)


def points_from_json(text: str) -> dict[str, Decimal]:
    """Inverse of :func:`points_to_json`; ``ValueError`` for a damaged value."""
    data = json.loads(text)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError("评分明细格式错误")
    return {str(k): parse_decimal(v, f"指标“{k}”的得分") for k, v in data.items()}
