"""发文认定 of a notice's batch (services/review/recognition.py): refused before the notice ends (one
day before, on the last day) and with an open objection, done the day after; titles of 第十条（五）;
certificate and plaque numbers in sequence after the highest of the year; the history with operator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from notice_helpers import NATIONAL_DAY_END, NATIONAL_DAY_START, open_db, proposed_centre, proposed_centres
from sqlmodel import select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import notice, recognition
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Declaration, PublicNotice, Recognition
from tests.review_records import take_step

DOC = "柳科发〔2026〕58号"
AFTER = NATIONAL_DAY_END + timedelta(days=1)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


def published(ctx: AppContext) -> tuple[int, list[int]]:
    call_id, ids = proposed_centres(ctx)
    view = notice.publish_notice(
        ctx, call_id=call_id, title="2026年度拟认定名单公示", published_on=NATIONAL_DAY_START
    )
    return view.id, ids


def objection(ctx: AppContext, notice_id: int, center_id: int) -> int:
    return notice.record_objection(
        ctx,
        notice_id=notice_id,
        center_id=center_id,
        received_on=date(2026, 9, 30),
        submitter="柳州某某机械有限公司",
        submitter_kind="unit",
        form="stamped",
        content="反映该中心科研用房面积不足300平方米。",
    ).id


@pytest.mark.parametrize(
    ("on", "ok"),
    [(NATIONAL_DAY_END - timedelta(days=1), False), (NATIONAL_DAY_END, False), (AFTER, True)],
)
def test_recognition_only_after_the_notice_ends(ctx: AppContext, on: date, ok: bool) -> None:
    notice_id, ids = published(ctx)
    if ok:
        batch = recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=on)
        assert [r.center_id for r in batch.recognised] == ids
        assert recognition.recognition_problems(ctx, notice_id=notice_id, on=on)  # nothing left to recognise
    else:
        assert recognition.recognition_problems(ctx, notice_id=notice_id, on=on) == [
            "公示期至 2026-10-09 结束，最早于 2026-10-10 才能发文认定（第十条（四））"
        ]
        with pytest.raises(ServiceError, match="公示期至 2026-10-09 结束，最早于 2026-10-10 才能发文认定"):
            recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=on)
        assert all(centers.get_center(ctx, c).row.status_code == "public_notice" for c in ids)
        # the ONE path of every state change refuses it too
        with pytest.raises(ServiceError, match=r"不能发文认定（第十条（四））：认定日期 .* 早于公示期结束"):
            centers.recognise(ctx, center_id=ids[0], on=on, document_no=DOC)
        with pytest.raises(ServiceError, match="早于公示期结束"):
            centers.change_state(
                ctx, center_id=ids[0], to_state="recognised", on=on, reason="认定", document_no=DOC
            )


def test_the_batch_gets_titles_numbers_and_history(ctx: AppContext) -> None:
    notice_id, ids = published(ctx)
    batch = recognition.recognise_notice(
        ctx, notice_id=notice_id, document_no=f" {DOC} ", recognized_on=AFTER
    )
    assert (batch.document_no, batch.recognized_on, batch.skipped) == (DOC, AFTER, ())
    assert [(r.title_awarded, r.certificate_no, r.plaque_no) for r in batch.recognised] == [
        ("柳州市汽车轻量化工程技术研究中心", "柳工程中心证〔2026〕001号", "LZETRC-2026-001"),
        ("柳州市智能装备工程技术研究中心", "柳工程中心证〔2026〕002号", "LZETRC-2026-002"),
        ("柳州市螺蛳粉工程技术研究中心", "柳工程中心证〔2026〕003号", "LZETRC-2026-003"),
    ]
    detail = centers.get_center(ctx, ids[0])
    assert (detail.row.status_code, detail.row.recognized_on, detail.certificate_no, detail.plaque_no) == (
        "recognised",
        AFTER,
        "柳工程中心证〔2026〕001号",
        "LZETRC-2026-001",
    )
    assert detail.recognition_document_no == DOC
    step = detail.history[-1]
    assert (step.from_state, step.to_state, step.on, step.document_no, step.operator) == (
        "公示中",
        "已认定",
        AFTER,
        DOC,
        "覃科长",
    )
    assert step.reason == "公示期满（2026-09-28 至 2026-10-09），异议均已处理，发文认定"
    with reading(ctx) as s:
        rec = s.execute(select(Recognition).where(Recognition.center_id == ids[0])).scalar_one()
        decl = s.execute(select(Declaration).where(Declaration.center_id == ids[0])).scalar_one()
        closed = s.get(PublicNotice, notice_id)
        assert (rec.call_id, rec.declaration_id, decl.status) == (decl.call_id, decl.id, "decided")
        assert closed is not None and closed.status == "closed"


def test_numbers_continue_from_the_highest_of_the_year(ctx: AppContext) -> None:
    earlier = proposed_centre(ctx, "旧中心", on=date(2026, 5, 10))
    take_step(ctx, earlier, "public_notice", date(2026, 5, 11))  # a notice of 20 days: ends 31 May
    centers.recognise(
        ctx,
        center_id=earlier,
        on=date(2026, 6, 1),
        document_no="柳科发〔2026〕20号",
        certificate_no="柳工程中心证〔2026〕007号",
        plaque_no="LZETRC-2026-009",
    )
    notice_id, _ids = published(ctx)
    batch = recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=AFTER)
    assert [r.certificate_no for r in batch.recognised] == [
        f"柳工程中心证〔2026〕0{n}号" for n in (10, 11, 12)
    ]
    assert [r.plaque_no for r in batch.recognised] == [f"LZETRC-2026-0{n}" for n in (10, 11, 12)]


def test_an_open_objection_blocks_the_batch_until_it_is_handled(ctx: AppContext) -> None:
    notice_id, ids = published(ctx)
    first = objection(ctx, notice_id, ids[0])
    with pytest.raises(
        ServiceError, match="关于“柳州汽车轻量化工程技术研究中心（柳州汽车轻量化有限公司）”的异议尚未处理完毕"
    ):
        recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=AFTER)
    with pytest.raises(ServiceError, match="公示期间收到的异议有 1 件尚未处理"):
        centers.change_state(
            ctx, center_id=ids[0], to_state="recognised", on=AFTER, reason="认定", document_no=DOC
        )
    notice.resolve_objection(
        ctx,
        objection_id=first,
        outcome="dismissed",
        resolution="经现场核实，用房面积符合要求。",
        resolved_on=AFTER,
    )
    batch = recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=AFTER)
    assert len(batch.recognised) == 3


def test_an_upheld_objection_leaves_the_centre_out(ctx: AppContext) -> None:
    notice_id, ids = published(ctx)
    upheld = objection(ctx, notice_id, ids[1])
    notice.resolve_objection(
        ctx, objection_id=upheld, outcome="upheld", resolution="异议属实。", resolved_on=AFTER
    )
    batch = recognition.recognise_notice(ctx, notice_id=notice_id, document_no=DOC, recognized_on=AFTER)
    assert [r.center_id for r in batch.recognised] == [ids[0], ids[2]]
    assert [(s.center_id, s.reason) for s in batch.skipped] == [
        (ids[1], "公示期间异议经核查成立，已撤回认定")
    ]
    assert [r.certificate_no for r in batch.recognised] == [
        "柳工程中心证〔2026〕001号",
        "柳工程中心证〔2026〕002号",
    ]
    assert centers.get_center(ctx, ids[1]).row.status_code == "withdrawn"


def test_anonymous_or_late_objections_do_not_block(ctx: AppContext) -> None:
    notice_id, ids = published(ctx)
    notice.record_objection(
        ctx, notice_id=notice_id, center_id=ids[0], received_on=date(2026, 9, 30), submitter="",
        submitter_kind="anonymous", form="unsigned", content="匿名来信。",
    )  # fmt: skip
    notice.record_objection(
        ctx, notice_id=notice_id, center_id=ids[0], received_on=AFTER, submitter="王某某",
        submitter_kind="person", form="signed", content="逾期来信。",
    )  # fmt: skip
    assert recognition.recognition_problems(ctx, notice_id=notice_id, on=AFTER) == []
    assert (
        len(
            recognition.recognise_notice(
                ctx, notice_id=notice_id, document_no=DOC, recognized_on=AFTER
            ).recognised
        )
        == 3
    )


@pytest.mark.parametrize("doc", ["", "  "])
def test_a_document_number_is_required(ctx: AppContext, doc: str) -> None:
    notice_id, ids = published(ctx)
    with pytest.raises(ServiceError, match="请填写认定文号") as info:
        recognition.recognise_notice(ctx, notice_id=notice_id, document_no=doc, recognized_on=AFTER)
    assert info.value.field == "认定文号"
    assert centers.get_center(ctx, ids[0]).row.status_code == "public_notice"
