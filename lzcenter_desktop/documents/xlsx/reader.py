"""Reading an applicant's Excel workbook back into an interchange dict (see
:mod:`documents.xlsx_declaration` for the workbook and its guarantees): every cell is checked and
every problem named with its sheet and cell; a bad file never raises, it becomes one problem.
"""

from __future__ import annotations

import warnings
from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.documents.xlsx import guard
from lzcenter_desktop.documents.xlsx.cells import (
    CellValueError,
    is_blank,
    parse_cell,
)
from lzcenter_desktop.documents.xlsx.layout import (
    DEFAULT_KEY_INDUSTRIES,
    FIELDS_SHEET,
    META_SHEET,
    TEMPLATE_FORMAT,
    CellProblem,
    FieldSlot,
    ImportResult,
    Layout,
    TableSlot,
    condition_text,
    sheet_title,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path, set_path

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
    try:
        return guard.open_workbook(content, name, stop=stop)
    except guard.WorkbookRefused as exc:
        raise _Unreadable(str(exc)) from exc


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

    def layout(self) -> Layout | None:
        if META_SHEET not in self.wb.sheetnames:
            self.report("", 0, 0, "", f"这不是本系统生成的“{self.form.title}”Excel 模板"
                                      "（缺少模板的隐藏标记页），请在本系统下载本年度模板，在其中填写后再导入；"
                                      "不要把工作表复制到新的工作簿")
            return None
        return self._layout_from_meta()

    def _layout_from_meta(self) -> Layout | None:
        head: dict[str, Any] = {}
        layout = Layout()
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
                    layout.fields[key] = FieldSlot(sheet, int(row), column_index_from_string(letter), fd)
                elif kind == "table":
                    sheet, key = str(record[1]), str(record[2])
                    try:
                        table = self.form.table(key)
                    except KeyError:
                        unknown.append(key)
                        continue
                    layout.tables[key] = TableSlot(sheet, table, int(record[3]), int(record[4]), ())
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
            layout.tables[key] = TableSlot(slot.sheet, slot.table, slot.header_row, slot.first_row,
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
        field_cells: dict[str, tuple[FieldSlot | None, bool]] = {}
        table_rows: dict[str, list[tuple[int, dict[str, Any], set[str]]]] = {}
        sheets = set(self.wb.sheetnames)
        for section in self.form.sections:
            for fd in section.fields:
                slot = layout.fields.get(fd.key)
                if slot is None or slot.sheet not in sheets:
                    set_path(doc, fd.key, [] if fd.type == "multi_enum" else None)
                    field_cells[fd.key] = (None, False)
                    self.absent.add(fd.key)
                    continue
                self.locations[fd.key] = (slot.sheet, f"{get_column_letter(slot.column)}{slot.row}")
                filled, value = self.read_cell(slot.sheet, slot.row, slot.column, fd, fd.key)
                if value is None and fd.type == "multi_enum":
                    value = []
                set_path(doc, fd.key, value)
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
                set_path(doc, table.key, [record for _, record, _ in records])
        _collapse_empty_objects(doc, self.form)
        self.check_required(doc, layout, field_cells, table_rows)
        return self.result(doc)

    def _row_blank(self, slot: TableSlot, row: int) -> bool:
        return all(
            is_blank(self.value(slot.sheet, row, column)) and not self.formula_at(slot.sheet, row, column)
            for column, _ in slot.columns
        )

    def read_table(self, slot: TableSlot) -> list[tuple[int, dict[str, Any], set[str]]]:
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

    def check_required(self, doc: dict[str, Any], layout: Layout,
                       field_cells: Mapping[str, tuple[FieldSlot | None, bool]],
                       table_rows: Mapping[str, list[tuple[int, dict[str, Any], set[str]]]]) -> None:
        missing_sheets: set[str] = set()
        for fd in self.form.all_fields():
            slot, filled = field_cells[fd.key]
            if filled or not fd.is_required(doc):
                continue
            why = "" if fd.required else f"（{condition_text(self.form, fd)}）"
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


def _collapse_empty_objects(doc: dict[str, Any], form: FormDef) -> None:
    """``host.cto`` with every cell blank is ``null`` (a host that is not an enterprise has no CTO).

    Only objects below a top-level key collapse; ``center`` or ``host`` stay objects.
    """
    parents = {fd.key.rsplit(".", 1)[0] for fd in form.all_fields() if fd.key.count(".") >= 2}
    for parent in sorted(parents, key=lambda p: -p.count(".")):
        node = get_path(doc, parent)
        if isinstance(node, dict) and all(v is None or v == [] for v in node.values()):
            set_path(doc, parent, None)


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
