"""查看: one 工作年报 read-only — its record (status, host review, filing, site findings), its content
grouped by the sections of the year's form (``forms/annual-report-<year>.toml``), what it shows
against last year's report (findings, not a grade) and the problems the rules find in it."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from lzcenter_desktop.domain.annual_report import (
    ANNUAL_REPORT_FORMAT,
    check_annual_report_document,
    parse_annual_report,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path
from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.domain.report_compare import Finding
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.annual.reports import ReportView
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.review.common import cn_date

SOURCE_LABELS = {"desktop": "本程序录入", "json": "导入 JSON 文件", "xlsx": "导入 Excel 工作簿"}


@dataclass(frozen=True, slots=True)
class ReportDetails:
    view: ReportView
    form: FormDef
    findings: list[Finding]
    violations: list[Violation]
    unreadable: str | None  # why the stored content does not parse (then no violations)

    @property
    def complete(self) -> bool:
        """The report holds the whole form (early records hold only the summary figures)."""
        return self.view.data.get("format") == ANNUAL_REPORT_FORMAT


def read_report_details(ctx: AppContext, report_id: int) -> ReportDetails:
    """The report, its form, last year's comparison and the rules' findings (on a worker thread)."""
    view = reports.get_report(ctx, report_id)
    findings = list(reports.compare_with_last_year(ctx, report_id=report_id))
    form = reports.load_form(view.year)
    violations: list[Violation] = []
    unreadable: str | None = None
    if view.data.get("format") == ANNUAL_REPORT_FORMAT:
        try:
            document = parse_annual_report(view.data, form)
        except FormatError as exc:
            unreadable = f"年报内容格式有误（{exc.path}：{exc.detail}）"
        else:
            settings = rulesets.settings_for_year(ctx, view.year)
            violations = check_annual_report_document(document, form, settings)
    return ReportDetails(view, form, findings, violations, unreadable)


def _value_text(field: FieldDef, value: Any) -> str:
    if value is None or value == "":
        return "（未填）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.type == "enum":
        return field.label_for(str(value))
    if field.type == "money" and isinstance(value, int):
        return f"{value:,} 元"
    if field.type == "area":
        return f"{value} 平方米"
    return str(value)


def _e(text: object) -> str:
    return html.escape(str(text))


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td class='k'>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in pairs)
    return f"<table class='kv'>{cells}</table>"


def _table(columns: Sequence[FieldDef], rows: Sequence[Mapping[str, Any]]) -> str:
    head = "".join(f"<th>{_e(c.label)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_value_text(c, row.get(c.key)))}</td>" for c in columns) + "</tr>"
        for row in rows
    )
    return f"<table class='grid'><tr>{head}</tr>{body}</table>"


def report_html(details: ReportDetails) -> str:
    """The whole report as HTML for the read-only view."""
    view, form = details.view, details.form
    parts = [
        "<style>td,th{padding:2px 8px;} th{background:#e8ecf0;text-align:left;}"
        " td.k{color:#555;white-space:nowrap;} table.grid{border-collapse:collapse;}"
        " table.grid td, table.grid th{border:1px solid #ccc;}</style>",
        f"<h2>{_e(view.center_name)} {_e(view.year)}年度工作年报</h2>",
    ]
    record = [
        ("状态", view.status_label),
        ("来源", SOURCE_LABELS.get(view.source, view.source)),
        ("报送日期", cn_date(view.submitted_on) or "（未报送）"),
        (
            "依托单位审核",
            f"{view.host_reviewer or ''} {cn_date(view.host_reviewed_on)}".strip() or "（未审核）",
        ),
        ("备案日期", cn_date(view.filed_on) or "（未备案）"),
        ("依托单位年度考核", view.host_assessment or "（未填）"),
    ]
    if view.verification_result:
        record.append(("现场核查结果", str(view.verification_result)))
    parts.append(_rows(record))

    parts.append("<h3>与上年对比</h3>")
    if details.findings:
        items = "".join(f"<li>{_e(_finding_text(f))}</li>" for f in details.findings)
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>没有比上年下降的数据，也没有不再满足第九条的条件。</p>")

    parts.append("<h3>检查发现的问题</h3>")
    if not details.complete:
        parts.append("<p>这份年报只有摘要数据（早期记录），没有完整的填报内容，无法逐项检查。</p>")
        return "".join(parts)
    if details.unreadable:
        parts.append(f"<p style='color:{style.ERROR_COLOR}'>{_e(details.unreadable)}</p>")
    elif details.violations:
        items = "".join(
            f"<li style='color:{style.level_color(v.severity).name()}'>{_e(style.violation_text(v))}</li>"
            for v in details.violations
        )
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>未发现问题。</p>")

    data = view.data or {}
    for section in form.sections:
        parts.append(f"<h3>{_e(section.title)}</h3>")
        if section.fields:
            parts.append(_rows([(f.label, _value_text(f, get_path(data, f.key))) for f in section.fields]))
        for table in section.tables:
            rows = get_path(data, table.key) if isinstance(data, Mapping) else None
            found = [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []
            parts.append(f"<p><b>{_e(table.label)}</b>（{len(found)} 条）</p>")
            if found:
                parts.append(_table(table.columns, found))
    return "".join(parts)


def _finding_text(finding: Finding) -> str:
    """``D9.3a 2026年度研发人员为7人，第九条要求不低于8人`` (a condition), or the figure that fell."""
    return f"{finding.rule} {finding.message}" if finding.rule else finding.message


class ReportViewDialog(QDialog):
    """The read-only view of one report (Esc or 关闭 closes it)."""

    def __init__(self, parent: QWidget, details: ReportDetails) -> None:
        super().__init__(parent)
        self.details = details
        view = details.view
        self.setWindowTitle(f"查看工作年报：{view.center_name} {view.year}年度")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("reportContent")
        self.browser.setAccessibleName("工作年报内容")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(report_html(details))
        buttons = QDialogButtonBox(self)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(900, 640)
        self.browser.setFocus()

    def text(self) -> str:
        return self.browser.toPlainText()
