"""Importing experts into the pool from an Excel workbook (.xlsx).

The first worksheet; row 1 holds the column headers, in any order: 姓名 and 单位 (required),
统一社会信用代码, 专业领域, 职称, 电话, 邮箱 (optional; other columns are ignored). Each following
non-empty row is one expert. Every cell is checked first and every problem is reported with its
cell, e.g. ``第5行 C列：统一社会信用代码“…”校验位不正确`` — and when any row is bad nothing is
written. Otherwise all rows are written in one unit of work: a new expert, or — for a name already
in the pool at the same unit — the expert's details updated from the non-empty cells. Units are
linked to the organization registry by credit code, else by name (registered when new).

The file is read through the bounded reader and the workbook guard of ``documents`` (size, zip
bombs, formulas: a formula cell is reported, not imported).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from sqlmodel import col, select

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.documents.xlsx import guard
from lzcenter_desktop.domain.committees import unit_key
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.people import check_name
from lzcenter_desktop.services.review.dto import ExpertImportResult
from lzcenter_desktop.services.review.experts import (
    SPECIALTY_MAX,
    TITLE_MAX,
    UNIT_MAX,
    add_expert,
    apply_expert_changes,
    clean_credit_code,
    clean_email,
    clean_phone,
    clean_text,
    find_expert,
    resolve_unit,
)
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Organization

HEADERS = ("姓名", "单位", "统一社会信用代码", "专业领域", "职称", "电话", "邮箱")
REQUIRED_HEADERS = ("姓名", "单位")
MAX_ROWS = 5000
MAX_LISTED = 50


class ExpertImportError(ServiceError):
    """The workbook was not imported; ``problems`` lists every bad cell (``第5行 C列：…``)."""

    def __init__(self, file_name: str, problems: list[str]) -> None:
        shown = problems[:MAX_LISTED]
        more = f"\n……等共 {len(problems)} 处问题" if len(problems) > MAX_LISTED else ""
        super().__init__(
            f"“{file_name}”有 {len(problems)} 处问题，未导入任何专家，请改正后重新导入：\n"
            + "\n".join(shown)
            + more,
            field="文件",
        )
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class _Row:
    number: int  # the worksheet row
    name: str
    unit: str
    credit_code: str | None
    specialty: str | None
    title: str | None
    phone: str | None
    email: str | None


def _cell_text(value: Any) -> str:
    """A cell's value as text: whole numbers without ``.0`` (a phone typed as a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open(path: Path) -> tuple[Any, guard.WorkbookScan]:
    name = path.name
    try:
        content = inbound.read_regular(path, max_bytes=guard.MAX_FILE_BYTES)
    except inbound.RefusedFile as exc:
        raise ServiceError(f"无法读取“{name}”：{exc}", field="文件") from None
    try:
        return guard.open_workbook(content, name)
    except guard.WorkbookRefused as exc:
        raise ServiceError(str(exc), field="文件") from None


def _formula_cells(scan: guard.WorkbookScan, title: str) -> set[tuple[int, int]]:
    for part, sheet in scan.sheet_names.items():
        if sheet == title:
            return scan.formulas.get(part, set())
    return set()


class _RowChecker:
    """Checks the cells of one worksheet row, collecting a ``第r行 X列：…`` problem per bad cell."""

    def __init__(
        self, r: int, cells: dict[str, Any], columns: dict[str, int], formulas: set[tuple[int, int]]
    ) -> None:
        self.r = r
        self.cells = cells
        self.columns = columns
        self.problems: list[str] = [
            f"第{r}行 {get_column_letter(c + 1)}列：单元格是公式，请改为直接填写的值"
            for c in sorted(columns.values())
            if (r, c + 1) in formulas
        ]

    def check(self, title: str, fn: Any, *args: Any, **kw: Any) -> Any:
        c = self.columns.get(title)
        if c is None:
            return None
        try:
            return fn(_cell_text(self.cells[title]), *args, **kw)
        except ServiceError as exc:
            self.problems.append(f"第{self.r}行 {get_column_letter(c + 1)}列：{exc.message}")
            return None

    def row(self) -> _Row:
        return _Row(
            number=self.r,
            name=self.check("姓名", check_name) or "",
            unit=self.check("单位", clean_text, "单位", UNIT_MAX, required=True) or "",
            credit_code=self.check("统一社会信用代码", clean_credit_code),
            specialty=self.check("专业领域", clean_text, "专业领域", SPECIALTY_MAX),
            title=self.check("职称", clean_text, "职称", TITLE_MAX),
            phone=self.check("电话", clean_phone),
            email=self.check("邮箱", clean_email),
        )


def read_rows(path: Path) -> tuple[list[_Row], list[str], dict[str, str]]:
    """The rows of the workbook, the problems found in its cells and the column letter of each
    header found (no database)."""
    wb, scan = _open(Path(path))
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise ServiceError(f"“{Path(path).name}”没有工作表", field="文件")
        formulas = _formula_cells(scan, ws.title)
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    if not rows:
        raise ServiceError(
            f"“{Path(path).name}”的第一个工作表是空的：第1行应为列标题（姓名、单位……）", field="文件"
        )
    header = [_cell_text(v) for v in rows[0]]
    columns: dict[str, int] = {}
    problems: list[str] = []
    for i, title in enumerate(header):
        if title in HEADERS:
            if title in columns:
                problems.append(f"第1行 {get_column_letter(i + 1)}列：列标题“{title}”重复")
            else:
                columns[title] = i
    for title in REQUIRED_HEADERS:
        if title not in columns:
            problems.append(f"第1行：缺少“{title}”列（第1行应为列标题：{'、'.join(HEADERS)}）")
    letters = {title: get_column_letter(c + 1) for title, c in columns.items()}
    if problems:
        return [], problems, letters
    if len(rows) - 1 > MAX_ROWS:
        raise ServiceError(
            f"“{Path(path).name}”有 {len(rows) - 1} 行，一次最多导入 {MAX_ROWS} 名专家", field="文件"
        )
    out: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for r, values in enumerate(rows[1:], start=2):
        cells = {title: (values[c] if c < len(values) else None) for title, c in columns.items()}
        if all(_cell_text(v) == "" for v in cells.values()):
            continue
        checker = _RowChecker(r, cells, columns, formulas)
        row = checker.row()
        row_problems = checker.problems
        name, unit = row.name, row.unit
        if name and unit:
            key = (unit_key(name), unit_key(unit))
            if key in seen:
                letter = get_column_letter(columns["姓名"] + 1)
                row_problems.append(f"第{r}行 {letter}列：与第{seen[key]}行重复（同一单位的同名专家）")
            else:
                seen[key] = r
        problems += row_problems
        if not row_problems:
            out.append(row)
    if not out and not problems:
        problems.append("第2行：没有专家数据（第1行为列标题，从第2行起每行一名专家）")
    return out, problems, letters


def _code_problem(org: Organization | None, row: _Row, letter: str) -> str | None:
    """A credit code registered under another unit's name (neither name begins with the other)."""
    if org is None or row.credit_code is None:
        return None
    a, b = unit_key(org.name), unit_key(row.unit)
    if a.startswith(b) or b.startswith(a):
        return None
    return (
        f"第{row.number}行 {letter}列：统一社会信用代码 {row.credit_code} 已登记为“{org.name}”，"
        f"与单位“{row.unit}”不一致，请核对"
    )


def import_experts(ctx: AppContext, *, path: Path) -> ExpertImportResult:
    """Import the experts of the workbook at ``path`` (see the module docstring). Raises
    :class:`ExpertImportError` listing every bad cell — and writes nothing — when any row is bad."""
    path = Path(path)
    rows, problems, letters = read_rows(path)
    if problems:
        raise ExpertImportError(path.name, problems)
    created = updated = 0
    ids: list[int] = []
    with unit_of_work(ctx, f"review.import_experts：{path.name}"[:100]) as session:
        code_letter = letters.get("统一社会信用代码", "")
        for row in rows:
            if row.credit_code is not None:
                registered = session.execute(
                    select(Organization).where(col(Organization.credit_code) == row.credit_code)
                ).scalar_one_or_none()
                problem = _code_problem(registered, row, code_letter)
                if problem is not None:
                    problems.append(problem)
        if problems:
            raise ExpertImportError(path.name, problems)
        for row in rows:
            try:
                org = resolve_unit(session, name=row.unit, credit_code=row.credit_code, create=False)
                existing = find_expert(session, name=row.name, organization_id=org.id if org else None)
                if existing is not None:
                    apply_expert_changes(
                        session,
                        existing,
                        specialty=row.specialty,
                        title=row.title,
                        phone=row.phone,
                        email=row.email,
                    )
                    expert = existing
                    updated += 1
                else:
                    expert = add_expert(
                        session,
                        name=row.name,
                        unit=row.unit,
                        credit_code=row.credit_code,
                        specialty=row.specialty,
                        title=row.title,
                        phone=row.phone,
                        email=row.email,
                    )
                    created += 1
            except ServiceError as exc:
                raise ExpertImportError(path.name, [f"第{row.number}行：{exc.message}"]) from None
            assert expert.id is not None
            ids.append(expert.id)
    return ExpertImportResult(created=created, updated=updated, rows=len(rows), expert_ids=tuple(ids))
