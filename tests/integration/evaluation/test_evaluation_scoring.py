"""Experts' points for a centre's evaluation: exact decimals within each indicator's maximum, at most
two decimals; the expert score is the exact mean once every active assignment is scored and at
least 3 are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from expert_helpers import EvalSetup, assignment, eval_setup, points_for, scores, set_evaluation, set_round

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import experts as ev
from lzcenter_desktop.services.evaluation import scoring
from lzcenter_desktop.services.review import experts as pool
from lzcenter_desktop.services.uow import reading

ON = dt.date(2026, 4, 15)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppContext, EvalSetup]]:
    ctx, setup = eval_setup(tmp_path, centres=1)
    yield ctx, setup
    ctx.db.dispose()


def assign(ctx: AppContext, setup: EvalSetup, count: int) -> list[int]:
    return [
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=e)
        for e in setup.expert_ids[:count]
    ]


def enter(ctx: AppContext, aid: int, total: str) -> None:
    scoring.enter_expert_scores(ctx, assignment_id=aid, points=points_for(total), scored_on=ON)


@pytest.mark.parametrize(
    ("value", "ok", "stored"),
    [
        ("9.99", True, "9.99"),
        ("10", True, "10"),
        ("10.00", True, "10"),
        ("10.01", False, ""),
        ("11", False, ""),
    ],
)
def test_point_at_and_above_the_maximum(
    world: tuple[AppContext, EvalSetup], value: str, ok: bool, stored: str
) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    points = dict(points_for("0"), research_projects=value)  # 科研项目承担, max 10
    if ok:
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points, scored_on=ON)
        assert scores(ctx)[0].score_text == stored
    else:
        with pytest.raises(ServiceError, match=r"科研项目承担.*超过该项满分 10 分"):
            scoring.enter_expert_scores(ctx, assignment_id=aid, points=points, scored_on=ON)
        assert scores(ctx) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("7.125", "最多保留2位小数"),
        ("-0.01", "不能为负数"),
        ("", "请填写指标“科研项目承担”的得分"),
        ("八", "不是数字"),
    ],
)
def test_invalid_points_refused(world: tuple[AppContext, EvalSetup], value: str, message: str) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    with pytest.raises(ServiceError, match=message):
        scoring.enter_expert_scores(
            ctx, assignment_id=aid, points=dict(points_for("50"), research_projects=value), scored_on=ON
        )


def test_unknown_indicator_refused(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    with pytest.raises(ServiceError, match="没有指标“rd_conditions”"):
        scoring.enter_expert_scores(
            ctx, assignment_id=aid, points={**points_for("50"), "rd_conditions": "1"}, scored_on=ON
        )


def test_exact_total_and_version(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    points = dict(points_for("80"), research_projects="9.99", integrity="0.01")  # 80 - 10 + 9.99 + 0.01
    scoring.enter_expert_scores(ctx, assignment_id=aid, points=points, scored_on=ON, comment="  成果丰富 ")
    view = scoring.get_expert_score(ctx, assignment_id=aid)
    assert view is not None
    assert (view.total_text, view.version, view.comment, view.source) == ("80", 1, "成果丰富", "desktop")
    enter(ctx, aid, "81.25")
    assert assignment(ctx, aid).score_version == 2 and assignment(ctx, aid).status == "scored"
    assert scores(ctx)[0].score_text == "81.25" and len(scores(ctx)) == 1


def test_two_scored_experts_give_no_score_three_do(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    a, b, c = assign(ctx, setup, 3)
    eid = setup.evaluation_ids[0]
    enter(ctx, a, "80")
    enter(ctx, b, "81")
    assert scoring.expert_score_of(ctx, evaluation_id=eid) is None  # 2 of 3 active scored
    ev.remove_assignment(ctx, assignment_id=c, reason="临时有事")
    assert scoring.expert_score_of(ctx, evaluation_id=eid) is None  # 2 scored, 2 active: too few
    state = scoring.expert_score_state(ctx, evaluation_id=eid)
    assert (state.active, state.scored) == (2, 2) and "至少需要 3 名" in state.message
    d = ev.assign_expert(ctx, evaluation_id=eid, expert_id=setup.expert_ids[3])
    enter(ctx, d, "82.5")
    assert scoring.expert_score_of(ctx, evaluation_id=eid) == Decimal("81.16666666666666666666666667")
    with reading(ctx) as session:
        assert scoring.expert_score_exact(session, eid) == Fraction("243.5") / 3


def test_every_active_assignment_must_be_scored(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    ids = assign(ctx, setup, 4)
    eid = setup.evaluation_ids[0]
    for aid, total in zip(ids[:3], ["80", "80.01", "80"], strict=True):
        enter(ctx, aid, total)
    state = scoring.expert_score_state(ctx, evaluation_id=eid)
    assert scoring.expert_score_of(ctx, evaluation_id=eid) is None
    assert state.missing == ("专家04",) and "专家04" in state.message
    enter(ctx, ids[3], "80")
    score = scoring.expert_score_of(ctx, evaluation_id=eid)
    assert score == Decimal("80.0025") and str(score) == "80.0025"  # exact: 320.01 / 4


def test_removed_or_conflicted_assignment_cannot_score(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    ev.remove_assignment(ctx, assignment_id=aid, reason="撤出")
    with pytest.raises(ServiceError, match=r"已撤出.*（撤出）"):
        enter(ctx, aid, "80")
    # an expert who declares a conflict after being assigned can no longer score
    other = ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[1])
    pool.add_relation(
        ctx,
        expert_id=setup.expert_ids[1],
        kind="declared",
        organization_name=setup.host_names[0],
        source="expert",
    )
    with pytest.raises(ServiceError, match=r"应当回避.*不能为其评分"):
        enter(ctx, other, "80")


def test_overridden_computed_conflict_can_score(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    expert = pool.create_expert(ctx, name="韦工", unit=setup.host_names[0])
    aid = ev.assign_expert(
        ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert, override_reason="唯一同行"
    )
    enter(ctx, aid, "70")
    assert scores(ctx)[0].score_text == "70"


def test_finished_round_or_applied_outcome_refuses_scores(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    set_evaluation(ctx, setup.evaluation_ids[0], outcome_applied_on=dt.date(2026, 6, 1))
    with pytest.raises(ServiceError, match="评估结果已于 2026-06-01 执行"):
        enter(ctx, aid, "80")
    set_evaluation(ctx, setup.evaluation_ids[0], outcome_applied_on=None)
    set_round(ctx, setup.round_id, status="finished", finished_on=dt.date(2026, 6, 1))
    with pytest.raises(ServiceError, match="已结束"):
        enter(ctx, aid, "80")


def test_changed_sheet_version_refused(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    (aid,) = assign(ctx, setup, 1)
    set_round(ctx, setup.round_id, sheet_version="2025.9")
    with pytest.raises(ServiceError, match=r"2025\.9 版"):
        enter(ctx, aid, "80")


def test_reassigned_expert_keeps_their_stored_score(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    ids = assign(ctx, setup, 3)
    for aid in ids:
        enter(ctx, aid, "80")
    eid = setup.evaluation_ids[0]
    assert scoring.expert_score_of(ctx, evaluation_id=eid) == Decimal(80)
    ev.remove_assignment(ctx, assignment_id=ids[0], reason="误撤")
    assert scoring.expert_score_of(ctx, evaluation_id=eid) is None  # 2 left
    again = ev.assign_expert(ctx, evaluation_id=eid, expert_id=setup.expert_ids[0])
    assert again == ids[0] and assignment(ctx, again).status == "scored"
    assert scoring.expert_score_of(ctx, evaluation_id=eid) == Decimal(80)
