"""The 委员会 section as a clerk on a 1366×768 (or 1280×720) office PC lives in it (issue 12): the page
fits the screen, dates are typed, a new member's category follows the unit, saving a record with
errors asks first, the JSON import reads only regular files within bounds, and the keyboard works
(Ctrl+S from inside the editors, Esc closes the dialogs)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDateEdit,
    QDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import committees, organizations
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees import files as files_module
from lzcenter_desktop.ui.committees.common import DateDelegate, PersonDialog
from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.widgets.date_edit import DateEdit
from tests.gui.committee_centres import AS_OF, HOST, NAME, add_two_centres, recognised
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def centre(ctx: Any, examples_dir: Path) -> Any:
    """The example's centre with its committees (imported through the services), and a second one."""
    return add_two_centres(ctx, examples_dir)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    """Every statement the GUI runs on the UI thread during the test (it must stay empty)."""
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def idle(qtbot: Any, page: CommitteesPage) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)


def shown_page(qtbot: Any, ctx: Any) -> CommitteesPage:
    page = CommitteesPage(ctx, as_of=AS_OF)
    qtbot.addWidget(page)
    page.resize(1236, 690)
    page.show()
    page.on_shown(True)
    idle(qtbot, page)
    return page


def shown_window(qtbot: Any, ctx: Any, width: int, height: int) -> tuple[MainWindow, CommitteesPage]:
    """The main window at ``width``×``height`` with the 委员会 section open (reached with Ctrl+4)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key.Key_4, CTRL)
    page = window.committees_page
    assert isinstance(page, CommitteesPage) and window.stack.currentWidget() is page
    page.as_of = AS_OF  # the figures of the example's day (the record is read after this)
    idle(qtbot, page)
    assert page.doc is not None
    page.doc.as_of = AS_OF
    page.doc.reset(page.doc.value)
    return window, page


def answer_box(
    qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> list[Any]:
    """Answer the next message box with a key (it runs its own event loop): what it said is kept."""
    seen: list[Any] = []

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, act)
            return
        seen.append(box.text())
        seen.append([b.text() for b in box.buttons()])
        seen.append(box.defaultButton().text())
        focus = QApplication.focusWidget()
        qtbot.keyClick(focus if focus is not None and box.isAncestorOf(focus) else box, key, modifier)

    QTimer.singleShot(0, act)
    return seen


def clipped_controls(root: QWidget) -> list[str]:
    """Buttons and text fields of ``root`` (outside tables and lists) that are cut off or off screen."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, QAbstractButton | QLineEdit):
            continue
        parent, in_view = w.parentWidget(), False
        while parent is not None:
            in_view = in_view or isinstance(parent, QAbstractScrollArea)
            parent = parent.parentWidget()
        if in_view:
            continue
        if w.visibleRegion().boundingRect().size() != w.size():
            out.append(f"{type(w).__name__}“{w.text()}”")
    return out


# ------------------------------------------------------------------ 1. fits the screen


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_every_part_of_the_page_works_on_an_office_screen(
    qtbot: Any, centre: Any, ui_sql: list[str], size: tuple[int, int]
) -> None:
    window, page = shown_window(qtbot, centre, *size)
    experts, meetings = page.experts, page.meetings
    assert experts is not None and meetings is not None
    experts.renew_button.click()  # the longest figures: two rules broken
    meetings.committee_box.setCurrentIndex(1)
    meetings.table.selectRow(1)  # the attendance figure and five years of meetings
    assert page.minimumSizeHint().width() <= 1100
    assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 720
    smallest = window.minimumSizeHint()
    for width, height in (size, (smallest.width(), smallest.height())):  # the screen, and the bound
        window.resize(width, height)
        for i in range(page.tabs.count()):
            page.tabs.setCurrentIndex(i)
            QApplication.processEvents()
            assert clipped_controls(window) == [], (width, page.tabs.tabText(i))
            tab = page.tabs.currentWidget()
            banner = tab.banner  # type: ignore[attr-defined]
            for label in banner.findChildren(QWidget):
                if label.isVisible():  # each figure whole, on a second line when needed
                    assert banner.contentsRect().contains(label.geometry()), label.text()
        page.tabs.setCurrentWidget(experts)
        QApplication.processEvents()
        table = experts.table
        assert experts.model.rowCount() == 9
        ninth = table.visualRect(experts.model.index(8, 0))
        assert ninth.top() >= 0 and ninth.bottom() < table.viewport().height()  # not under the scrollbar
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width() + table.horizontalScrollBar().maximum()
    page.discard_changes()  # the window closes without asking
    assert ui_sql == []


def test_the_banner_wraps_instead_of_widening_the_page(qtbot: Any) -> None:
    from lzcenter_desktop.domain.committee_edits import BannerLine
    from lzcenter_desktop.ui.committees.common import Banner

    banner = Banner()
    qtbot.addWidget(banner)
    lines = [BannerLine(f"{2020 + i} 年 2 次（需 ≥ 2） ✓", True) for i in range(8)]
    banner.set_lines(lines)
    widest = max(label.sizeHint().width() for label in banner.findChildren(QWidget))
    assert banner.minimumSizeHint().width() <= widest + 20  # one figure (and margins), not eight
    one_line = banner.heightForWidth(10_000)
    assert banner.heightForWidth(widest + 20) > one_line  # narrower: more lines, never wider
    assert banner.texts() == [line.text for line in lines]


# ------------------------------------------------------------------ 2. typed dates


def test_no_qdateedit_is_left_in_the_committee_editors(qtbot: Any, centre: Any) -> None:
    page = shown_page(qtbot, centre)
    assert page.findChildren(QDateEdit) == []
    assert page.experts is not None and page.directors is not None and page.meetings is not None
    dates = {e.accessibleName(): e.optional for e in page.findChildren(DateEdit)}
    assert dates == {
        "任期开始日期": False,
        "任期结束日期": False,
        "备案日期": True,
        "增补委员任职起始日期": False,
        "会议日期": False,
    }
    from lzcenter_desktop.ui.committees.roster import COL_JOINED

    joined = page.experts.table.itemDelegateForColumn(COL_JOINED)
    assert isinstance(joined, DateDelegate) and joined.optional  # empty: from the term's start
    table = page.directors.table
    from lzcenter_desktop.ui.committees.directors import COL_APPOINTED, COL_FILED

    appointed, filed = table.itemDelegateForColumn(COL_APPOINTED), table.itemDelegateForColumn(COL_FILED)
    assert isinstance(appointed, DateDelegate) and not appointed.optional
    assert isinstance(filed, DateDelegate) and filed.optional
    dialog = PersonDialog(page.doc.value, [], new_id="new-1") if page.doc is not None else None
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.findChildren(QDateEdit) == [] and isinstance(dialog.birth, DateEdit)
    assert not dialog.birth.optional and dialog.birth.date() is None


def open_cell(qtbot: Any, table: Any, row: int, col: int) -> DateEdit:
    """F2 on the cell, as a clerk opens it; the date editor that opens."""
    index = table.model().index(row, col)
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(index)
    assert isinstance(editor, DateEdit)
    qtbot.waitUntil(editor.line.hasFocus)
    return editor


def test_director_dates_are_typed_in_the_table(qtbot: Any, centre: Any, ui_sql: list[str]) -> None:
    from lzcenter_desktop.ui.committees.directors import COL_AGE, COL_APPOINTED, COL_FILED

    page = shown_page(qtbot, centre)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    d = page.directors
    assert d is not None and page.doc is not None
    page.tabs.setCurrentWidget(d)
    model, stack = d.model, page.doc.undo_stack
    # Enter commits a date typed the way clerks write it: one undoable step
    editor = open_cell(qtbot, d.table, 0, COL_APPOINTED)
    assert editor.date() == date(2023, 1, 10)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "2030/5/1")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: d.table.state() != QAbstractItemView.State.EditingState
    )  # Enter commits and closes the cell
    assert model.index(0, COL_APPOINTED).data() == "2030-05-01"
    assert model.index(0, COL_AGE).data() == "60 周岁"
    assert stack.count() == 1 and stack.undoText() == "修改中心主任周四的聘任日期"
    # Esc leaves it as it was
    editor = open_cell(qtbot, d.table, 0, COL_APPOINTED)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "20310501")
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)
    assert model.index(0, COL_APPOINTED).data() == "2030-05-01" and stack.count() == 1
    # Tab commits too (61 at appointment: the M12a error on the age)
    editor = open_cell(qtbot, d.table, 0, COL_APPOINTED)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "20310501")
    qtbot.keyClick(editor.line, Qt.Key.Key_Tab)
    assert model.index(0, COL_AGE).data() == "61 周岁" and stack.count() == 2
    assert model.index(0, COL_AGE).data(Qt.ItemDataRole.ToolTipRole).startswith("错误 M12a 第十二条：")
    # a day that does not exist: refused, the field named, the record unchanged
    editor = open_cell(qtbot, d.table, 0, COL_APPOINTED)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "2030-02-30")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.table.state() != QAbstractItemView.State.EditingState)
    assert d.error.text() == "聘任日期：“2030-02-30”这一天不存在（2030年2月没有30日）"
    assert d.error.isVisible() and model.index(0, COL_APPOINTED).data() == "2031-05-01"
    assert stack.count() == 2
    # the filing date is optional: Delete empties it (the M11 warning), an undoable step
    editor = open_cell(qtbot, d.table, 0, COL_FILED)
    editor.line.selectAll()
    qtbot.keyClick(editor.line, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.table.state() != QAbstractItemView.State.EditingState)
    assert model.index(0, COL_FILED).data() == "未备案" and stack.count() == 3
    assert model.index(0, COL_FILED).data(Qt.ItemDataRole.ToolTipRole).startswith("警告 M11 第十一条：")
    assert d.error.text() == "" and not d.error.isVisible()
    # leaving the table (the focus goes elsewhere) commits what was typed
    editor = open_cell(qtbot, d.table, 0, COL_FILED)
    type_text(editor.line, "2031年5月8日")
    page.reason.setFocus()
    qtbot.waitUntil(lambda: model.index(0, COL_FILED).data() == "2031-05-08")
    assert stack.count() == 4
    stack.undo()
    assert model.index(0, COL_FILED).data() == "未备案"
    assert ui_sql == []


# ------------------------------------------------------------------ 3. sensible defaults

ORGS = [
    OrganizationChoice(1, HOST, "91450200MA5K3L7Q58"),
    OrganizationChoice(2, "广西科技大学", "12450000498503229M"),
    OrganizationChoice(3, "广西大学", None),
]


def test_a_new_members_category_follows_the_unit_chosen(qtbot: Any, centre: Any) -> None:
    value = committees.load_committees(centre, center_id=centre.first)
    dialog = PersonDialog(value, ORGS, new_id="new-1")
    qtbot.addWidget(dialog)
    line = dialog.organization.lineEdit()
    assert line is not None and dialog.category.currentText() == "高等院校"

    def unit(text: str) -> str:
        line.selectAll()
        line.del_()
        type_text(line, text)
        return dialog.category.currentText()

    assert unit(HOST) == "依托单位"
    assert unit("广西科技大学") == "共建单位"
    assert unit("柳州某某汽车有限公司工程技术研究中心") == "依托单位"  # only begins with the host's name
    assert unit("广西柳州某某汽车有限公司") == "高等院校"  # the host's name inside, not at the start
    assert unit("柳州某某汽车有限") == "高等院校"  # one character short of the host's name
    dialog.organization.setCurrentIndex(0)  # picked from the list, not typed
    assert dialog.category.currentText() == "依托单位"
    # the clerk can still change it; the unit no longer overrides their choice
    dialog.category.setCurrentText("中心负责人员")
    assert unit("广西科技大学") == "中心负责人员"
    type_text(dialog.name, "韦新")
    type_text(dialog.birth.line, "1980-02-29")
    dialog.accept()
    assert dialog.result_person is not None
    assert dialog.result_person.category.value == "center_leader"
    assert dialog.result_person.birth_date == date(1980, 2, 29)


def test_an_added_member_from_the_host_is_counted_as_such(qtbot: Any, centre: Any) -> None:
    page = shown_page(qtbot, centre)
    experts = page.experts
    assert experts is not None

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, PersonDialog)
        type_text(dialog.name, "覃新")
        type_text(dialog.birth.line, "1975-06-01")
        line = dialog.organization.lineEdit()
        assert line is not None
        type_text(line, HOST)
        dialog.accept()
        return int(dialog.result())

    experts.run_dialog = fill
    experts.add_member()
    assert experts.model.index(9, 3).data() == "依托单位"


# ------------------------------------------------------------------ 4. saving with errors asks first


def test_saving_a_record_with_errors_asks_first_and_warnings_do_not(
    qtbot: Any, centre: Any, ui_sql: list[str]
) -> None:
    from lzcenter_desktop.ui.committees.roster import COL_CHAIR

    page = shown_page(qtbot, centre)
    experts = page.experts
    assert experts is not None and page.doc is not None
    asked: list[list[Violation]] = []

    def record(errors: list[Violation]) -> bool:
        asked.append(errors)
        return False

    page.confirm_errors = record
    # 0 errors, 1 warning (M12c): saved without asking
    assert [v.severity for v in page.doc.violations] == [Severity.WARNING]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    experts.end.line.setFocus()
    experts.end.line.selectAll()
    qtbot.keyClicks(experts.end.line, "2028-12-30")
    qtbot.keyClick(experts.end.line, Qt.Key.Key_Tab)
    assert page.is_dirty()
    type_text(page.reason, "更正任期")
    assert page.save()
    idle(qtbot, page)
    assert asked == [] and page.last_save_ok and not page.is_dirty()
    # 2 errors after 换届 (M14f, M15b): asked; 取消 keeps the edits unsaved
    experts.renew_button.click()
    type_text(page.reason, "2029年换届")
    assert not page.save()
    assert [[v.rule for v in errors] for errors in asked] == [["M14f", "M15b"]]
    assert page.message.text().startswith("未保存：记录中仍有 2 项错误，已按“取消”")
    assert page.is_dirty() and not page.busy and page.reason.text() == "2029年换届"
    # 1 error: still asked (a new chair from outside ends the run of terms)
    experts.model.setData(
        experts.model.index(3, COL_CHAIR), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert not page.save()
    assert [v.rule for v in asked[-1]] == ["M14f"] and len(asked) == 2
    # the real question: the errors with rule and article, 保存 / 取消, Esc = 取消
    page.confirm_errors = page._ask_save_with_errors
    said = answer_box(qtbot, Qt.Key.Key_Escape)
    assert not page.save()
    text, buttons, default = said
    assert "当前委员会记录仍有 1 项错误" in text and "· 错误 M14f 第十四条：" in text and "0/9" in text
    assert buttons == ["保存(&S)", "取消"] and default == "取消"  # Enter does not save by reflex
    assert page.is_dirty()
    # 保存 (its key S) saves it all the same
    said = answer_box(qtbot, Qt.Key.Key_S)
    assert page.save()
    idle(qtbot, page)
    assert said and page.last_save_ok and not page.is_dirty()
    saved = committees.load_committees(centre, center_id=centre.first)
    assert len(saved.expert_committee_terms) == 3
    assert ui_sql == []


def test_the_errors_question_lists_at_most_ten(qtbot: Any) -> None:
    from lzcenter_desktop.ui.committees.common import errors_box

    def err(i: int) -> Violation:
        return Violation(f"M{i}", "第十四条", Severity.ERROR, f"p{i}", f"问题{i}", "1", "2")

    for n, extra in ((10, False), (11, True)):
        box = errors_box(None, [err(i) for i in range(n)])
        assert box.text().count("· 错误 M") == 10
        assert ("另有 1 项错误" in box.text()) is extra
        box.deleteLater()


# ------------------------------------------------------------------ 5. the import reads bounded files


def test_the_import_refuses_pipes_devices_and_bad_json_at_once(
    qtbot: Any,
    ctx: Any,
    tmp_path: Path,
    examples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    ui_sql: list[str],
) -> None:
    host = organizations.create_organization(
        ctx, name=HOST, kind="enterprise", credit_code="91450200MA5K3L7Q58"
    )
    uni = organizations.create_organization(
        ctx, name="广西科技大学", kind="university", credit_code="12450000498503229M"
    )
    recognised(ctx, NAME, host, [uni], date(2022, 12, 1))
    page = shown_page(qtbot, ctx)
    assert page.experts is not None

    def refused(path: Path) -> str:
        assert page.import_file(path)
        idle(qtbot, page)  # a read that blocked would never answer
        assert page.experts is not None and page.experts.banner.texts() == ["尚未设立专家指导委员会 ✗"]
        return page.message.text()

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert refused(fifo) == (
        "未导入：文件“pipe.json”：不是普通文件（是命名管道（FIFO）），不能读取；请选择保存在磁盘上的文件"
    )
    assert refused(Path("/dev/zero")) == (
        "未导入：文件“zero”：不是普通文件（是字符设备），不能读取；请选择保存在磁盘上的文件"
    )
    example = (examples_dir / "committees.json").read_text(encoding="utf-8")
    twice = tmp_path / "twice.json"
    twice.write_text('{"format": "a", "format": "b"}', encoding="utf-8")
    assert (
        refused(twice)
        == "未导入：文件“twice.json”：JSON 最外层对象的键 “format” 重复出现，无法确定以哪个为准，不能导入"
    )
    lone = tmp_path / "lone.json"
    data = json.loads(example)
    data["people"][0]["name"] = "王\ud800"
    lone.write_text(json.dumps(data), encoding="ascii")
    assert "people[0].name" in refused(lone) and "不成对的代理字符 \\ud800" in page.message.text()
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 40 + "]" * 40, encoding="utf-8")
    assert "嵌套超过 32 层" in refused(deep)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "\xff"}')
    assert refused(latin) == "未导入：文件“latin.json”：不是 UTF-8 编码的文本（第 11 个字节有误）"
    # the size limit: one byte over is refused before parsing; exactly at it is imported
    good = tmp_path / "good.json"
    good.write_text(example, encoding="utf-8")
    size = good.stat().st_size
    monkeypatch.setattr(files_module, "MAX_IMPORT_BYTES", size - 1)
    assert "超过" in refused(good) and "的上限" in page.message.text()
    monkeypatch.setattr(files_module, "MAX_IMPORT_BYTES", size)
    assert page.import_file(good)
    idle(qtbot, page)
    assert page.message.text().startswith("已导入“good.json”") and page.experts.term_box.count() == 2
    assert ui_sql == []


# ------------------------------------------------------------------ 6. keyboard


def test_a_committee_change_saved_with_ctrl_s_keyboard_only(
    qtbot: Any, centre: Any, ui_sql: list[str]
) -> None:
    from lzcenter_desktop.ui.committees.directors import COL_FILED

    window, page = shown_window(qtbot, centre, 1280, 720)
    experts = page.experts
    assert experts is not None
    # the term's end typed over (no Tab, no Enter): Ctrl+S inside the field takes it and asks the reason
    experts.end.line.setFocus()
    qtbot.keyClick(experts.end.line, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(experts.end.line, "2028-12-30")
    qtbot.keyClick(experts.end.line, Qt.Key.Key_S, CTRL)
    assert page.doc is not None and page.doc.value.expert_committee_terms[1].end == date(2028, 12, 30)
    assert page.message.text() == "修改原因：请填写本次修改的原因后再保存"
    assert page.reason.hasFocus()
    type_text(page.reason, "更正任期")
    qtbot.keyClick(page.reason, Qt.Key.Key_S, CTRL)  # blocks until written (文件→保存)
    assert page.last_save_ok and not page.is_dirty()
    saved = committees.load_committees(centre, center_id=centre.first)
    assert saved.expert_committee_terms[1].end == date(2028, 12, 30)
    # a cell still open in a table: Ctrl+S commits it and saves (not eaten by the table)
    d = page.directors
    assert d is not None
    page.tabs.setCurrentWidget(d)
    type_text(page.reason, "更正备案日期")
    editor = open_cell(qtbot, d.table, 0, COL_FILED)
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "2023-02-03")
    qtbot.keyClick(editor.line, Qt.Key.Key_S, CTRL)
    assert page.last_save_ok and not page.is_dirty()
    assert committees.load_committees(centre, center_id=centre.first).directors[0].filed == date(2023, 2, 3)
    # a date that cannot be read stops Ctrl+S with the field named
    page.tabs.setCurrentWidget(experts)
    experts.start.line.setFocus()
    qtbot.keyClick(experts.start.line, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(experts.start.line, "2026-02-30")
    qtbot.keyClick(experts.start.line, Qt.Key.Key_S, CTRL)
    assert page.message.text() == "未保存：任期开始日期：“2026-02-30”这一天不存在（2026年2月没有30日）"
    assert not page.is_dirty()
    # with the focus in the roster table (no editor open) Ctrl+S still reaches the window
    experts.start.setDate(date(2026, 1, 1))
    experts.table.setFocus()
    experts.table.setCurrentIndex(experts.model.index(0, 0))
    qtbot.keyClick(experts.table, Qt.Key.Key_S, CTRL)
    assert window.statusBar().currentMessage() == "没有需要保存的修改。"
    assert ui_sql == []


def test_esc_closes_the_pages_dialogs(qtbot: Any, centre: Any, ui_sql: list[str]) -> None:
    from lzcenter_desktop.ui.committees.people import PeopleRegistryDialog

    page = shown_page(qtbot, centre)
    experts = page.experts
    assert experts is not None
    # 人员库
    dialog = page.open_people_registry()
    assert isinstance(dialog, PeopleRegistryDialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=20000)
    dialog.activateWindow()
    dialog.filter.setFocus()
    with qtbot.waitSignal(dialog.finished, timeout=5000) as closed:
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
    assert closed.args == [int(QDialog.DialogCode.Rejected)]
    idle(qtbot, page)
    # 添加委员: Esc in the person dialog adds nobody
    experts.run_dialog = lambda d: (
        QTimer.singleShot(0, lambda: qtbot.keyClick(d, Qt.Key.Key_Escape)),
        d.exec(),
    )[1]
    experts.add_member()
    assert not page.is_dirty() and experts.model.rowCount() == 9
    # 保存 / 不保存 / 取消, naming the record? Esc keeps the edits and the centre
    experts.renew_button.click()
    said = answer_box(qtbot, Qt.Key.Key_Escape)
    page.select_centre(centre.second)
    assert sorted(said[1]) == sorted(["保存(&S)", "不保存(&N)", "取消"]) and said[2] == "保存(&S)"
    assert NAME in said[0]  # the question names the record
    assert (
        page.is_dirty() and page.center_id == centre.first and page.centre_box.currentData() == centre.first
    )
    # 不保存 by its key (N): the other centre opens, the edits are dropped
    said = answer_box(qtbot, Qt.Key.Key_N)
    page.select_centre(centre.second)
    idle(qtbot, page)
    assert said and page.center_id == centre.second and not page.is_dirty()
    # 保存 (S) with the reason typed: the edit is stored, then the other centre opens
    page.select_centre(centre.first)
    qtbot.waitUntil(lambda: page.center_id == centre.first and not page.busy, timeout=20000)
    assert page.experts is not None
    page.experts.renew_button.click()
    assert page.is_dirty()
    type_text(page.reason, "换届")
    page.confirm_errors = lambda errors: True
    said = answer_box(qtbot, Qt.Key.Key_S)
    page.select_centre(centre.second)
    qtbot.waitUntil(lambda: page.center_id == centre.second and not page.busy, timeout=20000)
    assert said and not page.is_dirty()
    stored = committees.load_committees(centre, center_id=centre.first)
    assert len(stored.expert_committee_terms) == 3  # the renewed term was saved before leaving
    assert ui_sql == []
