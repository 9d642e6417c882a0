"""工作年报 files: importing a ``lzcenter.annual-report/1`` JSON file or a filled workbook
(:mod:`documents.xlsx_annual`) as a centre's draft, exporting a stored report as JSON or as a
pre-filled workbook, and the blank workbook of a centre and year.

An import either stores the draft (``ReportImport.report_id``) or stores nothing and lists the
problems, each with its place: the JSON path (``staff[0].degree``) or the workbook cell
(``研发人员!C7``). The rule checks (E21b, M12b …) of a stored draft are returned as
``violations``: a draft may carry them, submission may not (:func:`.reports.submit_report`).
A report already submitted or filed is never overwritten by an import (refused, see
:mod:`.reports`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.domain.annual_report import (
    ANNUAL_REPORT_FORMAT,
    AnnualReportDocument,
    annual_report_to_json,
    check_annual_report_document,
    parse_annual_report,
)
from lzcenter_desktop.domain.formdef import FormDef
from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services import output, rulesets
from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, Organization

MAX_JSON_BYTES = 5 * 1024 * 1024  # a report is a few KB


@dataclass(slots=True)
class ReportImport:
    """What an import did: ``report_id`` of the stored draft, or ``None`` and the ``errors``
    (place, Chinese message) that kept it out; ``violations`` are the stored draft's rule checks,
    ``places`` where each violation's path sits in the workbook (``工作表!单元格``)."""

    report_id: int | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    center_id: int | None = None
    year: int | None = None
    places: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report_id is not None


@dataclass(slots=True)
class _Read:
    source: str = "json"
    errors: list[tuple[str, str]] = field(default_factory=list)
    book: Any = None  # documents.xlsx_annual.AnnualWorkbook for a workbook


def _read_json(path: Path) -> tuple[Any, list[tuple[str, str]]]:
    name = Path(path).name
    try:
        raw = inbound.read_regular(Path(path), max_bytes=MAX_JSON_BYTES)
    except inbound.RefusedFile as exc:
        return None, [("", f"“{name}”：{exc}")]
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [("", f"“{name}”不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节有误）")]
    try:
        return inbound.loads_json(content), []
    except json.JSONDecodeError as exc:
        return None, [("", f"“{name}”不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）")]
    except (inbound.JsonRefused, ValueError, RecursionError) as exc:
        return None, [("", f"“{name}”不是有效的 JSON（{exc}）")]


def _json_year(data: object) -> int | None:
    year = data.get("year") if isinstance(data, dict) else None
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _read(path: Path) -> tuple[AnnualReportDocument | None, FormDef | None, _Read]:
    """The document of a JSON or workbook file, else its problems."""
    parts = _Read()
    if Path(path).suffix.lower() == ".xlsx":
        from lzcenter_desktop.documents.xlsx_annual import read_annual_workbook, workbook_report_year

        year = workbook_report_year(Path(path))
        form = reports.load_form(year if year is not None else 9999)
        book = read_annual_workbook(Path(path), form, year=year)
        parts.source = "xlsx"
        parts.errors = [(f"{p.sheet}!{p.cell}" if p.cell else p.sheet, p.message) for p in book.problems]
        parts.book = book
        return book.document, form, parts
    parts.source = "json"
    data, errors = _read_json(path)
    if errors:
        parts.errors = errors
        return None, None, parts
    if not isinstance(data, dict) or data.get("format") != ANNUAL_REPORT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        message = (
            f"“{Path(path).name}”不是工作年报文件（format 应为 {ANNUAL_REPORT_FORMAT}，实际为 {found!r}）"
        )
        parts.errors = [("format", message)]
        return None, None, parts
    year = _json_year(data)
    form = reports.load_form(year if year is not None else 9999)
    try:
        return parse_annual_report(data, form), form, parts
    except FormatError as exc:
        parts.errors = [(exc.path, reports.format_problem(form, exc))]
    except RecursionError:
        parts.errors = [("", "年报数据嵌套过深，不是工作年报")]
    return None, form, parts


def _find_center(ctx: AppContext, doc: AnnualReportDocument) -> int:
    name = doc.value("center.name_zh")
    code = doc.value("host.credit_code")
    with reading(ctx) as session:
        if isinstance(name, str):
            found = session.execute(select(col(Center.id)).where(col(Center.name_zh) == name.strip())).all()
            if len(found) == 1:
                return int(found[0][0])
        if isinstance(code, str) and code.strip():
            found = session.execute(
                select(col(Center.id))
                .join(Organization, col(Organization.id) == col(Center.host_id))
                .where(col(Organization.credit_code) == code.strip().upper())
            ).all()
            if len(found) == 1:
                return int(found[0][0])
    raise ServiceError(
        f"找不到年报所填“中心名称”为“{name}”的中心（按依托单位统一社会信用代码也无法唯一确定），"
        "请指定要导入到哪个中心",
        field="中心",
    )


def _base_name(name: str) -> str:
    """The centre's name without the host in brackets (柳州××工程技术研究中心（依托单位） → 柳州××…中心)."""
    return name.strip().split("（", 1)[0].split("(", 1)[0].strip()


def _check_same_center(ctx: AppContext, doc: AnnualReportDocument, center_id: int) -> None:
    """A file naming another centre is not imported into the chosen one (a wrong row picked)."""
    name = doc.value("center.name_zh")
    if not isinstance(name, str) or not name.strip():
        return
    with reading(ctx) as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
        if _base_name(name) != _base_name(center.name_zh):
            raise ServiceError(
                f"年报所填“中心名称”为“{name.strip()}”，与所选中心“{center.name_zh}”不一致："
                "请选中该年报所属的中心再导入，或核对文件",
                field="中心",
            )


def import_report_file(ctx: AppContext, path: Path, *, center_id: int | None = None) -> ReportImport:
    """Import a report file (``.xlsx`` workbook, else JSON) as the draft of its centre and year.
    The centre is ``center_id`` (refused when the file names another centre) or found by the
    report's 中心名称 (then its host's credit code).
    Problems in the file come back in ``errors`` (nothing stored); a refused overwrite of a
    submitted or filed report raises :class:`ServiceError`."""
    doc, form, parts = _read(Path(path))
    if doc is None or form is None:
        return ReportImport(None, parts.errors)
    if center_id is None:
        center_id = _find_center(ctx, doc)
    else:
        _check_same_center(ctx, doc, center_id)
    data = annual_report_to_json(doc, form)
    report_id = reports.save_report(ctx, center_id=center_id, year=doc.year, data=data, source=parts.source)
    settings = rulesets.settings_for_year(ctx, doc.year)
    violations = check_annual_report_document(doc, form, settings)
    places: dict[str, str] = {}
    if parts.book is not None:
        places = {v.path: cell for v in violations if (cell := parts.book.cell_of(v.path)) is not None}
    return ReportImport(report_id, [], violations, center_id, doc.year, places)


def export_report_json(ctx: AppContext, *, report_id: int, path: Path) -> Path:
    """The stored report as a ``lzcenter.annual-report/1`` file (complete or not at all)."""
    view = reports.get_report(ctx, report_id)
    if view.data.get("format") != ANNUAL_REPORT_FORMAT:
        raise ServiceError(
            f"“{view.center_name}”{view.year}年度工作年报只有摘要数据，没有可导出的完整年报", field="工作年报"
        )
    text = json.dumps(view.data, ensure_ascii=False, indent=2) + "\n"
    return output.write_bytes(Path(path), text.encode("utf-8"))


def _xlsx(path: Path) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")


def _prefill(ctx: AppContext, center_id: int, year: int) -> dict[str, Any]:
    existing = reports.find_report(ctx, center_id=center_id, year=year)
    if existing is not None and existing.data.get("format") == ANNUAL_REPORT_FORMAT:
        return existing.data
    with reading(ctx) as session:
        row = session.execute(
            select(col(Center.name_zh), col(Organization.name), col(Organization.credit_code))
            .join(Organization, col(Organization.id) == col(Center.host_id))
            .where(col(Center.id) == center_id)
        ).first()
    if row is None:
        raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
    name, host, code = row
    return {
        "format": ANNUAL_REPORT_FORMAT,
        "year": year,
        "center": {"name_zh": name},
        "host": {"name": host, "credit_code": code},
    }


def write_report_workbook(ctx: AppContext, *, center_id: int, year: int, path: Path) -> Path:
    """The workbook of ``center_id``'s report of ``year``: pre-filled with the stored report, or
    with the centre's and host's names for a report not yet received. ``.xlsx`` is added if
    missing; the path written is returned."""
    from lzcenter_desktop.documents.xlsx_annual import TemplateWriteError, write_annual_template

    reports._check_year(year)
    form = reports.load_form(year)
    data = _prefill(ctx, center_id, year)
    target = _xlsx(path)
    try:
        with output.writing(target) as tmp:
            write_annual_template(tmp, form, year=year, data=data)
    except TemplateWriteError as exc:
        raise ServiceError(str(exc), field="文件") from exc
    return target


def export_report_workbook(ctx: AppContext, *, report_id: int, path: Path) -> Path:
    """A stored report as its pre-filled workbook."""
    view = reports.get_report(ctx, report_id)
    return write_report_workbook(ctx, center_id=view.center_id, year=view.year, path=path)
