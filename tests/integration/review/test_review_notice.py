"""公示 and objections (services/review/notice.py): the period in working days around 国庆 or in
calendar days, the centres move to 公示中, objections accepted only in writing and in time, and an
upheld objection withdraws the centre."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from notice_helpers import NATIONAL_DAY_END, NATIONAL_DAY_START, open_db, proposed_centre, proposed_centres
from sqlmodel import select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import notice
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Declaration, Objection

TITLE = "2026年度柳州市工程技术研究中心拟认定名单公示"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def publish(
    ctx: AppContext, call_id: int, start: date = NATIONAL_DAY_START, **kwargs: object
) -> notice.NoticeView:
    return notice.publish_notice(
        ctx, call_id=call_id, title=TITLE, published_on=start, document_no="柳科公示〔2026〕3号", **kwargs
    )  # type: ignore[arg-type]


def test_five_working_days_over_national_day(ctx: AppContext) -> None:
    call_id, ids = proposed_centres(ctx)
    assert notice.notice_period(ctx, call_id=call_id, start=NATIONAL_DAY_START).end == NATIONAL_DAY_END
    view = publish(ctx, call_id)
    assert (view.published_on, view.ends_on, view.period_rule) == (
        NATIONAL_DAY_START,
        NATIONAL_DAY_END,
        "working_days",
    )
    assert view.period_text == "2026年9月28日至2026年10月9日（5个工作日）"
    assert [i.center_id for i in view.items] == ids and all(i.state_label == "公示中" for i in view.items)
    assert view.items[0].total_shown == "80.00"
    assert (
        view.body is not None
        and "匿名异议和逾期提出的异议不予受理" in view.body
        and "拟认定以下3家单位" in view.body
    )
    step = centers.get_center(ctx, ids[0]).history[-1]
    assert (step.from_state, step.to_state, step.on, step.document_no, step.operator) == (
        "拟认定",
        "公示中",
        NATIONAL_DAY_START,
        "柳科公示〔2026〕3号",
        "覃科长",
    )
    assert "公示期2026年9月28日至2026年10月9日（5个工作日）" in step.reason
    assert notice.proposed_centres(ctx, call_id=call_id) == []
    assert [n.id for n in notice.list_notices(ctx, call_id=call_id)] == [view.id]


def test_seven_calendar_days_by_default(ctx: AppContext) -> None:
    call_id, _ids = proposed_centres(ctx, working_days=False)
    view = publish(ctx, call_id)
    assert (view.ends_on, view.period_rule, view.period_text) == (
        date(2026, 10, 4),
        "calendar_days",
        "2026年9月28日至2026年10月4日（7天）",
    )


def test_a_notice_of_some_centres_only(ctx: AppContext) -> None:
    call_id, ids = proposed_centres(ctx)
    view = publish(ctx, call_id, center_ids=[ids[1]])
    assert [i.center_id for i in view.items] == [ids[1]]
    assert [c.center_id for c in notice.proposed_centres(ctx, call_id=call_id)] == [ids[0], ids[2]]
    with pytest.raises(ServiceError, match="不是2026年度“拟认定”的中心，不能列入公示名单"):
        publish(ctx, call_id, center_ids=[ids[1]])  # already on a notice
    publish(ctx, call_id, start=date(2026, 10, 12))  # the other two
    with pytest.raises(ServiceError, match="2026年度没有待公示的“拟认定”中心"):
        publish(ctx, call_id)


def test_a_notice_needs_a_title(ctx: AppContext) -> None:
    call_id, _ids = proposed_centres(ctx)
    with pytest.raises(ServiceError, match="请填写公示标题"):
        notice.publish_notice(ctx, call_id=call_id, title=" ", published_on=NATIONAL_DAY_START)


@pytest.mark.parametrize(
    ("kind", "form", "received", "accepted", "why"),
    [
        ("person", "signed", NATIONAL_DAY_START, True, None),
        ("unit", "stamped", NATIONAL_DAY_END, True, None),  # on the last day
        ("unit", "stamped", NATIONAL_DAY_END + dt.timedelta(days=1), False, "逾期提出的异议不予受理"),
        ("anonymous", "unsigned", date(2026, 9, 29), False, "匿名提出的异议不予受理"),
        ("person", "unsigned", date(2026, 9, 29), False, "须签署真实姓名"),
        ("unit", "signed", date(2026, 9, 29), False, "须加盖本单位公章"),
        ("unit", "unsigned", date(2026, 10, 12), False, "须加盖本单位公章，未盖章的不予受理；公示期已于"),
    ],
)
def test_objections_are_accepted_only_in_writing_and_in_time(
    ctx: AppContext, kind: str, form: str, received: date, accepted: bool, why: str | None
) -> None:
    call_id, ids = proposed_centres(ctx)
    view = publish(ctx, call_id)
    objection = notice.record_objection(
        ctx,
        notice_id=view.id,
        center_id=ids[0],
        received_on=received,
        submitter="" if kind == "anonymous" else "柳州某某机械有限公司",
        submitter_kind=kind,
        form=form,
        content="反映申报材料中固定研发人员数量不实。",
    )
    assert objection.accepted is accepted
    assert objection.open is accepted
    if why is None:
        assert objection.not_accepted_reason is None and objection.outcome_label == "待处理"
    else:
        assert objection.not_accepted_reason is not None and why in objection.not_accepted_reason
        assert objection.outcome_label == "不予受理"
    assert notice.get_notice(ctx, view.id).objections == (objection,)


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"received_on": date(2026, 9, 27)}, "早于公示开始日期 2026-09-28", "收到日期"),
        ({"submitter": " "}, "请填写异议人（姓名或单位名称）", "异议人（姓名或单位名称）"),
        ({"content": ""}, "请填写异议内容", "异议内容"),
        ({"submitter_kind": "robot"}, "异议人类型应为", "异议人类型"),
        ({"form": "email"}, "异议形式应为", "异议形式"),
    ],
)
def test_bad_objection_input_is_refused(
    ctx: AppContext, change: dict[str, object], message: str, field: str
) -> None:
    call_id, ids = proposed_centres(ctx)
    view = publish(ctx, call_id)
    values: dict[str, object] = {
        "notice_id": view.id,
        "center_id": ids[0],
        "received_on": date(2026, 9, 29),
        "submitter": "王某某",
        "submitter_kind": "person",
        "form": "signed",
        "content": "质疑科研用房面积。",
    }
    with pytest.raises(ServiceError, match=message) as info:
        notice.record_objection(ctx, **{**values, **change})  # type: ignore[arg-type]
    assert info.value.field == field
    with reading(ctx) as s:
        assert s.execute(select(Objection)).first() is None


def test_an_objection_about_a_centre_not_on_the_notice_is_refused(ctx: AppContext) -> None:
    call_id, ids = proposed_centres(ctx)
    view = publish(ctx, call_id, center_ids=ids[:2])
    with pytest.raises(ServiceError, match="不在公示“2026年度柳州市工程技术研究中心拟认定名单公示”的名单中"):
        notice.record_objection(
            ctx,
            notice_id=view.id,
            center_id=ids[2],
            received_on=date(2026, 9, 29),
            submitter="王某某",
            submitter_kind="person",
            form="signed",
            content="x",
        )


def test_handling_objections(ctx: AppContext) -> None:
    call_id, ids = proposed_centres(ctx)
    view = publish(ctx, call_id)

    def record(center_id: int, **kw: object) -> notice.ObjectionView:
        values: dict[str, object] = {
            "notice_id": view.id,
            "center_id": center_id,
            "received_on": date(2026, 9, 30),
            "submitter": "王某某",
            "submitter_kind": "person",
            "form": "signed",
            "content": "反映固定研发人员数量不实。",
        }
        return notice.record_objection(ctx, **{**values, **kw})  # type: ignore[arg-type]

    dismissed = record(ids[0])
    upheld = record(ids[1])
    late = record(ids[2], received_on=date(2026, 10, 10))
    with pytest.raises(ServiceError, match="请填写核查情况和处理意见"):
        notice.resolve_objection(
            ctx, objection_id=dismissed.id, outcome="dismissed", resolution="", resolved_on=date(2026, 10, 9)
        )
    with pytest.raises(ServiceError, match="处理日期 2026-09-29 早于收到日期 2026-09-30"):
        notice.resolve_objection(
            ctx, objection_id=dismissed.id, outcome="dismissed", resolution="x", resolved_on=date(2026, 9, 29)
        )
    with pytest.raises(ServiceError, match="该异议不予受理（公示期已于 2026年10月9日 结束"):
        notice.resolve_objection(
            ctx, objection_id=late.id, outcome="upheld", resolution="x", resolved_on=date(2026, 10, 12)
        )
    done = notice.resolve_objection(
        ctx,
        objection_id=dismissed.id,
        outcome="dismissed",
        resolution="经核查，研发人员名单属实，异议不成立。",
        resolved_on=date(2026, 10, 9),
    )
    assert (done.outcome_label, done.open) == ("异议不成立", False)
    assert centers.get_center(ctx, ids[0]).row.status_code == "public_notice"
    with pytest.raises(ServiceError, match="已于 2026-10-09 处理完毕（异议不成立）"):
        notice.resolve_objection(
            ctx, objection_id=dismissed.id, outcome="upheld", resolution="x", resolved_on=date(2026, 10, 9)
        )
    notice.resolve_objection(
        ctx, objection_id=upheld.id, outcome="upheld", resolution="经核查，固定研发人员不足8人，异议成立。",
        resolved_on=date(2026, 10, 12),
    )  # fmt: skip
    detail = centers.get_center(ctx, ids[1])
    assert detail.row.status_code == "withdrawn"
    assert (
        detail.history[-1].reason
        == "公示期间收到异议，经核查异议成立，撤回认定：经核查，固定研发人员不足8人，异议成立。"
    )
    with reading(ctx) as s:
        statuses = {d.center_id: d.status for d in s.execute(select(Declaration)).scalars()}
    assert statuses[ids[1]] == "withdrawn" and statuses[ids[0]] != "withdrawn"
    with pytest.raises(ServiceError, match="处理结果应为"):
        notice.resolve_objection(
            ctx, objection_id=upheld.id, outcome="later", resolution="x", resolved_on=date(2026, 10, 12)
        )


def test_a_notice_needs_proposed_centres_of_its_own_call(ctx: AppContext) -> None:
    call_id, _ids = proposed_centres(ctx)
    proposed_centre(ctx, "新材料", on=date(2027, 9, 1))  # proposed in the 2027 call
    view = publish(ctx, call_id)
    assert len(view.items) == 3 and "新材料" not in "".join(i.center_name for i in view.items)
