"""Sessions, panels, the random draw and assignment with 回避 enforced
(services/review/panels.py, services/review/assignments.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import assignments, experts, formal, panels
from lzcenter_desktop.storage.models import AuditEntry, ReviewAssignment, ReviewSession
from tests.review_fixtures import (
    REVIEW_ON,
    add_experts,
    credit_code,
    make_call,
    open_review_db,
    pass_formal,
    review_setup,
    submit_declaration,
    submitted_declarations,
)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


def new_panel(ctx: AppContext, declarations: int = 2, min_experts: int = 3) -> tuple[int, int, list[int]]:
    """A call with ``declarations`` declarations passed by 形式审查, a session and a panel holding them."""
    call_id = make_call(ctx)
    decl_ids = submitted_declarations(ctx, declarations)
    pass_formal(ctx, decl_ids)
    session_id = panels.create_session(ctx, call_id=call_id, title="第一次评审会", held_on=REVIEW_ON)
    panel_id = panels.create_panel(ctx, session_id=session_id, name="第一组", min_experts=min_experts)
    panels.add_panel_declarations(ctx, panel_id=panel_id, declaration_ids=decl_ids)
    return session_id, panel_id, decl_ids


def host_expert(ctx: AppContext, n: int, name: str = "依托单位专家") -> int:
    """An expert working for the host of declaration ``n`` of the fixtures."""
    return experts.create_expert(
        ctx, name=name, unit=f"柳州测试{n}号科技有限公司", credit_code=credit_code(n)
    )


# --- sessions and panels ------------------------------------------------------------------------------


def test_a_session_gets_a_random_package_key(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    one = panels.create_session(
        ctx, call_id=call_id, title="评审会一", held_on=REVIEW_ON, aggregation="trimmed_mean"
    )
    two = panels.create_session(ctx, call_id=call_id, title="评审会二", held_on=REVIEW_ON)
    with ctx.db.session() as s:
        keys = [s.get(ReviewSession, i).package_key for i in (one, two)]  # type: ignore[union-attr]
    assert all(k is not None and len(k) == 64 and int(k, 16) >= 0 for k in keys)
    assert keys[0] != keys[1]
    # the audit trail shows that a key was made, never the key: a copy of the trail cannot sign
    with ctx.db.session() as s:
        trail = [
            json.loads(e.after or "{}")
            for e in s.execute(select(AuditEntry).where(col(AuditEntry.entity) == "review_session")).scalars()
        ]
    recorded = [t["package_key"] for t in trail]
    assert len(recorded) == 2 and all(k not in json.dumps(trail) for k in keys)
    assert all(r.startswith("sha256:") and len(r) == len("sha256:") + 12 for r in recorded)
    view = panels.get_session(ctx, one)
    assert view.aggregation == "trimmed_mean" and view.aggregation_label == "去掉一个最高分和一个最低分后平均"
    assert view.status == "planned"
    with pytest.raises(ServiceError, match="汇总方式无效"):
        panels.create_session(ctx, call_id=call_id, title="x", held_on=REVIEW_ON, aggregation="median")
    with pytest.raises(ServiceError, match=r"评分截止日期 .* 早于评审日期"):
        panels.create_session(
            ctx,
            call_id=call_id,
            title="x",
            held_on=REVIEW_ON,
            score_deadline=REVIEW_ON - dt.timedelta(days=1),
        )
    panels.create_session(ctx, call_id=call_id, title="评审会三", held_on=REVIEW_ON, score_deadline=REVIEW_ON)
    assert [s.title for s in panels.list_sessions(ctx, call_id=call_id)] == [
        "评审会一",
        "评审会二",
        "评审会三",
    ]


@pytest.mark.parametrize(("minimum", "ok"), [(2, False), (3, True), (4, True)])
def test_a_panel_has_at_least_three_experts(ctx: AppContext, minimum: int, ok: bool) -> None:
    call_id = make_call(ctx)
    session_id = panels.create_session(ctx, call_id=call_id, title="评审会", held_on=REVIEW_ON)
    if ok:
        panel_id = panels.create_panel(ctx, session_id=session_id, name="第一组", min_experts=minimum)
        assert panels.get_panel(ctx, panel_id).min_experts == minimum
    else:
        with pytest.raises(ServiceError, match="每组专家人数至少为 3 人，填写的是 2"):
            panels.create_panel(ctx, session_id=session_id, name="第一组", min_experts=minimum)


def test_only_declarations_passed_by_the_formal_check_go_on_a_panel(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    waiting = submit_declaration(ctx, 1)
    passed = submit_declaration(ctx, 2)
    pass_formal(ctx, [passed])
    session_id = panels.create_session(ctx, call_id=call_id, title="评审会", held_on=REVIEW_ON)
    first = panels.create_panel(ctx, session_id=session_id, name="第一组")
    second = panels.create_panel(ctx, session_id=session_id, name="第二组")
    with pytest.raises(ServiceError, match="尚未通过形式审查"):
        panels.add_panel_declarations(ctx, panel_id=first, declaration_ids=[passed, waiting])
    assert panels.get_panel(ctx, first).declaration_ids == ()  # all or nothing
    panels.add_panel_declarations(ctx, panel_id=first, declaration_ids=[passed])
    with pytest.raises(ServiceError, match="已在“第一组”组，一份申报书只能在一个组"):
        panels.add_panel_declarations(ctx, panel_id=second, declaration_ids=[passed])
    panels.remove_panel_declaration(ctx, panel_id=first, declaration_id=passed, reason="调整分组")
    panels.add_panel_declarations(ctx, panel_id=second, declaration_ids=[passed])
    assert [p.declaration_ids for p in panels.list_panels(ctx, session_id=session_id)] == [(), (passed,)]
    with pytest.raises(ServiceError, match="已有名为“第一组”的分组"):
        panels.create_panel(ctx, session_id=session_id, name="第一组")


def test_a_declaration_already_decided_or_past_review_does_not_go_on_a_panel(ctx: AppContext) -> None:
    """Only a centre 评审中 without a result: one already 拟认定 (or with a result) would make the
    session impossible to close."""
    from lzcenter_desktop.services.uow import reading, unit_of_work
    from lzcenter_desktop.storage.models import Declaration
    from tests.review_records import add_review_result

    call_id = make_call(ctx)
    scored, moved_on, fresh = submitted_declarations(ctx, 3)
    pass_formal(ctx, [scored, moved_on, fresh])
    session_id = panels.create_session(ctx, call_id=call_id, title="评审会", held_on=REVIEW_ON)
    panel = panels.create_panel(ctx, session_id=session_id, name="第一组")
    with unit_of_work(ctx, "test.result") as session:
        center_id = session.get(Declaration, scored).center_id  # type: ignore[union-attr]
        assert center_id is not None
        add_review_result(
            session, center_id, call_year=REVIEW_ON.year, decided_on=REVIEW_ON, declaration_id=scored
        )
    with pytest.raises(ServiceError, match="已有评审结果，不能再分组评审"):
        panels.add_panel_declarations(ctx, panel_id=panel, declaration_ids=[fresh, scored])
    with reading(ctx) as session:
        other = session.get(Declaration, moved_on).center_id  # type: ignore[union-attr]
    assert other is not None
    centers.change_state(ctx, center_id=other, to_state="not_recognised", on=REVIEW_ON, reason="测试")
    with pytest.raises(ServiceError, match="中心处于“未获认定”状态，只有“评审中”的申报书可以分组评审"):
        panels.add_panel_declarations(ctx, panel_id=panel, declaration_ids=[moved_on])
    assert panels.get_panel(ctx, panel).declaration_ids == ()  # all or nothing
    panels.add_panel_declarations(ctx, panel_id=panel, declaration_ids=[fresh])
    assert panels.get_panel(ctx, panel).declaration_ids == (fresh,)


# --- the draw -----------------------------------------------------------------------------------------


def test_the_same_seed_draws_the_same_experts(tmp_path: Path) -> None:
    draws = []
    for name in ("a.sqlite", "b.sqlite"):
        ctx = open_review_db(tmp_path, name=name)
        try:
            _, panel_id, _ = new_panel(ctx)
            add_experts(ctx, 10)
            result = panels.draw_experts(ctx, panel_id=panel_id, count=4, seed="2026-第一组")
            assert result.seed == "2026-第一组" and result.eligible == 10 and len(set(result.expert_ids)) == 4
            assert panels.get_panel(ctx, panel_id).draw_seed == "2026-第一组"
            members = panels.get_panel(ctx, panel_id).members
            assert {m.expert_id for m in members} == set(result.expert_ids)
            assert {m.how_label for m in members} == {"随机抽取"}
            draws.append(result.expert_ids)
        finally:
            ctx.db.dispose()
    assert draws[0] == draws[1]


def test_different_seeds_draw_differently_and_no_seed_records_a_new_one(ctx: AppContext) -> None:
    _, _, decl_ids = new_panel(ctx)
    add_experts(ctx, 10)
    call_id = calls_of(ctx)
    results = set()
    for i in range(5):
        session_id = panels.create_session(ctx, call_id=call_id, title=f"试抽{i}", held_on=REVIEW_ON)
        panel_id = panels.create_panel(ctx, session_id=session_id, name="第一组")
        panels.add_panel_declarations(ctx, panel_id=panel_id, declaration_ids=decl_ids)
        results.add(
            frozenset(panels.draw_experts(ctx, panel_id=panel_id, count=3, seed=f"种子{i}").expert_ids)
        )
    assert len(results) > 1
    session_id = panels.create_session(ctx, call_id=call_id, title="正式", held_on=REVIEW_ON)
    panel_id = panels.create_panel(ctx, session_id=session_id, name="第一组")
    panels.add_panel_declarations(ctx, panel_id=panel_id, declaration_ids=decl_ids)
    result = panels.draw_experts(ctx, panel_id=panel_id)
    assert len(result.seed) == 16 and panels.get_panel(ctx, panel_id).draw_seed == result.seed
    assert len(result.expert_ids) == 3  # the panel's minimum


def calls_of(ctx: AppContext) -> int:
    [session] = panels.list_sessions(ctx)
    return session.call_id


def test_the_draw_leaves_out_conflicted_retired_and_busy_experts(ctx: AppContext) -> None:
    session_id, panel_id, _ = new_panel(ctx)
    pool = add_experts(ctx, 4)
    conflicted = host_expert(ctx, 1)
    experts.retire_expert(ctx, expert_id=pool[3], on=REVIEW_ON, reason="退休")
    other_panel = panels.create_panel(ctx, session_id=session_id, name="第二组")
    panels.add_panel_member(ctx, panel_id=other_panel, expert_id=pool[2])
    candidates = {c.expert_id: c for c in panels.candidates(ctx, panel_id=panel_id)}
    assert set(candidates) == {pool[0], pool[1], conflicted}  # retired and busy ones are not candidates
    assert not candidates[conflicted].eligible
    assert candidates[conflicted].conflicts[0][1].cause == "same_unit"
    with pytest.raises(ServiceError) as info:
        panels.draw_experts(ctx, panel_id=panel_id, seed="s")
    assert info.value.message.startswith("符合条件的专家只有 2 名，少于“第一组”组需要抽取的 3 名")
    assert "1 名已在本评审会其他组" in info.value.message and "1 名须回避本组的申报书" in info.value.message
    assert panels.get_panel(ctx, panel_id).members == ()


@pytest.mark.parametrize(("pool_size", "ok"), [(2, False), (3, True)])
def test_too_few_eligible_experts_at_the_bound(ctx: AppContext, pool_size: int, ok: bool) -> None:
    _, panel_id, _ = new_panel(ctx)
    add_experts(ctx, pool_size)
    if ok:
        assert len(panels.draw_experts(ctx, panel_id=panel_id, seed="s").expert_ids) == 3
    else:
        with pytest.raises(ServiceError, match="符合条件的专家只有 2 名，少于“第一组”组需要抽取的 3 名"):
            panels.draw_experts(ctx, panel_id=panel_id, seed="s")


def test_the_draw_needs_declarations_and_at_least_the_minimum(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    add_experts(ctx, 5)
    session_id = panels.create_session(ctx, call_id=call_id, title="评审会", held_on=REVIEW_ON)
    panel_id = panels.create_panel(ctx, session_id=session_id, name="第一组", min_experts=4)
    with pytest.raises(ServiceError, match="还没有申报书"):
        panels.draw_experts(ctx, panel_id=panel_id)
    decl = submit_declaration(ctx, 1)
    pass_formal(ctx, [decl])
    panels.add_panel_declarations(ctx, panel_id=panel_id, declaration_ids=[decl])
    with pytest.raises(ServiceError, match="抽取人数不能少于 4"):
        panels.draw_experts(ctx, panel_id=panel_id, count=3)
    assert len(panels.draw_experts(ctx, panel_id=panel_id, count=4).expert_ids) == 4


# --- assignment and 回避 -------------------------------------------------------------------------


def test_a_conflicted_assignment_is_refused_with_the_reason(ctx: AppContext) -> None:
    session_id, _, decl_ids = new_panel(ctx)
    expert_id = host_expert(ctx, 1, name="赵六")
    with pytest.raises(ServiceError) as info:
        assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=expert_id)
    assert "专家赵六须回避第 1 号申报书" in info.value.message
    assert "所在单位“柳州测试1号科技有限公司”即依托单位" in info.value.message
    assert "可由管理员填写强制分配理由" in info.value.message
    assert assignments.list_assignments(ctx, session_id=session_id) == []
    # the same expert may score the other declaration
    assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[1], expert_id=expert_id)


def test_a_computed_conflict_may_be_overridden_with_a_recorded_reason(ctx: AppContext) -> None:
    session_id, _, decl_ids = new_panel(ctx)
    expert_id = host_expert(ctx, 1, name="赵六")
    with pytest.raises(ServiceError, match=r"请填写|须回避"):
        assignments.assign_expert(
            ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=expert_id, override_reason="  "
        )
    aid = assignments.assign_expert(
        ctx,
        session_id=session_id,
        declaration_id=decl_ids[0],
        expert_id=expert_id,
        override_reason="该专家已于评审前离职，单位信息待更新",
    )
    [view] = assignments.list_assignments(ctx, session_id=session_id)
    assert view.id == aid and view.how == "manual" and view.status == "assigned" and not view.recused
    assert view.override_reason == "该专家已于评审前离职，单位信息待更新"
    assert view.recusal_reason is not None and "即依托单位" in view.recusal_reason
    with ctx.db.session() as s:
        entry = s.execute(
            select(AuditEntry).where(
                col(AuditEntry.entity) == "review_assignment", col(AuditEntry.entity_id) == str(aid)
            )
        ).scalar_one()
    assert "强制分配：该专家已于评审前离职" in entry.action and entry.operator == "评审科员"
    assert json.loads(entry.after or "{}")["override_reason"] == "该专家已于评审前离职，单位信息待更新"


def test_a_declared_conflict_can_never_be_overridden(ctx: AppContext) -> None:
    session_id, _, decl_ids = new_panel(ctx)
    listed, declared = add_experts(ctx, 2)
    experts.add_avoid_expert(ctx, declaration_id=decl_ids[0], expert_id=listed, reason="竞争对手")
    experts.add_relation(
        ctx, expert_id=declared, kind="prepared_documents", organization_name="柳州测试1号科技有限公司"
    )
    for expert_id, cause in ((listed, "申报单位申请专家专家01回避"), (declared, "协助依托单位")):
        with pytest.raises(ServiceError) as info:
            assignments.assign_expert(
                ctx,
                session_id=session_id,
                declaration_id=decl_ids[0],
                expert_id=expert_id,
                override_reason="确需",
            )
        assert cause in info.value.message and "声明的回避不能强制分配" in info.value.message
    assert assignments.list_assignments(ctx, session_id=session_id) == []


def test_a_relation_within_three_years_refuses_at_the_bound(ctx: AppContext) -> None:
    session_id, _, decl_ids = new_panel(ctx)
    inside, outside = add_experts(ctx, 2)
    start = REVIEW_ON.replace(year=REVIEW_ON.year - 3)
    for expert_id, ended in ((inside, start), (outside, start - dt.timedelta(days=1))):
        experts.add_relation(
            ctx,
            expert_id=expert_id,
            kind="advisory",
            credit_code=credit_code(1),
            to_on=ended,
            source="registry",
        )
    with pytest.raises(ServiceError, match="近3年内在依托单位“柳州测试1号科技有限公司”担任顾问"):
        assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=inside)
    assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=outside)


def test_retired_experts_and_duplicates_are_refused(ctx: AppContext) -> None:
    session_id, _, decl_ids = new_panel(ctx)
    one, two = add_experts(ctx, 2)
    experts.retire_expert(ctx, expert_id=two, on=REVIEW_ON, reason="退休")
    with pytest.raises(ServiceError, match="已停用"):
        assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=two)
    assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=one)
    with pytest.raises(ServiceError, match="已分配评审第 1 号申报书"):
        assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=one)


def test_recused_assignment_is_kept_and_may_be_assigned_again(ctx: AppContext) -> None:
    session_id, _, decl_ids = new_panel(ctx)
    [one] = add_experts(ctx, 1)
    aid = assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=one)
    assignments.recuse_assignment(ctx, assignment_id=aid, reason="专家临时声明与申报单位有合作")
    [view] = assignments.list_assignments(ctx, session_id=session_id)
    assert view.recused and view.status == "recused" and view.recusal_reason == "专家临时声明与申报单位有合作"
    assert assignments.list_assignments(ctx, session_id=session_id, include_recused=False) == []
    again = assignments.assign_expert(ctx, session_id=session_id, declaration_id=decl_ids[0], expert_id=one)
    assert again == aid
    with ctx.db.session() as s:
        assert len(s.execute(select(ReviewAssignment)).scalars().all()) == 1


# --- balanced automatic assignment --------------------------------------------------------------------


def test_balanced_assignment_spreads_the_load(ctx: AppContext) -> None:
    setup = review_setup(ctx, declarations=4, expert_count=6, per_declaration=3)
    rows = assignments.list_assignments(ctx, session_id=setup.session_id)
    per_decl = Counter(a.declaration_id for a in rows)
    load = Counter(a.expert_id for a in rows)
    assert set(per_decl.values()) == {3} and len(per_decl) == 4
    assert sorted(load.values()) == [2, 2, 2, 2, 2, 2]  # 12 assignments over 6 experts
    assert {a.how for a in rows} == {"balanced"}
    # running it again adds nothing
    assert assignments.auto_assign(ctx, panel_id=setup.panel_id, per_declaration=3) == []


def test_balanced_assignment_respects_conflicts(ctx: AppContext) -> None:
    session_id, panel_id, decl_ids = new_panel(ctx, declarations=3)
    pool = add_experts(ctx, 3)
    conflicted = host_expert(ctx, 2)
    panels.draw_experts(ctx, panel_id=panel_id, count=3, seed="s")
    panels.add_panel_member(ctx, panel_id=panel_id, expert_id=conflicted)
    assignments.auto_assign(ctx, panel_id=panel_id, per_declaration=3)
    rows = assignments.list_assignments(ctx, session_id=session_id)
    assert (decl_ids[1], conflicted) not in {(a.declaration_id, a.expert_id) for a in rows}
    assert Counter(a.declaration_id for a in rows) == {d: 3 for d in decl_ids}
    load = Counter(a.expert_id for a in rows)
    assert max(load.values()) - min(load.values()) <= 1 and set(load) == {*pool, conflicted}


def test_balanced_assignment_refuses_when_a_declaration_cannot_be_covered(ctx: AppContext) -> None:
    session_id, panel_id, decl_ids = new_panel(ctx, declarations=2)
    add_experts(ctx, 2)
    conflicted = host_expert(ctx, 1)
    for e in experts.list_experts(ctx):
        panels.add_panel_member(ctx, panel_id=panel_id, expert_id=e.id)
    with pytest.raises(ServiceError, match=r"第 1 号申报书.*还需要 3 名专家，但本组只有 2 名专家无须回避"):
        assignments.auto_assign(ctx, panel_id=panel_id)
    assert assignments.list_assignments(ctx, session_id=session_id) == []  # nothing half-done
    with pytest.raises(ServiceError, match="每份申报书至少需要 3 名专家评审，填写的是 2"):
        assignments.auto_assign(ctx, panel_id=panel_id, per_declaration=2)
    assert conflicted in {m.expert_id for m in panels.get_panel(ctx, panel_id).members}
    assert len(decl_ids) == 2


def test_a_formal_check_passed_declaration_is_what_the_fixture_builds(ctx: AppContext) -> None:
    setup = review_setup(ctx, declarations=2, expert_count=3)
    assert len(setup.assignment_ids) == 6
    for did in setup.declaration_ids:
        assert formal.formal_history(ctx, declaration_id=did)[-1].decision == "passed"
