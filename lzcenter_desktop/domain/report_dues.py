"""第二十一条 工作年报: who must report for a year, each report's due status, the reminder list,
and the reproducible random draw of reports for on-site verification (现场核查, E21c).

Who reports (E21a). 第二十一条: “工程技术中心应在每年12月底前按规定填报《柳州市工程技术研究中心工作年报》”.
The duty falls on every 工程技术中心, i.e. every centre holding the title at the end of the year
(state in :data:`lifecycle.TITLED_STATES` on 31 December). The text makes no exception for a centre
recognised during the year, so a centre recognised on any day of the year (even in December)
reports for that year; one whose title ended (撤销、自动放弃) before 31 December does not, one whose
title ends later in the following year still does.

Status of a report, given the deadline of the rule settings (``annual_report_due``, 12-31 by
default): 已按期报送 (submitted on or before the deadline), 逾期报送 (submitted after it),
未报送 (not submitted, deadline not yet passed), 逾期未报 (not submitted, deadline passed as of
the day asked). The reminder list starts on 1 December of the year (or on the deadline itself if
a rule set moves it earlier) and holds every centre whose report is not yet received.

The draw (E21c). Candidates are sorted by id, so the order a query returns them in does not
matter; ``random.Random(seed)`` makes the same seed give the same list. Without strata:
``sample`` of ``count`` among the candidates. With strata (district or first industry):

* ``count`` ≥ number of strata: one per stratum first, the rest divided in proportion to what
  each stratum has left (largest remainder);
* ``count`` < number of strata: divided in proportion to the strata's sizes (largest remainder),
  so some strata get none;

ties of the largest remainder are broken in a seeded random order of the strata, never by name.
Within a stratum the centres are drawn with ``sample``.

Pure Python: no database, no Qt.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from .evaluation import annual_report_due
from .lifecycle import TITLED_STATES, CenterState
from .settings import DEFAULT_SETTINGS, RuleSettings

#: 1 December: from this day of the report year the clerk reminds centres that have not reported.
REMINDER_MONTH_DAY = (12, 1)
#: the stratum of a candidate with no district or industry on record
UNKNOWN_STRATUM = "未登记"


class DueStatus(StrEnum):
    RECEIVED = "received"  # 已按期报送
    LATE = "late"  # 逾期报送
    MISSING = "missing"  # 未报送（未到截止日）
    OVERDUE = "overdue"  # 逾期未报

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def received(self) -> bool:
        return self in (DueStatus.RECEIVED, DueStatus.LATE)


_STATUS_LABELS: Mapping[DueStatus, str] = {
    DueStatus.RECEIVED: "已按期报送",
    DueStatus.LATE: "逾期报送",
    DueStatus.MISSING: "未报送",
    DueStatus.OVERDUE: "逾期未报",
}


def report_deadline(year: int, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """The last day to file the 工作年报 of ``year`` (31 December unless the rule set says otherwise)."""
    return annual_report_due(year, settings)


def state_on(day: date, changes: Sequence[tuple[date, str]]) -> str | None:
    """The state in effect on ``day`` from a centre's state changes ``(changed_on, to_state)``
    (any order; of several changes on one day the last given wins); ``None`` before the first."""
    current: str | None = None
    for on, state in sorted(changes, key=lambda change: change[0]):  # stable: same-day order kept
        if on > day:
            break
        current = state
    return current


def must_report(year: int, changes: Sequence[tuple[date, str]]) -> bool:
    """Whether the centre with these state changes must file the 工作年报 of ``year``: it holds the
    title (已认定 or 整改中) on 31 December of that year."""
    state = state_on(date(year, 12, 31), changes)
    return state is not None and CenterState(state) in TITLED_STATES


def due_status(
    year: int, submitted_on: date | None, *, as_of: date, settings: RuleSettings = DEFAULT_SETTINGS
) -> DueStatus:
    """The status on ``as_of`` of one report of ``year``; ``submitted_on`` is ``None`` while not
    submitted (a report submitted after ``as_of`` was not yet received on that day)."""
    deadline = report_deadline(year, settings)
    if submitted_on is not None and submitted_on <= as_of:
        return DueStatus.RECEIVED if submitted_on <= deadline else DueStatus.LATE
    return DueStatus.OVERDUE if as_of > deadline else DueStatus.MISSING


def reminder_start(year: int, settings: RuleSettings = DEFAULT_SETTINGS) -> date:
    """The first day reminders go out for ``year``: 1 December, or the deadline if earlier."""
    return min(date(year, *REMINDER_MONTH_DAY), report_deadline(year, settings))


def needs_reminder(
    year: int, status: DueStatus, *, as_of: date, settings: RuleSettings = DEFAULT_SETTINGS
) -> bool:
    """A centre is on the reminder list from :func:`reminder_start` while its report is not received."""
    return as_of >= reminder_start(year, settings) and not status.received


# ------------------------------------------------------------------ 现场核查 (E21c)


def draw_method(count: int, seed: int, stratum_name: str | None) -> str:
    """The text recorded as the draw's method, e.g. ``随机抽取3家（种子 2025，按所在区县分层）``."""
    layered = f"，按{stratum_name}分层" if stratum_name else ""
    return f"随机抽取{count}家（种子 {seed}{layered}）"


def check_draw_count(count: int, available: int, year: int) -> None:
    """``ValueError`` (Chinese) unless 1 ≤ ``count`` ≤ ``available``."""
    if available <= 0:
        raise ValueError(f"{year}年度尚无已报送的工作年报，无法抽取现场核查对象")
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        raise ValueError(f"抽取数量应为正整数（收到“{count}”），请填写要现场核查的中心家数")
    if count > available:
        raise ValueError(
            f"抽取数量 {count} 超过{year}年度可抽取的已报送年报数 {available}，"
            f"请将抽取数量减少到 {available} 以内"
        )


def allocate(sizes: Mapping[str, int], count: int, rng: random.Random) -> dict[str, int]:
    """How many to draw from each stratum (see the module docstring); sums to ``count``."""
    keys = sorted(sizes)
    tie_order = {key: i for i, key in enumerate(rng.sample(keys, len(keys)))}
    if count >= len(keys):
        base = dict.fromkeys(keys, 1)
        weights = {key: sizes[key] - 1 for key in keys}
        rest = count - len(keys)
    else:
        base = dict.fromkeys(keys, 0)
        weights = dict(sizes)
        rest = count
    total = sum(weights.values())
    if rest == 0 or total == 0:
        return base
    quotas = {key: Fraction(rest * weights[key], total) for key in keys}
    shares = {key: int(quotas[key]) for key in keys}
    left = rest - sum(shares.values())
    by_remainder = sorted(keys, key=lambda k: (-(quotas[k] - shares[k]), tie_order[k]))
    for key in by_remainder[:left]:
        shares[key] += 1
    return {key: base[key] + shares[key] for key in keys}


@dataclass(frozen=True, slots=True)
class Drawn:
    """One drawn candidate and its stratum (``None`` for an unstratified draw)."""

    key: int
    stratum: str | None


def draw(
    candidates: Mapping[int, str | None] | Sequence[int],
    count: int,
    seed: int,
    *,
    year: int,
    stratified: bool = False,
) -> list[Drawn]:
    """Draw ``count`` candidate keys reproducibly; ``candidates`` maps key → stratum when
    ``stratified`` (a missing stratum counts as :data:`UNKNOWN_STRATUM`). Sorted by key."""
    keys = sorted(candidates)
    check_draw_count(count, len(keys), year)
    rng = random.Random(seed)
    if not stratified:
        return [Drawn(key, None) for key in sorted(rng.sample(keys, count))]
    if not isinstance(candidates, Mapping):
        raise TypeError("a stratified draw needs each candidate's stratum")
    strata: dict[str, list[int]] = {}
    for key in keys:
        strata.setdefault(candidates[key] or UNKNOWN_STRATUM, []).append(key)
    shares = allocate({name: len(members) for name, members in strata.items()}, count, rng)
    out: list[Drawn] = []
    for name in sorted(strata):
        out.extend(Drawn(key, name) for key in rng.sample(strata[name], shares[name]))
    return sorted(out, key=lambda d: d.key)
