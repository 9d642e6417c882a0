"""作废 a draft and 撤回 a submitted declaration: every allowed and refused state, the reason in the
audit trail, the centre that follows, nothing deleted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, Center, CenterStateChange, Declaration
from tests.review_records import add_review_result

ALL_STATUSES = ("draft", "submitted", "withdrawn", "discarded", "decided")


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "closing.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


def submitted(ctx: AppContext, example: dict[str, Any]) -> int:
    """A declaration submitted on 2026-06-12; its centre is made then (in 草稿, then 已提交)."""
    did = d.create_draft(ctx, call_year=2026)
    d.save_draft(ctx, declaration_id=did, data=example)
    d.submit_declaration(ctx, declaration_id=did, on=date(2026, 6, 12))
    return did


def force_status(ctx: AppContext, declaration_id: int, status: str) -> None:
    """Put a declaration in ``status`` (for the states no service of this module reaches)."""
    with unit_of_work(ctx, "tests.force_status") as s:
        row = s.get(Declaration, declaration_id)
        assert row is not None
        row.status = status
        s.add(row)


def declaration(ctx: AppContext, declaration_id: int) -> Declaration:
    with ctx.db.session() as s:
        row = s.get(Declaration, declaration_id)
        assert row is not None
        s.expunge(row)
        return row


def entries(ctx: AppContext, action: str) -> list[AuditEntry]:
    """The audit entries of ``action`` on ``declaration`` rows."""
    with ctx.db.session() as s:
        return list(
            s.execute(
                select(AuditEntry)
                .where(col(AuditEntry.action) == action, col(AuditEntry.entity) == "declaration")
                .order_by(col(AuditEntry.id))
            ).scalars()
        )


def center_of(ctx: AppContext, declaration_id: int) -> tuple[Center, list[tuple[Any, ...]]]:
    with ctx.db.session() as s:
        row = s.get(Declaration, declaration_id)
        assert row is not None and row.center_id is not None
        center = s.get(Center, row.center_id)
        assert center is not None
        s.expunge(center)
        steps = [
            (c.from_state, c.to_state, c.changed_on, c.operator, c.reason)
            for c in s.execute(
                select(CenterStateChange)
                .where(col(CenterStateChange.center_id) == row.center_id)
                .order_by(col(CenterStateChange.id))
            ).scalars()
        ]
        return center, steps


def counts(ctx: AppContext) -> tuple[int, int, int]:
    with ctx.db.session() as s:
        return (
            len(list(s.execute(select(Declaration)).scalars())),
            len(list(s.execute(select(AuditEntry)).scalars())),
            len(list(s.execute(select(CenterStateChange)).scalars())),
        )


# ---------------------------------------------------------------- 作废


def test_discarding_a_draft_keeps_it_with_the_reason_in_the_audit(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    doc = d.get_declaration(ctx, did).data
    version = declaration(ctx, did).version
    d.discard_draft(ctx, declaration_id=did, reason="  误建的草稿  ")
    row = declaration(ctx, did)
    assert row.status == "discarded"
    assert row.version == version + 1  # a clerk who had it open is told it changed
    assert d.get_declaration(ctx, did).data == doc  # the document is kept
    (entry,) = entries(ctx, d.closing.DISCARD_ACTION)
    assert (entry.operator, entry.entity, entry.entity_id, entry.operation) == (
        "李科员",
        "declaration",
        str(did),
        "update",
    )
    assert json.loads(entry.before or "") == {"status": "draft", "version": version}
    assert json.loads(entry.after or "") == {
        "status": "discarded",
        "reason": "误建的草稿",
        "version": version + 1,
    }
    listed = {r.id: r for r in d.list_declarations(ctx)}
    assert listed[did].status == "discarded" and listed[did].status_label == "已作废"
    assert listed[did].status_reason == "误建的草稿"


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != "draft"])
def test_only_a_draft_can_be_discarded(ctx: AppContext, status: str) -> None:
    did = d.create_draft(ctx, call_year=2026)
    force_status(ctx, did, status)
    before = counts(ctx)
    with pytest.raises(ServiceError, match="只有草稿可以作废") as refused:
        d.discard_draft(ctx, declaration_id=did, reason="不再申报")
    assert d.STATUS_LABELS[status] in str(refused.value)
    assert ("请用“撤回”" in str(refused.value)) == (status == "submitted")  # points to the right action
    assert declaration(ctx, did).status == status and counts(ctx) == before


@pytest.mark.parametrize("reason", ["", "   ", "\u3000\n"])
def test_discarding_needs_a_reason(ctx: AppContext, reason: str) -> None:
    did = d.create_draft(ctx, call_year=2026)
    before = counts(ctx)
    with pytest.raises(ServiceError, match="请填写作废原因") as refused:
        d.discard_draft(ctx, declaration_id=did, reason=reason)
    assert refused.value.field == "作废原因"
    assert declaration(ctx, did).status == "draft" and counts(ctx) == before


@pytest.mark.parametrize(
    ("length", "ok"), [(d.REASON_MAX - 1, True), (d.REASON_MAX, True), (d.REASON_MAX + 1, False)]
)
def test_reason_length_bound(ctx: AppContext, length: int, ok: bool) -> None:
    did = d.create_draft(ctx, call_year=2026)
    if ok:
        d.discard_draft(ctx, declaration_id=did, reason="因" * length)
        assert declaration(ctx, did).status == "discarded"
    else:
        with pytest.raises(ServiceError, match=f"最多 {d.REASON_MAX} 字"):
            d.discard_draft(ctx, declaration_id=did, reason="因" * length)
        assert declaration(ctx, did).status == "draft"


def test_an_unknown_declaration_is_named(ctx: AppContext) -> None:
    with pytest.raises(NotFound, match="编号为 99 的申报书"):
        d.discard_draft(ctx, declaration_id=99, reason="误建")
    with pytest.raises(NotFound, match="编号为 99 的申报书"):
        d.withdraw_declaration(ctx, declaration_id=99, reason="误报")


def test_a_discarded_draft_cannot_be_saved_and_no_longer_counts_as_a_duplicate(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    first = d.import_declaration_data(ctx, data=example).declaration_id
    second = d.import_declaration_data(ctx, data=example)
    assert d.DUPLICATE_RULE in {v.rule for v in second.violations}
    d.discard_draft(ctx, declaration_id=second.declaration_id, reason="重复录入")
    again = d.check_declaration_draft(ctx, declaration_id=first).violations
    assert d.DUPLICATE_RULE not in {v.rule for v in again}
    listed = {r.id: r for r in d.list_declarations(ctx)}
    assert listed[first].warnings == 0
    with pytest.raises(ServiceError, match="已作废，不能再修改"):
        d.save_draft(ctx, declaration_id=second.declaration_id, data=example)
    with pytest.raises(ServiceError, match="已作废"):
        d.submit_declaration(ctx, declaration_id=second.declaration_id)


def test_discarding_an_imported_draft_retires_its_centre(ctx: AppContext, example: dict[str, Any]) -> None:
    """A draft imported with a valid host has a centre in 草稿 at once; it is retired with the draft."""
    did = d.import_declaration_data(ctx, data=example).declaration_id
    center, steps = center_of(ctx, did)
    assert center.state == "draft" and len(steps) == 1
    later = center.state_since + timedelta(days=3)
    d.discard_draft(ctx, declaration_id=did, reason="单位决定今年不申报", on=later)
    center, steps = center_of(ctx, did)
    assert (center.state, center.state_since) == ("withdrawn", later)
    assert steps[-1] == (
        "draft",
        "withdrawn",
        later,
        "李科员",
        f"第 {did} 号申报书草稿已作废：单位决定今年不申报",
    )
    # the centre's rows are audited in the same transaction as the declaration's entry
    (entry,) = entries(ctx, d.closing.DISCARD_ACTION)
    with ctx.db.session() as s:
        same_txn = {
            e.entity for e in s.execute(select(AuditEntry).where(col(AuditEntry.txn) == entry.txn)).scalars()
        }
    assert same_txn == {"declaration", "center", "center_state_change"}


def test_a_centre_another_open_declaration_uses_is_left_alone(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    other = d.create_draft(ctx, call_year=2027)
    center, _ = center_of(ctx, did)
    with unit_of_work(ctx, "tests.link") as s:
        row = s.get(Declaration, other)
        assert row is not None
        row.center_id = center.id
        s.add(row)
    d.discard_draft(ctx, declaration_id=did, reason="重复录入")
    assert center_of(ctx, did)[0].state == "draft"
    d.discard_draft(ctx, declaration_id=other, reason="也不申报了")  # the last one retires it
    assert center_of(ctx, did)[0].state == "withdrawn"


# ---------------------------------------------------------------- 撤回


def test_withdrawing_a_submitted_declaration_withdraws_its_centre(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    did = submitted(ctx, example)
    center, steps = center_of(ctx, did)
    assert center.state == "submitted"
    staff = len(example["staff"])
    version = declaration(ctx, did).version
    d.withdraw_declaration(ctx, declaration_id=did, reason="依托单位来函申请撤回", on=date(2026, 6, 20))
    row = declaration(ctx, did)
    assert row.status == "withdrawn" and row.submitted_on == date(2026, 6, 12)
    assert row.version == version + 1
    center, steps = center_of(ctx, did)
    assert (center.state, center.state_since) == ("withdrawn", date(2026, 6, 20))
    assert [s[:2] for s in steps] == [(None, "draft"), ("draft", "submitted"), ("submitted", "withdrawn")]
    assert steps[-1][4] == f"第 {did} 号申报书已撤回：依托单位来函申请撤回"
    (entry,) = entries(ctx, d.closing.WITHDRAW_ACTION)
    assert json.loads(entry.before or "") == {"status": "submitted", "version": version}
    assert json.loads(entry.after or "") == {
        "status": "withdrawn",
        "reason": "依托单位来函申请撤回",
        "version": version + 1,
    }
    listed = {r.id: r for r in d.list_declarations(ctx)}
    assert listed[did].status_label == "已撤回" and listed[did].status_reason == "依托单位来函申请撤回"
    from lzcenter_desktop.storage.models import DeclarationStaff

    with ctx.db.session() as s:  # the submitted child tables are kept
        kept = s.execute(
            select(DeclarationStaff).where(col(DeclarationStaff.declaration_id) == did)
        ).scalars()
        assert len(list(kept)) == staff


def test_the_centre_timeline_entry_is_not_dated_before_the_submission(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    did = submitted(ctx, example)  # submitted on 2026-06-12
    d.withdraw_declaration(ctx, declaration_id=did, reason="误报", on=date(2026, 6, 11))
    center, steps = center_of(ctx, did)
    assert center.state_since == date(2026, 6, 12) and steps[-1][2] == date(2026, 6, 12)


@pytest.mark.parametrize("status", [s for s in ALL_STATUSES if s != "submitted"])
def test_only_a_submitted_declaration_can_be_withdrawn(ctx: AppContext, status: str) -> None:
    did = d.create_draft(ctx, call_year=2026)
    force_status(ctx, did, status)
    before = counts(ctx)
    with pytest.raises(ServiceError, match="只有已提交的申报书可以撤回") as refused:
        d.withdraw_declaration(ctx, declaration_id=did, reason="不再申报")
    assert d.STATUS_LABELS[status] in str(refused.value)
    assert ("请用“作废”" in str(refused.value)) == (status == "draft")
    assert declaration(ctx, did).status == status and counts(ctx) == before


@pytest.mark.parametrize("reason", ["", " \t "])
def test_withdrawing_needs_a_reason(ctx: AppContext, example: dict[str, Any], reason: str) -> None:
    did = submitted(ctx, example)
    before = counts(ctx)
    with pytest.raises(ServiceError, match="请填写撤回原因"):
        d.withdraw_declaration(ctx, declaration_id=did, reason=reason)
    assert declaration(ctx, did).status == "submitted" and counts(ctx) == before
    assert center_of(ctx, did)[0].state == "submitted"


@pytest.mark.parametrize(
    ("steps", "ok"),
    [
        ((), True),  # 已提交: the centre is withdrawn with it
        (("under_review",), False),  # review has begun
        (("under_review", "proposed"), False),
    ],
)
def test_withdrawing_is_refused_once_review_has_begun(
    ctx: AppContext, example: dict[str, Any], steps: tuple[str, ...], ok: bool
) -> None:
    did = submitted(ctx, example)
    center, _ = center_of(ctx, did)
    assert center.id is not None
    for i, state in enumerate(steps):
        if state == "proposed":  # this declaration's 拟认定 result, which the step needs
            with unit_of_work(ctx, "test.review_result") as session:
                add_review_result(
                    session, center.id, call_year=2026, decided_on=date(2026, 7, 1 + i), declaration_id=did
                )
        centers.change_state(
            ctx, center_id=center.id, to_state=state, on=date(2026, 7, 1 + i), reason="按程序推进"
        )
    if ok:
        d.withdraw_declaration(ctx, declaration_id=did, reason="来函撤回")
        assert declaration(ctx, did).status == "withdrawn"
        assert center_of(ctx, did)[0].state == "withdrawn"
        return
    before = counts(ctx)
    with pytest.raises(ServiceError, match="评审已经开始，不能再撤回"):
        d.withdraw_declaration(ctx, declaration_id=did, reason="来函撤回")
    assert declaration(ctx, did).status == "submitted" and counts(ctx) == before
    assert center_of(ctx, did)[0].state == steps[-1]


def test_a_declaration_without_a_centre_is_withdrawn_alone(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    force_status(ctx, did, "submitted")  # as recorded by an earlier version, without a centre
    d.withdraw_declaration(ctx, declaration_id=did, reason="来函撤回")
    assert declaration(ctx, did).status == "withdrawn"
    assert counts(ctx)[2] == 0


# ---------------------------------------------------------------- the list


def test_the_list_has_the_time_of_the_last_change(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    first = {r.id: r for r in d.list_declarations(ctx)}[did].updated_at
    assert first is not None
    doc = d.get_declaration(ctx, did).data
    doc["center"]["name_zh"] = "柳州测试工程技术研究中心"
    d.save_draft(ctx, declaration_id=did, data=doc)
    saved = {r.id: r for r in d.list_declarations(ctx)}[did].updated_at
    assert saved is not None and saved > first
    d.discard_draft(ctx, declaration_id=did, reason="误建")
    discarded = {r.id: r for r in d.list_declarations(ctx)}[did].updated_at
    assert discarded is not None and discarded > saved
    last = entries(ctx, d.closing.DISCARD_ACTION)[-1].at
    assert discarded == last
