"""The 申报 list: a table model over :class:`DeclarationRow` and the proxy that filters and sorts it.

Filters (all combined, AND): 年度, 状态, 依托单位 (typed: every whitespace-separated term must be in
the host's name or credit code, case-insensitive), 仅有错误; 已作废 drafts are hidden unless
:attr:`DeclarationFilterProxy.show_discarded`. Sorting goes through :data:`SortKeyRole`: numbers
sort as numbers, dates and times by their ISO text, 状态 in the order of the procedure, and the
Chinese columns by pinyin — each name ranked once per set of rows (:func:`collation_ranks`, made on
the loading worker thread), so a sort compares integers in C++ and never calls back into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from lzcenter_desktop.services.declarations.base import STATUS_LABELS, DeclarationRow
from lzcenter_desktop.ui.models.base import ModelIndex, ReadOnlyTableModel
from lzcenter_desktop.ui.models.centers import chinese_collator, filter_terms
from lzcenter_desktop.ui.style import ERROR, NOTE_COLOR, level_color

COL_ID = 0
COL_YEAR = 1
COL_CENTER = 2
COL_HOST = 3
COL_CODE = 4
COL_DATE = 5
COL_STATUS = 6
COL_ERRORS = 7
COL_WARNINGS = 8
COL_UPDATED = 9
COLUMN_COUNT = 10

HEADERS: dict[int, str] = {
    COL_ID: "编号",
    COL_YEAR: "年度",
    COL_CENTER: "中心名称",
    COL_HOST: "依托单位",
    COL_CODE: "统一社会信用代码",
    COL_DATE: "申报日期",
    COL_STATUS: "状态",
    COL_ERRORS: "错误数",
    COL_WARNINGS: "警告数",
    COL_UPDATED: "更新时间",
}

DeclarationIdRole = int(Qt.ItemDataRole.UserRole) + 1  # int: the declaration's id
DeclarationRowRole = int(Qt.ItemDataRole.UserRole) + 2  # DeclarationRow: the whole row
SortKeyRole = int(Qt.ItemDataRole.UserRole) + 3  # int or str: what the column sorts by

DISCARDED = "discarded"
UNFILLED = "（未填写）"
COLLATED_COLUMNS = (COL_CENTER, COL_HOST)
NUMBER_COLUMNS = (COL_ID, COL_YEAR, COL_ERRORS, COL_WARNINGS)
# 状态 sorts in the order of the procedure, the closed ones last.
STATUS_ORDER: dict[str, int] = {
    code: i for i, code in enumerate(("draft", "submitted", "decided", "withdrawn", "discarded"))
}

ERROR_BRUSH = QBrush(level_color(ERROR))
CLOSED_BRUSH = QBrush(QColor(NOTE_COLOR))  # an 已作废 draft: grey (and italic)


def format_updated(value: datetime | None) -> str:
    """A point in time in the clerk's local time, to the minute: ``2026-05-20 14:03``."""
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _cell_text(row: DeclarationRow, column: int) -> str:
    if column == COL_ID:
        return str(row.id)
    if column == COL_YEAR:
        return str(row.call_year)
    if column == COL_CENTER:
        return row.center_name or UNFILLED
    if column == COL_HOST:
        return row.host_name or UNFILLED
    if column == COL_CODE:
        return row.credit_code
    if column == COL_DATE:
        return row.application_date.isoformat() if row.application_date else ""
    if column == COL_STATUS:
        return row.status_label
    if column == COL_ERRORS:
        return str(row.errors)
    if column == COL_WARNINGS:
        return str(row.warnings)
    if column == COL_UPDATED:
        return format_updated(row.updated_at)
    return ""


def _raw_name(row: DeclarationRow, column: int) -> str:
    return row.center_name if column == COL_CENTER else row.host_name


def collation_ranks(rows: Sequence[DeclarationRow]) -> dict[int, list[int]]:
    """Each row's rank in pinyin order of the centre and host names (an empty name first). Made once
    per set of rows, safe on a worker thread."""
    collator = chinese_collator()
    ranks: dict[int, list[int]] = {}
    for column in COLLATED_COLUMNS:
        texts = [_raw_name(r, column) for r in rows]
        order = {text: i for i, text in enumerate(sorted(set(texts), key=collator.sortKey))}
        ranks[column] = [order[t] for t in texts]
    return ranks


class DeclarationTableModel(ReadOnlyTableModel):
    """Read-only table of declarations; rows are replaced whole with :meth:`set_rows`."""

    headers = HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DeclarationRow] = []
        self._ranks: dict[int, list[int]] = {c: [] for c in COLLATED_COLUMNS}

    @property
    def rows(self) -> list[DeclarationRow]:
        return self._rows

    def row_at(self, row: int) -> DeclarationRow:
        return self._rows[row]

    def set_rows(self, rows: Sequence[DeclarationRow], ranks: dict[int, list[int]] | None = None) -> None:
        """Replace every row; ``ranks``: :func:`collation_ranks` of ``rows`` when already made."""
        if ranks is not None and (
            set(ranks) != set(COLLATED_COLUMNS) or any(len(v) != len(rows) for v in ranks.values())
        ):
            raise ValueError("one rank per row in every collated column")
        self.beginResetModel()
        self._rows = list(rows)
        self._ranks = dict(ranks) if ranks is not None else collation_ranks(self._rows)
        self.endResetModel()

    def years(self) -> list[int]:
        """The call years present, newest first."""
        return sorted({r.call_year for r in self._rows}, reverse=True)

    def statuses(self, *, with_discarded: bool) -> list[tuple[str, str, int]]:
        """(code, label, count) of the statuses present, in the order of the procedure."""
        counts: dict[str, int] = {}
        for r in self._rows:
            if with_discarded or r.status != DISCARDED:
                counts[r.status] = counts.get(r.status, 0) + 1
        order = sorted(counts, key=lambda s: (STATUS_ORDER.get(s, len(STATUS_ORDER)), s))
        return [(s, STATUS_LABELS.get(s, s), counts[s]) for s in order]

    # -- QAbstractItemModel --------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row_no, column = index.row(), index.column()
        if not (0 <= row_no < len(self._rows)) or not (0 <= column < COLUMN_COUNT):
            return None
        row = self._rows[row_no]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == DISCARDED:
                return CLOSED_BRUSH
            if column == COL_ERRORS and row.errors:
                return ERROR_BRUSH
            return None
        if role == Qt.ItemDataRole.FontRole and row.status == DISCARDED:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DeclarationIdRole:
            return row.id
        if role == DeclarationRowRole:
            return row
        if role == SortKeyRole:
            return self._sort_key(row_no, row, column)
        return None

    def _tooltip(self, row: DeclarationRow, column: int) -> str | None:
        if column == COL_STATUS and row.status_reason:
            return f"{row.status_label}，原因：{row.status_reason}"
        if column == COL_STATUS and row.status == DISCARDED:
            return "已作废的草稿（保留在审计日志中，不能再修改）"
        if column in (COL_CENTER, COL_HOST):
            return _cell_text(row, column)
        if column == COL_ERRORS and row.errors:
            return f"还有 {row.errors} 项错误，改正后才能提交"
        return None

    def _sort_key(self, row_no: int, row: DeclarationRow, column: int) -> int | str:
        if column == COL_ID:
            return row.id
        if column == COL_YEAR:
            return row.call_year
        if column == COL_ERRORS:
            return row.errors
        if column == COL_WARNINGS:
            return row.warnings
        if column == COL_STATUS:
            return STATUS_ORDER.get(row.status, len(STATUS_ORDER))
        if column in COLLATED_COLUMNS:
            return self._ranks[column][row_no]
        if column == COL_UPDATED:
            return row.updated_at.isoformat() if row.updated_at else ""
        return _cell_text(row, column)


class DeclarationFilterProxy(QSortFilterProxyModel):
    """年度, 状态, 依托单位 (typed), 仅有错误 and 显示已作废 over a :class:`DeclarationTableModel`;
    sorted by :data:`SortKeyRole`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortKeyRole)
        self.setDynamicSortFilter(True)
        self._year: int | None = None
        self._status = ""
        self._host_terms: list[str] = []
        self._host_text = ""
        self._only_errors = False
        self._show_discarded = False

    def _source(self) -> DeclarationTableModel | None:
        model = self.sourceModel()
        return model if isinstance(model, DeclarationTableModel) else None

    # -- the filters ---------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self._year

    @property
    def status(self) -> str:
        return self._status

    @property
    def host_text(self) -> str:
        return self._host_text

    @property
    def only_errors(self) -> bool:
        return self._only_errors

    @property
    def show_discarded(self) -> bool:
        return self._show_discarded

    def set_year(self, year: int | None) -> None:
        if year != self._year:
            self._refilter(lambda: setattr(self, "_year", year))

    def set_status(self, status: str) -> None:
        if status != self._status:
            self._refilter(lambda: setattr(self, "_status", status))

    def set_host_text(self, text: str) -> None:
        terms = filter_terms(text)
        self._host_text = text
        if terms != self._host_terms:
            self._refilter(lambda: setattr(self, "_host_terms", terms))

    def set_only_errors(self, on: bool) -> None:
        if on != self._only_errors:
            self._refilter(lambda: setattr(self, "_only_errors", on))

    def set_show_discarded(self, on: bool) -> None:
        if on != self._show_discarded:
            self._refilter(lambda: setattr(self, "_show_discarded", on))

    def has_filter(self) -> bool:
        """Whether 年度, 状态, 依托单位 or 仅有错误 hides rows (显示已作废 is a view option)."""
        return self._year is not None or bool(self._status or self._host_terms or self._only_errors)

    def clear_filters(self) -> None:
        """年度, 状态, 依托单位 and 仅有错误 off, in one refilter (显示已作废 stays as it is)."""
        self._host_text = ""
        if self.has_filter():

            def clear() -> None:
                self._year, self._status, self._host_terms, self._only_errors = None, "", [], False

            self._refilter(clear)

    def _refilter(self, change: Any) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        source = self._source()
        if source is None or source_parent.isValid() or not (0 <= source_row < source.rowCount()):
            return False
        row = source.row_at(source_row)
        if row.status == DISCARDED and not self._show_discarded and self._status != DISCARDED:
            return False
        if self._year is not None and row.call_year != self._year:
            return False
        if self._status and row.status != self._status:
            return False
        if self._only_errors and row.errors <= 0:
            return False
        if self._host_terms:
            hay = f"{row.host_name}\x1f{row.credit_code}".lower()
            return all(term in hay for term in self._host_terms)
        return True

    # -- helpers for the page ------------------------------------------------------------------
    def total_count(self) -> int:
        source = self._source()
        return 0 if source is None else source.rowCount()

    def discarded_count(self) -> int:
        source = self._source()
        return 0 if source is None else sum(1 for r in source.rows if r.status == DISCARDED)

    def row_at(self, proxy_row: int) -> DeclarationRow | None:
        source = self._source()
        if source is None or not (0 <= proxy_row < self.rowCount()):
            return None
        return source.row_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def proxy_row_of(self, declaration_id: int) -> int:
        """The shown row of ``declaration_id``, or -1 when it is not shown."""
        for r in range(self.rowCount()):
            if self.index(r, 0).data(DeclarationIdRole) == declaration_id:
                return r
        return -1
