"""The Excel workbook of the 工作年报 (第二十一条) that a centre fills offline, and reading it back.

The layout, the cell checks and the guards are those of the declaration's workbook
(:mod:`documents.xlsx_declaration`, generic over a :class:`FormDef`): a 说明 sheet, a 基本信息
sheet with one row per single field of ``forms/annual-report-<year>.toml`` (grouped under the
form's section titles), one sheet per table (研发人员, 科技计划项目, 本年度成果, …), drop-downs,
formats and a hidden ``_meta`` sheet. This module adds what a report needs on top of it: the
report year (a form serves later years too) recorded in ``_meta`` as ``report_year`` and shown in
the title, and the second step of reading — the workbook's values parsed as a
``lzcenter.annual-report/1`` document, where a problem found there (months 13, attendees above
members …) is put back on its cell::

    基本信息!B17：主任本年度在中心工作月数应不大于 12，实际为 13
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.documents.xlsx import guard
from lzcenter_desktop.documents.xlsx_declaration import (
    GUIDE_SHEET,
    META_SHEET,
    CellProblem,
    ImportResult,
    TemplateWriteError,
    read_workbook,
    write_template,
)
from lzcenter_desktop.domain.annual_report import AnnualReportDocument, parse_annual_report
from lzcenter_desktop.domain.formdef import FormDef
from lzcenter_desktop.domain.interchange import FormatError

__all__ = [
    "REPORT_YEAR_KEY",
    "AnnualWorkbook",
    "CellProblem",
    "TemplateWriteError",
    "field_label",
    "read_annual_workbook",
    "workbook_report_year",
    "write_annual_template",
]

REPORT_YEAR_KEY = "report_year"
_DECLARATION_HEADING = "二、认定条件"


@dataclass(slots=True)
class AnnualWorkbook:
    """What an annual-report workbook held: the parsed document when nothing is wrong, else the
    problems, each with its sheet and cell where it has one."""

    document: AnnualReportDocument | None
    data: dict[str, Any] | None  # the interchange JSON (dates as ISO text) when ``document`` is set
    problems: list[CellProblem] = field(default_factory=list)
    year: int | None = None
    source: ImportResult | None = None  # the cell-level reading, for placing later findings

    @property
    def ok(self) -> bool:
        return not self.problems

    def place(self, json_path: str, message: str) -> CellProblem:
        """Where a later finding about ``json_path`` (a rule violation's path) sits in the workbook."""
        if self.source is None:
            return CellProblem("", "", json_path, message)
        return self.source.problem_for(json_path, message)

    def cell_of(self, json_path: str) -> str | None:
        """``工作表!单元格`` (or the sheet) of ``json_path``, ``None`` when it has no place."""
        problem = self.place(json_path, "")
        if not problem.sheet:
            return None
        return f"{problem.sheet}!{problem.cell}" if problem.cell else problem.sheet


def write_annual_template(
    path: Path, form: FormDef, *, year: int, data: Mapping[str, Any] | None = None
) -> Path:
    """The workbook of ``form`` for the report year ``year`` at ``path``, pre-filled with ``data``
    (a ``lzcenter.annual-report/1`` dict, possibly partial). Raises :class:`TemplateWriteError`."""
    write_template(path, form, data=data, key_industries=())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path)
        meta = wb[META_SHEET]
        meta.append([REPORT_YEAR_KEY, year])
        guide = wb[GUIDE_SHEET]
        guide["A1"].value = f"{form.title}（{year} 年度）填写说明"
        for row in guide.iter_rows(min_col=1, max_col=1):
            cell = row[0]
            if isinstance(cell.value, str) and cell.value.startswith(_DECLARATION_HEADING):
                cell.value = "二、有关规定（《柳州市工程技术研究中心管理办法》）"
        wb.properties.title = f"{form.title}（{year} 年度）"
        wb.save(path)
    except OSError as exc:
        reason = exc.strerror or exc
        raise TemplateWriteError(f"无法保存“{path}”：{reason}（文件是否正在 Excel 中打开？）") from exc
    return Path(path)


def workbook_report_year(path: Path) -> int | None:
    """The report year recorded in the hidden ``_meta`` sheet, ``None`` when there is none (not our
    workbook, damaged, or over the import limits)."""
    try:
        content = inbound.read_regular(Path(path), max_bytes=guard.MAX_FILE_BYTES)
        wb, _scan = guard.open_workbook(content, Path(path).name)
    except Exception:  # whatever is wrong, read_workbook reports it in Chinese
        return None
    try:
        if META_SHEET not in wb.sheetnames:
            return None
        for values in wb[META_SHEET].iter_rows(max_row=guard.MAX_ROWS, values_only=True):
            if values and values[0] == REPORT_YEAR_KEY and len(values) > 1:
                found = values[1]
                if isinstance(found, int) and not isinstance(found, bool):
                    return found
                if isinstance(found, str) and found.strip().isdigit():
                    return int(found.strip())
        return None
    finally:
        wb.close()


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def field_label(form: FormDef, path: str) -> str:
    """The Chinese name of the field at a JSON path (``staff[3].degree`` → 学历)."""
    if "[" in path:
        table_key, _, rest = path.partition("[")
        column = rest.partition("].")[2]
        try:
            table = form.table(table_key)
            return table.column(column).label if column else table.label
        except KeyError:
            return ""
    try:
        return form.field(path).label
    except KeyError:
        return ""


def _place(result: ImportResult, form: FormDef, exc: FormatError) -> CellProblem:
    label = field_label(form, exc.path)
    named = label and label not in exc.detail
    return result.problem_for(exc.path, f"{label}{exc.detail}" if named else exc.detail)


def read_annual_workbook(path: Path, form: FormDef, *, year: int | None = None) -> AnnualWorkbook:
    """Read a filled annual-report workbook of ``form``: every cell checked, then the whole as a
    ``lzcenter.annual-report/1`` document. The report year is ``year`` or the workbook's own.
    Never raises for a bad file: every problem is in ``problems``."""
    result = read_workbook(Path(path), form, key_industries=())
    if result.problems or result.data is None:
        return AnnualWorkbook(None, None, list(result.problems), source=result)
    report_year = year if year is not None else workbook_report_year(Path(path))
    if report_year is None:
        report_year = form.call_year
    data = _jsonable(dict(result.data))
    data.pop("call_year", None)
    data = {"format": data.pop("format"), "year": report_year, **data}
    try:
        document = parse_annual_report(data, form)
    except FormatError as exc:
        return AnnualWorkbook(None, None, [_place(result, form, exc)], report_year, result)
    return AnnualWorkbook(document, data, [], report_year, result)
