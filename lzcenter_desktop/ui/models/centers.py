"""The 中心 list: a table model over :class:`CenterRow` and a filter proxy that filters as you type.

Filtering has to stay smooth at 100,000 rows, so nothing is computed per keystroke that can be
computed once: each row gets a lowercase "haystack" (name, host, district, industry, status)
when the rows are set, and a filter change computes the accepted rows in one Python pass into an
index array that the proxy swaps in with one layout change (no per-row callback from Qt).
Sorting likewise happens in the source model with precomputed keys (one ``list.sort``) rather
than through Qt's pairwise ``lessThan`` callbacks into Python.  Chinese text sorts by pinyin as a
clerk expects (百色, 北海, 崇左 …): each text column's values are ranked once per set of rows with
``QCollator(zh_CN).sortKey`` (:func:`collation_ranks`, made by the page on the loading worker
thread; otherwise a column's ranks are made on its first sort and kept), and a sort compares
those integer ranks, never two strings through the collator.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QCollator,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from lzcenter_desktop.services.dto import CenterRow, StateChange
from lzcenter_desktop.ui.models.base import Column, ModelIndex, ReadOnlyTableModel, RowTableModel

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
ALL_VALUES = ""  # district / industry filter value meaning "every one"

# Columns sorted by their text in pinyin order; the date column sorts by its ISO text.
COLLATED_COLUMNS = (COL_NAME, COL_HOST, COL_DISTRICT, COL_INDUSTRY, COL_STATUS, COL_DIRECTOR)


def chinese_collator() -> QCollator:
    """The collation clerks expect for Chinese (pinyin order); one per thread, it is not shared."""
    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    collator.setNumericMode(True)  # 第2批 before 第10批
    return collator


def pinyin_sorted(values: Sequence[str]) -> list[str]:
    """``values`` in pinyin order (each value's sort key computed once)."""
    collator = chinese_collator()
    return sorted(values, key=collator.sortKey)


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


def column_ranks(rows: Sequence[CenterRow], column: int, collator: QCollator | None = None) -> list[int]:
    """Each row's rank in pinyin order of ``column``'s text (equal texts, equal ranks).

    Every distinct text gets its ``QCollator`` sort key once and the distinct texts are sorted
    once; sorting the list then compares small integers. Safe on a worker thread."""
    collator = collator or chinese_collator()
    texts = [_cell_text(r, column) for r in rows]
    rank = {text: i for i, text in enumerate(sorted(set(texts), key=collator.sortKey))}
    return [rank[t] for t in texts]


def collation_ranks(rows: Sequence[CenterRow]) -> dict[int, list[int]]:
    """:func:`column_ranks` of every collated column."""
    collator = chinese_collator()
    return {column: column_ranks(rows, column, collator) for column in COLLATED_COLUMNS}


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
        self._ranks: dict[int, list[int]] = {}  # per collated column, made on its first sort

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

    def set_rows(
        self,
        rows: Sequence[CenterRow],
        haystacks: Sequence[str] | None = None,
        ranks: dict[int, list[int]] | None = None,
    ) -> None:
        """Replace every row. ``haystacks``: ``[haystack(r) for r in rows]`` and ``ranks``:
        ``collation_ranks(rows)`` if already made (on a worker thread, so that the GUI thread does
        not spend 100,000 ``lower()`` calls and collation keys on them)."""
        if haystacks is not None and len(haystacks) != len(rows):
            raise ValueError("one haystack per row")
        if ranks is not None and (
            set(ranks) != set(COLLATED_COLUMNS) or any(len(v) != len(rows) for v in ranks.values())
        ):
            raise ValueError("one rank per row in every collated column")
        self.beginResetModel()
        self._rows = list(rows)
        self._haystacks = list(haystacks) if haystacks is not None else [haystack(r) for r in self._rows]
        self._ranks = {c: list(v) for c, v in ranks.items()} if ranks is not None else {}
        self.endResetModel()

    def districts(self) -> list[str]:
        """The districts present, in pinyin order (empty left out)."""
        return pinyin_sorted(list({r.district for r in self._rows if r.district}))

    def industries(self) -> list[str]:
        """The (first) industries present, in pinyin order (empty left out)."""
        return pinyin_sorted(list({r.industry for r in self._rows if r.industry}))

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
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_NAME, COL_HOST, COL_DISTRICT, COL_INDUSTRY):
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
        texts = [_cell_text(r, column) for r in rows]
        if column in COLLATED_COLUMNS and column not in self._ranks:
            self._ranks[column] = column_ranks(rows, column)
        keys: Sequence[int] | Sequence[str] = self._ranks.get(column, texts)
        new_order = sorted(
            range(len(rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder
        )
        if any(not t for t in texts):
            # Empty cells (no date, no director) go last whichever the direction.
            new_order = [i for i in new_order if texts[i]] + [i for i in new_order if not texts[i]]
        self._rows = [rows[i] for i in new_order]
        self._haystacks = [self._haystacks[i] for i in new_order]
        self._ranks = {c: [v[i] for i in new_order] for c, v in self._ranks.items()}
        old_persistent = self.persistentIndexList()
        if old_persistent:
            position = {old: new for new, old in enumerate(new_order)}
            self.changePersistentIndexList(
                old_persistent, [self.index(position[idx.row()], idx.column()) for idx in old_persistent]
            )
        self.layoutChanged.emit()


class CenterFilterProxy(QAbstractProxyModel):
    """Keeps the rows whose name/host/district/industry/status contain every typed term.

    Terms are separated by whitespace and all must match (AND), case-insensitively; optional
    status, district and industry filters each keep only one value, combined with the terms (AND).
    Sorting is delegated to the source model.

    The proxy holds the accepted source rows as one index array and swaps it in a single layout
    change per keystroke; Qt never calls back into Python once per row (as
    ``QSortFilterProxyModel.filterAcceptsRow`` does — 100,000 calls, about 60 ms a keystroke).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._status = ALL_STATUSES
        self._district = ALL_VALUES
        self._industry = ALL_VALUES
        self._shown: list[int] | None = None  # accepted source rows in order; None: every row
        self._position: list[int] | None = None  # source row → proxy row (-1 hidden), built lazily
        self._pending: list[tuple[QPersistentModelIndex, int, int]] = []

    def setSourceModel(self, model: Any) -> None:
        old = self.sourceModel()
        if isinstance(old, CenterTableModel):
            old.modelAboutToBeReset.disconnect(self._source_about_to_reset)
            old.modelReset.disconnect(self._source_reset)
            old.layoutAboutToBeChanged.disconnect(self._source_layout_about_to_change)
            old.layoutChanged.disconnect(self._source_layout_changed)
            old.dataChanged.disconnect(self._source_data_changed)
        if not isinstance(model, CenterTableModel):
            raise TypeError("CenterFilterProxy needs a CenterTableModel")
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._source_about_to_reset)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_layout_about_to_change)
        model.layoutChanged.connect(self._source_layout_changed)
        model.dataChanged.connect(self._source_data_changed)
        self._set_shown(self._compute_shown())
        self.endResetModel()

    def _source(self) -> CenterTableModel | None:
        model = self.sourceModel()
        return model if isinstance(model, CenterTableModel) else None

    # -- the mapping ---------------------------------------------------------------------------
    def _set_shown(self, shown: list[int] | None) -> None:
        self._shown = shown
        self._position = None

    def _positions(self) -> list[int]:
        if self._position is None:
            source = self._source()
            n = 0 if source is None else source.rowCount()
            if self._shown is None:
                self._position = list(range(n))
            else:
                position = [-1] * n
                for proxy_row, source_row in enumerate(self._shown):
                    position[source_row] = proxy_row
                self._position = position
        return self._position

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        if parent.isValid():
            return 0
        if self._shown is not None:
            return len(self._shown)
        source = self._source()
        return 0 if source is None else source.rowCount()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else COLUMN_COUNT

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount()) or not (0 <= column < COLUMN_COUNT):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def sibling(self, row: int, column: int, index: ModelIndex) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's default
        return not parent.isValid() and self.rowCount() > 0

    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:
        source = self._source()
        if source is None or not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if not (0 <= row < self.rowCount()):
            return QModelIndex()
        source_row = row if self._shown is None else self._shown[row]
        return source.index(source_row, proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        positions = self._positions()
        row = source_index.row()
        if not (0 <= row < len(positions)) or positions[row] < 0:
            return QModelIndex()
        return self.index(positions[row], source_index.column())

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self._source()
        if source is None:
            return None
        return source.data(self.mapToSource(index), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        source = self._source()
        return None if source is None else source.headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        source = self._source()
        if source is None or not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return source.flags(self.mapToSource(index))

    # -- following the source ------------------------------------------------------------------
    def _source_about_to_reset(self) -> None:
        self.beginResetModel()

    def _source_reset(self) -> None:
        self._set_shown(self._compute_shown())
        self.endResetModel()

    def _source_layout_about_to_change(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._remember_persistent()

    def _source_layout_changed(self) -> None:
        # The source re-ordered its rows (a sort) and moved its own persistent indexes with them;
        # the proxy's were remembered as source indexes and are mapped again once the new array is in.
        self._set_shown(self._compute_shown())
        self._restore_persistent()
        self.layoutChanged.emit()

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any = ()) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, COLUMN_COUNT - 1))

    def _remember_persistent(self) -> None:
        source = self._source()
        self._pending = []
        if source is None:
            return
        for proxy_index in self.persistentIndexList():
            src = self.mapToSource(proxy_index)
            self._pending.append((QPersistentModelIndex(src), proxy_index.row(), proxy_index.column()))

    def _restore_persistent(self) -> None:
        old = self.persistentIndexList()
        if not old:
            self._pending = []
            return
        by_position = {(row, column): src for src, row, column in self._pending}
        new: list[QModelIndex] = []
        for proxy_index in old:
            src = by_position.get((proxy_index.row(), proxy_index.column()))
            new.append(self.mapFromSource(src) if src is not None and src.isValid() else QModelIndex())
        self.changePersistentIndexList(old, new)
        self._pending = []

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

    @property
    def district_filter(self) -> str:
        return self._district

    @property
    def industry_filter(self) -> str:
        return self._industry

    def set_status_filter(self, status: str) -> None:
        if status == self._status:
            return
        self._status = status
        self._refilter()

    def set_district_filter(self, district: str) -> None:
        if district == self._district:
            return
        self._district = district
        self._refilter()

    def set_industry_filter(self, industry: str) -> None:
        if industry == self._industry:
            return
        self._industry = industry
        self._refilter()

    def has_filter(self) -> bool:
        """Whether any filter (text, status, district, industry) hides rows."""
        return bool(filter_terms(self._text)) or any((self._status, self._district, self._industry))

    def clear_filters(self) -> None:
        """Every filter off, in one refilter."""
        changed = self.has_filter()
        self._text = ""
        self._status = self._district = self._industry = ALL_VALUES
        if changed:
            self._refilter()

    def _refilter(self) -> None:
        """Swap the index array in one layout change; the selection follows its rows."""
        self.layoutAboutToBeChanged.emit()
        self._remember_persistent()
        self._set_shown(self._compute_shown())
        self._restore_persistent()
        self.layoutChanged.emit()

    def _compute_shown(self) -> list[int] | None:
        source = self._source()
        terms = filter_terms(self._text)
        status, district, industry = self._status, self._district, self._industry
        if source is None or (not terms and not status and not district and not industry):
            return None
        hays = source.haystacks
        rows = source.rows
        candidates: Sequence[int]
        if not (status or district or industry):
            term = terms[0]
            candidates = [i for i, h in enumerate(hays) if term in h]
            terms = terms[1:]
        else:
            candidates = [
                i
                for i, r in enumerate(rows)
                if (not status or r.status == status)
                and (not district or r.district == district)
                and (not industry or r.industry == industry)
            ]
        # One term at a time over a shrinking list of candidates: far cheaper than all() per row.
        for term in terms:
            candidates = [i for i in candidates if term in hays[i]]
        return list(candidates)

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


# -- the selected centre's timeline (状态变更记录) ---------------------------------------------------


def _transition(change: StateChange) -> str:
    return f"{change.from_state} → {change.to_state}" if change.from_state else change.to_state


TIMELINE_COLUMNS: tuple[Column[StateChange], ...] = (
    Column("日期", lambda c: format_date(c.on)),
    Column("变更", _transition),
    Column("文号", lambda c: c.document_no or ""),
    Column("操作人", lambda c: c.operator),
    Column("原因", lambda c: c.reason),
)


class TimelineModel(RowTableModel[StateChange]):
    """A centre's state changes, newest first (what a clerk looks for)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(TIMELINE_COLUMNS, parent=parent)

    def set_history(self, history: Sequence[StateChange]) -> None:
        self.set_rows(list(reversed(history)))
