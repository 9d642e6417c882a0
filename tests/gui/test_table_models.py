"""The table-model family (ui/models): the shared base and every table of the 规则, 设置 and 中心
pages and of the damaged-database dialog, each run through pytest-qt's model tester."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from lzcenter_desktop.domain.catalog import RULES
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services.backup import BackupFile
from lzcenter_desktop.services.dto import RuleSetVersionView, StateChange
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.models.backups import BackupTableModel, size_text
from lzcenter_desktop.ui.models.base import Column, RowObjectRole, RowTableModel
from lzcenter_desktop.ui.models.centers import TimelineModel
from lzcenter_desktop.ui.models.rules import (
    COL_SEVERITY,
    ParamLine,
    RuleFilterProxy,
    RuleParamsModel,
    RuleTableModel,
)
from lzcenter_desktop.ui.models.settings import VersionHistoryModel, history_lines

SELECTABLE = Qt.ItemFlag.ItemIsSelectable

# -- the shared base -----------------------------------------------------------------------------

FRUIT = (
    Column[tuple[str, int]]("名称", lambda r: r[0]),
    Column[tuple[str, int]](
        "数量", lambda r: str(r[1]), lambda r: QColor(style.ERROR_COLOR) if r[1] < 0 else None
    ),
)


def fruit(rows=(("苹果", 3), ("香蕉", -1)), **kw) -> RowTableModel[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return RowTableModel(FRUIT, rows, **kw)


def test_row_model_shows_cells_headers_tooltips_and_the_row_object() -> None:
    model = fruit()
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == ["名称", "数量"]
    assert model.headerData(2, Qt.Orientation.Horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert model.texts() == [["苹果", "3"], ["香蕉", "-1"]]
    index = model.index(1, 0)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "香蕉"  # the whole text, where a column elides it
    assert index.data(RowObjectRole) == ("香蕉", -1)
    assert model.row_at(0) == ("苹果", 3)


def test_row_model_colours_only_what_the_column_says() -> None:
    model = fruit()
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None  # 3 ≥ 0
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole) == QColor(style.ERROR_COLOR)
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None  # no colour for 名称


def test_row_model_rows_are_read_only_and_a_refused_row_cannot_be_selected() -> None:
    model = fruit(selectable=lambda r: r[1] >= 0)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 0)) & SELECTABLE
    assert not model.flags(model.index(1, 0)) & SELECTABLE
    assert model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsEnabled  # shown, readable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_set_rows_is_one_reset(qtbot) -> None:
    model = fruit()
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([("梨", 0)])
    assert model.texts() == [["梨", "0"]]
    model.set_rows([])
    assert model.rowCount() == 0 and model.texts() == []


def test_row_model_outside_the_rows_has_no_data() -> None:
    model = fruit()
    assert model.data(model.index(5, 0)) is None
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children


@pytest.mark.parametrize("rows", [(), (("苹果", 3), ("香蕉", -1))])
def test_row_model_passes_the_model_tester(qtmodeltester, rows) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(fruit(rows, selectable=lambda r: r[1] >= 0), force_py=True)


# -- 规则 ------------------------------------------------------------------------------------------


def test_rule_table_passes_the_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(RuleTableModel(RULES), force_py=True)


def test_rule_filter_passes_the_model_tester_while_filtering(qtmodeltester) -> None:
    proxy = RuleFilterProxy()
    proxy.setSourceModel(RuleTableModel(RULES))
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_filter_text("d9.3")
    assert 0 < proxy.rowCount() < len(RULES)
    proxy.set_filter_text("")
    assert proxy.rowCount() == len(RULES)


def test_rule_severity_is_written_and_coloured_by_its_level() -> None:
    model = RuleTableModel(RULES)
    seen: dict[str, tuple[str, QColor]] = {}
    for row, rule in enumerate(RULES):
        index = model.index(row, COL_SEVERITY)
        seen.setdefault(rule.severity, (index.data(), index.data(Qt.ItemDataRole.ForegroundRole)))
    assert seen["error"] == ("错误（阻断）", QColor(style.ERROR_COLOR))
    assert seen["warning"] == ("警告（不阻断）", QColor(style.WARNING_COLOR))
    assert seen["info"] == ("提醒（不阻断）", QColor(style.INFO_COLOR))
    assert seen["error/warning"] == ("错误或警告", QColor(style.ERROR_COLOR))


@pytest.mark.parametrize("count", [0, 1, 3])
def test_rule_params_pass_the_model_tester(qtmodeltester, count: int) -> None:
    model = RuleParamsModel()
    model.set_rows([ParamLine(f"参数{i}", str(i), "人", "8") for i in range(count)])
    qtmodeltester.check(model, force_py=True)
    assert model.texts() == [[f"参数{i}", str(i), "人", "8"] for i in range(count)]


# -- 设置: the version history ----------------------------------------------------------------------


def version(no: int, **changes: object) -> RuleSetVersionView:
    return RuleSetVersionView(
        year=2026,
        version_no=no,
        created_at=datetime(2026, 3, no, 9, 30),
        operator="测试员",
        note=f"第{no}次",
        settings=replace(DEFAULT_SETTINGS, **changes),  # type: ignore[arg-type]
    )


def test_history_is_newest_first_and_names_what_each_version_changed() -> None:
    lines = history_lines([version(1, min_staff=10), version(2, min_staff=10), version(3, min_staff=12)])
    assert [h.version.version_no for h in lines] == [3, 2, 1]
    assert [h.changed for h in lines] == [
        "固定研究开发人员最少人数",
        "（无改动）",
        "相对办法默认值：固定研究开发人员最少人数",
    ]


def test_a_first_version_equal_to_the_defaults_says_so() -> None:
    assert [h.changed for h in history_lines([version(1)])] == ["与办法默认值相同"]
    assert history_lines([]) == []


@pytest.mark.parametrize("count", [0, 1, 2])
def test_history_passes_the_model_tester(qtmodeltester, count: int) -> None:
    model = VersionHistoryModel()
    model.set_versions([version(i + 1, min_staff=9 + i) for i in range(count)])
    qtmodeltester.check(model, force_py=True)
    if count:
        assert model.texts()[0][:4] == [f"第 {count} 版", f"2026-03-0{count} 09:30", "测试员", f"第{count}次"]


# -- 中心: a centre's timeline ----------------------------------------------------------------------


def test_timeline_is_newest_first_and_passes_the_model_tester(qtmodeltester) -> None:
    model = TimelineModel()
    model.set_history(
        [
            StateChange(date(2023, 3, 1), None, "草稿", None, "测试员", "新建申报"),
            StateChange(date(2023, 8, 1), "公示中", "已认定", "柳科发〔2023〕12号", "测试员", "发文认定"),
        ]
    )
    assert model.texts() == [
        ["2023-08-01", "公示中 → 已认定", "柳科发〔2023〕12号", "测试员", "发文认定"],
        ["2023-03-01", "草稿", "", "测试员", "新建申报"],
    ]
    qtmodeltester.check(model, force_py=True)
    model.set_history([])
    qtmodeltester.check(model, force_py=True)


# -- the backups of a damaged database ----------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "1 KB"),  # never "0 KB": the file exists
        (1023, "1 KB"),
        (1024 * 1024 - 1, "1024 KB"),  # just below a megabyte
        (1024 * 1024, "1.0 MB"),  # exactly
        (1024 * 1024 + 110_000, "1.1 MB"),  # above
    ],
)
def test_backup_size_text(size: int, text: str) -> None:
    assert size_text(size) == text


def test_backups_list_a_damaged_one_that_cannot_be_chosen(qtmodeltester) -> None:
    good = BackupFile(
        Path("/b/lzcenter-backup-20261201-090000.sqlite"), datetime(2026, 12, 1, 9), 2048, "", "backup"
    )
    bad = BackupFile(
        Path("/b/lzcenter-backup-20261202-090000.sqlite"), datetime(2026, 12, 2, 9), 2048, "文件已损坏"
    )
    model = BackupTableModel([bad, good])
    assert model.texts() == [
        [
            "lzcenter-backup-20261202-090000.sqlite",
            "2026-12-02 09:00:00",
            "其他备份",
            "2 KB",
            "不能使用：文件已损坏",
        ],
        [
            "lzcenter-backup-20261201-090000.sqlite",
            "2026-12-01 09:00:00",
            "手动备份",
            "2 KB",
            "完好，可用于恢复",
        ],
    ]
    assert not model.flags(model.index(0, 0)) & SELECTABLE
    assert model.flags(model.index(1, 0)) & SELECTABLE
    assert model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) == QColor(style.UNAVAILABLE_COLOR)
    assert model.index(1, 3).data(Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(BackupTableModel([]), force_py=True)
