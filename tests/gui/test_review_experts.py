"""专家库 on the 评审 page: add / edit (a duplicate refused in Chinese), 停用 with a reason, relations
for 回避, import from Excel (a bad workbook lists its cells), the applicant's 回避 list, the filter —
each checked in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox

from lzcenter_desktop.services.review import experts
from lzcenter_desktop.ui.models.base import RowTableModel
from lzcenter_desktop.ui.review.common import ReasonDialog
from lzcenter_desktop.ui.review.expert_dialogs import AvoidDialog, ExpertDialog, RelationDialog
from lzcenter_desktop.ui.review.experts_tab import AVOID_COLUMNS, EXPERT_COLUMNS, RELATION_COLUMNS
from tests.gui.review_gui import (
    closed,
    dialog_error,
    fill,
    open_tab,
    select_row,
    settle,
    shown_page,
    submit,
    type_date,
)
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_fixtures import add_experts, credit_code, make_call, submitted_declarations

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def pool(ctx: Any) -> list[int]:
    make_call(ctx)
    return add_experts(ctx, 3)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def experts_tab(qtbot: Any, ctx: Any) -> Any:
    page = shown_page(qtbot, ctx, today=dt.date(2026, 8, 1))
    open_tab(qtbot, page, page.experts)
    return page


def test_an_expert_is_added_and_a_duplicate_refused(
    qtbot: Any, ctx: Any, pool: list[int], ui_sql: list[str]
) -> None:
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    assert tab.proxy.rowCount() == 3
    tab.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExpertDialog)
    fill(dialog.name, "韦晓兰")
    fill(dialog.unit, "广西科技大学")
    fill(dialog.specialty, "车辆工程")
    fill(dialog.title_edit, "教授")
    fill(dialog.phone, "0772-2687000")
    submit(qtbot, page, dialog)
    assert closed(dialog)
    added = [e for e in experts.list_experts(ctx) if e.name == "韦晓兰"]
    assert [(e.unit, e.specialty, e.title, e.phone) for e in added] == [
        ("广西科技大学", "车辆工程", "教授", "0772-2687000")
    ]
    assert tab.proxy.rowCount() == 4

    tab.add_button.click()
    again = tab.dialog
    fill(again.name, "韦晓兰")
    fill(again.unit, "广西科技大学")
    submit(qtbot, page, again)
    assert "已在专家库中" in dialog_error(again)
    assert len([e for e in experts.list_experts(ctx) if e.name == "韦晓兰"]) == 1
    assert ui_sql == []


def test_a_bad_phone_is_refused_naming_the_field(qtbot: Any, ctx: Any, pool: list[int]) -> None:
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    select_row(tab.table, lambda e: e.id == pool[0])
    tab.edit_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExpertDialog)
    fill(dialog.phone, "abc")
    submit(qtbot, page, dialog)
    assert "电话" in dialog_error(dialog)
    fill(dialog.phone, "13800000000")
    submit(qtbot, page, dialog)
    assert experts.get_expert(ctx, pool[0]).phone == "13800000000"
    assert experts.get_expert(ctx, pool[0]).unit == "广西测试1号研究院"  # unchanged


def test_retiring_needs_a_reason_and_keeps_the_expert(qtbot: Any, ctx: Any, pool: list[int]) -> None:
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    select_row(tab.table, lambda e: e.id == pool[1])
    tab.retire_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ReasonDialog)
    submit(qtbot, page, dialog)
    assert "原因" in dialog_error(dialog)
    fill(dialog.reason, "本人申请退出专家库")
    type_date(dialog.on, dt.date(2026, 7, 31))
    submit(qtbot, page, dialog)
    retired = experts.get_expert(ctx, pool[1])
    assert (retired.status, retired.retired_on) == ("retired", dt.date(2026, 7, 31))
    assert tab.proxy.rowCount() == 2  # retired experts are shown only on request
    tab.show_retired.setChecked(True)
    assert tab.proxy.rowCount() == 3
    select_row(tab.table, lambda e: e.id == pool[1])
    assert tab.reactivate_button.isEnabled() and not tab.retire_button.isEnabled()
    tab.reactivate_button.click()
    settle(qtbot, page)
    assert experts.get_expert(ctx, pool[1]).status == "active"


def test_a_relation_is_recorded_for_the_selected_expert(qtbot: Any, ctx: Any, pool: list[int]) -> None:
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    select_row(tab.table, lambda e: e.id == pool[2])
    settle(qtbot, page)
    tab.add_relation_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, RelationDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("advisory"))
    fill(dialog.organization, "柳州测试1号科技有限公司")
    type_date(dialog.from_on, dt.date(2024, 1, 1))
    type_date(dialog.to_on, dt.date(2023, 1, 1))  # ends before it began: refused
    submit(qtbot, page, dialog)
    assert "早于开始日期" in dialog_error(dialog)
    type_date(dialog.to_on, dt.date(2025, 12, 31))
    submit(qtbot, page, dialog)
    [relation] = experts.list_relations(ctx, expert_id=pool[2])
    assert (relation.kind, relation.organization_name, relation.from_on, relation.to_on, relation.source) == (
        "advisory",
        "柳州测试1号科技有限公司",
        dt.date(2024, 1, 1),
        dt.date(2025, 12, 31),
        "expert",
    )
    assert [r.id for r in tab.relations_model.rows] == [relation.id]


def test_the_applicants_avoid_list(qtbot: Any, ctx: Any, pool: list[int]) -> None:
    [decl] = submitted_declarations(ctx, 1)
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    assert tab.declaration.currentData() == decl
    select_row(tab.table, lambda e: e.id == pool[0])
    tab.add_avoid_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, AvoidDialog)
    assert dialog.expert.currentData() == pool[0]  # the expert selected in the pool
    fill(dialog.reason, "曾与我单位存在技术合同纠纷")
    submit(qtbot, page, dialog)
    [line] = experts.list_avoid_experts(ctx, declaration_id=decl)
    assert (line.expert_id, line.reason) == (pool[0], "曾与我单位存在技术合同纠纷")
    assert [a.id for a in tab.avoid_model.rows] == [line.id]


def workbook(tmp_path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "单位", "统一社会信用代码", "专业领域", "职称", "电话", "邮箱"])
    for row in rows:
        ws.append(row)
    path = tmp_path / "专家名单.xlsx"
    wb.save(path)
    return path


def test_import_from_excel(qtbot: Any, ctx: Any, pool: list[int], tmp_path: Path, monkeypatch: Any) -> None:
    good = workbook(
        tmp_path,
        [
            ["黄志强", "广西大学", credit_code(301, org_type="12"), "机械工程", "教授", "0771-3230000", ""],
            ["专家01", "广西测试1号研究院", "", "智能网联汽车", "", "", ""],  # already in the pool: updated
        ],
    )
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    tab.import_button.click()
    settle(qtbot, page)
    assert "新增专家 1 名，更新 1 名" in tab.message.text()
    names = {e.name: e for e in experts.list_experts(ctx)}
    assert names["黄志强"].unit == "广西大学"
    assert names["专家01"].specialty == "智能网联汽车"


def test_a_bad_workbook_lists_its_cells_and_imports_nothing(
    qtbot: Any, ctx: Any, pool: list[int], tmp_path: Path, monkeypatch: Any
) -> None:
    bad = workbook(
        tmp_path, [["李明", "", "", "", "", "", ""], ["王芳", "广西大学", "", "", "", "电话号码", ""]]
    )
    page = experts_tab(qtbot, ctx)
    tab = page.experts
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    tab.import_button.click()
    settle(qtbot, page)
    box = tab.question
    assert isinstance(box, QMessageBox)
    assert "未导入任何专家" in box.text()
    assert "第2行" in box.text() and "第3行" in box.text()
    box.close()
    assert len(experts.list_experts(ctx)) == 3


def test_the_filter(qtbot: Any, ctx: Any, pool: list[int]) -> None:
    from tests.helpers import type_text

    page = experts_tab(qtbot, ctx)
    tab = page.experts
    type_text(tab.filter, "测试2号")
    assert tab.proxy.rowCount() == 1
    tab.filter.clear()
    assert tab.proxy.rowCount() == 3


def test_the_expert_tables_pass_the_model_tester(qtmodeltester: Any, ctx: Any, pool: list[int]) -> None:
    qtmodeltester.check(RowTableModel(EXPERT_COLUMNS, experts.list_experts(ctx)))
    for columns in (RELATION_COLUMNS, AVOID_COLUMNS):
        qtmodeltester.check(RowTableModel(columns, []))
