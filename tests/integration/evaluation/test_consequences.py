"""The consequences of an evaluation (第二十四条): each outcome applied once through the guarded
lifecycle with its article in the centre's history; a second consecutive 整改 revokes (with and
without a 合格 between); 优秀 listed for priority; 第二十五条 re-application from the revocation."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from consequence_helpers import last_change, open_db, rectifications, state, titled
from sqlmodel import col, select

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services import centers
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import consequences as c
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Evaluation, Recognition
from tests.consequence_records import accept, add_evaluation, evaluate, rectification_of, round_of_year

ON = date(2025, 12, 15)
DOC = "柳科发〔2025〕88号"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def applied_on(ctx: AppContext, evaluation_id: int) -> date | None:
    with ctx.db.session() as session:
        ev = session.get(Evaluation, evaluation_id)
        assert ev is not None
        return ev.outcome_applied_on


# ---------------------------------------------------------------- one outcome each


def test_excellent_and_qualified_keep_the_title_and_only_excellent_is_listed_for_priority(
    ctx: AppContext,
) -> None:
    a, b = titled(ctx, "轻量化"), titled(ctx, "智能装备")
    with unit_of_work(ctx, "test") as session:
        ea = add_evaluation(session, a, year=2025, grade=Grade.EXCELLENT, total="92.50")
        eb = add_evaluation(session, b, year=2025, grade=Grade.QUALIFIED, total="89.99")
        rid = round_of_year(session, 2025)
    proposed = {v.evaluation_id: v for v in c.proposed_consequences(ctx, round_id=rid)}
    assert (proposed[ea].outcome, proposed[ea].article, proposed[ea].applied_on) == (
        "keep",
        "第二十四条（一）",
        None,
    )
    assert (proposed[eb].outcome, proposed[eb].article) == ("keep", "第二十四条（二）")
    for eid in (ea, eb):
        c.apply_consequence(ctx, evaluation_id=eid, on=ON)
        assert applied_on(ctx, eid) == ON
    assert state(ctx, a) == state(ctx, b) == "recognised"
    assert [v.evaluation_id for v in c.priority_list(ctx, round_id=rid)] == [ea]
    assert c.priority_list(ctx, round_id=rid)[0].outcome_label == "保留称号"
    # kept, but recorded in the history with its article like every other consequence
    for cid, article in ((a, "第二十四条（一）"), (b, "第二十四条（二）")):
        last = centers.get_center(ctx, cid).history[-1]
        assert (last.from_state, last.to_state, last.on) == ("已认定", "已认定", ON)
        assert article in last.reason and "保留" in last.reason
    assert "优先" in centers.get_center(ctx, a).history[-1].reason


def test_rectify_starts_a_rectification_due_one_year_after_the_notice(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.RECTIFY, ON, document_no=DOC)
    assert state(ctx, cid) == "rectifying"
    change = last_change(ctx, cid)
    assert change.changed_on == ON and change.document_no == DOC
    assert "第二十四条（三）" in change.reason and "2026-12-15" in change.reason
    [rect] = rectifications(ctx, cid)
    assert (rect.evaluation_id, rect.notice_date, rect.deadline, rect.outcome) == (
        eid,
        ON,
        date(2026, 12, 15),
        "pending",
    )
    view = c.get_consequence(ctx, evaluation_id=eid)
    assert view.rectification is not None and view.rectification.deadline == date(2026, 12, 15)
    assert (view.outcome, view.outcome_label, view.applied_on) == ("rectify", "限期整改", ON)


def test_a_notice_on_29_february_is_due_on_28_february(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    evaluate(ctx, cid, Grade.RECTIFY, date(2028, 2, 29))
    assert rectifications(ctx, cid)[0].deadline == date(2029, 2, 28)


def test_failed_revokes_the_title_and_ends_the_recognition(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    evaluate(ctx, cid, Grade.FAILED, ON, document_no=DOC)
    assert state(ctx, cid) == "revoked"
    change = last_change(ctx, cid)
    assert "结果为不合格" in change.reason and "第二十四条（四）" in change.reason
    with ctx.db.session() as session:
        statuses = session.execute(
            select(col(Recognition.status)).where(col(Recognition.center_id) == cid)
        ).scalars()
        assert set(statuses) <= {"revoked"}
    assert c.reapply_from(ctx, center_id=cid) == date(2027, 12, 15)


@pytest.mark.parametrize("how", ["did not take part", "withdrew"])
def test_not_taking_part_or_withdrawing_forfeits(ctx: AppContext, how: str) -> None:
    cid = titled(ctx, "轻量化")
    with unit_of_work(ctx, "test") as session:
        eid = add_evaluation(session, cid, year=2025, grade=None, participated=False)
        if how == "withdrew":  # scored half-way, then withdrew: a grade on record does not matter
            ev = session.get(Evaluation, eid)
            assert ev is not None
            ev.grade = Grade.QUALIFIED.value
            session.add(ev)
    c.apply_consequence(ctx, evaluation_id=eid, on=ON)
    assert state(ctx, cid) == "forfeited"
    assert (
        "视为自动放弃" in last_change(ctx, cid).reason and "第二十四条（五）" in last_change(ctx, cid).reason
    )
    assert c.reapply_from(ctx, center_id=cid) is None


# ---------------------------------------------------------------- refusals


def test_a_consequence_is_applied_once(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.QUALIFIED, ON)
    with pytest.raises(ServiceError, match="已于 2025-12-15 执行，不能重复执行"):
        c.apply_consequence(ctx, evaluation_id=eid, on=ON)
    rectified = titled(ctx, "智能装备")
    eid = evaluate(ctx, rectified, Grade.RECTIFY, ON)
    with pytest.raises(ServiceError, match="不能重复执行"):
        c.apply_consequence(ctx, evaluation_id=eid, on=date(2025, 12, 16))
    assert len(rectifications(ctx, rectified)) == 1


def test_no_grade_no_consequence(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, None, ON, participated=True, apply=False)
    view = c.get_consequence(ctx, evaluation_id=eid)
    assert (view.outcome, view.outcome_label, view.article) == (None, "尚未评定等级", None)
    with pytest.raises(ServiceError, match="尚未评定等级"):
        c.apply_consequence(ctx, evaluation_id=eid, on=ON)
    assert state(ctx, cid) == "recognised" and applied_on(ctx, eid) is None


@pytest.mark.parametrize(("on", "ok"), [(date(2024, 12, 31), False), (date(2025, 1, 1), True)])
def test_not_before_the_round_started(ctx: AppContext, on: date, ok: bool) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.FAILED, ON, apply=False)  # round 2025 started 1 January 2025
    if ok:
        c.apply_consequence(ctx, evaluation_id=eid, on=on)
        assert state(ctx, cid) == "revoked"
    else:
        with pytest.raises(ServiceError, match="早于评估开始日期"):
            c.apply_consequence(ctx, evaluation_id=eid, on=on)


# ---------------------------------------------------------------- consecutive 整改 (第二十四条（四）)


def test_a_second_consecutive_rectify_revokes_whatever_the_acceptance_gave(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化", date(2019, 6, 1))
    first = evaluate(ctx, cid, Grade.RECTIFY, date(2022, 12, 15))
    accept(ctx, rectification_of(ctx, first), date(2023, 12, 15), passed=True)
    assert state(ctx, cid) == "recognised"
    second = evaluate(ctx, cid, Grade.RECTIFY, date(2025, 12, 15), apply=False)
    view = c.get_consequence(ctx, evaluation_id=second)
    assert (view.previous_grades, view.outcome, view.article) == (("整改",), "revoke", "第二十四条（四）")
    c.apply_consequence(ctx, evaluation_id=second, on=date(2025, 12, 15))
    assert state(ctx, cid) == "revoked"
    assert "连续二次结果为整改" in last_change(ctx, cid).reason
    assert len(rectifications(ctx, cid)) == 1  # no second rectification period


def test_rectify_qualified_rectify_is_not_consecutive(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化", date(2016, 6, 1))
    first = evaluate(ctx, cid, Grade.RECTIFY, date(2019, 12, 15))
    accept(ctx, rectification_of(ctx, first), date(2020, 12, 15))
    evaluate(ctx, cid, Grade.QUALIFIED, date(2022, 12, 15))
    third = evaluate(ctx, cid, Grade.RECTIFY, date(2025, 12, 15))
    assert c.get_consequence(ctx, evaluation_id=third).previous_grades == ("整改", "合格")
    assert state(ctx, cid) == "rectifying"
    assert len(rectifications(ctx, cid)) == 2


def test_grades_before_the_latest_recognition_do_not_count(ctx: AppContext) -> None:
    """An evaluation of an earlier round that started before the centre's recognition is not its
    previous evaluation (the centre was recognised anew since)."""
    cid = titled(ctx, "轻量化", date(2022, 6, 1))
    with unit_of_work(ctx, "test") as session:
        add_evaluation(session, cid, year=2021, grade=Grade.RECTIFY)  # round started 2021-01-01
    eid = evaluate(ctx, cid, Grade.RECTIFY, ON)
    assert c.get_consequence(ctx, evaluation_id=eid).previous_grades == ()
    assert state(ctx, cid) == "rectifying"


# ---------------------------------------------------------------- 第二十五条: applying again


@pytest.mark.parametrize(
    ("revoked", "applied", "refused"),
    [
        (date(2024, 6, 10), date(2026, 6, 9), True),
        (date(2024, 6, 10), date(2026, 6, 10), False),
        (date(2024, 6, 10), date(2026, 6, 11), False),
        (date(2024, 2, 29), date(2026, 2, 27), True),  # revoked on 29 February …
        (date(2024, 2, 29), date(2026, 2, 28), False),  # … may apply again on 28 February
        (date(2028, 2, 29), date(2030, 2, 27), True),
        (date(2028, 2, 29), date(2030, 2, 28), False),
    ],
)
def test_a_new_declaration_of_the_host_waits_two_years_from_the_revocation(
    ctx: AppContext, example: dict[str, Any], revoked: date, applied: date, refused: bool
) -> None:
    host = example["host"]
    cid = titled(ctx, "旧", date(2019, 7, 25), host_name=host["name"], credit_code=host["credit_code"])
    evaluate(ctx, cid, Grade.FAILED, revoked)
    assert c.reapply_from(ctx, center_id=cid) == (
        date(revoked.year + 2, 2, 28) if revoked.month == 2 else date(revoked.year + 2, 6, 10)
    )
    data = copy.deepcopy(example)
    data.update(application_date=applied.isoformat(), previous_revocation_date=None)
    did = d.create_draft(ctx, call_year=applied.year, data=data)
    found = [v for v in d.check_declaration_draft(ctx, declaration_id=did).violations if v.rule == "D25"]
    assert bool(found) is refused
    if refused:
        assert found[0].severity.value == "error"
        with pytest.raises(ServiceError, match="错误"):
            d.submit_declaration(ctx, declaration_id=did, acknowledgements={}, on=applied)
    elif applied.year == 2026:  # the example's other figures are those of a 2026 application
        d.submit_declaration(ctx, declaration_id=did, acknowledgements={}, on=applied)


def test_a_revocation_on_29_february_2028_allows_a_new_application_from_28_february_2030(
    ctx: AppContext,
) -> None:
    cid = titled(ctx, "轻量化")
    evaluate(ctx, cid, Grade.FAILED, date(2028, 2, 29))
    assert c.reapply_from(ctx, center_id=cid) == date(2030, 2, 28)
