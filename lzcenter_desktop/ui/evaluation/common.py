"""What the tabs of the 绩效评估 page share beyond the 评审 page's pieces (``ui/review/common.py``,
reused as they are): the tab base bound to the evaluation page, the kinds of change its writes
announce, and the Chinese labels of grades and outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QColor

from lzcenter_desktop.domain.evaluation import Grade, Outcome
from lzcenter_desktop.domain.scoresheet import ScoreSheet
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import scoring
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.review.common import ReviewTab
from lzcenter_desktop.ui.tasks import Task

if TYPE_CHECKING:
    from lzcenter_desktop.ui.evaluation.page import EvaluationPage

#: what an evaluation write changes: the evaluation records
EVALUATION_KINDS = frozenset({"evaluation"})
#: a consequence or an acceptance result also moves the centre's state
STATE_KINDS = frozenset({"evaluation", "centers"})
#: the kinds of change the 绩效评估 page reads again after
WATCHED_KINDS = frozenset({"evaluation", "centers", "reports", "review", "organizations", "people"})

GRADE_COLOURS = {
    Grade.EXCELLENT.value: style.OK_COLOR,
    Grade.QUALIFIED.value: None,
    Grade.RECTIFY.value: style.WARNING_COLOR,
    Grade.FAILED.value: style.ERROR_COLOR,
}


def grade_colour(grade: str | None) -> QColor | None:
    colour = GRADE_COLOURS.get(grade or "")
    return QColor(colour) if colour else None


def outcome_label(outcome: str | None) -> str:
    """保留称号 / 限期整改 / 取消称号 / 视为自动放弃资格 (or the stored text when unknown)."""
    if not outcome:
        return ""
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome


def outcome_colour(outcome: str | None) -> QColor | None:
    if outcome in (Outcome.REVOKE.value, Outcome.FORFEIT.value):
        return QColor(style.ERROR_COLOR)
    if outcome == Outcome.RECTIFY.value:
        return QColor(style.WARNING_COLOR)
    return None


def sheet_of(ctx: Any, round_id: int) -> tuple[ScoreSheet | None, str]:
    """The round's score sheet, or None with the service's reason (a missing or changed
    ``forms/evaluation-<year>.toml``): the tab still shows its lists, the score entry says why
    it is off. Runs on the worker thread."""
    try:
        return scoring.round_score_sheet(ctx, round_id=round_id), ""
    except ServiceError as exc:
        return None, exc.message


def day_text(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


class EvaluationTab(ReviewTab):
    """A tab of the 绩效评估 page: the 评审 tab base (reads off the UI thread, writes through
    ``ui.ops``, refusals on the message line), bound to :class:`EvaluationPage` as :attr:`owner`;
    its writes announce ``evaluation`` unless told otherwise."""

    #: the tab shows the page's current round (nothing when there is none)
    needs_round = True

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.owner: EvaluationPage = page

    @property
    def round_id(self) -> int | None:
        return self.owner.round_id

    def write(
        self,
        fn: Callable[[], Any],
        *,
        done: Callable[[Any], None] | None = None,
        kinds: frozenset[str] = EVALUATION_KINDS,
        busy: str = "正在保存…",
        on_error: Callable[[str], None] | None = None,
    ) -> Task[Any]:
        return super().write(fn, done=done, kinds=kinds, busy=busy, on_error=on_error)
