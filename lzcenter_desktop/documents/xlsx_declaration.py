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

This module writes; the reading is :mod:`documents.xlsx.reader` and the plan both follow is
:mod:`documents.xlsx.layout` (both re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from lzcenter_desktop.documents.xlsx import safe
from lzcenter_desktop.documents.xlsx.cells import (
    MAX_YEAR,
    MIN_YEAR,
    MULTI_SEPARATOR,
    choice_labels,
    display,
    format_hint,
    number_format,
    to_cell,
)
from lzcenter_desktop.documents.xlsx.layout import (
    BLANK_ROWS,
    CONDITIONAL_MARK,
    DEFAULT_KEY_INDUSTRIES,
    FIELDS_SHEET,
    GUIDE_SHEET,
    HEADER_ROW,
    LISTS_SHEET,
    META_SHEET,
    REQUIRED_MARK,
    TEMPLATE_FORMAT,
    CellProblem,
    ImportResult,
    Layout,
    TableSlot,
    TemplateWriteError,
    condition_text,
    marked,
    plan,
    sheet_title,
)
from lzcenter_desktop.documents.xlsx.reader import ReadCancelled, read_workbook
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path

__all__ = [
    "CONDITIONAL_MARK",
    "DEFAULT_KEY_INDUSTRIES",
    "FIELDS_SHEET",
    "GUIDE_SHEET",
    "LISTS_SHEET",
    "META_SHEET",
    "REQUIRED_MARK",
    "TEMPLATE_FORMAT",
    "CellProblem",
    "ImportResult",
    "ReadCancelled",
    "TemplateWriteError",
    "read_workbook",
    "sheet_title",
    "write_template",
]

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




def _write_fields_sheet(ws: Any, form: FormDef, layout: Layout, data: Mapping[str, Any] | None,
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
        label = _put(ws, slot.row, 1, marked(fd))
        label.alignment, label.border = _WRAP_TOP, _BOX
        if fd.required or fd.required_if:
            label.font = _BOLD
        value = to_cell(fd, get_path(data, fd.key), key_industries) if data is not None else None
        cell = _put(ws, slot.row, slot.column, value)
        cell.number_format = number_format(fd)
        cell.alignment, cell.border = _WRAP_LEFT, _BOX
        notes = [part for part in (fd.help, format_hint(fd, key_industries)) if part]
        if fd.required_if:
            notes.append(condition_text(form, fd))
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


def _write_table_sheet(ws: Any, form: FormDef, slot: TableSlot, data: Mapping[str, Any] | None,
                       lists: _Lists, key_industries: Sequence[str]) -> None:
    rows: list[Any] = []
    if data is not None:
        found = get_path(data, slot.table.key)
        if isinstance(found, list):
            rows = [r for r in found if isinstance(r, Mapping)]
    last_row = slot.first_row + len(rows) + BLANK_ROWS - 1
    for column, fd in slot.columns:
        letter = get_column_letter(column)
        head = _put(ws, slot.header_row, column, marked(fd))
        head.font, head.fill, head.alignment, head.border = _BOLD, _HEADER_FILL, _CENTER, _BOX
        notes = [part for part in (fd.help, format_hint(fd, key_industries)) if part]
        if fd.required_if:
            notes.append(condition_text(form, fd))
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


def _guide_lines(form: FormDef, layout: Layout, key_industries: Sequence[str]) -> list[tuple[str, str]]:
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


def _write_guide(ws: Any, form: FormDef, layout: Layout, key_industries: Sequence[str]) -> None:
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


def _write_meta(ws: Any, form: FormDef, layout: Layout) -> None:
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
    layout = plan(form)
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
