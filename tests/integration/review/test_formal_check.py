"""形式审查 (services/review/formal.py): the queue, 通过 / 退回补正 / 不予受理, re-submission as a new
round, and the published result."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import formal
from lzcenter_desktop.storage.models import AuditEntry, Declaration, FormalCheck
from tests.audit_records import newest_entry
from tests.review_fixtures import (
    FORMAL_ON,
    SUBMITTED_ON,
    declaration_document,
    make_call,
    open_review_db,
    submit_declaration,
)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


def center_state(ctx: AppContext, declaration_id: int) -> str:
    view = d.get_declaration(ctx, declaration_id)
    with ctx.db.session() as s:
        decl = s.get(Declaration, declaration_id)
        assert decl is not None and decl.center_id is not None
    assert view is not None
    return centers.get_center(ctx, decl.center_id).row.status_code


def test_the_queue_lists_submitted_declarations_with_their_findings(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    first = submit_declaration(ctx, 1)
    second = submit_declaration(ctx, 2)
    d.import_declaration_data(ctx, data=declaration_document(3))  # a draft: not in the queue
    rows = formal.formal_queue(ctx, call_id=call_id)
    assert [r.declaration_id for r in rows] == [first, second]
    row = rows[0]
    assert row.pending and row.round == 1 and row.status_label == "待审查" and row.last is None
    assert row.center_name == "柳州测试1号工程技术研究中心（柳州测试1号科技有限公司）"
    assert row.host_name == "柳州测试1号科技有限公司"
    assert row.errors == 0 and row.submitted_on == SUBMITTED_ON
    assert row.warnings == len(row.findings)


def test_passed_moves_the_centre_to_review_and_stores_the_findings(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    did = submit_declaration(ctx, 1)
    check_id = formal.decide_formal(ctx, declaration_id=did, decision="passed", on=FORMAL_ON)
    assert center_state(ctx, did) == "under_review"
    [view] = formal.formal_history(ctx, declaration_id=did)
    assert view.id == check_id and view.round == 1 and view.decision_label == "通过" and view.reasons == ()
    assert view.operator == "评审科员"
    with ctx.db.session() as s:
        row = s.get(FormalCheck, check_id)
        assert row is not None and isinstance(json.loads(row.violations_json or ""), list)
    [queued] = formal.formal_queue(ctx, call_id=call_id)
    assert not queued.pending and queued.status_label == "通过"
    assert formal.formal_queue(ctx, call_id=call_id, include_decided=False) == []


def test_a_second_decision_in_the_same_round_is_refused(ctx: AppContext) -> None:
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    formal.decide_formal(ctx, declaration_id=did, decision="passed", on=FORMAL_ON)
    with pytest.raises(ServiceError, match=r"第 1 轮形式审查已于 .* 作出结论“通过”，同一轮不能再次审查"):
        formal.decide_formal(ctx, declaration_id=did, decision="rejected", on=FORMAL_ON, reasons="重复")


def test_a_draft_is_not_in_the_queue(ctx: AppContext) -> None:
    make_call(ctx)
    draft = d.import_declaration_data(ctx, data=declaration_document(1)).declaration_id
    with pytest.raises(ServiceError, match="草稿，不在形式审查队列中"):
        formal.decide_formal(ctx, declaration_id=draft, decision="passed", on=FORMAL_ON)


@pytest.mark.parametrize("decision", ["returned", "rejected"])
def test_return_and_reject_need_reasons(ctx: AppContext, decision: str) -> None:
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    with pytest.raises(ServiceError, match="原因（每行一条）") as info:
        formal.decide_formal(ctx, declaration_id=did, decision=decision, on=FORMAL_ON, reasons=" \n  ")
    assert info.value.field == "原因"
    with pytest.raises(ServiceError, match="形式审查结论无效，应为：通过、退回补正、不予受理"):
        formal.decide_formal(ctx, declaration_id=did, decision="ok", on=FORMAL_ON)


@pytest.mark.parametrize(("days", "ok"), [(-1, False), (0, True)])
def test_the_decision_is_not_dated_before_the_submission(ctx: AppContext, days: int, ok: bool) -> None:
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    on = SUBMITTED_ON + dt.timedelta(days=days)
    if ok:
        formal.decide_formal(ctx, declaration_id=did, decision="passed", on=on)
    else:
        with pytest.raises(ServiceError, match="早于申报书提交日期"):
            formal.decide_formal(ctx, declaration_id=did, decision="passed", on=on)


def test_returned_then_corrected_and_resubmitted_opens_round_two(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    did = submit_declaration(ctx, 1)
    formal.decide_formal(
        ctx,
        declaration_id=did,
        decision="returned",
        on=FORMAL_ON,
        reasons="缺少营业执照复印件\n 财务报表未盖章 ",
    )
    assert d.get_declaration(ctx, did).status == "returned"
    assert d.STATUS_LABELS["returned"] == "退回补正"
    assert center_state(ctx, did) == "submitted"
    [row] = formal.formal_queue(ctx, call_id=call_id)
    assert not row.pending and row.status_label == "退回补正（待重新提交）"
    assert row.last is not None and row.last.reasons == ("缺少营业执照复印件", "财务报表未盖章")
    with pytest.raises(ServiceError, match="已退回补正，须由申报单位改正并重新提交"):
        formal.decide_formal(ctx, declaration_id=did, decision="passed", on=FORMAL_ON)
    # the wizard cannot edit it; the correction comes with the re-submission
    corrected = d.get_declaration(ctx, did).data
    corrected["center"]["research_direction"] = "工程机械智能控制与远程运维（补正）"
    formal.resubmit_returned(ctx, declaration_id=did, data=corrected, on=FORMAL_ON)
    view = d.get_declaration(ctx, did)
    assert view.status == "submitted" and view.data["center"]["research_direction"].endswith("（补正）")
    [row] = formal.formal_queue(ctx, call_id=call_id)
    assert row.pending and row.round == 2 and row.status_label == "已重新提交，待第 2 轮审查"
    formal.decide_formal(ctx, declaration_id=did, decision="passed", on=FORMAL_ON + dt.timedelta(days=1))
    assert [(h.round, h.decision) for h in formal.formal_history(ctx, declaration_id=did)] == [
        (1, "returned"),
        (2, "passed"),
    ]
    assert center_state(ctx, did) == "under_review"


def test_resubmission_is_checked_like_a_submission(ctx: AppContext) -> None:
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    with pytest.raises(ServiceError, match="只有退回补正的申报书可以重新提交"):
        formal.resubmit_returned(ctx, declaration_id=did)
    formal.decide_formal(ctx, declaration_id=did, decision="returned", on=FORMAL_ON, reasons="缺少附件")
    broken = d.get_declaration(ctx, did).data
    broken["staff"] = broken["staff"][:2]  # far fewer staff than the rules ask for
    with pytest.raises(ServiceError, match="项错误，改正后才能重新提交"):
        formal.resubmit_returned(ctx, declaration_id=did, data=broken)
    assert d.get_declaration(ctx, did).status == "returned"
    formal.resubmit_returned(ctx, declaration_id=did)  # unchanged document: the attachment came on paper
    assert d.get_declaration(ctx, did).status == "submitted"


def test_rejected_ends_the_application(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    did = submit_declaration(ctx, 1)
    formal.decide_formal(
        ctx, declaration_id=did, decision="rejected", on=FORMAL_ON, reasons=["不属于重点产业领域"]
    )
    assert center_state(ctx, did) == "not_recognised"
    assert d.get_declaration(ctx, did).status == "decided"
    [row] = formal.formal_queue(ctx, call_id=call_id)
    assert not row.pending and row.status_label == "不予受理"
    with pytest.raises(ServiceError, match="已办结，不在形式审查队列中"):
        formal.decide_formal(ctx, declaration_id=did, decision="passed", on=FORMAL_ON)
    with ctx.db.session() as s:
        actions = set(s.execute(select(col(AuditEntry.action))).scalars())
    assert "review.formal_rejected" in actions


def test_the_published_result_list(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    a = submit_declaration(ctx, 1)
    b = submit_declaration(ctx, 2)
    c = submit_declaration(ctx, 3)
    submit_declaration(ctx, 4)  # not yet decided: not published
    formal.decide_formal(
        ctx, declaration_id=c, decision="rejected", on=FORMAL_ON, reasons="依托单位不是一级法人"
    )
    formal.decide_formal(ctx, declaration_id=b, decision="returned", on=FORMAL_ON, reasons="缺少附件\n未签字")
    formal.decide_formal(ctx, declaration_id=a, decision="passed", on=FORMAL_ON)
    rows = formal.formal_results(ctx, call_id=call_id)
    assert [(r.declaration_id, r.conclusion, r.reasons) for r in rows] == [
        (a, "通过", ""),
        (b, "退回补正", "缺少附件\n未签字"),
        (c, "不予受理", "依托单位不是一级法人"),
    ]
    assert rows[0].center_name.startswith("柳州测试1号") and rows[0].host_name == "柳州测试1号科技有限公司"


def _version(ctx: AppContext, declaration_id: int) -> int:
    with ctx.db.session() as s:
        decl = s.get(Declaration, declaration_id)
        assert decl is not None
        return decl.version


def test_each_decision_raises_the_declaration_version(ctx: AppContext) -> None:
    """A decision changes the declaration: a clerk who opened it before is told so on saving."""
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    submitted = _version(ctx, did)
    formal.decide_formal(ctx, declaration_id=did, decision="returned", on=FORMAL_ON, reasons="缺少附件")
    assert _version(ctx, did) == submitted + 1
    entry = newest_entry(ctx, "declaration", did)
    assert entry is not None
    assert json.loads(entry.before or "") == {"status": "submitted", "version": submitted}
    assert json.loads(entry.after or "") == {"status": "returned", "version": submitted + 1}
    formal.resubmit_returned(ctx, declaration_id=did, data=d.get_declaration(ctx, did).data, on=FORMAL_ON)
    resubmitted = _version(ctx, did)
    assert resubmitted > submitted + 1
    formal.decide_formal(
        ctx, declaration_id=did, decision="rejected", on=FORMAL_ON + dt.timedelta(days=1), reasons="仍缺附件"
    )
    assert _version(ctx, did) == resubmitted + 1  # 不予受理 decides the declaration
