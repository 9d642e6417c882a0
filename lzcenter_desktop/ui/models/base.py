"""The table-model family of the GUI: every table of the program is a model over plain rows.

* :class:`ReadOnlyTableModel` — what every read-only table shares: numbered rows, headers from a
  column → title map (or :meth:`~ReadOnlyTableModel.header`), cells that can be selected but not
  edited. Large lists (中心, 规则) derive from it and compute their own cells.
* :class:`RowTableModel` — a small table over a list of objects described by :class:`Column`\\ s
  (title, text, colour): the history of a rule set, a centre's timeline, the backups of a damaged
  database. ``set_rows`` replaces every row in one reset; the full text of each cell is also its
  tooltip (a narrow column elides it); :data:`RowObjectRole` gives the row's object back; a row
  the ``selectable`` predicate refuses is shown but cannot be selected.

Every model of the family is run through pytest-qt's ``qtmodeltester`` in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

ModelIndex = QModelIndex | QPersistentModelIndex

RowObjectRole = int(Qt.ItemDataRole.UserRole)  # the row's object (RowTableModel)

T = TypeVar("T")


class ReadOnlyTableModel(QAbstractTableModel):
    headers: ClassVar[dict[int, str]] = {}

    def header(self, section: int) -> str | None:
        """The title of column ``section``."""
        return self.headers.get(section)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.header(section)
        return str(section + 1)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(frozen=True)  # no slots: Column[Row](…) sets __orig_class__ on the instance
class Column(Generic[T]):
    """One column of a :class:`RowTableModel`: its title, the text of a row's cell and, if given,
    the cell's text colour (``None`` for the default)."""

    title: str
    text: Callable[[T], str]
    foreground: Callable[[T], QColor | None] | None = None


class RowTableModel(ReadOnlyTableModel, Generic[T]):
    """A read-only table over ``rows`` described by ``columns``."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        rows: Sequence[T] = (),
        parent: QObject | None = None,
        *,
        selectable: Callable[[T], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._selectable = selectable
        self._rows: list[T] = []
        self._texts: list[tuple[str, ...]] = []
        self._fill(rows)

    # -- rows ----------------------------------------------------------------------------------
    def _fill(self, rows: Sequence[T]) -> None:
        self._rows = list(rows)
        self._texts = [tuple(c.text(r) for c in self._columns) for r in self._rows]

    def set_rows(self, rows: Sequence[T]) -> None:
        """Replace every row (one model reset)."""
        self.beginResetModel()
        self._fill(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row."""
        return [list(t) for t in self._texts]

    def is_selectable(self, row: int) -> bool:
        return self._selectable is None or self._selectable(self._rows[row])

    # -- QAbstractTableModel ---------------------------------------------------------------------
    def header(self, section: int) -> str | None:
        return self._columns[section].title if 0 <= section < len(self._columns) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[row][column]
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._columns[column].foreground
            return colour(self._rows[row]) if colour is not None else None
        if role == RowObjectRole:
            return self._rows[row]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and 0 <= index.row() < len(self._rows) and not self.is_selectable(index.row()):
            flags &= ~Qt.ItemFlag.ItemIsSelectable
        return flags
