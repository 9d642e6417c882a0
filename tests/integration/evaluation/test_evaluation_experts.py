"""Experts of a performance evaluation (issue 14 item 4): 回避 against the centre's host and
co-builders, overrides of computed conflicts only, seeded draws that never take a retired or
conflicted expert, removal kept with its reason."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from expert_helpers import (
    HELD_ON,
    STARTED_ON,
    EvalSetup,
    add_co_builder,
    assignment,
    audit_rows,
    eval_setup,
    set_evaluation,
    set_round,
)

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import experts as ev
from lzcenter_desktop.services.review import experts as pool


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppContext, EvalSetup]]:
    ctx, setup = eval_setup(tmp_path)
    yield ctx, setup
    ctx.db.dispose()


def host_expert(ctx: AppContext, setup: EvalSetup, n: int = 0) -> int:
    """An expert working for the host of the ``n``-th centre."""
    return pool.create_expert(ctx, name="韦工", unit=setup.host_names[n], specialty="汽车")


def test_assign_once_and_list(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    aid = ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])
    rows = ev.list_assignments(ctx, round_id=setup.round_id)
    assert [(r.assignment_id, r.status_label, r.how_label, r.expert_name) for r in rows] == [
        (aid, "待评分", "人工指定", "专家01")
    ]
    assert rows[0].center_name.startswith("柳州评估1号工程技术研究中心")
    with pytest.raises(ServiceError, match="专家01已分配评估"):
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])


def test_retired_expert_is_refused(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    pool.retire_expert(ctx, expert_id=setup.expert_ids[0], on=STARTED_ON, reason="退休")
    with pytest.raises(ServiceError, match="专家01已停用"):
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])


def test_host_expert_refused_with_reason_then_overridden(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    expert = host_expert(ctx, setup)
    with pytest.raises(ServiceError, match=r"须回避.*依托单位“柳州评估1号有限公司”.*强制分配理由") as exc:
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert)
    assert "韦工" in str(exc.value)
    # the other centre is no conflict
    ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[1], expert_id=expert)
    aid = ev.assign_expert(
        ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert, override_reason="该领域仅此一名专家"
    )
    row = assignment(ctx, aid)
    assert row.override_reason is not None and row.override_reason.startswith("该领域仅此一名专家")
    assert "依托单位" in row.override_reason
    assert audit_rows(ctx, "evaluation.assign_expert（强制分配：该领域仅此一名专家")


def test_blank_override_reason_is_no_override(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    expert = host_expert(ctx, setup)
    with pytest.raises(ServiceError, match="须回避"):
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert, override_reason="  ")


def test_declared_conflict_is_never_overridden(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    expert = setup.expert_ids[0]
    pool.add_relation(
        ctx,
        expert_id=expert,
        kind="advisory",
        organization_name=setup.host_names[0],
        from_on=dt.date(2024, 1, 1),
        source="expert",
    )
    with pytest.raises(ServiceError, match=r"担任顾问.*本人声明的回避不能强制分配"):
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert, override_reason="急需")


@pytest.mark.parametrize(
    ("left_on", "conflict"),
    [
        (None, True),  # still a co-builder
        (dt.date(2023, 4, 15), True),  # left exactly 3 years before the meeting: within 近三年
        (dt.date(2023, 4, 14), False),  # a day earlier: no longer counts
    ],
)
def test_co_builder_expert(tmp_path: Path, left_on: dt.date | None, conflict: bool) -> None:
    ctx, setup = eval_setup(tmp_path, centres=1, experts=0)
    try:
        add_co_builder(
            ctx, setup.center_ids[0], "广西共建大学", joined_on=dt.date(2020, 1, 1), left_on=left_on
        )
        expert = pool.create_expert(ctx, name="黄教授", unit="广西共建大学")
        found = ev.expert_conflicts(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert)
        assert bool(found) is conflict
        if conflict:
            assert "共建单位“广西共建大学”" in found[0].reason
            with pytest.raises(ServiceError, match="共建单位"):
                ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert)
        else:
            ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert)
    finally:
        ctx.db.dispose()


def test_review_date_is_the_meeting_else_the_start(tmp_path: Path) -> None:
    """A relation that ended between the round's start and 3 years before the meeting: with a
    meeting day it no longer counts; without one the start day is used and it does."""
    ctx, setup = eval_setup(tmp_path, centres=1, experts=1)
    try:
        expert = setup.expert_ids[0]
        ended = dt.date(2023, 3, 2)  # exactly 3 years before STARTED_ON, before HELD_ON's window
        pool.add_relation(
            ctx,
            expert_id=expert,
            kind="employment",
            organization_name=setup.host_names[0],
            from_on=dt.date(2015, 1, 1),
            to_on=ended,
            source="registry",
        )
        assert HELD_ON > STARTED_ON
        assert ev.expert_conflicts(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert) == []
        set_round(ctx, setup.round_id, held_on=None)
        found = ev.expert_conflicts(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=expert)
        assert found and "近3年内" in found[0].reason
    finally:
        ctx.db.dispose()


def test_not_participating_or_finished_refused(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    set_evaluation(ctx, setup.evaluation_ids[0], participated=False)
    with pytest.raises(ServiceError, match="未参加"):
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])
    set_round(ctx, setup.round_id, status="finished", finished_on=dt.date(2026, 6, 1))
    with pytest.raises(ServiceError, match="已结束"):
        ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[1], expert_id=setup.expert_ids[0])
    with pytest.raises(ServiceError, match="已结束"):
        ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=1)


def test_remove_keeps_the_row_and_reassign_reopens(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    aid = ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])
    with pytest.raises(ServiceError, match="撤出原因"):
        ev.remove_assignment(ctx, assignment_id=aid, reason=" ")
    ev.remove_assignment(ctx, assignment_id=aid, reason="出差无法参加")
    row = assignment(ctx, aid)
    assert (row.status, row.removed_reason) == ("removed", "出差无法参加")
    with pytest.raises(ServiceError, match="已撤出"):
        ev.remove_assignment(ctx, assignment_id=aid, reason="再次")
    assert [r.status_label for r in ev.list_assignments(ctx, round_id=setup.round_id)] == ["已撤出"]
    assert ev.list_assignments(ctx, round_id=setup.round_id, include_removed=False) == []
    again = ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])
    assert again == aid and assignment(ctx, aid).status == "assigned"


# --- the draw -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("per_centre", "ok"), [(2, False), (3, True)])
def test_draw_needs_at_least_three_per_centre(
    world: tuple[AppContext, EvalSetup], per_centre: int, ok: bool
) -> None:
    ctx, setup = world
    if not ok:
        with pytest.raises(ServiceError, match="至少需要 3 名"):
            ev.draw_experts(ctx, round_id=setup.round_id, per_centre=per_centre, seed=7)
        return
    result = ev.draw_experts(ctx, round_id=setup.round_id, per_centre=per_centre, seed=7)
    assert [(e, len(x)) for e, x in result.drawn] == [(e, 3) for e in setup.evaluation_ids]


def test_draw_is_reproducible_and_recorded(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    result = ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=2026)
    rng = random.Random(2026)
    expected = [(e, tuple(rng.sample(sorted(setup.expert_ids), 3))) for e in setup.evaluation_ids]
    assert list(result.drawn) == expected
    assert result.seed == 2026 and "2026" in result.text()
    rows = audit_rows(ctx, "evaluation.draw_experts")
    assert rows and all("抽取种子 2026" in r.action for r in rows)
    assert {r.how_label for r in ev.list_assignments(ctx, round_id=setup.round_id)} == {"随机抽取"}
    # drawing again tops up nothing: every centre has its 3
    again = ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=1)
    assert again.drawn == () and again.assignment_ids == ()


def test_draw_without_seed_makes_and_returns_one(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    result = ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3)
    assert audit_rows(ctx, f"evaluation.draw_experts（抽取种子 {result.seed}，")


def test_draw_skips_retired_and_conflicted_experts(tmp_path: Path) -> None:
    ctx, setup = eval_setup(tmp_path, centres=1, experts=4)
    try:
        host = host_expert(ctx, setup)
        pool.retire_expert(ctx, expert_id=setup.expert_ids[0], on=STARTED_ON, reason="退休")
        result = ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=3)
        drawn = set(result.drawn[0][1])
        assert drawn == set(setup.expert_ids[1:])  # exactly the 3 eligible ones
        assert host not in drawn and setup.expert_ids[0] not in drawn
    finally:
        ctx.db.dispose()


def test_draw_refused_when_too_few_eligible_all_or_nothing(tmp_path: Path) -> None:
    ctx, setup = eval_setup(tmp_path, centres=2, experts=3)
    try:
        # an expert of centre 2's host: 3 + 1 experts, centre 2 has only 3 eligible, centre 1 has 4
        host_expert(ctx, setup, 1)
        pool.retire_expert(ctx, expert_id=setup.expert_ids[0], on=STARTED_ON, reason="退休")
        with pytest.raises(ServiceError, match=r"柳州评估2号.*还需要 3 名评估专家.*只有 2 名.*1 名须回避"):
            ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=5)
        assert ev.list_assignments(ctx, round_id=setup.round_id) == []
    finally:
        ctx.db.dispose()


def test_draw_tops_up_and_never_redraws_a_removed_expert(world: tuple[AppContext, EvalSetup]) -> None:
    ctx, setup = world
    first = ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[0])
    ev.remove_assignment(ctx, assignment_id=first, reason="回避")
    kept = ev.assign_expert(ctx, evaluation_id=setup.evaluation_ids[0], expert_id=setup.expert_ids[1])
    result = ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=11)
    mine = dict(result.drawn)[setup.evaluation_ids[0]]
    assert len(mine) == 2 and setup.expert_ids[0] not in mine and setup.expert_ids[1] not in mine
    active = ev.list_assignments(
        ctx, round_id=setup.round_id, evaluation_id=setup.evaluation_ids[0], include_removed=False
    )
    assert len(active) == 3 and kept in {a.assignment_id for a in active}
