"""绩效评估批次 (services/evaluation/rounds.py): E22 due dates three years after recognition or the
last evaluation (day before / on / after, 31 December vs 1 January), the round and its snapshot,
the self-evaluation and its basis, withdrawal — every write audited, every refusal Chinese."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services import centers, organizations, rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, CenterStateChange, EvaluationRound
from tests.evaluation_records import (
    add_annual_report,
    add_past_evaluation,
    evaluation_of,
    open_db,
    points_for,
    recognised_centre,
    start_round,
)

Y = 2026
D = dt.date


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, dict[str, int]]]:
    ctx = open_db(tmp_path_factory.mktemp("rounds"))
    ids = {
        "六月": recognised_centre(ctx, "六月", D(2023, 6, 10)),  # due 2026-06-10
        "年末": recognised_centre(ctx, "年末", D(2023, 12, 31)),  # due 2026-12-31
        "元旦": recognised_centre(ctx, "元旦", D(2024, 1, 1)),  # due 2027-01-01
        "评过": recognised_centre(ctx, "评过", D(2020, 5, 1)),  # evaluated, notice 2023-11-30
        "跨年": recognised_centre(ctx, "跨年", D(2020, 5, 1)),  # evaluated, notice 2024-01-05
        "新认定": recognised_centre(ctx, "新认定", D(2026, 7, 1)),
    }
    add_past_evaluation(ctx, ids["评过"], 2023, "合格", finished_on=D(2023, 11, 30))
    add_past_evaluation(ctx, ids["跨年"], 2023, "合格", finished_on=D(2024, 1, 5))
    yield ctx, ids
    ctx.db.dispose()


def due(ctx: AppContext, year: int, as_of: dt.date) -> dict[int, rounds.DueCentre]:
    return {d.center_id: d for d in rounds.due_centres(ctx, year=year, as_of=as_of)}


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [(D(2026, 6, 9), False), (D(2026, 6, 10), False), (D(2026, 6, 11), True)],
)
def test_due_three_years_after_recognition(
    world: tuple[AppContext, dict[str, int]], as_of: dt.date, overdue: bool
) -> None:
    ctx, ids = world
    row = due(ctx, Y, as_of)[ids["六月"]]
    assert row.recognised_on == D(2023, 6, 10)
    assert row.last_evaluated_on is None
    assert row.due_on == D(2026, 6, 10)
    assert row.overdue is overdue
    assert row.host_name == "柳州六月有限公司"


def test_due_on_31_december_is_this_year_1_january_next(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    this_year = due(ctx, Y, D(2026, 9, 1))
    assert this_year[ids["年末"]].due_on == D(2026, 12, 31)
    assert ids["元旦"] not in this_year
    assert due(ctx, Y + 1, D(2027, 1, 1))[ids["元旦"]].due_on == D(2027, 1, 1)
    assert ids["六月"] not in due(ctx, Y - 1, D(2025, 12, 31))


def test_due_three_years_after_the_last_evaluation_notice(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    this_year = due(ctx, Y, D(2026, 9, 1))
    assert this_year[ids["评过"]].last_evaluated_on == D(2023, 11, 30)
    assert this_year[ids["评过"]].due_on == D(2026, 11, 30)
    assert ids["跨年"] not in this_year  # notice 2024-01-05: due 2027-01-05
    assert due(ctx, Y + 1, D(2027, 1, 1))[ids["跨年"]].due_on == D(2027, 1, 5)
    assert ids["新认定"] not in this_year
    assert ids["新认定"] not in due(ctx, 2029, D(2026, 6, 30))  # not yet recognised on that day


def test_a_centre_without_the_title_is_not_due(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = recognised_centre(ctx, "在册", D(2022, 3, 1))
        host = organizations.create_organization(ctx, name="柳州未认定有限公司", kind="enterprise")
        draft = centers.create_center(
            ctx,
            name_zh="柳州未认定工程技术研究中心（柳州未认定有限公司）",
            host_id=host,
            on=D(2022, 3, 1),
            industries=["汽车"],
        )
        rows = due(ctx, Y, D(2026, 9, 1))
        assert cid in rows and draft not in rows
        with pytest.raises(ServiceError, match="只有已认定或整改中的中心参加绩效评估"):
            start_round(ctx, center_ids=[cid, draft])
    finally:
        ctx.db.dispose()


def test_create_round_takes_every_due_centre_and_snapshots_the_sheet(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        a = recognised_centre(ctx, "甲", D(2023, 6, 10))
        b = recognised_centre(ctx, "乙", D(2023, 12, 31))
        later = recognised_centre(ctx, "丙", D(2024, 1, 1))
        round_id = start_round(ctx, held_on=D(Y, 10, 15), score_deadline=D(Y, 11, 10))
        view = rounds.get_round(ctx, round_id)
        assert (view.year, view.status_label, view.sheet_version) == (Y, "进行中", "2026.1")
        assert view.counts.centres == 2 and view.counts.participating == 2 and view.counts.graded == 0
        assert {e.center_id for e in rounds.list_evaluations(ctx, round_id=round_id)} == {a, b}
        assert later not in {e.center_id for e in rounds.list_evaluations(ctx, round_id=round_id)}
        assert [r.round_id for r in rounds.list_rounds(ctx)] == [round_id]
        with reading(ctx) as session:
            row = session.get(EvaluationRound, round_id)
            assert row is not None and row.package_key
            snapshot = json.loads(row.settings_json or "{}")
            audit = session.execute(
                select(AuditEntry).where(col(AuditEntry.action) == "evaluation.create_round")
            ).scalars()
            entities = {entry.entity for entry in audit}
        assert snapshot["group_weights"]["研究水平与创新成果"] == "35"
        assert snapshot["grades"] == {
            "excellent": "90",
            "qualified": "70",
            "rectify": "60",
            "conditions_failed_cap": "整改",
        }
        assert entities == {"evaluation_round", "evaluation"}
        assert due(ctx, Y, D(2026, 9, 1)) == {}  # in the round of the year now
        with pytest.raises(ServiceError, match="2026 年度已有绩效评估"):
            start_round(ctx)
    finally:
        ctx.db.dispose()


def test_create_round_snapshots_the_bands_of_the_years_rule_settings(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        recognised_centre(ctx, "甲", D(2023, 6, 10))
        bands = RuleSettings(grade_excellent_min=85, grade_qualified_min=75, grade_rectify_min=50)
        rulesets.save_settings(
            ctx, year=Y - 1, settings=bands, note="上年度分数线"
        )  # the nearest earlier year
        round_id = start_round(ctx)
        with reading(ctx) as session:
            row = session.get(EvaluationRound, round_id)
            assert row is not None
            snapshot = json.loads(row.settings_json or "{}")
        assert snapshot["grades"] == {
            "excellent": "85",
            "qualified": "75",
            "rectify": "50",
            "conditions_failed_cap": "整改",  # the sheet's cap
        }
    finally:
        ctx.db.dispose()


def test_create_round_refusals(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        with pytest.raises(ServiceError, match="没有需要参加绩效评估的中心"):
            start_round(ctx)
        cid = recognised_centre(ctx, "丁", D(2026, 9, 1))  # recognised on the start day: may take part
        late = recognised_centre(ctx, "戊", D(2026, 9, 2))
        with pytest.raises(ServiceError, match="尚未认定"):
            start_round(ctx, center_ids=[late])
        with pytest.raises(ServiceError, match="重复"):
            start_round(ctx, center_ids=[cid, cid])
        with pytest.raises(ServiceError, match="评估会日期 2026-08-31 早于评估开始日期"):
            start_round(ctx, center_ids=[cid], held_on=D(2026, 8, 31))
        with pytest.raises(ServiceError, match="请填写评估名称"):
            rounds.create_round(ctx, year=Y, title="  ", started_on=D(Y, 9, 1), center_ids=[cid])
        with pytest.raises(ServiceError, match="评估年度"):
            rounds.create_round(ctx, year=26, title="x", started_on=D(Y, 9, 1), center_ids=[cid])
        with reading(ctx) as session:
            assert session.execute(select(EvaluationRound)).first() is None  # nothing written
        round_id = start_round(ctx, center_ids=[cid])
        assert [e.center_id for e in rounds.list_evaluations(ctx, round_id=round_id)] == [cid]
    finally:
        ctx.db.dispose()


def test_self_evaluation_and_its_basis(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = recognised_centre(ctx, "自评", D(2023, 6, 10))
        add_annual_report(ctx, cid, 2023)
        add_annual_report(ctx, cid, 2025, status="draft")
        add_annual_report(ctx, cid, 2022)  # before the three years: not shown
        eid = evaluation_of(ctx, start_round(ctx), cid)
        rounds.record_self_evaluation(ctx, evaluation_id=eid, points=points_for("86.5"))
        assert rounds.get_evaluation(ctx, eid).self_score_text == "86.5"
        with pytest.raises(
            ServiceError, match=r"自评：指标“知识产权管理与科研诚信”的得分 4\.01 超过该项满分 4 分"
        ):
            rounds.record_self_evaluation(
                ctx, evaluation_id=eid, points=dict(points_for("86.5"), integrity="4.01")
            )
        with pytest.raises(ServiceError, match="请填写指标“科研项目承担”的得分"):
            rounds.record_self_evaluation(ctx, evaluation_id=eid, points={})
        assert rounds.get_evaluation(ctx, eid).self_score_text == "86.5"  # unchanged
        basis = rounds.self_evaluation_basis(ctx, evaluation_id=eid)
        assert [(b.year, b.status_label) for b in basis] == [
            (2023, "已备案"),
            (2024, "未报送"),
            (2025, "草稿"),
        ]
        first = basis[0]
        assert (first.rd_staff, first.floor_area_m2, first.projects, first.outputs) == (10, 420.5, 1, 3)
        assert (first.invention_patents, first.rd_spent_yuan, first.open_topics, first.host_assessment) == (
            1,
            5_000_000,
            1,
            "合格",
        )
        assert basis[2].rd_staff is None and basis[2].report_id is not None
    finally:
        ctx.db.dispose()


def test_withdraw_forfeits_and_is_refused_twice(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = recognised_centre(ctx, "退出", D(2023, 6, 10))
        round_id = start_round(ctx)
        eid = evaluation_of(ctx, round_id, cid)
        with pytest.raises(ServiceError, match="请填写未参加或退出的原因"):
            rounds.withdraw(ctx, evaluation_id=eid, on=D(Y, 9, 10), reason=" ")
        with pytest.raises(ServiceError, match="退出日期 2026-08-31 早于评估开始日期"):
            rounds.withdraw(ctx, evaluation_id=eid, on=D(Y, 8, 31), reason="不参加")
        rounds.withdraw(ctx, evaluation_id=eid, on=D(Y, 9, 1), reason="依托单位书面申请退出")
        view = rounds.get_evaluation(ctx, eid)
        assert view.participated is False
        assert (view.outcome, view.outcome_label) == ("forfeit", "视为自动放弃资格")
        assert view.note is not None and "依托单位书面申请退出" in view.note
        assert rounds.get_round(ctx, round_id).counts.withdrawn == 1
        with pytest.raises(ServiceError, match="已登记为未参加或退出"):
            rounds.withdraw(ctx, evaluation_id=eid, on=D(Y, 9, 2), reason="再次")
        with pytest.raises(ServiceError, match="未参加（或已退出）本次绩效评估，不能填写自评"):
            rounds.record_self_evaluation(ctx, evaluation_id=eid, points=points_for("80"))
        with reading(ctx) as session:
            actions = set(session.execute(select(col(AuditEntry.action))).scalars())
        assert "evaluation.withdraw" in actions
    finally:
        ctx.db.dispose()


def test_passing_a_rectification_is_not_a_new_recognition(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = recognised_centre(ctx, "整改后", D(2023, 6, 10))
        imported = recognised_centre(ctx, "导入", D(2020, 6, 10))
        with unit_of_work(ctx, "test.history") as session:  # history rows as other sections record them
            for center_id, from_state, on in (
                (cid, "rectifying", D(2025, 5, 1)),
                (imported, None, D(2024, 1, 2)),
            ):
                session.add(
                    CenterStateChange.model_validate(
                        {
                            "center_id": center_id,
                            "changed_on": on,
                            "from_state": from_state,
                            "to_state": "recognised",
                            "operator": "测试",
                            "reason": "测试",
                        }
                    )
                )
        rows = due(ctx, Y, D(2026, 9, 1))
        assert rows[cid].recognised_on == D(2023, 6, 10)  # not 2025-05-01
        assert rows[cid].due_on == D(2026, 6, 10)
        assert imported not in rows  # recognised again on 2024-01-02: due 2027-01-02
    finally:
        ctx.db.dispose()
