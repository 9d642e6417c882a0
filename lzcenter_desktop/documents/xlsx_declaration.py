"""The applicant's Excel workbook of a declaration, generated from the form definition, and its import.

``write_template`` lays the workbook out from a :class:`FormDef` alone — a new year's TOML gives a
new workbook without code changes: a 说明 sheet, a 基本信息 sheet (one row per single field), one
sheet per table, drop-down lists for enumerations and 是/否, date and money formats, and a hidden
``_meta`` sheet that records which cell holds which interchange key. ``read_workbook`` maps the
cells back through ``_meta`` (not through the visible labels, which applicants may edit) to a
``lzcenter.declaration/1`` dict, and reports every problem with its sheet and cell::

    固定研究开发人员!C7：学历“大学”不是可选值（博士/硕士/本科/大专/其他）

It never raises on a damaged or foreign file; that becomes a single problem. Before anything is
parsed, the file is checked against the limits of :mod:`documents.xlsx.guard` (size, zip bombs,
rows, columns, cell length): an applicant's file cannot stall the program or exhaust its memory.
A workbook without the hidden ``_meta`` sheet is not our template and is refused, and a formula
cell is reported rather than imported (its cached value may be stale or missing).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.documents.xlsx import guard, safe
from lzcenter_desktop.documents.xlsx.cells import (
    MAX_YEAR,
    MIN_YEAR,
    MULTI_SEPARATOR,
    CellValueError,
    choice_labels,
    display,
    format_hint,
    is_blank,
    number_format,
    parse_cell,
    to_cell,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, SectionDef, TableDef, get_path

__all__ = [
    "DEFAULT_KEY_INDUSTRIES",
    "CellProblem",
    "ImportResult",
    "ReadCancelled",
    "TemplateWriteError",
    "read_workbook",
    "sheet_title",
    "write_template",
]

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
_INLINE_LIST_LIMIT = 255  # Excel's limit for a literal list in a validation formula

_BOLD = Font(name="Calibri", size=11, bold=True)  # a font without a name renders in another face
_TITLE = Font(name="Calibri", size=14, bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_SECTION_FILL = PatternFill("solid", start_color="FCE4D6")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
_MIDDLE = Alignment(vertical="top", horizontal="center")
_HINT_FONT = Font(name="Calibri", size=11, color="595959")


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
class _FieldSlot:
    sheet: str
    row: int
    column: int
    field: FieldDef


@dataclass(frozen=True, slots=True)
class _TableSlot:
    sheet: str
    table: TableDef
    header_row: int
    first_row: int
    columns: tuple[tuple[int, FieldDef], ...]


@dataclass(slots=True)
class _Layout:
    fields: dict[str, _FieldSlot] = field(default_factory=dict)
    tables: dict[str, _TableSlot] = field(default_factory=dict)
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


def _plan(form: FormDef) -> _Layout:
    """Where everything goes, from the form alone."""
    layout = _Layout()
    used = [GUIDE_SHEET, FIELDS_SHEET, META_SHEET, LISTS_SHEET]
    row = HEADER_ROW + 1
    for section in form.sections:
        if section.fields:
            layout.section_rows.append((row, section))
            row += 1
            for fd in section.fields:
                layout.fields[fd.key] = _FieldSlot(FIELDS_SHEET, row, 2, fd)
                row += 1
        for table in section.tables:
            name = sheet_title(table.label, used)
            used.append(name)
            columns = tuple((i, col) for i, col in enumerate(table.columns, start=1))
            layout.tables[table.key] = _TableSlot(name, table, HEADER_ROW, FIRST_DATA_ROW, columns)
    return layout


def _marked(fd: FieldDef) -> str:
    if fd.required:
        return REQUIRED_MARK + fd.label
    if fd.required_if:
        return CONDITIONAL_MARK + fd.label
    return fd.label


def _condition_text(form: FormDef, fd: FieldDef) -> str:
    """``required_if = "host.kind == enterprise"`` → ``单位类型为“企业”时必填``."""
    assert fd.required_if is not None
    path, _, expected = (part.strip() for part in fd.required_if.partition("=="))
    try:
        other = form.field(path)
    except KeyError:
        return f"{path}为“{expected}”时必填"
    return f"{other.label}为“{other.label_for(expected)}”时必填"


# ---------------------------------------------------------------- writing


def _text_width(text: str) -> int:
    """Excel column width units: a CJK character is about two Latin ones."""
    lines = str(text).split("\n") or [""]
    return max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in lines)


def _wrapped_lines(text: str | None, width: int) -> int:
    """How many lines ``text`` takes in a wrapped column of ``width`` units."""
    if not text:
        return 1
    capacity = max(int(width * 1.1) - 2, 1)  # rendered CJK is a little narrower than two units
    return sum(max(1, -(-_text_width(line) // capacity)) for line in str(text).split("\n"))


def _default_width(fd: FieldDef) -> int:
    return {"date": 13, "money": 16, "int": 8, "area": 12, "bool": 8, "enum": 14,
            "multi_enum": 24, "multiline": 40}.get(fd.type, 18)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Lists:
    """Drop-down sources: a literal list when short, else a column of the hidden ``_lists`` sheet."""

    def __init__(self, wb: Any) -> None:
        self._wb = wb
        self._ws: Any = None
        self._columns: dict[tuple[str, ...], str] = {}

    def formula(self, labels: Sequence[str]) -> str:
        literal = '"' + ",".join(labels) + '"'
        if len(literal) - 2 <= _INLINE_LIST_LIMIT and not any("," in x or '"' in x for x in labels):
            return literal
        key = tuple(labels)
        if key not in self._columns:
            if self._ws is None:
                self._ws = self._wb.create_sheet(LISTS_SHEET)
                self._ws.sheet_state = "hidden"
            col = len(self._columns) + 1
            for i, label in enumerate(labels, start=1):
                self._ws.cell(row=i, column=col, value=label)
            letter = get_column_letter(col)
            self._columns[key] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
        return self._columns[key]


def _validation(fd: FieldDef, lists: _Lists, key_industries: Sequence[str]) -> DataValidation | None:
    prompt_title = _short(fd.label, 32)
    if fd.type in ("enum", "bool", "multi_enum"):
        labels = ["是", "否"] if fd.type == "bool" else choice_labels(fd, key_industries)
        if not labels:
            return None
        multi = fd.type == "multi_enum"
        dv = DataValidation(type="list", formula1=lists.formula(labels), allow_blank=True)
        dv.showErrorMessage = not multi  # several industries joined by 、 are not one list item
        dv.errorStyle = "stop"
        dv.errorTitle = _short(fd.label, 32)
        dv.error = _short(f"请从下拉列表中选择：{'/'.join(labels)}", 255)
        dv.prompt = _short(
            f"可选多项，用“{MULTI_SEPARATOR}”分隔：{'/'.join(labels)}" if multi else "请从下拉列表中选择", 255
        )
    elif fd.type == "date":
        dv = DataValidation(type="date", operator="between", allow_blank=True,
                            formula1=str(int(to_excel(date(MIN_YEAR, 1, 1)))),
                            formula2=str(int(to_excel(date(MAX_YEAR, 12, 31)))))
        dv.showErrorMessage = True
        dv.errorStyle = "warning"  # text such as 2024年7月1日 is still accepted on import
        dv.errorTitle = _short(fd.label, 32)
        dv.error = f"请填写 {MIN_YEAR}–{MAX_YEAR} 年间的日期，如 2024-07-01"
        dv.prompt = "日期，如 2024-07-01"
    elif fd.type == "money":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.showErrorMessage = False  # “50万元” typed as text is accepted on import
        dv.prompt = "以元为单位的整数，如 1800000；也可写“180万元”"
    elif fd.type in ("int", "area"):
        dv = DataValidation(type="whole" if fd.type == "int" else "decimal", operator="greaterThanOrEqual",
                            formula1="0", allow_blank=True)
        dv.showErrorMessage = True
        dv.errorStyle = "warning"
        dv.errorTitle = _short(fd.label, 32)
        dv.error = "请填写整数" if fd.type == "int" else "请填写数字（平方米）"
        dv.prompt = "整数" if fd.type == "int" else "面积，单位平方米"
    elif fd.max_length is not None:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(fd.max_length),
                            allow_blank=True)
        dv.showErrorMessage = True
        dv.errorStyle = "stop"
        dv.errorTitle = _short(fd.label, 32)
        dv.error = f"{fd.label}不能超过 {fd.max_length} 个字符"
        dv.prompt = f"不超过 {fd.max_length} 个字符"
    else:
        return None
    dv.showInputMessage = True
    dv.promptTitle = prompt_title
    return dv


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """An applicant's value as text, never a formula (see :mod:`documents.xlsx.safe`)."""
    cell = ws.cell(row=row, column=column)
    safe.put(cell, value)
    return cell




def _write_fields_sheet(ws: Any, form: FormDef, layout: _Layout, data: Mapping[str, Any] | None,
                        lists: _Lists, key_industries: Sequence[str]) -> None:
    for col, title in enumerate(("项目", "填写内容", "说明"), start=1):
        cell = _put(ws, HEADER_ROW, col, title)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _CENTER, _BOX
    for row, section in layout.section_rows:
        cell = _put(ws, row, 1, section.title)
        cell.font, cell.fill = _BOLD, _SECTION_FILL
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    widths = {1: 28, 2: 46, 3: 56}
    for slot in layout.fields.values():
        fd = slot.field
        label = _put(ws, slot.row, 1, _marked(fd))
        label.alignment, label.border = _WRAP_TOP, _BOX
        if fd.required or fd.required_if:
            label.font = _BOLD
        value = to_cell(fd, get_path(data, fd.key), key_industries) if data is not None else None
        cell = _put(ws, slot.row, slot.column, value)
        cell.number_format = number_format(fd)
        cell.alignment, cell.border = _WRAP_LEFT, _BOX
        notes = [part for part in (fd.help, format_hint(fd, key_industries)) if part]
        if fd.required_if:
            notes.append(_condition_text(form, fd))
        if fd.example:
            notes.append(f"示例：{fd.example}")
        hint = _put(ws, slot.row, 3, "\n".join(notes))
        hint.alignment, hint.border = _WRAP_TOP, _BOX
        hint.font = _HINT_FONT
        dv = _validation(fd, lists, key_industries)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(cell.coordinate)
        lines = max(
            _wrapped_lines(label.value, widths[1]),
            _wrapped_lines(display(value), widths[2]),
            _wrapped_lines(hint.value, widths[3]),
            3 if fd.type == "multiline" else 1,
        )
        ws.row_dimensions[slot.row].height = 16 * lines + 4
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _page_setup(ws, landscape=True)


def _write_table_sheet(ws: Any, form: FormDef, slot: _TableSlot, data: Mapping[str, Any] | None,
                       lists: _Lists, key_industries: Sequence[str]) -> None:
    rows: list[Any] = []
    if data is not None:
        found = get_path(data, slot.table.key)
        if isinstance(found, list):
            rows = [r for r in found if isinstance(r, Mapping)]
    last_row = slot.first_row + len(rows) + BLANK_ROWS - 1
    for column, fd in slot.columns:
        letter = get_column_letter(column)
        head = _put(ws, slot.header_row, column, _marked(fd))
        head.font, head.fill, head.alignment, head.border = _BOLD, _HEADER_FILL, _CENTER, _BOX
        notes = [part for part in (fd.help, format_hint(fd, key_industries)) if part]
        if fd.required_if:
            notes.append(_condition_text(form, fd))
        notes.insert(0, "必填" if fd.required else "选填")
        comment = Comment("\n".join(notes), "柳州市科学技术局")
        comment.width, comment.height = 260, 40 + 18 * len(notes)
        head.comment = comment
        fmt = number_format(fd)
        ws.column_dimensions[letter].number_format = fmt  # new rows typed by the applicant
        width = max(_default_width(fd), _text_width(head.value) + 4)
        for offset, record in enumerate(rows):
            cell = _put(ws, slot.first_row + offset, column, to_cell(fd, record.get(fd.key), key_industries))
            cell.number_format = fmt
            cell.border = _BOX
            if fd.type in ("date", "enum", "bool", "int"):
                cell.alignment = _MIDDLE
            elif fd.type in ("text", "multiline", "multi_enum"):
                cell.alignment = _WRAP_LEFT
            if cell.value is not None:
                width = max(width, _text_width(str(cell.value)) + 2)
        ws.column_dimensions[letter].width = min(width, 60)
        dv = _validation(fd, lists, key_industries)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}{slot.first_row}:{letter}{last_row}")
    ws.row_dimensions[slot.header_row].height = 30
    ws.freeze_panes = f"A{slot.first_row}"
    ws.print_title_rows = f"{slot.header_row}:{slot.header_row}"
    _page_setup(ws, landscape=len(slot.columns) > 4)


def _page_setup(ws: Any, *, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _guide_lines(form: FormDef, layout: _Layout, key_industries: Sequence[str]) -> list[tuple[str, str]]:
    """(style, text) lines of the 说明 sheet; style is ``title``, ``heading`` or ``text``."""
    lines: list[tuple[str, str]] = [("title", f"{form.title}（{form.call_year} 年度）填写说明"), ("text", "")]
    lines.append(("heading", "一、填写什么"))
    lines.append(("text", f"1. “{FIELDS_SHEET}”工作表：逐项填写“填写内容”列（B 列），"
                          "“说明”列（C 列）给出要求和格式。"))
    lines.append(("text", "2. 其余每个工作表是一张明细表：第 1 行为表头，从第 2 行起每行填写一条记录，"
                          "行数不够可继续向下填写；空行会被忽略。把鼠标停在表头上可看到该列的要求。"))
    for slot in layout.tables.values():
        need = f"（至少填写 {slot.table.min_rows} 行）" if slot.table.min_rows else "（没有可不填）"
        described = slot.sheet if slot.sheet == slot.table.label else f"{slot.sheet}：{slot.table.label}"
        lines.append(("text", f"    · {described}{need}"))
    lines.append(("text", f"3. 标有“{REQUIRED_MARK}”的项目必须填写；"
                          f"标有“{CONDITIONAL_MARK}”的项目在说明所列条件下必须填写。"))
    lines.append(("text", "4. 有下拉箭头的单元格请从列表中选择。"))
    rules = [(s.title, s.help) for s in form.sections if s.help and (s.fields or s.tables)]
    if rules:
        lines.append(("text", ""))
        lines.append(("heading", "二、认定条件（《柳州市工程技术研究中心管理办法》）"))
        lines.extend(("text", f"· {title}：{text}") for title, text in rules)
    kinds = {fd.type for fd in _all_inputs(form)}
    conventions: list[str] = []
    if "date" in kinds:
        conventions.append("日期：写成 2024-07-01，也可写 2024/7/1 或 2024年7月1日；"
                           f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间。")
    if "money" in kinds:
        conventions.append("金额：以元为单位的整数，如 1800000 或 1,800,000；也可写“180万元”"
                           "（按 1 万元 = 10000 元换算）；不能有角、分，不能为负数。")
    if "area" in kinds:
        conventions.append("面积：单位平方米，填写数字，如 420。")
    if "int" in kinds:
        conventions.append("年度等整数：填写数字，如 2025。")
    if "bool" in kinds:
        conventions.append("是/否：从下拉列表选择“是”或“否”（也可填 √ 或 ×）。")
    multi = [fd for fd in _all_inputs(form) if fd.type == "multi_enum"]
    for fd in multi:
        conventions.append(f"{fd.label}：可选多项，用“{MULTI_SEPARATOR}”分隔；可选："
                           + MULTI_SEPARATOR.join(choice_labels(fd, key_industries)) + "。")
    if conventions:
        lines.append(("text", ""))
        lines.append(("heading", "三、填写格式"))
        lines.extend(("text", f"· {text}") for text in conventions)
    lines.append(("text", ""))
    lines.append(("heading", "四、注意"))
    lines.append(("text", "· 请勿修改工作表名称、表头和列的顺序，请勿插入或删除列。"))
    lines.append(("text", "· 导入时系统逐个单元格检查，并指出问题所在的工作表和单元格（如“某表!C7”），"
                          "按提示改正后重新导入即可。"))
    return lines


def _all_inputs(form: FormDef) -> list[FieldDef]:
    """Every single field and every table column of the form, in form order."""
    result: list[FieldDef] = []
    for section in form.sections:
        result.extend(section.fields)
        for table in section.tables:
            result.extend(table.columns)
    return result


def _write_guide(ws: Any, form: FormDef, layout: _Layout, key_industries: Sequence[str]) -> None:
    width = 100
    ws.column_dimensions["A"].width = width
    for row, (style, text) in enumerate(_guide_lines(form, layout, key_industries), start=1):
        cell = _put(ws, row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = _TITLE
            ws.row_dimensions[row].height = 24
        elif style == "heading":
            cell.font = _BOLD
        elif text:
            ws.row_dimensions[row].height = 16 * _wrapped_lines(text, width) + 2
    _page_setup(ws, landscape=True)


def _write_meta(ws: Any, form: FormDef, layout: _Layout) -> None:
    ws.sheet_state = "hidden"
    rows: list[list[Any]] = [
        ["template", TEMPLATE_FORMAT],
        ["kind", form.kind],
        ["call_year", form.call_year],
        ["interchange_format", form.interchange_format],
    ]
    for slot in layout.fields.values():
        rows.append(["field", slot.sheet, f"{get_column_letter(slot.column)}{slot.row}", slot.field.key])
    for table in layout.tables.values():
        rows.append(["table", table.sheet, table.table.key, table.header_row, table.first_row])
        for column, fd in table.columns:
            rows.append(["column", table.sheet, get_column_letter(column), table.table.key, fd.key])
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)


def write_template(path: Path, form: FormDef, *, data: Mapping[str, Any] | None = None,
                   key_industries: Sequence[str] = DEFAULT_KEY_INDUSTRIES) -> Path:
    """Write the applicant workbook for ``form`` to ``path``; with ``data`` it is pre-filled (export).

    Raises :class:`TemplateWriteError` (Chinese message) when the file cannot be saved, e.g. because
    it is open in Excel.
    """
    layout = _plan(form)
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    fields_ws = wb.create_sheet(FIELDS_SHEET)
    lists = _Lists(wb)
    _write_fields_sheet(fields_ws, form, layout, data, lists, key_industries)
    for slot in layout.tables.values():
        _write_table_sheet(wb.create_sheet(slot.sheet), form, slot, data, lists, key_industries)
    _write_guide(guide, form, layout, key_industries)
    _write_meta(wb.create_sheet(META_SHEET), form, layout)
    if LISTS_SHEET in wb.sheetnames:  # keep the hidden helpers last
        wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    wb.properties.title = f"{form.title}（{form.call_year} 年度）"
    wb.properties.creator = "柳州市工程技术研究中心管理系统"
    try:
        wb.save(path)
    except OSError as exc:
        reason = exc.strerror or exc
        raise TemplateWriteError(f"无法保存“{path}”：{reason}（文件是否正在 Excel 中打开？）") from exc
    return Path(path)


# ---------------------------------------------------------------- reading


ReadCancelled = guard.ReadCancelled  # the caller's ``stop()`` turned true while reading


class _Unreadable(Exception):
    pass


_STOP_EVERY_ROWS = 256  # how often a long read looks at ``stop()``


def _file_refusal(path: Path, exc: inbound.RefusedFile) -> str:
    name = Path(path).name
    if exc.kind == "missing":
        return f"找不到文件“{path}”"
    if exc.kind == "folder":
        return f"“{name}”是一个文件夹，不是 Excel 工作簿"
    return f"“{name}”{exc}"


def _open(path: Path, stop: Callable[[], bool] | None = None) -> tuple[Any, guard.WorkbookScan]:
    """The workbook at ``path`` opened read-only, after every limit of :mod:`documents.xlsx.guard`
    was checked; with what the scan learnt (formula cells, sheet names)."""
    name = Path(path).name
    try:
        size = inbound.regular_size(Path(path))  # a pipe or a device is refused here, never opened
        if size > guard.MAX_FILE_BYTES:
            limit = inbound.size_text(guard.MAX_FILE_BYTES)
            raise _Unreadable(f"“{name}”有 {inbound.size_text(size)}，超过 Excel 导入文件 {limit} 的上限"
                              "（填写好的申报书模板通常只有几十 KB）")
        content = inbound.read_regular(Path(path), max_bytes=guard.MAX_FILE_BYTES)
    except inbound.RefusedFile as exc:
        raise _Unreadable(_file_refusal(path, exc)) from None
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Unreadable(f"“{name}”是旧版 Excel（.xls）文件或设有打开密码的工作簿，"
                          "请在 Excel 中取消密码并“另存为” .xlsx 格式后再导入")
    if not content.startswith(b"PK"):
        raise _Unreadable(f"“{name}”不是 Excel 工作簿（.xlsx），无法导入")
    try:
        scan = guard.scan_workbook(content, name, stop=stop)
    except ReadCancelled:
        raise
    except guard.WorkbookRefused as exc:
        raise _Unreadable(str(exc)) from None
    except Exception as exc:  # a damaged archive: bad zip directory, bad CRC, bad deflate data, …
        raise _Unreadable(
            f"“{name}”不是有效的 Excel 工作簿（.xlsx），文件可能已损坏（{type(exc).__name__}）"
        ) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True), scan
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, AttributeError, IndexError) as exc:
        raise _Unreadable(
            f"“{name}”不是有效的 Excel 工作簿（.xlsx），文件可能已损坏（{type(exc).__name__}）"
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on damaged XML
        raise _Unreadable(f"“{name}”已损坏，无法读取（{type(exc).__name__}）") from exc


class _Reader:
    def __init__(self, wb: Any, form: FormDef, key_industries: Sequence[str], scan: guard.WorkbookScan,
                 stop: Callable[[], bool] | None = None) -> None:
        self.wb = wb
        self.form = form
        self.key_industries = key_industries
        self.problems: list[tuple[tuple[int, int, int], CellProblem]] = []
        self._rows: dict[str, list[tuple[Any, ...]]] = {}
        self._sheet_order = {name: i for i, name in enumerate(wb.sheetnames)}
        self.locations: dict[str, tuple[str, str]] = {}
        self.scan = scan
        self.stop = stop
        self.filled = 0  # cells with something in them, among those read for the form
        self.absent: set[str] = set()  # what the workbook does not carry (see ImportResult.absent)

    # -- sheets

    def _check_stop(self) -> None:
        if self.stop is not None and self.stop():
            raise ReadCancelled()

    def rows(self, sheet: str) -> list[tuple[Any, ...]]:
        if sheet not in self._rows:
            ws = self.wb[sheet]
            ws.reset_dimensions()  # a wrong <dimension> written by another tool must not cut rows off
            rows: list[tuple[Any, ...]] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for values in ws.iter_rows(max_row=guard.MAX_ROWS, values_only=True):
                    rows.append(tuple(values))
                    if len(rows) % _STOP_EVERY_ROWS == 0:
                        self._check_stop()
            self._rows[sheet] = rows
        return self._rows[sheet]

    def formula_at(self, sheet: str, row: int, column: int) -> bool:
        part = getattr(self.wb[sheet], "_worksheet_path", "")
        return (row, column) in self.scan.formulas.get(part, ())

    def value(self, sheet: str, row: int, column: int) -> Any:
        rows = self.rows(sheet)
        if row - 1 >= len(rows) or column - 1 >= len(rows[row - 1]):
            return None
        return rows[row - 1][column - 1]

    def report(self, sheet: str, row: int, column: int, path: str, message: str) -> None:
        cell = f"{get_column_letter(column)}{row}" if row and column else ""
        order = (self._sheet_order.get(sheet, -1) if sheet else -2, row, column)
        self.problems.append((order, CellProblem(sheet, cell, path, message)))

    # -- layout

    def layout(self) -> _Layout | None:
        if META_SHEET not in self.wb.sheetnames:
            self.report("", 0, 0, "", f"这不是本系统生成的“{self.form.title}”Excel 模板"
                                      "（缺少模板的隐藏标记页），请在本系统下载本年度模板，在其中填写后再导入；"
                                      "不要把工作表复制到新的工作簿")
            return None
        return self._layout_from_meta()

    def _layout_from_meta(self) -> _Layout | None:
        head: dict[str, Any] = {}
        layout = _Layout()
        columns: dict[str, list[tuple[int, FieldDef]]] = {}
        unknown: list[str] = []
        for values in self.rows(META_SHEET):
            record = [v for v in values]
            if not record or record[0] is None:
                continue
            kind = str(record[0])
            try:
                if kind in ("template", "kind", "call_year", "interchange_format"):
                    head[kind] = record[1]
                elif kind == "field":
                    sheet, coordinate, key = str(record[1]), str(record[2]), str(record[3])
                    letter, row = coordinate_from_string(coordinate)
                    try:
                        fd = self.form.field(key)
                    except KeyError:
                        unknown.append(key)
                        continue
                    layout.fields[key] = _FieldSlot(sheet, int(row), column_index_from_string(letter), fd)
                elif kind == "table":
                    sheet, key = str(record[1]), str(record[2])
                    try:
                        table = self.form.table(key)
                    except KeyError:
                        unknown.append(key)
                        continue
                    layout.tables[key] = _TableSlot(sheet, table, int(record[3]), int(record[4]), ())
                    columns[key] = []
                elif kind == "column":
                    letter, table_key, key = str(record[2]), str(record[3]), str(record[4])
                    if table_key not in layout.tables:
                        continue
                    try:
                        col = layout.tables[table_key].table.column(key)
                    except KeyError:
                        unknown.append(f"{table_key}.{key}")
                        continue
                    columns[table_key].append((column_index_from_string(letter), col))
            except (IndexError, ValueError, TypeError):
                self.report("", 0, 0, "", "工作簿中隐藏的“_meta”工作表已损坏，请使用新生成的模板重新填写")
                return None
        if head.get("template") != TEMPLATE_FORMAT or head.get("kind") != self.form.kind:
            self.report("", 0, 0, "", f"这不是“{self.form.title}”的 Excel 模板，请使用本系统生成的模板填写")
            return None
        if str(head.get("call_year")) != str(self.form.call_year):
            year = self.form.call_year
            self.report("", 0, 0, "", f"这是 {head.get('call_year')} 年度的模板，与 {year} 年度的"
                                      f"表单不一致，请下载 {year} 年度模板重新填写")
            return None
        for key in unknown:
            self.report("", 0, 0, key,
                        f"模板中的“{key}”不在 {self.form.call_year} 年度表单中，请使用本年度模板")
        for key, slot in list(layout.tables.items()):
            layout.tables[key] = _TableSlot(slot.sheet, slot.table, slot.header_row, slot.first_row,
                                            tuple(sorted(columns[key], key=lambda c: c[0])))
        return layout

    # -- values

    def read_cell(self, sheet: str, row: int, column: int, fd: FieldDef, path: str) -> tuple[bool, Any]:
        """(filled, value): ``filled`` is False for a blank cell; a bad value is reported, value None.

        A formula is reported, never imported: its cached value may be stale, or missing altogether
        in a workbook no spreadsheet program has recalculated."""
        if self.formula_at(sheet, row, column):
            self.filled += 1
            self.report(sheet, row, column, path,
                        f"{fd.label}是公式，导入只接受直接填写的内容；请改为直接填写"
                        "（或复制后“选择性粘贴 → 数值”）")
            return True, None
        raw = self.value(sheet, row, column)
        if is_blank(raw):
            return False, None
        self.filled += 1
        try:
            return True, parse_cell(fd, raw, self.key_industries)
        except CellValueError as exc:
            self.report(sheet, row, column, path, str(exc))
            return True, None

    def run(self) -> ImportResult:
        layout = self.layout()
        if layout is None:
            return self.result(None)
        doc: dict[str, Any] = {"format": self.form.interchange_format, "call_year": self.form.call_year}
        field_cells: dict[str, tuple[_FieldSlot | None, bool]] = {}
        table_rows: dict[str, list[tuple[int, dict[str, Any], set[str]]]] = {}
        sheets = set(self.wb.sheetnames)
        for section in self.form.sections:
            for fd in section.fields:
                slot = layout.fields.get(fd.key)
                if slot is None or slot.sheet not in sheets:
                    _set_path(doc, fd.key, [] if fd.type == "multi_enum" else None)
                    field_cells[fd.key] = (None, False)
                    self.absent.add(fd.key)
                    continue
                self.locations[fd.key] = (slot.sheet, f"{get_column_letter(slot.column)}{slot.row}")
                filled, value = self.read_cell(slot.sheet, slot.row, slot.column, fd, fd.key)
                if value is None and fd.type == "multi_enum":
                    value = []
                _set_path(doc, fd.key, value)
                field_cells[fd.key] = (slot, filled)
            for table in section.tables:
                tslot = layout.tables.get(table.key)
                present = tslot is not None and tslot.sheet in sheets
                records = self.read_table(tslot) if tslot is not None and present else []
                if tslot is not None:
                    self.locations[table.key] = (tslot.sheet, "")
                if not present:
                    self.absent.add(table.key)
                else:
                    assert tslot is not None
                    have = {fd.key for _, fd in tslot.columns}
                    self.absent.update(f"{table.key}[*].{c.key}" for c in table.columns if c.key not in have)
                table_rows[table.key] = records
                _set_path(doc, table.key, [record for _, record, _ in records])
        _collapse_empty_objects(doc, self.form)
        self.check_required(doc, layout, field_cells, table_rows)
        return self.result(doc)

    def _row_blank(self, slot: _TableSlot, row: int) -> bool:
        return all(
            is_blank(self.value(slot.sheet, row, column)) and not self.formula_at(slot.sheet, row, column)
            for column, _ in slot.columns
        )

    def read_table(self, slot: _TableSlot) -> list[tuple[int, dict[str, Any], set[str]]]:
        """(sheet row, record, keys of filled cells) for every non-blank row."""
        records: list[tuple[int, dict[str, Any], set[str]]] = []
        rows = self.rows(slot.sheet)
        for row in range(slot.first_row, len(rows) + 1):
            if row % _STOP_EVERY_ROWS == 0:
                self._check_stop()
            if self._row_blank(slot, row):
                continue
            index = len(records)
            self.locations[f"{slot.table.key}[{index}]"] = (slot.sheet, f"A{row}")
            record: dict[str, Any] = {}
            filled_keys: set[str] = set()
            for column, fd in slot.columns:
                path = f"{slot.table.key}[{index}].{fd.key}"
                self.locations[path] = (slot.sheet, f"{get_column_letter(column)}{row}")
                filled, value = self.read_cell(slot.sheet, row, column, fd, path)
                if filled:
                    filled_keys.add(fd.key)
                if value is not None:
                    record[fd.key] = value
            records.append((row, record, filled_keys))
        return records

    def check_required(self, doc: dict[str, Any], layout: _Layout,
                       field_cells: Mapping[str, tuple[_FieldSlot | None, bool]],
                       table_rows: Mapping[str, list[tuple[int, dict[str, Any], set[str]]]]) -> None:
        missing_sheets: set[str] = set()
        for fd in self.form.all_fields():
            slot, filled = field_cells[fd.key]
            if filled or not fd.is_required(doc):
                continue
            why = "" if fd.required else f"（{_condition_text(self.form, fd)}）"
            if slot is None and fd.key in layout.fields:
                sheet = layout.fields[fd.key].sheet
                if sheet not in missing_sheets:
                    missing_sheets.add(sheet)
                    self.report(sheet, 0, 0, "", f"缺少“{sheet}”工作表，请使用本系统生成的模板填写")
            elif slot is None:
                self.report(FIELDS_SHEET, 0, 0, fd.key,
                            f"缺少“{fd.label}”一项{why}，模板与本年度表单不一致，请使用本年度模板")
            else:
                self.report(slot.sheet, slot.row, slot.column, fd.key, f"{fd.label}为必填项{why}，不能为空")
        for table in self.form.all_tables():
            tslot = layout.tables.get(table.key)
            records = table_rows.get(table.key, [])
            sheet = tslot.sheet if tslot is not None else sheet_title(table.label)
            if tslot is None or tslot.sheet not in self.wb.sheetnames:
                if table.min_rows:
                    self.report(sheet, 0, 0, table.key,
                                f"缺少“{table.label}”工作表（至少应填写 {table.min_rows} 行）")
                continue
            present = {fd.key: column for column, fd in tslot.columns}
            missing_columns: set[str] = set()
            for index, (row, record, filled_keys) in enumerate(records):
                context = ChainMap(record, doc)
                for fd in table.columns:
                    if fd.key in filled_keys or not fd.is_required(context):
                        continue
                    if fd.key not in present:
                        missing_columns.add(fd.key)
                        continue
                    self.report(tslot.sheet, row, present[fd.key], f"{table.key}[{index}].{fd.key}",
                                f"{fd.label}为必填项，不能为空")
            for key in sorted(missing_columns):
                self.report(tslot.sheet, 0, 0, table.key,
                            f"缺少“{table.column(key).label}”列，模板与本年度表单不一致，请使用本年度模板")
            if len(records) < table.min_rows:
                row = (records[-1][0] + 1) if records else tslot.first_row
                self.report(tslot.sheet, row, 1, table.key,
                            f"{table.label}至少应填写 {table.min_rows} 行（现有 {len(records)} 行）")

    def result(self, doc: dict[str, Any] | None) -> ImportResult:
        problems = [p for _, p in sorted(self.problems, key=lambda item: item[0])]
        return ImportResult(data=doc if doc is not None and not problems else None,
                            problems=problems, draft=doc if doc is not None else {}, locations=self.locations,
                            filled=self.filled, absent=frozenset(self.absent))


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = doc
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _collapse_empty_objects(doc: dict[str, Any], form: FormDef) -> None:
    """``host.cto`` with every cell blank is ``null`` (a host that is not an enterprise has no CTO).

    Only objects below a top-level key collapse; ``center`` or ``host`` stay objects.
    """
    parents = {fd.key.rsplit(".", 1)[0] for fd in form.all_fields() if fd.key.count(".") >= 2}
    for parent in sorted(parents, key=lambda p: -p.count(".")):
        node = get_path(doc, parent)
        if isinstance(node, dict) and all(v is None or v == [] for v in node.values()):
            _set_path(doc, parent, None)


def read_workbook(path: Path, form: FormDef, *,
                  key_industries: Sequence[str] = DEFAULT_KEY_INDUSTRIES,
                  stop: Callable[[], bool] | None = None) -> ImportResult:
    """Read an applicant workbook back into a ``lzcenter.declaration/1`` dict, checking every cell.

    Never raises for a bad file: a missing, foreign, damaged or over-limit file (see
    :mod:`documents.xlsx.guard`) gives one problem. Raises :class:`ReadCancelled` when ``stop()``
    (looked at between chunks and rows) turns true.
    """
    try:
        wb, scan = _open(path, stop)
    except _Unreadable as exc:
        return ImportResult(None, [CellProblem("", "", "", str(exc))])
    try:
        return _Reader(wb, form, key_industries, scan, stop).run()
    except ReadCancelled:
        raise
    except Exception as exc:  # damaged parts of a workbook surface only while reading the sheets
        name = Path(path).name
        message = f"“{name}”内容已损坏，无法读取（{type(exc).__name__}）"
        return ImportResult(None, [CellProblem("", "", "", message)])
    finally:
        wb.close()
