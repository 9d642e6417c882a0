"""The 工作年报 of a centre and year (第二十一条): stored, reviewed by the host, submitted, filed.

A report is the ``lzcenter.annual-report/1`` document (``data_json``) of the form of its year
(``forms/annual-report-<year>.toml``, the newest one not after it). Its summary columns —
``director_months``, ``rd_staff``, ``rd_investment_yuan`` (研发经费支出), ``projects``,
``patents_granted`` (all three kinds of patent), ``standards``, ``host_assessment``,
``host_reviewer`` and ``host_reviewed_on`` — are derived from the document on every write, so the
due-date list (:mod:`.dues`), the spot checks and the evaluation read the same figures as the
document; ``revenue_yuan`` is the host's 销售收入 (``funding.sales_revenue_yuan``, blank for a
university or institute).

Its life: 草稿 (saved, imported, corrected as often as needed) → 已提交 (``submit_report``: only
with the host's review recorded — 依托单位审核: reviewer and date, on or before the submission —
and without error-level violations: E21b, blank required fields, M12b, dates outside the year …)
→ 已备案 (``file_report``: only a submitted report). A submitted or filed report is what reached
the bureau: saving or importing over it is refused (the message says so); nothing is deleted.
Every write is one unit of work, audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.annual_report import (
    HOST_ASSESSMENT_PATH,
    AnnualReportDocument,
    annual_report_to_json,
    check_annual_report_document,
    parse_annual_report,
)
from lzcenter_desktop.domain.formdef import FormDef, FormDefinitionError
from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.domain.report_compare import (
    PATENT_KINDS,
    Finding,
    ReportFigures,
    compare_reports,
    figures_from_document,
)
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.services.versioning import bump, check_version
from lzcenter_desktop.storage.models import AnnualReport, Center

DRAFT: Final = "draft"
SUBMITTED: Final = "submitted"
FILED: Final = "filed"
STATUS_LABELS: Final[Mapping[str, str]] = {DRAFT: "草稿", SUBMITTED: "已提交", FILED: "已备案"}
SOURCES: Final = frozenset({"desktop", "json", "xlsx"})
#: the host's assessment result as written in the report → the stored code
ASSESSMENT_CODES: Final[Mapping[str, str]] = {
    "优秀": "excellent",
    "合格": "qualified",
    "基本合格": "basic",
    "不合格": "fail",
}
ASSESSMENT_LABELS: Final[Mapping[str, str]] = {code: label for label, code in ASSESSMENT_CODES.items()}
REVIEWER_MAX: Final = 50
ASSESSMENT_MAX: Final = 20
REVIEWER_PATH: Final = "host_review.reviewer"
REVIEWED_ON_PATH: Final = "host_review.date"


@dataclass(frozen=True, slots=True)
class ReportView:
    report_id: int
    center_id: int
    center_name: str
    year: int
    status: str
    status_label: str
    submitted_on: date | None
    host_reviewer: str | None
    host_reviewed_on: date | None
    host_assessment: str | None  # the result as the report gives it (优秀, 合格 …)
    filed_on: date | None
    source: str
    verification_result: str | None
    data: dict[str, Any] = field(default_factory=dict)  # the JSON document ({} for a summary only)
    version: int = 1  # the report's version when read: pass it back to save_report(expected_version=)


# ------------------------------------------------------------------ form and document


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ServiceError(f"年报年度“{year}”无效，应为四位数年份", field="年报年度")
    return year


def load_form(year: int) -> FormDef:
    """The 工作年报 form of ``year`` (the newest ``forms/annual-report-<y>.toml`` with y ≤ year)."""
    from lzcenter_desktop.services.checking import annual_report_form

    try:
        return annual_report_form(year)
    except FormDefinitionError as exc:
        raise ServiceError(f"工作年报表单定义有误：{exc}", field="表单定义") from exc


def format_problem(form: FormDef, exc: FormatError) -> str:
    """``FormatError`` as a Chinese sentence naming the field and its JSON path."""
    from lzcenter_desktop.documents.xlsx_annual import field_label

    label = field_label(form, exc.path)
    where = f"“{label}”（{exc.path}）" if label else exc.path
    return f"年报数据 {where}：{exc.detail}"


def parse_document(data: Mapping[str, Any], form: FormDef) -> AnnualReportDocument:
    """The document, or :class:`ServiceError` naming the field and its JSON path."""
    try:
        return parse_annual_report(dict(data), form)
    except FormatError as exc:
        raise ServiceError(format_problem(form, exc), field=exc.path) from exc
    except RecursionError as exc:
        raise ServiceError("年报数据嵌套过深，不是工作年报", field="年报数据") from exc


def stored_document(report: AnnualReport) -> AnnualReportDocument | None:
    """The report's document, ``None`` when it holds only the summary figures (early records)."""
    if not report.data_json:
        return None
    try:
        data = json.loads(report.data_json)
        return parse_annual_report(data, load_form(report.year))
    except (ValueError, ServiceError, RecursionError):
        return None


def _data(report: AnnualReport) -> dict[str, Any]:
    if not report.data_json:
        return {}
    try:
        data = json.loads(report.data_json)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _sync(report: AnnualReport, doc: AnnualReportDocument, form: FormDef) -> None:
    """Store ``doc`` and keep the summary columns in step with it."""
    report.data_json = json.dumps(annual_report_to_json(doc, form), ensure_ascii=False)
    months = doc.value("director.months_at_center")
    report.director_months = months if isinstance(months, int) else None
    outputs = doc.rows("outputs")
    report.rd_staff = len(doc.rows("staff"))
    spent = doc.value("funding.rd_spent_yuan")
    report.rd_investment_yuan = spent if isinstance(spent, int) else None
    report.projects = len(doc.rows("projects"))
    report.patents_granted = sum(1 for row in outputs if row.get("kind") in PATENT_KINDS)
    report.standards = sum(1 for row in outputs if row.get("kind") == "standard")
    revenue = doc.value("funding.sales_revenue_yuan")
    report.revenue_yuan = revenue if isinstance(revenue, int) else None
    result = _text(doc.value(HOST_ASSESSMENT_PATH))
    report.host_assessment = ASSESSMENT_CODES.get(result, result[:ASSESSMENT_MAX]) if result else None
    reviewer = _text(doc.value(REVIEWER_PATH))
    report.host_reviewer = reviewer[:REVIEWER_MAX] if reviewer else None
    reviewed = doc.value(REVIEWED_ON_PATH)
    report.host_reviewed_on = reviewed if isinstance(reviewed, date) else None


# ------------------------------------------------------------------ reading


def _view(report: AnnualReport, center_name: str) -> ReportView:
    assert report.id is not None
    data = _data(report)
    node = data.get("host_assessment")
    written = _text(node.get("result")) if isinstance(node, dict) else None
    code = report.host_assessment
    return ReportView(
        report_id=report.id,
        center_id=report.center_id,
        center_name=center_name,
        year=report.year,
        status=report.status,
        status_label=STATUS_LABELS.get(report.status, report.status),
        submitted_on=report.submitted_on,
        host_reviewer=report.host_reviewer,
        host_reviewed_on=report.host_reviewed_on,
        host_assessment=written or (ASSESSMENT_LABELS.get(code, code) if code else None),
        filed_on=report.filed_on,
        source=report.source,
        verification_result=report.verification_result,
        data=data,
        version=report.version,
    )


def list_reports(ctx: AppContext, *, year: int) -> list[ReportView]:
    """The reports of ``year`` (every status), by centre name."""
    _check_year(year)
    with reading(ctx) as session:
        rows = session.execute(
            select(AnnualReport, col(Center.name_zh))
            .join(Center, col(Center.id) == col(AnnualReport.center_id))
            .where(col(AnnualReport.year) == year)
            .order_by(col(Center.name_zh), col(AnnualReport.id))
        ).all()
        return [_view(report, str(name)) for report, name in rows]


def _load(session: Session, report_id: int) -> tuple[AnnualReport, str]:
    row = session.execute(
        select(AnnualReport, col(Center.name_zh))
        .join(Center, col(Center.id) == col(AnnualReport.center_id))
        .where(col(AnnualReport.id) == report_id)
    ).first()
    if row is None:
        raise NotFound(f"找不到编号为 {report_id} 的工作年报", field="工作年报")
    return row[0], str(row[1])


def get_report(ctx: AppContext, report_id: int) -> ReportView:
    with reading(ctx) as session:
        report, name = _load(session, report_id)
        return _view(report, name)


def find_report(ctx: AppContext, *, center_id: int, year: int) -> ReportView | None:
    """The centre's report of ``year``, ``None`` when there is none."""
    with reading(ctx) as session:
        row = session.execute(
            select(AnnualReport, col(Center.name_zh))
            .join(Center, col(Center.id) == col(AnnualReport.center_id))
            .where(col(AnnualReport.center_id) == center_id, col(AnnualReport.year) == year)
        ).first()
        return _view(row[0], str(row[1])) if row is not None else None


# ------------------------------------------------------------------ writing


def _refuse_received(report: AnnualReport, name: str, what: str) -> None:
    if report.status == DRAFT:
        return
    when = report.filed_on if report.status == FILED else report.submitted_on
    on = f"于 {when.isoformat()} " if when else ""
    raise ServiceError(
        f"“{name}”{report.year}年度工作年报已{on}{STATUS_LABELS.get(report.status, report.status)}，"
        f"不能再{what}；已报送的年报是市科技局收到的记录，不会被覆盖",
        field="工作年报",
    )


def save_report(
    ctx: AppContext,
    *,
    center_id: int,
    year: int,
    data: Mapping[str, Any],
    source: str = "desktop",
    expected_version: int | None = None,
) -> int:
    """Create or update the draft report of ``center_id`` and ``year`` from the JSON document
    ``data``; refused when the document is malformed (the field and its JSON path named), is of
    another year, or the report was already submitted or filed. With ``expected_version`` (the
    :attr:`ReportView.version` the editor loaded, 0 when it started a new report) a report saved by
    someone else in between is refused with
    :class:`~lzcenter_desktop.services.versioning.StaleRecord`; each save raises the version."""
    _check_year(year)
    if source not in SOURCES:
        raise ServiceError(f"年报来源“{source}”无效", field="来源")
    form = load_form(year)
    doc = parse_document(data, form)
    if doc.year != year:
        raise ServiceError(
            f"年报数据的年度为 {doc.year} 年，与要保存的 {year} 年度不一致，请核对“year”", field="year"
        )
    with unit_of_work(ctx, "annual.save_report") as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
        report = session.execute(
            select(AnnualReport).where(
                col(AnnualReport.center_id) == center_id, col(AnnualReport.year) == year
            )
        ).scalar_one_or_none()
        if report is None:
            report = AnnualReport.model_validate({"center_id": center_id, "year": year, "status": DRAFT})
        else:
            check_version(session, report, expected_version)
            _refuse_received(report, center.name_zh, "保存或导入覆盖")
            bump(report)
        _sync(report, doc, form)
        report.source = source
        session.add(report)
        session.flush()
        assert report.id is not None
        return report.id


def record_host_review(
    ctx: AppContext,
    *,
    report_id: int,
    reviewer: str,
    reviewed_on: date,
    expected_version: int | None = None,
) -> None:
    """Record the host's review (依托单位审核: who and when) of a draft; it is written into the
    document's 依托单位审核人 and 依托单位审核日期 too. With ``expected_version`` (the report's
    version when the dialog opened) a report saved by someone else meanwhile is refused
    (:class:`~lzcenter_desktop.services.versioning.StaleRecord`)."""
    name = reviewer.strip() if isinstance(reviewer, str) else ""
    if not name:
        raise ServiceError("请填写依托单位审核人", field="依托单位审核人")
    if len(name) > REVIEWER_MAX:
        raise ServiceError(
            f"依托单位审核人不能超过 {REVIEWER_MAX} 字（现为 {len(name)} 字）", field="依托单位审核人"
        )
    if not isinstance(reviewed_on, date):
        raise ServiceError("请填写依托单位审核日期", field="依托单位审核日期")
    with unit_of_work(ctx, "annual.record_host_review") as session:
        report, center_name = _load(session, report_id)
        check_version(session, report, expected_version)
        _refuse_received(report, center_name, "修改依托单位审核记录")
        doc = stored_document(report)
        if doc is None:
            raise ServiceError(
                f"“{center_name}”{report.year}年度工作年报只有摘要数据，请先导入或填写完整的年报",
                field="工作年报",
            )
        form = load_form(report.year)
        data = annual_report_to_json(doc, form)
        node = data.get("host_review")
        if not isinstance(node, dict):
            node = {}
            data["host_review"] = node
        node["reviewer"] = name
        node["date"] = reviewed_on.isoformat()
        _sync(report, parse_document(data, form), form)
        session.add(report)


def _error_summary(violations: list[Violation]) -> str:
    errors = [v for v in violations if v.severity is Severity.ERROR]
    lines = "；".join(f"{i}. {v.message}" for i, v in enumerate(errors, start=1))
    return f"年报有 {len(errors)} 项错误，不能提交，请改正后再提交：{lines}"


def submit_report(ctx: AppContext, *, report_id: int, submitted_on: date) -> None:
    """Submit a draft (报送): refused without the host's review recorded on or before
    ``submitted_on`` and with any error-level violation of the year's rules."""
    if not isinstance(submitted_on, date):
        raise ServiceError("请填写报送日期", field="报送日期")
    with reading(ctx) as session:
        report, center_name = _load(session, report_id)
        year = report.year
    settings = rulesets.settings_for_year(ctx, year)
    form = load_form(year)
    with unit_of_work(ctx, "annual.submit_report") as session:
        report, center_name = _load(session, report_id)
        _refuse_received(report, center_name, "重复提交")
        if not report.host_reviewer or report.host_reviewed_on is None:
            raise ServiceError(
                f"“{center_name}”{year}年度工作年报尚未记录依托单位审核（审核人和审核日期），"
                "年报须经依托单位审核后才能提交（第二十一条）",
                field="依托单位审核",
            )
        if report.host_reviewed_on > submitted_on:
            raise ServiceError(
                f"报送日期 {submitted_on.isoformat()} 早于依托单位审核日期 "
                f"{report.host_reviewed_on.isoformat()}，年报须先经依托单位审核再报送",
                field="报送日期",
            )
        doc = stored_document(report)
        if doc is None:
            raise ServiceError(
                f"“{center_name}”{year}年度工作年报只有摘要数据，请先导入或填写完整的年报", field="工作年报"
            )
        center = session.get(Center, report.center_id)
        recognised = center.recognized_on if center is not None else None
        violations = check_annual_report_document(doc, form, settings, recognised_on=recognised)
        if any(v.severity is Severity.ERROR for v in violations):
            raise ServiceError(_error_summary(violations), field="工作年报")
        report.status = SUBMITTED
        report.submitted_on = submitted_on
        session.add(report)


def file_report(ctx: AppContext, *, report_id: int, filed_on: date) -> None:
    """备案 of a submitted report, on or after the day it was submitted."""
    if not isinstance(filed_on, date):
        raise ServiceError("请填写备案日期", field="备案日期")
    with unit_of_work(ctx, "annual.file_report") as session:
        report, center_name = _load(session, report_id)
        if report.status == FILED:
            _refuse_received(report, center_name, "重复备案")
        if report.status != SUBMITTED or report.submitted_on is None:
            raise ServiceError(
                f"“{center_name}”{report.year}年度工作年报尚未提交，只有已提交的年报才能备案",
                field="工作年报",
            )
        if filed_on < report.submitted_on:
            raise ServiceError(
                f"备案日期 {filed_on.isoformat()} 早于报送日期 {report.submitted_on.isoformat()}",
                field="备案日期",
            )
        report.status = FILED
        report.filed_on = filed_on
        session.add(report)


# ------------------------------------------------------------------ compared with last year


def report_figures(report: AnnualReport) -> ReportFigures:
    """The figures of the document, or of the summary columns for a report without one."""
    doc = stored_document(report)
    if doc is not None:
        return figures_from_document(doc)
    return ReportFigures(
        staff=report.rd_staff,
        rd_spent_yuan=report.rd_investment_yuan,
        projects=report.projects,
        patents=report.patents_granted,
        standards=report.standards,
    )


def compare_with_last_year(ctx: AppContext, *, report_id: int) -> list[Finding]:
    """The report compared with the centre's report of the year before: figures that fell, then
    the 第九条 conditions it shows as not met (thresholds of the report year's rule settings)."""
    with reading(ctx) as session:
        report, _name = _load(session, report_id)
        previous = session.execute(
            select(AnnualReport).where(
                col(AnnualReport.center_id) == report.center_id, col(AnnualReport.year) == report.year - 1
            )
        ).scalar_one_or_none()
        this = report_figures(report)
        last = report_figures(previous) if previous is not None else None
        year = report.year
    settings = rulesets.settings_for_year(ctx, year)
    return compare_reports(last, this, year=year, settings=settings)
