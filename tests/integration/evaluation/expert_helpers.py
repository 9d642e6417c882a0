"""Set-up of the evaluation expert, scoring and package tests: titled centres (tests/integration/
annual/annual_helpers.py), an evaluation round with their evaluations written in a unit of work as
the 绩效评估 section records them, experts of the pool, points adding up to a chosen total."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlmodel import col, select

from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AuditEntry,
    CenterParty,
    Evaluation,
    EvaluationAssignment,
    EvaluationExpertScore,
    EvaluationRound,
)
from tests.integration.annual.annual_helpers import open_db, titled_centre
from tests.review_fixtures import add_experts

YEAR = 2026
STARTED_ON = dt.date(2026, 3, 2)
HELD_ON = dt.date(2026, 4, 15)
DEADLINE = dt.date(2026, 4, 30)
RECOGNISED = dt.date(2023, 3, 1)

# forms/evaluation-2026.toml, in order (maxima add up to 100)
MAXIMA = {
    "research_projects": Decimal(10),
    "innovation_outputs": Decimal(15),
    "transfer_benefit": Decimal(10),
    "rd_team": Decimal(10),
    "leaders": Decimal(8),
    "talent_training": Decimal(7),
    "open_topics": Decimal(7),
    "shared_instruments": Decimal(5),
    "committees": Decimal(8),
    "host_support": Decimal(10),
    "organisation": Decimal(6),
    "integrity": Decimal(4),
}


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


@dataclass(frozen=True)
class EvalSetup:
    round_id: int
    center_ids: list[int]
    evaluation_ids: list[int]
    expert_ids: list[int]
    host_names: list[str]


def add_round(
    ctx: AppContext,
    center_ids: Sequence[int],
    *,
    held_on: dt.date | None = HELD_ON,
    score_deadline: dt.date | None = DEADLINE,
    year: int = YEAR,
) -> tuple[int, list[int]]:
    """A round of ``year`` (sheet 2026.1) with one participating evaluation per centre."""
    with unit_of_work(ctx, "test.expert_helpers") as session:
        rnd = EvaluationRound.model_validate(
            {
                "year": year,
                "title": f"{year}年度柳州市工程技术研究中心绩效评估",
                "started_on": STARTED_ON,
                "held_on": held_on,
                "score_deadline": score_deadline,
                "status": "in_progress",
                "sheet_version": "2026.1",
            }
        )
        session.add(rnd)
        session.flush()
        assert rnd.id is not None
        ids = []
        for cid in center_ids:
            ev = Evaluation.model_validate({"round_id": rnd.id, "center_id": cid, "participated": True})
            session.add(ev)
            session.flush()
            assert ev.id is not None
            ids.append(ev.id)
        return rnd.id, ids


def eval_setup(
    tmp_path: Path, *, centres: int = 2, experts: int = 6, name: str = "eval.sqlite", **round_kwargs: object
) -> tuple[AppContext, EvalSetup]:
    ctx = open_db(tmp_path, name)
    cores = [f"评估{n}号" for n in range(1, centres + 1)]
    center_ids = [titled_centre(ctx, core, RECOGNISED) for core in cores]
    round_id, evaluation_ids = add_round(ctx, center_ids, **round_kwargs)  # type: ignore[arg-type]
    expert_ids = add_experts(ctx, experts)
    return ctx, EvalSetup(
        round_id, center_ids, evaluation_ids, expert_ids, [f"柳州{c}有限公司" for c in cores]
    )


def add_co_builder(
    ctx: AppContext, center_id: int, name: str, *, joined_on: dt.date, left_on: dt.date | None = None
) -> int:
    """A 共建单位 of the centre (registered by name); the organization's id."""
    org_id = organizations.create_organization(ctx, name=name, kind="university")
    with unit_of_work(ctx, "test.expert_helpers") as session:
        session.add(
            CenterParty.model_validate(
                {
                    "center_id": center_id,
                    "organization_id": org_id,
                    "role": "co_builder",
                    "joined_on": joined_on,
                    "left_on": left_on,
                }
            )
        )
    return org_id


def set_round(ctx: AppContext, round_id: int, **values: object) -> None:
    with unit_of_work(ctx, "test.set_round") as session:
        row = session.get(EvaluationRound, round_id)
        assert row is not None
        for k, v in values.items():
            setattr(row, k, v)
        session.add(row)


def set_evaluation(ctx: AppContext, evaluation_id: int, **values: object) -> None:
    with unit_of_work(ctx, "test.set_evaluation") as session:
        row = session.get(Evaluation, evaluation_id)
        assert row is not None
        for k, v in values.items():
            setattr(row, k, v)
        session.add(row)


def assignment(ctx: AppContext, assignment_id: int) -> EvaluationAssignment:
    with reading(ctx) as session:
        row = session.get(EvaluationAssignment, assignment_id)
        assert row is not None
        return row


def scores(ctx: AppContext) -> list[EvaluationExpertScore]:
    with reading(ctx) as session:
        return list(
            session.execute(select(EvaluationExpertScore).order_by(col(EvaluationExpertScore.id))).scalars()
        )


def audit_rows(ctx: AppContext, action_prefix: str) -> list[AuditEntry]:
    with reading(ctx) as session:
        return list(
            session.execute(
                select(AuditEntry)
                .where(col(AuditEntry.action).startswith(action_prefix))
                .order_by(col(AuditEntry.id))
            ).scalars()
        )


def audit_total(ctx: AppContext) -> int:
    with reading(ctx) as session:
        return len(list(session.execute(select(AuditEntry.id)).all()))
