"""The 规则 tables: every rule of the catalog with its ID, article, chapter, title and severity, and
the parameters of the selected rule (current value, unit, the Measures' default)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)

from lzcenter_desktop.domain.catalog import RuleInfo
from lzcenter_desktop.ui.models.base import Column, ModelIndex, ReadOnlyTableModel, RowTableModel
from lzcenter_desktop.ui.models.centers import filter_terms
from lzcenter_desktop.ui.style import catalog_severity_label, level_color

COL_ID = 0
COL_ARTICLE = 1
COL_TITLE = 2
COL_SEVERITY = 3
COL_CHAPTER = 4
COLUMN_COUNT = 5

HEADERS = {
    COL_ID: "编号",
    COL_ARTICLE: "条款",
    COL_TITLE: "规则",
    COL_SEVERITY: "严重程度",
    COL_CHAPTER: "章节",
}

RuleRole = int(Qt.ItemDataRole.UserRole) + 1  # the RuleInfo
RuleIdRole = int(Qt.ItemDataRole.UserRole) + 2  # its ID


def severity_label(severity: str) -> str:
    """错误（阻断） / 警告（不阻断） / 错误或警告 / 提醒（不阻断） (see :mod:`lzcenter_desktop.ui.style`)."""
    return catalog_severity_label(severity)


def _cell(rule: RuleInfo, column: int) -> str:
    if column == COL_ID:
        return rule.id
    if column == COL_ARTICLE:
        return rule.article
    if column == COL_TITLE:
        return rule.title
    if column == COL_SEVERITY:
        return severity_label(rule.severity)
    if column == COL_CHAPTER:
        return rule.chapter
    return ""


class RuleTableModel(ReadOnlyTableModel):
    headers = HEADERS

    def __init__(self, rules: Sequence[RuleInfo], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rules = list(rules)
        self._haystacks = [
            " ".join([*(_cell(r, c) for c in range(COLUMN_COUNT)), r.source, *r.params]).lower()
            for r in self._rules
        ]

    def rule_at(self, row: int) -> RuleInfo:
        return self._rules[row]

    def haystack(self, row: int) -> str:
        return self._haystacks[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rules)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rules)):
            return None
        rule = self._rules[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _cell(rule, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_SEVERITY:
            return level_color(rule.severity)
        if role == RuleRole:
            return rule
        if role == RuleIdRole:
            return rule.id
        return None


class RuleFilterProxy(QSortFilterProxyModel):
    """Keeps the rules whose ID, article, title, severity, chapter, source sentence or parameters
    contain every term."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []

    def set_filter_text(self, text: str) -> None:
        terms = filter_terms(text)
        if terms == self._terms:
            return
        self._terms = terms
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        if not self._terms or not isinstance(model, RuleTableModel):
            return True
        hay = model.haystack(source_row)
        return all(t in hay for t in self._terms)


@dataclass(frozen=True, slots=True)
class ParamLine:
    """One parameter of the selected rule as the 规则 page shows it."""

    label: str  # the parameter's Chinese name (and its note)
    current: str  # the value in force for the chosen year ("" while it is being read)
    unit: str
    default: str  # the value the Measures set


PARAM_COLUMNS: tuple[Column[ParamLine], ...] = (
    Column("参数", lambda p: p.label),
    Column("当前值", lambda p: p.current),
    Column("单位", lambda p: p.unit),
    Column("办法默认值", lambda p: p.default),
)


class RuleParamsModel(RowTableModel[ParamLine]):
    """The parameters of one rule."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(PARAM_COLUMNS, parent=parent)
