"""Four eyes on a revocation (issue 15 item 3): with sign-in on, 取消称号 — by an evaluation's
consequence (不合格) or by a failed rectification check — is proposed by one user and takes effect
when a different 审核人 approves; the consequences that revoke nothing (保留, 整改) and a passed
check do not wait. With sign-in off everything works as before (the rest of this folder)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from consequence_helpers import open_db, state, titled

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services import approvals, users
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import consequences, rectification
from lzcenter_desktop.services.permissions import ApprovalNeeded, PermissionRefused
from tests.consequence_records import evaluate, rectification_of
from tests.signin_records import cheap_hashing, with_users

ON = date(2025, 12, 15)
DEADLINE = date(2026, 12, 15)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def _applied(ctx: AppContext, evaluation_id: int) -> date | None:
    return consequences.get_consequence(ctx, evaluation_id=evaluation_id).applied_on


def test_a_failed_evaluation_revokes_only_after_another_approvers_approval(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.FAILED, ON, apply=False)
    signed = with_users(ctx)
    with pytest.raises(ApprovalNeeded, match="取消“柳州轻量化工程技术研究中心") as info:
        consequences.apply_consequence(
            signed["clerk"], evaluation_id=eid, on=ON, document_no="柳科发〔2025〕88号"
        )
    request_id = info.value.request_id
    assert request_id is not None
    assert (state(ctx, cid), _applied(ctx, eid)) == ("recognised", None)
    # the proposer, even after being made a 审核人, cannot approve their own proposal
    users.set_role(signed["admin"], login="clerk", role="审核人")
    with pytest.raises(PermissionRefused, match="是您本人提出的"):
        approvals.approve(signed["clerk"], request_id)
    assert state(ctx, cid) == "recognised"
    approvals.approve(signed["approver"], request_id)
    assert (state(ctx, cid), _applied(ctx, eid)) == ("revoked", ON)
    [done] = approvals.list_requests(ctx, pending_only=False)
    assert (done.kind_label, done.proposed_by, done.decided_by) == (
        "取消称号（评估结论）",
        "clerk",
        "approver",
    )


@pytest.mark.parametrize(("grade", "after"), [(Grade.QUALIFIED, "recognised"), (Grade.RECTIFY, "rectifying")])
def test_consequences_that_revoke_nothing_do_not_wait(ctx: AppContext, grade: Grade, after: str) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, grade, ON, apply=False)
    signed = with_users(ctx)
    consequences.apply_consequence(signed["clerk"], evaluation_id=eid, on=ON)
    assert (state(ctx, cid), _applied(ctx, eid)) == (after, ON)
    assert approvals.list_requests(ctx, pending_only=False) == []


@pytest.fixture
def rect(ctx: AppContext) -> tuple[int, int]:
    cid = titled(ctx, "轻量化")
    rid = rectification_of(ctx, evaluate(ctx, cid, Grade.RECTIFY, ON))
    rectification.request_acceptance(ctx, rectification_id=rid, applied_on=DEADLINE)
    return cid, rid


def test_a_failed_acceptance_revokes_only_after_approval(ctx: AppContext, rect: tuple[int, int]) -> None:
    cid, rid = rect
    signed = with_users(ctx)
    with pytest.raises(ApprovalNeeded, match="整改验收未通过，取消称号") as info:
        rectification.record_acceptance(
            signed["clerk"], rectification_id=rid, checked_on=DEADLINE, passed=False, note="没有明显进步"
        )
    assert info.value.request_id is not None
    view = rectification.get_rectification(ctx, rid)
    assert (state(ctx, cid), view.outcome, view.checked_on) == ("rectifying", "pending", None)
    approvals.approve(signed["approver2"], info.value.request_id)
    view = rectification.get_rectification(ctx, rid)
    assert (state(ctx, cid), view.outcome, view.note) == ("revoked", "not_accepted", "没有明显进步")


def test_a_passed_acceptance_does_not_wait(ctx: AppContext, rect: tuple[int, int]) -> None:
    cid, rid = rect
    signed = with_users(ctx)
    rectification.record_acceptance(
        signed["clerk"], rectification_id=rid, checked_on=DEADLINE, passed=True, note="整改成效明显"
    )
    assert state(ctx, cid) == "recognised"
    assert approvals.list_requests(ctx, pending_only=False) == []


def test_the_services_checks_come_before_any_proposal(ctx: AppContext) -> None:
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.FAILED, ON, apply=False)
    signed = with_users(ctx)
    with pytest.raises(ServiceError, match="早于评估开始日期"):
        consequences.apply_consequence(signed["clerk"], evaluation_id=eid, on=date(2024, 12, 31))
    assert approvals.list_requests(ctx, pending_only=False) == []
    assert state(ctx, cid) == "recognised"
