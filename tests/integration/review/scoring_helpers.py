"""Helpers of the scoring, results, 公示 and 认定 tests: a review set-up built once per module and
copied for each test (SQLite backup), points that add up to a chosen total, scoring a whole session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.review import assignments, scoring
from tests import db_backend
from tests.review_fixtures import REVIEW_ON, ReviewSetup, open_review_db, review_setup

# forms/review-2026.toml in order: 研发条件 20, 研发队伍 20, 研发成果 20, 产学研合作 15,
# 运行管理 10, 发展规划 15
MAXIMA = {
    "rd_conditions": Decimal(20),
    "rd_team": Decimal(20),
    "rd_achievements": Decimal(20),
    "cooperation": Decimal(15),
    "management": Decimal(10),
    "development_plan": Decimal(15),
}
OPERATOR = "覃科长"


def points_for(total: str | Decimal) -> dict[str, str]:
    """Points per indicator adding up exactly to ``total`` (0–100, at most two decimals)."""
    left = Decimal(total)
    out: dict[str, str] = {}
    for key, top in MAXIMA.items():
        take = min(top, left)
        out[key] = str(take)
        left -= take
    assert left == 0, total
    return out


def build_template(folder: Path, **kwargs: object) -> tuple[Path, ReviewSetup]:
    ctx = open_review_db(folder, operator=OPERATOR)
    try:
        setup = review_setup(ctx, **kwargs)  # type: ignore[arg-type]
    finally:
        ctx.db.dispose()
    return folder / "review.sqlite", setup


def clone(template: Path, tmp_path: Path) -> AppContext:
    """A copy of the template database for one test."""
    target = tmp_path / "copy.sqlite"
    db_backend.copy_database(template, target)
    return open_app(str(target), operator=OPERATOR)


def assignments_of(ctx: AppContext, session_id: int) -> dict[int, list[tuple[int, int]]]:
    """Declaration id → [(assignment id, expert id)] of the active assignments, by id."""
    out: dict[int, list[tuple[int, int]]] = {}
    for a in assignments.list_assignments(ctx, session_id=session_id, include_recused=False):
        out.setdefault(a.declaration_id, []).append((a.id, a.expert_id))
    return {k: sorted(v) for k, v in out.items()}


def score_all(
    ctx: AppContext,
    setup: ReviewSetup,
    expert_totals: Mapping[int, list[str]] | None = None,
    site: Mapping[int, str] | None = None,
    *,
    on: dt.date = REVIEW_ON,
) -> None:
    """Score every active assignment (declaration id → each expert's total in assignment order;
    default 80) and give every declaration a site score (default 80)."""
    for decl_id, rows in assignments_of(ctx, setup.session_id).items():
        totals = (expert_totals or {}).get(decl_id) or ["80"] * len(rows)
        assert len(totals) == len(rows), (decl_id, totals, rows)
        for (assignment_id, _expert), total in zip(rows, totals, strict=True):
            scoring.enter_expert_scores(
                ctx, assignment_id=assignment_id, points=points_for(total), scored_on=on
            )
    for decl_id in setup.declaration_ids:
        scoring.enter_site_score(
            ctx,
            session_id=setup.session_id,
            declaration_id=decl_id,
            team="第一考察组",
            score=(site or {}).get(decl_id, "80"),
            inspected_on=on,
        )
