"""概览: the figures the clerk sees first each morning, one read per figure, each a small DTO.

* :func:`centre_figures` — centres by state, by district and by first industry (in
  :mod:`.dashboard_centres`, which needs no SQLAlchemy: the first screen draws them first).
* :func:`report_figure` — the 工作年报 of the current report year (E21a,
  :func:`services.annual.dues.year_dues`): from the first reminder day of a year (1 December)
  that year, before it the year before (whose reports fell due on its 31 December).
* :func:`evaluation_figure` — titled centres whose three-yearly evaluation (E22) falls in or
  before the year of ``as_of`` and which are not in that year's round yet: engineer "rounds"'
  :func:`services.evaluation.rounds.due_centres` (:func:`domain.evaluation.evaluation_due` from
  the latest recognition in the state history — an accepted rectification is not a new one — and
  the centre's latest evaluation result since), so the count and the 绩效评估 list agree.
* :func:`rectification_figure` — pending rectifications (整改) whose deadline is within the next
  :data:`RECTIFICATION_WINDOW_DAYS` days (day 0 = ``as_of`` and day 90 included, day 91 not);
  those already past their deadline are counted apart.
* :func:`formal_figure` — declarations waiting for 形式审查 (submitted, and either never checked
  or re-submitted after 退回补正), by call year.

Every function reads in its own session and returns frozen dataclasses; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from lzcenter_desktop.domain import report_dues
from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.annual.dues import year_dues
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dashboard_centres import (
    UNREGISTERED,
    Bar,
    CentreFigures,
    CountFigure,
    centre_figures,
    centres_by_district,
    centres_by_industry,
    centres_by_state,
)
from lzcenter_desktop.services.evaluation.rounds import DueCentre, due_centres
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Declaration,
    FormalCheck,
    Rectification,
)

__all__ = [
    "UNREGISTERED",
    "Bar",
    "CentreFigures",
    "CountFigure",
    "EvaluationFigure",
    "FormalFigure",
    "RectificationDue",
    "RectificationFigure",
    "ReportFigure",
    "WaitingDeclaration",
    "centre_figures",
    "centres_by_district",
    "centres_by_industry",
    "centres_by_state",
    "current_report_year",
    "evaluation_figure",
    "formal_figure",
    "rectification_figure",
    "report_figure",
]
#: rectification deadlines shown: from today to today + 90 days, both included
RECTIFICATION_WINDOW_DAYS = 90
_SUBMITTED = "submitted"  # services.declarations.SUBMITTED (not imported: that package is heavy)
_RETURNED = "returned"  # services.review.formal.RETURNED
_FINISHED = "finished"  # EvaluationRound.status of a finished round
_PENDING = "pending"  # Rectification.outcome while the acceptance is not decided


# --- DTOs -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportFigure:
    """The 工作年报 of ``year`` as of ``as_of``: how many centres must report and where they are."""

    year: int
    as_of: dt.date
    deadline: dt.date
    due: int  # centres that must report for the year
    received: int  # 已按期报送
    late: int  # 逾期报送
    missing: int  # 未报送 (deadline not passed yet)
    overdue: int  # 逾期未报
    rows: tuple[tuple[str, str, str, str], ...]  # (centre, host, status label, submitted on or "")


@dataclass(frozen=True, slots=True)
class EvaluationFigure:
    year: int
    as_of: dt.date
    rows: tuple[DueCentre, ...]  # by due date, then name

    @property
    def overdue(self) -> int:
        """Of them, those whose due date has passed on ``as_of``."""
        return sum(1 for row in self.rows if row.due_on < self.as_of)


@dataclass(frozen=True, slots=True)
class RectificationDue:
    rectification_id: int
    center_id: int
    center_name: str
    notice_date: dt.date
    deadline: dt.date
    days_left: int  # negative: the deadline has passed


@dataclass(frozen=True, slots=True)
class RectificationFigure:
    as_of: dt.date
    window_days: int
    rows: tuple[RectificationDue, ...]  # deadlines within the window, soonest first
    past_deadline: tuple[RectificationDue, ...]  # pending, deadline already passed


@dataclass(frozen=True, slots=True)
class WaitingDeclaration:
    declaration_id: int
    center_name: str
    call_year: int
    submitted_on: dt.date | None
    resubmitted: bool  # back after 退回补正


@dataclass(frozen=True, slots=True)
class FormalFigure:
    rows: tuple[WaitingDeclaration, ...]  # oldest submission first

    def by_year(self) -> tuple[tuple[int, int], ...]:
        """(call year, declarations waiting), by year."""
        counts = Counter(row.call_year for row in self.rows)
        return tuple(sorted(counts.items()))


# --- 工作年报 ---------------------------------------------------------------------------------------


def current_report_year(ctx: AppContext, as_of: dt.date) -> int:
    """The year whose 工作年报 the clerk follows on ``as_of``: this year from its reminder day
    (1 December), before that the previous year."""
    settings = rulesets.settings_for_year(ctx, as_of.year)
    return as_of.year if as_of >= report_dues.reminder_start(as_of.year, settings) else as_of.year - 1


def report_figure(ctx: AppContext, *, as_of: dt.date, year: int | None = None) -> ReportFigure:
    """The 工作年报 of ``year`` (default :func:`current_report_year`) as of ``as_of``."""
    chosen = current_report_year(ctx, as_of) if year is None else year
    dues = year_dues(ctx, year=chosen, as_of=as_of)
    counts = Counter(row.status for row in dues.rows)
    return ReportFigure(
        year=chosen,
        as_of=as_of,
        deadline=dues.deadline,
        due=len(dues.rows),
        received=counts[DueStatus.RECEIVED],
        late=counts[DueStatus.LATE],
        missing=counts[DueStatus.MISSING],
        overdue=counts[DueStatus.OVERDUE],
        rows=tuple(
            (
                row.center_name,
                row.host_name,
                row.status_label,
                row.submitted_on.isoformat() if row.submitted_on else "",
            )
            for row in dues.rows
        ),
    )


# --- 绩效评估 ---------------------------------------------------------------------------------------


def evaluation_figure(ctx: AppContext, *, as_of: dt.date) -> EvaluationFigure:
    """Titled centres due for evaluation in or before the year of ``as_of`` (E22) and not yet in
    that year's round — the list the 绩效评估 section starts a round from
    (:func:`services.evaluation.rounds.due_centres`), so the count and that list agree."""
    rows = due_centres(ctx, year=as_of.year, as_of=as_of)
    return EvaluationFigure(year=as_of.year, as_of=as_of, rows=tuple(rows))


# --- 整改 ---------------------------------------------------------------------------------------------


def rectification_figure(
    ctx: AppContext, *, as_of: dt.date, window_days: int = RECTIFICATION_WINDOW_DAYS
) -> RectificationFigure:
    """Pending rectifications with a deadline from ``as_of`` to ``as_of + window_days`` (both
    included), and those whose deadline has already passed."""
    last_day = as_of + dt.timedelta(days=window_days)
    with reading(ctx) as session:
        found = session.execute(
            sa_select(
                col(Rectification.id),
                col(Rectification.center_id),
                col(Center.name_zh),
                col(Rectification.notice_date),
                col(Rectification.deadline),
            )
            .join(Center, col(Center.id) == col(Rectification.center_id))
            .where(col(Rectification.outcome) == _PENDING, col(Rectification.deadline) <= last_day)
            .order_by(col(Rectification.deadline), col(Center.name_zh), col(Rectification.id))
        ).all()
    rows = [
        RectificationDue(rid, cid, name, notice, deadline, (deadline - as_of).days)
        for rid, cid, name, notice, deadline in found
    ]
    return RectificationFigure(
        as_of=as_of,
        window_days=window_days,
        rows=tuple(r for r in rows if r.days_left >= 0),
        past_deadline=tuple(r for r in rows if r.days_left < 0),
    )


# --- 形式审查 -----------------------------------------------------------------------------------------


def formal_figure(ctx: AppContext) -> FormalFigure:
    """Declarations waiting for 形式审查: submitted and never decided, or re-submitted after
    退回补正 (the last round's decision is 退回补正), as in the queue of
    :func:`services.review.formal.formal_queue`."""
    last_decision = (
        select(col(FormalCheck.decision))
        .where(col(FormalCheck.declaration_id) == col(Declaration.id))
        .order_by(col(FormalCheck.round).desc())
        .limit(1)
        .scalar_subquery()
    )
    with reading(ctx) as session:
        found = session.execute(
            sa_select(
                col(Declaration.id),
                col(Declaration.name_zh),
                col(AnnualCall.year),
                col(Declaration.submitted_on),
                last_decision,
            )
            .join(AnnualCall, col(AnnualCall.id) == col(Declaration.call_id))
            .where(col(Declaration.status) == _SUBMITTED)
            .order_by(col(Declaration.submitted_on), col(Declaration.id))
        ).all()
    return FormalFigure(
        rows=tuple(
            WaitingDeclaration(did, name, year, submitted, decision == _RETURNED)
            for did, name, year, submitted, decision in found
            if decision is None or decision == _RETURNED
        )
    )
