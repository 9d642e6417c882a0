"""The rules of 第十条 in services.centers.apply_state_change, the one place every state change goes
through: no 拟认定 result, no 拟认定; no notice, no 公示中; no ended notice, no 认定 — and the whole
procedure through the services, from 形式审查 to 认定."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from notice_helpers import open_db, proposed_centre
from scoring_helpers import OPERATOR, score_all

from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import notice, recognition, results
from lzcenter_desktop.services.review.results import OutcomeException
from lzcenter_desktop.services.uow import unit_of_work
from tests.review_fixtures import REVIEW_ON, open_review_db, review_setup
from tests.review_records import add_notice, take_step, take_steps


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def under_review(ctx: AppContext) -> int:
    host = organizations.create_organization(ctx, name="柳州某某科技有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx,
        name_zh="柳州某某工程技术研究中心（柳州某某科技有限公司）",
        host_id=host,
        on=date(2026, 3, 1),
        industries=["机械"],
    )
    centers.change_state(ctx, center_id=cid, to_state="submitted", on=date(2026, 3, 10), reason="提交")
    centers.change_state(
        ctx, center_id=cid, to_state="under_review", on=date(2026, 5, 1), reason="形式审查通过"
    )
    return cid


def test_no_proposed_result_no_proposed(ctx: AppContext) -> None:
    cid = under_review(ctx)
    with pytest.raises(ServiceError, match="没有“拟认定”的评审结果") as info:
        centers.change_state(ctx, center_id=cid, to_state="proposed", on=date(2026, 9, 1), reason="拟认定")
    assert info.value.field == "目标状态"
    assert centers.get_center(ctx, cid).row.status_code == "under_review"
    centers.change_state(
        ctx, center_id=cid, to_state="not_recognised", on=date(2026, 9, 1), reason="不予认定"
    )


def test_proposed_not_before_the_result(ctx: AppContext) -> None:
    cid = proposed_centre(ctx, "智能装备", on=date(2026, 9, 1))
    assert centers.get_center(ctx, cid).row.status_code == "proposed"
    with pytest.raises(ServiceError, match="不能改为“公示中”：它不在任何已发布的拟认定名单公示中"):
        centers.change_state(ctx, center_id=cid, to_state="public_notice", on=date(2026, 9, 5), reason="公示")


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(2026, 9, 4), False),
        (date(2026, 9, 5), True),
        (date(2026, 9, 11), True),
        (date(2026, 9, 12), False),
    ],
)
def test_public_notice_only_within_the_notice(ctx: AppContext, day: date, ok: bool) -> None:
    cid = proposed_centre(ctx, "螺蛳粉", on=date(2026, 9, 1))
    with unit_of_work(ctx, "test.notice") as session:
        add_notice(session, [cid], call_year=2026, start=date(2026, 9, 5), days=6)  # 5 … 11 September
    if ok:
        centers.change_state(ctx, center_id=cid, to_state="public_notice", on=day, reason="公示")
    else:
        with pytest.raises(ServiceError, match="公示期为 2026-09-05 至 2026-09-11"):
            centers.change_state(ctx, center_id=cid, to_state="public_notice", on=day, reason="公示")


def test_a_result_and_notice_of_an_earlier_application_do_not_count(ctx: AppContext) -> None:
    """Withdrawn after an upheld objection in 2026, applying again in 2027: the old 拟认定 result and
    the old notice do not open the steps of the new application."""
    cid = proposed_centre(ctx, "新材料", on=date(2026, 9, 1))
    take_step(ctx, cid, "public_notice", date(2026, 9, 5))
    steps = [("withdrawn", date(2026, 9, 20)), ("draft", date(2027, 3, 1)), ("submitted", date(2027, 3, 10))]
    take_steps(ctx, cid, [*steps, ("under_review", date(2027, 5, 1))])
    with pytest.raises(ServiceError, match="没有“拟认定”的评审结果"):
        centers.change_state(ctx, center_id=cid, to_state="proposed", on=date(2027, 9, 1), reason="拟认定")
    take_step(ctx, cid, "proposed", date(2027, 9, 1))  # the new application's result
    with pytest.raises(ServiceError, match="它不在任何已发布的拟认定名单公示中"):
        centers.change_state(ctx, center_id=cid, to_state="public_notice", on=date(2027, 9, 5), reason="公示")


def test_the_whole_procedure_through_the_services(tmp_path: Path) -> None:
    ctx = open_review_db(tmp_path, operator=OPERATOR)
    try:
        setup = review_setup(ctx, declarations=3, expert_count=6, per_declaration=3)
        d0, d1, d2 = setup.declaration_ids
        score_all(
            ctx,
            setup,
            {d0: ["85", "82.5", "88"], d1: ["59", "58", "57"], d2: ["58", "59", "60"]},
            {d1: "58", d2: "55"},
        )
        decided = REVIEW_ON + dt.timedelta(days=2)
        rows = results.close_session(
            ctx,
            session_id=setup.session_id,
            decided_on=decided,
            exceptions={d1: OutcomeException("proposed", "填补本市产业空白，经局务会研究同意拟认定")},
        )
        assert [(r.declaration_id, r.outcome) for r in rows] == [
            (d0, "proposed"),
            (d1, "proposed"),
            (d2, "not_recognised"),
        ]
        published_on = decided + dt.timedelta(days=1)
        view = notice.publish_notice(
            ctx, call_id=setup.call_id, title="2026年度拟认定名单公示", published_on=published_on
        )
        assert len(view.items) == 2 and view.ends_on == published_on + dt.timedelta(days=6)  # 7 calendar days
        centre_ids = [i.center_id for i in view.items]
        objection = notice.record_objection(
            ctx, notice_id=view.id, center_id=centre_ids[1], received_on=published_on, submitter="李某某",
            submitter_kind="person", form="signed", content="对例外拟认定有异议。",
        )  # fmt: skip
        with pytest.raises(ServiceError, match="异议尚未处理完毕"):
            recognition.recognise_notice(
                ctx,
                notice_id=view.id,
                document_no="柳科发〔2027〕3号",
                recognized_on=view.ends_on + dt.timedelta(days=1),
            )
        notice.resolve_objection(
            ctx,
            objection_id=objection.id,
            outcome="dismissed",
            resolution="经研究，例外理由充分。",
            resolved_on=view.ends_on,
        )
        batch = recognition.recognise_notice(
            ctx,
            notice_id=view.id,
            document_no="柳科发〔2027〕3号",
            recognized_on=view.ends_on + dt.timedelta(days=1),
        )
        assert [r.center_id for r in batch.recognised] == centre_ids
        history = centers.get_center(ctx, centre_ids[0]).history
        assert [h.to_state for h in history] == ["草稿", "已提交", "评审中", "拟认定", "公示中", "已认定"]
        assert {h.operator for h in history[3:]} == {OPERATOR}
    finally:
        ctx.db.dispose()
