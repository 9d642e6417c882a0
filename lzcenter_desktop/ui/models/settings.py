"""The 设置 page's version history: one row per saved rule set of a year, newest first, with the
parameters each version changed (the first against the Measures' defaults)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, PARAMETERS, ParamInfo, RuleSettings
from lzcenter_desktop.services.dto import RuleSetVersionView
from lzcenter_desktop.ui.models.base import Column, RowTableModel

TIME_FORMAT = "%Y-%m-%d %H:%M"


def changed_parameters(old: RuleSettings, new: RuleSettings) -> list[ParamInfo]:
    return [p for p in PARAMETERS if getattr(old, p.name) != getattr(new, p.name)]


@dataclass(frozen=True, slots=True)
class HistoryLine:
    version: RuleSetVersionView
    changed: str  # the Chinese names of the parameters it changed


def history_lines(versions: Sequence[RuleSetVersionView]) -> list[HistoryLine]:
    """``versions`` (oldest first, as the service lists them) as rows, newest first."""
    lines: list[HistoryLine] = []
    previous: RuleSettings = DEFAULT_SETTINGS
    for i, v in enumerate(versions):
        changed = changed_parameters(previous, v.settings)
        text = "、".join(p.label for p in changed) if changed else "（无改动）"
        if i == 0:
            text = ("相对办法默认值：" + text) if changed else "与办法默认值相同"
        lines.append(HistoryLine(v, text))
        previous = v.settings
    return lines[::-1]


HISTORY_COLUMNS: tuple[Column[HistoryLine], ...] = (
    Column("版本", lambda h: f"第 {h.version.version_no} 版"),
    Column("保存时间", lambda h: h.version.created_at.strftime(TIME_FORMAT)),
    Column("操作人", lambda h: h.version.operator),
    Column("修改说明", lambda h: h.version.note),
    Column("修改的参数", lambda h: h.changed),
)


class VersionHistoryModel(RowTableModel[HistoryLine]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HISTORY_COLUMNS, parent=parent)

    def set_versions(self, versions: Sequence[RuleSetVersionView]) -> None:
        self.set_rows(history_lines(versions))
