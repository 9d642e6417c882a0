"""The annual call and the 县区/主管部门 recommendation (services/review/calls.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import calls
from tests.review_fixtures import declaration_document, make_call, open_review_db, submit_declaration


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


def test_create_and_list_a_call(ctx: AppContext) -> None:
    call_id = calls.create_call(
        ctx,
        year=2026,
        title=" 2026年度柳州市工程技术研究中心建设申报通知 ",
        document_no="柳科发〔2026〕8号",
        published_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 6, 30),
        score_sheet_version="2026.1",
    )
    [view] = calls.list_calls(ctx)
    assert view.id == call_id and view.year == 2026
    assert view.title == "2026年度柳州市工程技术研究中心建设申报通知"
    assert view.status == "open" and view.status_label == "受理中"
    assert view.score_sheet_version == "2026.1" and view.ruleset_version_no is None
    assert view.declarations == 0
    assert calls.call_for_year(ctx, 2026) == view
    assert calls.call_for_year(ctx, 2025) is None


def test_one_call_per_year(ctx: AppContext) -> None:
    make_call(ctx, year=2026)
    with pytest.raises(ServiceError, match="2026 年度已有申报通知") as info:
        make_call(ctx, year=2026)
    assert info.value.field == "年度"
    make_call(ctx, year=2027)
    assert [c.year for c in calls.list_calls(ctx)] == [2027, 2026]


def test_title_is_required_and_the_year_checked(ctx: AppContext) -> None:
    with pytest.raises(ServiceError, match="请填写通知标题"):
        calls.create_call(ctx, year=2026, title="  ")
    with pytest.raises(ServiceError, match="申报年度"):
        calls.create_call(ctx, year=1900, title="通知")


@pytest.mark.parametrize(("deadline_day", "ok"), [(dt.date(2026, 2, 28), False), (dt.date(2026, 3, 1), True)])
def test_deadline_not_before_publication(ctx: AppContext, deadline_day: dt.date, ok: bool) -> None:
    def create() -> int:
        return make_call(ctx, published_on=dt.date(2026, 3, 1), deadline=deadline_day)

    if ok:
        assert create() > 0
    else:
        with pytest.raises(ServiceError, match="早于发布日期") as info:
            create()
        assert info.value.field == "截止日期"


def test_ruleset_version_must_be_saved_for_the_year(ctx: AppContext) -> None:
    rulesets.save_settings(ctx, year=2026, settings=DEFAULT_SETTINGS, note="第一版")
    rulesets.save_settings(ctx, year=2025, settings=DEFAULT_SETTINGS, note="上一年")
    rulesets.save_settings(ctx, year=2025, settings=DEFAULT_SETTINGS, note="上一年第二版")
    with pytest.raises(ServiceError, match="2026 年度的规则参数没有第 2 版（该年度第 1 版）"):
        make_call(ctx, ruleset_version_no=2)  # 2025 has a version 2, 2026 does not
    with pytest.raises(ServiceError, match="没有第 0 版"):
        make_call(ctx, ruleset_version_no=0)
    call_id = make_call(ctx, ruleset_version_no=1)
    assert calls.get_call(ctx, call_id).ruleset_version_no == 1


def test_update_a_call_changes_only_what_is_given(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    rulesets.save_settings(ctx, year=2026, settings=DEFAULT_SETTINGS, note="v1")
    calls.update_call(ctx, call_id=call_id, ruleset_version_no=1, status="closed", document_no=None)
    view = calls.get_call(ctx, call_id)
    assert view.ruleset_version_no == 1 and view.status_label == "已截止" and view.document_no is None
    assert view.title.startswith("2026年度") and view.deadline == dt.date(2026, 6, 30)
    with pytest.raises(ServiceError, match="没有第 5 版"):
        calls.update_call(ctx, call_id=call_id, ruleset_version_no=5)
    with pytest.raises(ServiceError, match="早于发布日期"):
        calls.update_call(ctx, call_id=call_id, deadline=dt.date(2026, 1, 1))
    with pytest.raises(ServiceError, match="申报通知状态无效"):
        calls.update_call(ctx, call_id=call_id, status="archived")
    with pytest.raises(NotFound, match="编号为 99"):
        calls.update_call(ctx, call_id=99, title="x")


def test_the_call_counts_its_declarations_but_not_drafts(ctx: AppContext) -> None:
    call_id = make_call(ctx)
    submit_declaration(ctx, 1)
    d.import_declaration_data(ctx, data=declaration_document(2))  # a draft
    assert calls.get_call(ctx, call_id).declarations == 1


def test_record_the_recommendation(ctx: AppContext) -> None:
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    calls.record_recommendation(
        ctx,
        declaration_id=did,
        recommended_by="柳北区科技局",
        recommended_on=dt.date(2026, 6, 15),
        note=" 同意推荐 ",
    )
    view = calls.get_recommendation(ctx, did)
    assert (view.recommended_by, view.recommended_on, view.note) == (
        "柳北区科技局",
        dt.date(2026, 6, 15),
        "同意推荐",
    )
    calls.record_recommendation(
        ctx, declaration_id=did, recommended_by="柳州市工信局", recommended_on=dt.date(2026, 6, 16)
    )
    assert calls.get_recommendation(ctx, did).note is None
    with pytest.raises(ServiceError, match="请填写推荐单位"):
        calls.record_recommendation(
            ctx, declaration_id=did, recommended_by=" ", recommended_on=dt.date(2026, 6, 15)
        )
    with pytest.raises(ServiceError, match="推荐意见过长"):
        calls.record_recommendation(
            ctx,
            declaration_id=did,
            recommended_by="柳北区科技局",
            recommended_on=dt.date(2026, 6, 15),
            note="意" * 501,
        )
    calls.record_recommendation(
        ctx,
        declaration_id=did,
        recommended_by="柳北区科技局",
        recommended_on=dt.date(2026, 6, 15),
        note="意" * 500,
    )


def test_no_recommendation_for_a_withdrawn_declaration(ctx: AppContext) -> None:
    make_call(ctx)
    did = submit_declaration(ctx, 1)
    d.withdraw_declaration(ctx, declaration_id=did, reason="申报单位主动撤回")
    with pytest.raises(ServiceError, match="已撤回，不能再记录推荐意见"):
        calls.record_recommendation(
            ctx, declaration_id=did, recommended_by="柳北区科技局", recommended_on=dt.date.today()
        )
