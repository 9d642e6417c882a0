"""Four eyes on a recognition (issue 15 item 3): with sign-in on, 发文认定 by a clerk is only
proposed (recorded, nothing changes); it takes effect when a different 审核人 approves — not the
proposer, not a clerk — in one transaction with the approval; 退回 closes it without effect.
With sign-in off it works as before (the rest of this folder's tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from notice_helpers import NATIONAL_DAY_END, NATIONAL_DAY_START, open_db, proposed_centres
from sqlmodel import col, select

from lzcenter_desktop.services import approvals, centers, users
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.permissions import ApprovalNeeded, PermissionRefused
from lzcenter_desktop.services.review import notice, recognition
from lzcenter_desktop.storage.models import ApprovalRequest, AuditEntry, Recognition
from tests.signin_records import cheap_hashing, with_users

DOC = "柳科发〔2026〕58号"
AFTER = NATIONAL_DAY_END + timedelta(days=1)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def _published(ctx: AppContext) -> tuple[int, list[int]]:
    call_id, ids = proposed_centres(ctx)
    view = notice.publish_notice(
        ctx, call_id=call_id, title="2026年度拟认定名单公示", published_on=NATIONAL_DAY_START
    )
    return view.id, ids


def _recognitions(ctx: AppContext) -> int:
    with ctx.db.session() as session:
        return len(list(session.execute(select(Recognition)).scalars()))


def _propose(clerk: AppContext, notice_id: int) -> int:
    with pytest.raises(ApprovalNeeded, match="须由另一位“审核人”批准后才生效") as info:
        recognition.recognise_notice(clerk, notice_id=notice_id, document_no=DOC, recognized_on=AFTER)
    assert info.value.request_id is not None
    return info.value.request_id


def test_a_clerks_recognition_is_only_proposed_until_another_approver_approves(ctx: AppContext) -> None:
    notice_id, ids = _published(ctx)
    signed = with_users(ctx)
    request_id = _propose(signed["clerk"], notice_id)
    assert _recognitions(ctx) == 0
    assert all(centers.get_center(ctx, c).row.status_code == "public_notice" for c in ids)
    [pending] = approvals.list_requests(signed["approver"])
    assert (pending.request_id, pending.proposed_by, pending.status_label) == (request_id, "clerk", "待批准")
    assert "2026年度拟认定名单公示" in pending.summary

    with pytest.raises(ServiceError, match="正等待审核人批准，不能重复提出"):
        recognition.recognise_notice(
            signed["clerk2"], notice_id=notice_id, document_no=DOC, recognized_on=AFTER
        )
    with pytest.raises(PermissionRefused, match="需要“审核人”角色"):
        approvals.approve(signed["clerk2"], request_id)  # a second clerk is not enough
    with pytest.raises(PermissionRefused, match="需要“审核人”角色"):
        approvals.approve(signed["admin"], request_id)
    assert _recognitions(ctx) == 0

    batch = approvals.approve(signed["approver"], request_id)
    assert isinstance(batch, recognition.RecognitionBatch)
    assert [r.center_id for r in batch.recognised] == ids
    assert all(centers.get_center(ctx, c).row.status_code == "recognised" for c in ids)
    assert approvals.list_requests(ctx) == []
    [done] = approvals.list_requests(ctx, pending_only=False)
    assert (done.status, done.decided_by) == ("approved", "approver")
    with ctx.db.session() as session:  # the approval and the recognition: one transaction
        txns = {
            e.entity: e.txn
            for e in session.execute(
                select(AuditEntry).where(col(AuditEntry.entity).in_(["approval_request", "recognition"]))
            ).scalars()
            if e.operation == "update" or e.entity == "recognition"
        }
        operators = set(
            session.execute(
                select(col(AuditEntry.operator)).where(col(AuditEntry.entity) == "recognition")
            ).scalars()
        )
    assert txns["approval_request"] == txns["recognition"]
    assert operators == {"approver"}
    with pytest.raises(ServiceError, match="已由 approver 处理（已批准），不能再次处理"):
        approvals.approve(signed["approver2"], request_id)


def test_the_proposer_cannot_approve_even_as_an_approver(ctx: AppContext) -> None:
    notice_id, _ids = _published(ctx)
    signed = with_users(ctx)
    request_id = _propose(signed["approver"], notice_id)
    with pytest.raises(PermissionRefused, match="是您本人提出的，不能由您批准"):
        approvals.approve(signed["approver"], request_id)
    assert _recognitions(ctx) == 0
    approvals.approve(signed["approver2"], request_id)
    assert _recognitions(ctx) == 3


def test_returned_proposals_change_nothing_and_may_be_proposed_again(ctx: AppContext) -> None:
    notice_id, _ids = _published(ctx)
    signed = with_users(ctx)
    request_id = _propose(signed["clerk"], notice_id)
    with pytest.raises(ServiceError, match="请填写退回理由"):
        approvals.return_request(signed["approver"], request_id, note=" ")
    with pytest.raises(PermissionRefused, match="需要“审核人”角色"):
        approvals.return_request(signed["clerk2"], request_id, note="文号有误")
    approvals.return_request(signed["approver"], request_id, note="文号有误")
    with pytest.raises(ServiceError, match="已退回"):
        approvals.approve(signed["approver2"], request_id)
    assert _recognitions(ctx) == 0
    again = _propose(signed["clerk"], notice_id)
    assert again != request_id


def test_readers_and_experts_cannot_even_propose(ctx: AppContext) -> None:
    notice_id, _ids = _published(ctx)
    signed = with_users(ctx)
    for login in ("reader", "expert"):
        with pytest.raises(PermissionRefused, match="只能查看"):
            recognition.recognise_notice(
                signed[login], notice_id=notice_id, document_no=DOC, recognized_on=AFTER
            )
    with ctx.db.session() as session:
        assert list(session.execute(select(ApprovalRequest)).scalars()) == []


def test_recognising_one_centre_needs_the_second_pair_of_eyes_too(ctx: AppContext) -> None:
    _notice_id, ids = _published(ctx)
    signed = with_users(ctx)
    with pytest.raises(ApprovalNeeded) as info:
        centers.recognise(signed["clerk"], center_id=ids[0], on=AFTER, document_no=DOC)
    assert info.value.request_id is not None
    assert _recognitions(ctx) == 0
    approvals.approve(signed["approver"], info.value.request_id)
    assert centers.get_center(ctx, ids[0]).row.status_code == "recognised"


def test_with_sign_in_off_the_clerk_recognises_directly(ctx: AppContext) -> None:
    notice_id, ids = _published(ctx)
    batch = recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=AFTER)
    assert [r.center_id for r in batch.recognised] == ids
    request_id = _fake_request(ctx)
    with pytest.raises(ServiceError, match="未启用登录时不需要审批"):
        approvals.approve(ctx, request_id)


def _fake_request(ctx: AppContext) -> int:
    """A pending request written by hand (sign-in off: nothing proposes one)."""
    from lzcenter_desktop.services.uow import unit_of_work

    with unit_of_work(ctx, "test.request") as session:
        row = ApprovalRequest(
            kind="recognition", subject="notice:1", summary="手写", params_json="{}", proposed_by="某人"
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id
