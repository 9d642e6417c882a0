"""工作年报 services (services/annual/reports.py): the document stored with its summary columns in
step, the host's review before submission, submission refused with error-level violations, 备案 only
after submission, no silent overwrite of a received report, 31 December vs 1 January in the due
list, the comparison with last year, and the audit of every write."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from annual_helpers import open_db, titled_centre
from sqlmodel import col, select

from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.services.annual import dues, reports
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AnnualReport, AuditEntry

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"


def document(year: int = 2026, **changes: Any) -> dict[str, Any]:
    """The example report moved to ``year`` (its dates of 2026 into that year), with ``changes``
    given as ``section__key=value`` (``director__months_at_center=5``)."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('"2026-', f'"{year}-')
    data: dict[str, Any] = json.loads(text)
    data["year"] = year
    for key, value in changes.items():
        section, name = key.split("__")
        data[section][name] = value
    return data


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    app = open_db(tmp_path)
    yield app
    app.db.dispose()


def stored(ctx: AppContext, report_id: int) -> AnnualReport:
    with reading(ctx) as session:
        report = session.get(AnnualReport, report_id)
        assert report is not None
        session.expunge(report)
        return report


def test_a_saved_report_keeps_its_document_and_summary_in_step(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document())
    view = reports.get_report(ctx, rid)
    assert view.data == document()
    assert (view.status, view.status_label, view.source) == ("draft", "草稿", "desktop")
    assert (view.host_reviewer, view.host_reviewed_on, view.host_assessment) == (
        "赵六",
        date(2026, 12, 15),
        "合格",
    )
    row = stored(ctx, rid)
    assert (row.director_months, row.rd_staff, row.rd_investment_yuan, row.projects) == (10, 2, 2_950_000, 1)
    assert (row.patents_granted, row.standards, row.host_assessment, row.submitted_on) == (
        1,
        0,
        "qualified",
        None,
    )
    # saving again updates the same draft and its summary
    again = reports.save_report(
        ctx, center_id=cid, year=2026, data=document(director__months_at_center=11), source="json"
    )
    assert again == rid and stored(ctx, rid).director_months == 11 and stored(ctx, rid).source == "json"
    assert [v.report_id for v in reports.list_reports(ctx, year=2026)] == [rid]


def test_a_malformed_document_is_refused_naming_the_field_and_path(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    data = document()
    data["staff"][1]["degree"] = "大学"
    with pytest.raises(ServiceError) as err:
        reports.save_report(ctx, center_id=cid, year=2026, data=data)
    assert "“学历”（staff[1].degree）" in str(err.value) and "大学" in str(err.value)
    with pytest.raises(ServiceError, match="年度为 2026 年，与要保存的 2025 年度不一致"):
        reports.save_report(ctx, center_id=cid, year=2025, data=document())
    with pytest.raises(NotFound):
        reports.save_report(ctx, center_id=cid + 99, year=2026, data=document())


def test_submission_needs_the_hosts_review_first(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document(host_review__reviewer=None))
    with pytest.raises(ServiceError, match="尚未记录依托单位审核"):
        reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    assert stored(ctx, rid).status == "draft"
    reports.record_host_review(ctx, report_id=rid, reviewer=" 钱七 ", reviewed_on=date(2026, 12, 18))
    view = reports.get_report(ctx, rid)
    assert (view.host_reviewer, view.host_reviewed_on) == ("钱七", date(2026, 12, 18))
    assert view.data["host_review"] == {"reviewer": "钱七", "date": "2026-12-18"}
    with pytest.raises(ServiceError, match="请填写依托单位审核人"):
        reports.record_host_review(ctx, report_id=rid, reviewer="  ", reviewed_on=date(2026, 12, 18))


@pytest.mark.parametrize(
    ("submitted", "ok"), [(date(2026, 12, 14), False), (date(2026, 12, 15), True), (date(2026, 12, 16), True)]
)
def test_submission_on_or_after_the_review_day(ctx: AppContext, submitted: date, ok: bool) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document())  # reviewed 15 December
    if ok:
        reports.submit_report(ctx, report_id=rid, submitted_on=submitted)
        view = reports.get_report(ctx, rid)
        assert (view.status_label, view.submitted_on) == ("已提交", submitted)
    else:
        with pytest.raises(ServiceError, match="早于依托单位审核日期 2026-12-15"):
            reports.submit_report(ctx, report_id=rid, submitted_on=submitted)
        assert stored(ctx, rid).submitted_on is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"host_assessment__result": None}, "请填写“依托单位年度考核结果”"),
        ({"director__name": None}, "请填写“中心主任”（主任与委员会）"),
        ({"director__months_at_center": 5}, "中心主任在中心工作 5 个月，要求不少于6个月"),
    ],
)
def test_submission_refused_with_error_level_violations(
    ctx: AppContext, changes: dict[str, Any], message: str
) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document(**changes))
    with pytest.raises(ServiceError) as err:
        reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    assert "不能提交" in str(err.value) and message in str(err.value)
    assert stored(ctx, rid).status == "draft"


def test_six_months_at_the_centre_is_enough_to_submit(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document(director__months_at_center=6))
    reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    assert stored(ctx, rid).status == "submitted"


def test_filing_only_after_submission(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document())
    with pytest.raises(ServiceError, match="尚未提交，只有已提交的年报才能备案"):
        reports.file_report(ctx, report_id=rid, filed_on=date(2026, 12, 28))
    reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    with pytest.raises(ServiceError, match="备案日期 2026-12-19 早于报送日期 2026-12-20"):
        reports.file_report(ctx, report_id=rid, filed_on=date(2026, 12, 19))
    reports.file_report(ctx, report_id=rid, filed_on=date(2026, 12, 20))
    view = reports.get_report(ctx, rid)
    assert (view.status_label, view.filed_on, view.submitted_on) == (
        "已备案",
        date(2026, 12, 20),
        date(2026, 12, 20),
    )
    with pytest.raises(ServiceError, match="已于 2026-12-20 已备案，不能再重复备案"):
        reports.file_report(ctx, report_id=rid, filed_on=date(2026, 12, 21))
    with pytest.raises(ServiceError, match="不能再重复提交"):
        reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 21))


@pytest.mark.parametrize("status", ["submitted", "filed"])
def test_a_received_report_is_never_overwritten(ctx: AppContext, status: str) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document())
    reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    if status == "filed":
        reports.file_report(ctx, report_id=rid, filed_on=date(2026, 12, 22))
    before = stored(ctx, rid)
    with pytest.raises(ServiceError, match="不能再保存或导入覆盖"):
        reports.save_report(ctx, center_id=cid, year=2026, data=document(director__months_at_center=12))
    with pytest.raises(ServiceError, match="不能再修改依托单位审核记录"):
        reports.record_host_review(ctx, report_id=rid, reviewer="孙八", reviewed_on=date(2026, 12, 21))
    after = stored(ctx, rid)
    assert (after.data_json, after.director_months, after.host_reviewer) == (
        before.data_json,
        10,
        "赵六",
    )


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (date(2025, 12, 30), DueStatus.RECEIVED),
        (date(2025, 12, 31), DueStatus.RECEIVED),
        (date(2026, 1, 1), DueStatus.LATE),
    ],
)
def test_submitted_on_31_december_is_on_time_1_january_late(
    ctx: AppContext, submitted: date, expected: DueStatus
) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    data = document(2025, host_review__date=None)
    rid = reports.save_report(ctx, center_id=cid, year=2025, data=data)
    before = dues.year_dues(ctx, year=2025, as_of=date(2026, 2, 1))
    assert [row.status for row in before.rows] == [DueStatus.OVERDUE]  # a draft has not reached the bureau
    reports.record_host_review(ctx, report_id=rid, reviewer="赵六", reviewed_on=date(2025, 12, 30))
    reports.submit_report(ctx, report_id=rid, submitted_on=submitted)
    [row] = dues.year_dues(ctx, year=2025, as_of=date(2026, 2, 1)).rows
    assert (row.report_id, row.submitted_on, row.status) == (rid, submitted, expected)
    assert row.status_label == ("已按期报送" if expected is DueStatus.RECEIVED else "逾期报送")
    reports.file_report(ctx, report_id=rid, filed_on=date(2026, 1, 5))
    [row] = dues.year_dues(ctx, year=2025, as_of=date(2026, 2, 1)).rows
    assert row.status is expected  # 备案 keeps the day it was received


def test_compared_with_last_year(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    last = document(2025)
    last["funding"]["rd_spent_yuan"] = 3_000_000
    reports.save_report(ctx, center_id=cid, year=2025, data=last)
    this = document(2026)
    this["conditions"]["floor_area_m2"] = 420.5  # unchanged: a fall of 0 is not a finding
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=this)
    findings = reports.compare_with_last_year(ctx, report_id=rid)
    assert [(f.what, f.rule) for f in findings] == [("研发经费支出", None), ("研发人员人数", "D9.3a")]
    assert findings[0].message == "研发经费支出由2025年的3,000,000元降至2026年的2,950,000元，减少50,000元"
    assert "上年度为2人，仍未满足" in findings[1].message


def test_compared_with_a_summary_only_report_of_last_year(ctx: AppContext) -> None:
    """Early reports (and the demo's) hold only the summary columns; their figures still compare."""
    from annual_helpers import add_report

    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    old = add_report(ctx, cid, 2025, date(2025, 12, 1))
    from lzcenter_desktop.services.uow import unit_of_work

    with unit_of_work(ctx, "test.summary") as session:
        row = session.get(AnnualReport, old)
        assert row is not None
        row.rd_staff, row.rd_investment_yuan = 12, 2_950_000
        session.add(row)
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document())
    findings = reports.compare_with_last_year(ctx, report_id=rid)
    assert [(f.what, f.last_year, f.this_year) for f in findings] == [
        ("研发人员", "12人", "2人"),
        ("研发人员人数", "12人", "2人"),
    ]
    assert "本年度起不再满足" in findings[1].message
    assert reports.get_report(ctx, old).data == {}


def test_every_write_is_audited(ctx: AppContext) -> None:
    cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=document())
    reports.record_host_review(ctx, report_id=rid, reviewer="赵六", reviewed_on=date(2026, 12, 16))
    reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    reports.file_report(ctx, report_id=rid, filed_on=date(2026, 12, 22))
    with reading(ctx) as session:
        actions = session.execute(
            select(col(AuditEntry.action), col(AuditEntry.operation))
            .where(col(AuditEntry.entity) == "annual_report", col(AuditEntry.entity_id) == str(rid))
            .order_by(col(AuditEntry.id))
        ).all()
    assert [tuple(a) for a in actions] == [
        ("annual.save_report", "insert"),
        ("annual.record_host_review", "update"),
        ("annual.submit_report", "update"),
        ("annual.file_report", "update"),
    ]
    assert copy.deepcopy(reports.get_report(ctx, rid).data["host_review"]) == {
        "reviewer": "赵六",
        "date": "2026-12-16",
    }
