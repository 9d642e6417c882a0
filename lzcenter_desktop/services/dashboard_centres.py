"""概览's centre figures — by state, by district, by first industry — without SQLAlchemy.

They are counted from the rows of the 中心 list itself (:func:`services.center_list.list_centers`:
one query through a plain ``sqlite3`` connection for a SQLite file, and it takes the list read
ahead at start-up), so the first screen draws its charts before the data layer is imported. The
labels are the list's own (state label, district name, industry): a bar clicked through to the
中心 section filters to exactly the centres it counted. A centre with no district or industry on
record is counted under 未登记, which is not a filter value of the list (``filter_value`` None).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lzcenter_desktop.domain.lifecycle import STATE_LABELS
from lzcenter_desktop.services import center_list
from lzcenter_desktop.services.context import AppContext

#: the label of centres with no district / industry on record
UNREGISTERED = "未登记"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar or slice: its label, its count, and the 中心 list filter value it stands for (None
    when the list cannot filter on it, e.g. 未登记)."""

    label: str
    count: int
    filter_value: str | None


@dataclass(frozen=True, slots=True)
class CountFigure:
    """Centres counted by one property; ``bars`` largest first (states in lifecycle order)."""

    title: str  # e.g. 各状态中心数
    dimension: str  # the column header of the property, e.g. 状态
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


@dataclass(frozen=True, slots=True)
class CentreFigures:
    by_state: CountFigure
    by_district: CountFigure
    by_industry: CountFigure


# --- the figures ---------------------------------------------------------------------------------------


def _count_bars(values: Sequence[str]) -> tuple[Bar, ...]:
    counts = Counter(values)
    known = sorted(((v, n) for v, n in counts.items() if v), key=lambda item: (-item[1], item[0]))
    bars = [Bar(label, n, label) for label, n in known]
    if counts.get(""):
        bars.append(Bar(UNREGISTERED, counts[""], None))
    return tuple(bars)


def centre_figures(ctx: AppContext) -> CentreFigures:
    """Every centre by state (lifecycle order), by district and by first industry (most first)."""
    rows = center_list.list_centers(ctx)
    states = Counter(row.status_code for row in rows)
    order = {state.value: i for i, state in enumerate(STATE_LABELS)}
    labels = {state.value: text for state, text in STATE_LABELS.items()}
    state_bars = tuple(
        Bar(labels.get(code, code), states[code], labels.get(code, code))
        for code in sorted(states, key=lambda c: (order.get(c, len(order)), c))
    )
    return CentreFigures(
        by_state=CountFigure("各状态中心数", "状态", state_bars),
        by_district=CountFigure("各县区中心数", "县区", _count_bars([row.district for row in rows])),
        by_industry=CountFigure("各产业领域中心数", "产业领域", _count_bars([row.industry for row in rows])),
    )


def centres_by_state(ctx: AppContext) -> CountFigure:
    return centre_figures(ctx).by_state


def centres_by_district(ctx: AppContext) -> CountFigure:
    return centre_figures(ctx).by_district


def centres_by_industry(ctx: AppContext) -> CountFigure:
    return centre_figures(ctx).by_industry
