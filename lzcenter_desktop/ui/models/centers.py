"""The 中心 list: a table model over :class:`CenterRow` and a filter proxy that filters as you type.

Filtering has to stay smooth at 100,000 rows, so nothing is computed per keystroke that can be
computed once: each row gets a lowercase "haystack" (name, host, district, industry, status)
when the rows are set, and a filter change computes the accepted rows in one Python pass; the
proxy's ``filterAcceptsRow`` then only looks the answer up.  Sorting likewise happens in the
source model with precomputed keys (one ``list.sort``) rather than through Qt's pairwise
``lessThan`` callbacks into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)

from lzcenter_desktop.services.dto import CenterRow
from lzcenter_desktop.ui.models.base import ModelIndex, ReadOnlyTableModel

# Column constants (Vorta style): the order of the columns in the table.
COL_NAME = 0
COL_HOST = 1
COL_DISTRICT = 2
COL_INDUSTRY = 3
COL_STATUS = 4
COL_RECOGNIZED_ON = 5
COL_DIRECTOR = 6
COLUMN_COUNT = 7

HEADERS: dict[int, str] = {
    COL_NAME: "中心名称",
    COL_HOST: "依托单位",
    COL_DISTRICT: "所在县区",
    COL_INDUSTRY: "产业领域",
    COL_STATUS: "状态",
    COL_RECOGNIZED_ON: "认定日期",
    COL_DIRECTOR: "中心主任",
}

# Custom roles.
CenterIdRole = int(Qt.ItemDataRole.UserRole) + 1  # int: the centre's database id
CenterRowRole = int(Qt.ItemDataRole.UserRole) + 2  # CenterRow: the whole row
SortKeyRole = int(Qt.ItemDataRole.UserRole) + 3  # str: what the column sorts by

ALL_STATUSES = ""  # status filter value meaning "every status"


def format_date(value: date | None) -> str:
    """Dates in tables are written ``2026-11-26``; no date is an empty cell."""
    return value.isoformat() if value is not None else ""


def _cell_text(row: CenterRow, column: int) -> str:
    if column == COL_NAME:
        return row.name
    if column == COL_HOST:
        return row.host
    if column == COL_DISTRICT:
        return row.district
    if column == COL_INDUSTRY:
        return row.industry
    if column == COL_STATUS:
        return row.status
    if column == COL_RECOGNIZED_ON:
        return format_date(row.recognized_on)
    if column == COL_DIRECTOR:
        return row.director or ""
    return ""


def haystack(row: CenterRow) -> str:
    """The lowercase text a filter term is searched in: name, host, district, industry, status."""
    # "\x1f" (unit separator) cannot be typed, so a term never matches across two fields.
    return "\x1f".join((row.name, row.host, row.district, row.industry, row.status)).lower()


def filter_terms(text: str) -> list[str]:
    """Whitespace-separated terms (full-width space included), lowercased."""
    return text.replace("\u3000", " ").lower().split()


class CenterTableModel(ReadOnlyTableModel):
    """Read-only table of centres. Rows are replaced whole with :meth:`set_rows`."""

    headers = HEADERS

    def __init__(self, rows: Sequence[CenterRow] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CenterRow] = list(rows)
        self._haystacks: list[str] = [haystack(r) for r in self._rows]

    # -- data access for the proxy and the views ---------------------------------------------
    @property
    def rows(self) -> list[CenterRow]:
        return self._rows

    @property
    def haystacks(self) -> list[str]:
        """Lowercase search text per row, in row order (shared with the proxy, do not modify)."""
        return self._haystacks

    def row_at(self, row: int) -> CenterRow:
        return self._rows[row]

    def set_rows(self, rows: Sequence[CenterRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._haystacks = [haystack(r) for r in self._rows]
        self.endResetModel()

    def statuses(self) -> list[str]:
        """The status labels present, in lifecycle order as the rows give them (first seen first)."""
        seen: dict[str, None] = {}
        for r in self._rows:
            seen.setdefault(r.status, None)
        return list(seen)

    # -- QAbstractItemModel --------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row_no = index.row()
        column = index.column()
        if not (0 <= row_no < len(self._rows)) or not (0 <= column < COLUMN_COUNT):
            return None
        row = self._rows[row_no]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_NAME, COL_HOST):
            return _cell_text(row, column)
        if role == CenterIdRole:
            return row.id
        if role == CenterRowRole:
            return row
        if role == SortKeyRole:
            return _cell_text(row, column)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < COLUMN_COUNT):
            return
        self.layoutAboutToBeChanged.emit()
        rows = self._rows
        keys = [_cell_text(r, column) for r in rows]
        new_order = sorted(
            range(len(rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder
        )
        if any(not k for k in keys):
            # Empty cells (no date, no director) go last whichever the direction.
            new_order = [i for i in new_order if keys[i]] + [i for i in new_order if not keys[i]]
        self._rows = [rows[i] for i in new_order]
        self._haystacks = [self._haystacks[i] for i in new_order]
        old_persistent = self.persistentIndexList()
        if old_persistent:
            position = {old: new for new, old in enumerate(new_order)}
            self.changePersistentIndexList(
                old_persistent, [self.index(position[idx.row()], idx.column()) for idx in old_persistent]
            )
        self.layoutChanged.emit()


class CenterFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose name/host/district/industry/status contain every typed term.

    Terms are separated by whitespace and all must match (AND), case-insensitively; an optional
    status filter keeps only one status label.  Sorting is delegated to the source model.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._status = ALL_STATUSES
        self._accepted: list[bool] | None = None  # None: every row passes
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: Any) -> None:
        old = self.sourceModel()
        if isinstance(old, CenterTableModel):
            old.modelAboutToBeReset.disconnect(self._forget_filter)
            old.modelReset.disconnect(self._recompute_after_source_change)
            old.layoutChanged.disconnect(self._recompute_after_source_change)
        if not isinstance(model, CenterTableModel):
            raise TypeError("CenterFilterProxy needs a CenterTableModel")
        # Connected before the base class connects its own handlers, so the accepted list is
        # ready by the time the proxy rebuilds its mapping.
        model.modelAboutToBeReset.connect(self._forget_filter)
        model.modelReset.connect(self._recompute_after_source_change)
        model.layoutChanged.connect(self._recompute_after_source_change)
        super().setSourceModel(model)
        self._accepted = self._compute_accepted()

    def _source(self) -> CenterTableModel | None:
        model = self.sourceModel()
        return model if isinstance(model, CenterTableModel) else None

    # -- the filter ----------------------------------------------------------------------------
    @property
    def filter_text(self) -> str:
        return self._text

    @property
    def status_filter(self) -> str:
        return self._status

    def set_filter_text(self, text: str) -> None:
        if filter_terms(text) == filter_terms(self._text):
            self._text = text
            return
        self._text = text
        self._refilter()

    def set_status_filter(self, status: str) -> None:
        if status == self._status:
            return
        self._status = status
        self._refilter()

    def _refilter(self) -> None:
        self._accepted = self._compute_accepted()
        # invalidate() re-maps in one layout change (about 70 ms at 100,000 rows); the incremental
        # begin/endFilterChange() emits one insert/remove per scattered range and takes seconds.
        self.invalidate()

    def _compute_accepted(self) -> list[bool] | None:
        source = self._source()
        terms = filter_terms(self._text)
        status = self._status
        if source is None or (not terms and status == ALL_STATUSES):
            return None
        hays = source.haystacks
        if status == ALL_STATUSES:
            if len(terms) == 1:
                term = terms[0]
                return [term in h for h in hays]
            candidates: Sequence[int] = range(len(hays))
        else:
            rows = source.rows
            candidates = [i for i, r in enumerate(rows) if r.status == status]
        # One term at a time over a shrinking list of candidates: far cheaper than all() per row.
        for term in terms:
            candidates = [i for i in candidates if term in hays[i]]
        accepted = [False] * len(hays)
        for i in candidates:
            accepted[i] = True
        return accepted

    def _forget_filter(self) -> None:
        self._accepted = None

    def _recompute_after_source_change(self) -> None:
        # Runs before the base class's own handler (connected first), so the mapping it rebuilds
        # already uses the new answers.
        self._accepted = self._compute_accepted()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        accepted = self._accepted
        if accepted is None:
            return True
        return 0 <= source_row < len(accepted) and accepted[source_row]

    # -- sorting: done by the source model with precomputed keys ------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self._source()
        if source is not None:
            source.sort(column, order)

    # -- helpers for the views -----------------------------------------------------------------
    def total_count(self) -> int:
        source = self._source()
        return 0 if source is None else source.rowCount()

    def visible_count(self) -> int:
        return self.rowCount()

    def row_for_proxy_row(self, proxy_row: int) -> CenterRow | None:
        source = self._source()
        if source is None or not (0 <= proxy_row < self.rowCount()):
            return None
        return source.row_at(self.mapToSource(self.index(proxy_row, 0)).row())
