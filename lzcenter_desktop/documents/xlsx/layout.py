"""Where the Excel template of a form puts everything, and the types its reader returns.

Shared by the writer (:mod:`documents.xlsx_declaration`) and the reader
(:mod:`documents.xlsx.reader`): the sheet names, the marks of required fields, the plan of which
cell holds which field (:func:`plan`, from the :class:`FormDef` alone) and the result types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lzcenter_desktop.domain.formdef import FieldDef, FormDef, SectionDef, TableDef

DEFAULT_KEY_INDUSTRIES: tuple[str, ...] = (
    "汽车", "钢铁", "机械", "化工", "日用消费品", "新材料", "电子信息", "生物医药", "节能环保", "现代农业",
)

GUIDE_SHEET = "说明"
FIELDS_SHEET = "基本信息"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"
TEMPLATE_FORMAT = "lzcenter.xlsx-template/1"
HEADER_ROW = 1
FIRST_DATA_ROW = 2
BLANK_ROWS = 500  # rows below the data that carry drop-downs and formats, ready for typing
REQUIRED_MARK = "＊"
CONDITIONAL_MARK = "△"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_SHEET_NAME = 31

# ---------------------------------------------------------------- public types


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One thing wrong in the workbook. ``sheet``/``cell`` are empty for a whole-file problem."""

    sheet: str
    cell: str
    field: str  # interchange path, e.g. ``staff[5].degree``; empty when not about one field
    message: str

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}：{self.message}"
        if self.sheet:
            return f"{self.sheet}：{self.message}"
        return self.message


@dataclass(slots=True)
class ImportResult:
    """``data`` is the interchange dict when there is no problem, else ``None``.

    ``draft`` always holds what could be read (bad or missing cells left empty), for showing the
    applicant's work next to the problems.
    """

    data: dict[str, Any] | None
    problems: list[CellProblem]
    draft: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, tuple[str, str]] = field(default_factory=dict)  # interchange path → (sheet, cell)
    filled: int = 0  # cells read for the form that hold something (0: a blank template)
    # What the workbook does not carry at all (a field or a sheet missing from it), as opposed to a
    # blank cell: a single field's key, a table's key, or ``table[*].column`` for a missing column.
    absent: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_for(self, path: str, message: str) -> CellProblem:
        """Place a later finding about ``path`` (a ``FormatError.path``, a rule violation's path) in the
        workbook: ``achievements[6].transferred`` → ``近三年成果!E8``; a row or a table without a
        cell of its own falls back to its first cell or its sheet."""
        probe = path
        while probe:
            if probe in self.locations:
                sheet, cell = self.locations[probe]
                return CellProblem(sheet, cell, path, message)
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return CellProblem("", "", path, message)


class TemplateWriteError(OSError):
    """The workbook could not be saved; the message is Chinese and names the file."""


# ---------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class FieldSlot:
    sheet: str
    row: int
    column: int
    field: FieldDef


@dataclass(frozen=True, slots=True)
class TableSlot:
    sheet: str
    table: TableDef
    header_row: int
    first_row: int
    columns: tuple[tuple[int, FieldDef], ...]


@dataclass(slots=True)
class Layout:
    fields: dict[str, FieldSlot] = field(default_factory=dict)
    tables: dict[str, TableSlot] = field(default_factory=dict)
    section_rows: list[tuple[int, SectionDef]] = field(default_factory=list)


def sheet_title(label: str, used: Iterable[str] = ()) -> str:
    """A legal, unique sheet name for ``label``: no ``[]:*?/\\``, at most 31 characters."""
    taken = {name.casefold() for name in used}
    base = _SHEET_FORBIDDEN.sub("", label).strip().strip("'") or "表"
    base = base[:_MAX_SHEET_NAME].rstrip("'")  # Excel refuses a name that ends with an apostrophe
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f"（{n}）"
        name = base[: _MAX_SHEET_NAME - len(suffix)] + suffix
    return name


def plan(form: FormDef) -> Layout:
    """Where everything goes, from the form alone."""
    layout = Layout()
    used = [GUIDE_SHEET, FIELDS_SHEET, META_SHEET, LISTS_SHEET]
    row = HEADER_ROW + 1
    for section in form.sections:
        if section.fields:
            layout.section_rows.append((row, section))
            row += 1
            for fd in section.fields:
                layout.fields[fd.key] = FieldSlot(FIELDS_SHEET, row, 2, fd)
                row += 1
        for table in section.tables:
            name = sheet_title(table.label, used)
            used.append(name)
            columns = tuple((i, col) for i, col in enumerate(table.columns, start=1))
            layout.tables[table.key] = TableSlot(name, table, HEADER_ROW, FIRST_DATA_ROW, columns)
    return layout


def marked(fd: FieldDef) -> str:
    if fd.required:
        return REQUIRED_MARK + fd.label
    if fd.required_if:
        return CONDITIONAL_MARK + fd.label
    return fd.label


def condition_text(form: FormDef, fd: FieldDef) -> str:
    """``required_if = "host.kind == enterprise"`` → ``单位类型为“企业”时必填``."""
    assert fd.required_if is not None
    path, _, expected = (part.strip() for part in fd.required_if.partition("=="))
    try:
        other = form.field(path)
    except KeyError:
        return f"{path}为“{expected}”时必填"
    return f"{other.label}为“{other.label_for(expected)}”时必填"
