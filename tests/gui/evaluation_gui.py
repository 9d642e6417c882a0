"""Helpers for the 绩效评估 page tests: recognised centres due for evaluation (tests/evaluation_records.py),
experts drawn and scores entered through the services, and the page shown at 1366×768.

Everything a test writes through the GUI is checked in the database through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.services.evaluation import scoring
from lzcenter_desktop.ui.evaluation.page import EvaluationPage
from tests.evaluation_records import (
    GRADED_ON,
    add_experts,
    add_past_evaluation,
    centre_with_history,
    evaluation_of,
    points_for,
    start_round,
)
from tests.gui.review_gui import settle

TODAY = GRADED_ON  # 2026-11-20


def round_with_centres(
    ctx: Any, count: int, *, experts: int = 3, past: dict[int, str] | None = None
) -> tuple[int, list[int], list[int]]:
    """A 2026 round (started 2026-09-01) of ``count`` centres recognised in 2023 with their three
    reports filed (the 第九条 conditions hold), ``experts`` experts drawn for each (seed 7);
    ``past``: a grade of the centre at that index in the (finished) 2025 round. Returns (round id, centre
    ids, evaluation ids in centre order)."""
    ids = [centre_with_history(ctx, f"评估{n}号", dt.date(2023, 3, n)) for n in range(1, count + 1)]
    for index, grade in (past or {}).items():
        add_past_evaluation(ctx, ids[index], 2025, grade)
    add_experts(ctx, experts + 1)
    rid = start_round(ctx, center_ids=ids, held_on=dt.date(2026, 11, 1))
    eval_experts.draw_experts(ctx, round_id=rid, per_centre=experts, seed=7)
    return rid, ids, [evaluation_of(ctx, rid, c) for c in ids]


def score_all(ctx: Any, round_id: int, totals: dict[int, str], *, skip: frozenset[int] = frozenset()) -> None:
    """Every active assignment of the evaluations in ``totals`` scored with that total (except the
    assignment ids in ``skip``)."""
    for a in eval_experts.list_assignments(ctx, round_id=round_id, include_removed=False):
        if a.evaluation_id in totals and a.assignment_id not in skip:
            scoring.enter_expert_scores(
                ctx,
                assignment_id=a.assignment_id,
                points=points_for(totals[a.evaluation_id]),
                scored_on=TODAY,
            )


def shown_page(qtbot: Any, ctx: Any, *, today: dt.date = TODAY) -> EvaluationPage:
    page = EvaluationPage(ctx, today=today)
    qtbot.addWidget(page)
    page.resize(1366 - 130, 700)
    page.show()
    page.on_shown(True)
    settle(qtbot, page)
    return page


def open_tab(qtbot: Any, page: EvaluationPage, tab: Any) -> None:
    page.show_tab(tab)
    settle(qtbot, page)
