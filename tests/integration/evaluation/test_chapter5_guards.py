"""The 第五章 guards of every state change (services/evaluation/guards.py, called from
``centers.apply_state_change``): 整改中, 已撤销 and 自动放弃 are reached only with the evaluation
outcome that decides them (not yet applied), 整改中 → 已撤销 / 已认定 only with the acceptance
result; by hand they are refused in Chinese, pointing to 绩效评估."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from consequence_helpers import open_db, state, titled

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Evaluation
from tests.consequence_records import accept, add_evaluation, evaluate, rectification_of

ON = date(2025, 12, 15)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("rectifying", "不能改为“整改中”：没有待执行的“整改”绩效评估结果"),
        ("revoked", "不能改为“已撤销”：没有待执行的“取消称号”绩效评估结果"),
        ("forfeited", "不能改为“自动放弃”：没有待执行的“视为自动放弃”绩效评估结果"),
    ],
)
def test_by_hand_refused(ctx: AppContext, target: str, words: str) -> None:
    cid = titled(ctx, "轻量化")
    with pytest.raises(ServiceError, match=words) as err:
        centers.change_state(ctx, center_id=cid, to_state=target, on=ON, reason="经办人操作")
    assert "绩效评估" in str(err.value) and err.value.field == "目标状态"
    assert state(ctx, cid) == "recognised"


@pytest.mark.parametrize(
    ("grade", "participated", "allowed"),
    [
        (Grade.RECTIFY, True, "rectifying"),
        (Grade.FAILED, True, "revoked"),
        (None, False, "forfeited"),
    ],
)
def test_only_the_step_of_the_pending_outcome_passes(
    ctx: AppContext, grade: Grade | None, participated: bool, allowed: str
) -> None:
    """A proposed outcome opens no step by hand (the 状态变更 dialog of the 中心 page); the outcome
    the consequences service is applying that day opens its own step and no other."""
    cid = titled(ctx, "轻量化")
    outcome = {"rectifying": "rectify", "revoked": "revoke", "forfeited": "forfeit"}[allowed]
    with unit_of_work(ctx, "test") as session:
        eid = add_evaluation(session, cid, year=2025, grade=grade, participated=participated)
        ev = session.get(Evaluation, eid)
        assert ev is not None
        ev.outcome = outcome
        session.add(ev)
    for target in ("rectifying", "revoked", "forfeited"):
        with pytest.raises(ServiceError, match="绩效评估"):
            centers.change_state(ctx, center_id=cid, to_state=target, on=ON, reason="经办人操作")
    with unit_of_work(ctx, "test") as session:
        ev = session.get(Evaluation, eid)
        assert ev is not None
        ev.outcome_applied_on = ON - timedelta(days=1)  # applied another day: still nothing
        session.add(ev)
    with pytest.raises(ServiceError, match="绩效评估"):
        centers.change_state(ctx, center_id=cid, to_state=allowed, on=ON, reason="经办人操作")
    with unit_of_work(ctx, "test") as session:
        ev = session.get(Evaluation, eid)
        assert ev is not None
        ev.outcome_applied_on = ON  # what apply_consequence does just before the step
        session.add(ev)
    for other in {"rectifying", "revoked", "forfeited"} - {allowed}:
        with pytest.raises(ServiceError, match="绩效评估"):
            centers.change_state(ctx, center_id=cid, to_state=other, on=ON, reason="经办人操作")
    centers.change_state(ctx, center_id=cid, to_state=allowed, on=ON, reason="按评估结论")
    assert state(ctx, cid) == allowed


def test_an_applied_outcome_opens_nothing_more(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.RECTIFY, ON)
    accept(ctx, rectification_of(ctx, eid), date(2026, 12, 15))
    assert state(ctx, cid) == "recognised"
    with pytest.raises(ServiceError, match="没有待执行的“整改”"):
        centers.change_state(
            ctx, center_id=cid, to_state="rectifying", on=date(2027, 1, 5), reason="再次整改"
        )


def test_out_of_rectification_only_with_the_acceptance_result(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    evaluate(ctx, cid, Grade.RECTIFY, ON)
    with pytest.raises(ServiceError, match="整改尚未通过验收") as err:
        centers.change_state(
            ctx, center_id=cid, to_state="recognised", on=date(2026, 12, 15), reason="整改完成"
        )
    assert "绩效评估" in str(err.value)
    with pytest.raises(ServiceError, match="也没有未通过的整改验收"):
        centers.change_state(ctx, center_id=cid, to_state="revoked", on=date(2026, 12, 15), reason="整改不力")
    assert state(ctx, cid) == "rectifying"


def test_an_acceptance_of_an_earlier_rectification_does_not_count(ctx: AppContext) -> None:
    """Passed in 2020, 整改中 again since 2025 (not consecutive): the old result opens nothing."""
    cid = titled(ctx, "轻量化", date(2016, 6, 1))
    first = evaluate(ctx, cid, Grade.RECTIFY, date(2019, 12, 15))
    accept(ctx, rectification_of(ctx, first), date(2020, 12, 15))
    evaluate(ctx, cid, Grade.QUALIFIED, date(2022, 12, 15))
    evaluate(ctx, cid, Grade.RECTIFY, ON)
    assert state(ctx, cid) == "rectifying"
    with pytest.raises(ServiceError, match="整改尚未通过验收"):
        centers.change_state(
            ctx, center_id=cid, to_state="recognised", on=date(2026, 12, 15), reason="整改完成"
        )
