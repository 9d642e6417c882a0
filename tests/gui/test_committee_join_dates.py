"""A member added to a running term of the 专家指导委员会 (届中增补, issue 12 item 10): the roster editor
takes the first day in office (today by default, typed like Excel), shows it, lets the clerk correct
it, and the meetings held before it do not count that member (M16b)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog

from lzcenter_desktop.domain.interchange import parse_committees
from lzcenter_desktop.domain.model import Committees
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees.common import PersonDialog
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.committees.meetings import COL_PRESENT, MeetingsEditor
from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.committees.roster import COL_JOINED, ExpertCommitteeEditor
from lzcenter_desktop.ui.widgets.date_edit import DateEdit
from tests.gui.committee_centres import add_two_centres
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text

AS_OF = date(2026, 11, 26)  # "today": the example's second term runs 2026-01-01 – 2028-12-31
ORGS = [OrganizationChoice(1, "柳州某某汽车有限公司", "91450200MA5K3L7Q58")]


@pytest.fixture
def example(examples_dir: Path) -> Committees:
    return parse_committees(json.loads((examples_dir / "committees.json").read_text(encoding="utf-8")))


def make_editor(qtbot: Any, value: Committees) -> ExpertCommitteeEditor:
    editor = ExpertCommitteeEditor(CommitteeDocument(value, as_of=AS_OF), ORGS)
    qtbot.addWidget(editor)
    editor.resize(1100, 600)
    editor.show()
    return editor


def new_member(name: str) -> Any:
    """A ``run_dialog`` typing a new person (同济大学, born 1970-01-01) and pressing 确定."""

    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, PersonDialog)
        type_text(dialog.name, name)
        type_text(dialog.birth.line, "1970-01-01")
        line = dialog.organization.lineEdit()
        assert line is not None
        type_text(line, "同济大学")
        dialog.category.setCurrentText("高等院校")
        dialog.accept()
        return int(dialog.result())

    return run


def retype(edit: DateEdit, text: str) -> None:
    """Replace what the date field holds with ``text``, typed."""
    edit.line.selectAll()
    edit.line.del_()
    type_text(edit.line, text)


def type_in_cell(qtbot: Any, editor: ExpertCommitteeEditor, row: int, text: str) -> None:
    """F2 on the member's 任职起始 cell, the text typed (empty: the date deleted), Enter."""
    index = editor.model.index(row, COL_JOINED)
    editor.table.setFocus()
    editor.table.setCurrentIndex(index)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    cell = editor.table.indexWidget(index)
    assert isinstance(cell, DateEdit)
    qtbot.waitUntil(cell.line.hasFocus)
    retype(cell, text)
    qtbot.keyClick(cell.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState)


def test_a_member_added_to_a_running_term_joins_today(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    assert editor.term_index == 1 and editor.join_day.date() == AS_OF  # the running term: today
    editor.run_dialog = new_member("韩新")
    editor.add_button.click()
    t = editor.doc.value.expert_committee_terms[1]
    assert t.members[-1] != t.members[0] and t.joined == ((t.members[-1], AS_OF),)
    assert editor.model.index(9, COL_JOINED).data() == "2026-11-26（增补）"
    assert editor.model.index(0, COL_JOINED).data() == "2026-01-01（届初）"
    tip = editor.model.index(9, COL_JOINED).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "届中增补：自 2026-11-26 起任委员，此前召开的会议不计入其出席"
    assert "届中增补 1 人：韩新（2026-11-26 起），此前的会议不计入" in editor.banner.texts()
    assert editor.doc.undo_stack.undoText() == "添加委员韩新（2026-11-26 起）"
    editor.doc.undo_stack.undo()
    assert editor.doc.value == example and editor.model.rowCount() == 9


@pytest.mark.parametrize(
    ("typed", "present"),
    [
        ("2026/5/31", "9/10"),  # joined the day before the 2026-06-01 meeting: on its roster
        ("2026年6月1日", "9/10"),  # on the meeting's day: on its roster
        ("20260602", "9/9"),  # the day after: not on it
    ],
)
def test_the_meeting_counts_a_member_from_the_day_they_joined(
    qtbot: Any, example: Committees, typed: str, present: str
) -> None:
    editor = make_editor(qtbot, example)
    meetings = MeetingsEditor(editor.doc)
    qtbot.addWidget(meetings)
    retype(editor.join_day, typed)  # typed, not yet committed: 添加委员 takes it
    editor.run_dialog = new_member("韩新")
    editor.add_button.click()
    assert editor.error.isHidden()
    meetings.committee_box.setCurrentIndex(1)  # 专家指导委员会
    row = [r.meeting.date for r in meetings.model.refs].index(date(2026, 6, 1))
    assert meetings.model.index(row, COL_PRESENT).data() == present
    meetings.table.selectRow(row)
    listed = [meetings.attendees.item(i).text() for i in range(meetings.attendees.count())]
    assert any(text.startswith("韩新") for text in listed) is (present == "9/10")


def test_the_first_day_is_corrected_in_its_cell(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    type_in_cell(qtbot, editor, 1, "2026-03-01")
    t = editor.doc.value.expert_committee_terms[1]
    assert t.joined == ((t.members[1], date(2026, 3, 1)),)
    assert editor.model.index(1, COL_JOINED).data() == "2026-03-01（增补）"
    assert editor.doc.undo_stack.undoText() == "修改陈二的任职起始日期"
    # after the term's end: refused, naming the field; the record keeps its date
    type_in_cell(qtbot, editor, 1, "2029-01-01")
    assert editor.error.text() == (
        "任职起始日期：2029-01-01 晚于专家指导委员会第2届任期结束日期 2028-12-31，请填写任期内的日期"
    )
    assert editor.doc.value.expert_committee_terms[1].joined == t.joined
    # emptied: a member from the term's start again
    type_in_cell(qtbot, editor, 1, "")
    assert editor.doc.value.expert_committee_terms[1].joined == ()
    assert editor.model.index(1, COL_JOINED).data() == "2026-01-01（届初）" and editor.error.isHidden()


def test_a_past_term_offers_its_start_and_refuses_a_day_after_it(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    editor.term_box.setCurrentIndex(0)  # 2023-01-01 – 2025-12-31, recorded afterwards
    assert editor.join_day.date() == date(2023, 1, 1)
    retype(editor.join_day, "2026-01-01")
    editor.run_dialog = new_member("韩新")
    editor.add_button.click()
    assert editor.error.text() == (
        "未添加韩新：任职起始日期：2026-01-01 晚于专家指导委员会第1届任期结束日期 2025-12-31，"
        "请填写任期内的日期"
    )
    assert editor.doc.value == example and not editor.doc.undo_stack.canUndo()


def test_a_term_cannot_end_before_a_member_joined(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    editor.run_dialog = new_member("韩新")
    editor.add_button.click()
    retype(editor.end, "2026-11-25")
    assert editor.end.commit()
    assert editor.error.text() == (
        "任期结束日期：2026-11-25 早于委员韩新的任职起始日期 2026-11-26，未修改；请先核对该委员的任职起始日期"
    )
    assert editor.doc.value.expert_committee_terms[1].end == date(2028, 12, 31)
    assert editor.end.date() == date(2028, 12, 31)  # the field shows the record again


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def test_saving_keeps_the_first_day_of_a_member_who_joined_mid_term(
    qtbot: Any, ctx: Any, examples_dir: Path, ui_sql: list[str]
) -> None:
    """The first day in office of a member added to the running term is saved and read back: the page
    shows it after the reload, with no note about anything not kept."""
    add_two_centres(ctx, examples_dir)
    page = CommitteesPage(ctx, as_of=AS_OF)
    qtbot.addWidget(page)
    page.show()
    page.on_shown(True)
    qtbot.waitUntil(lambda: not page.busy and page.experts is not None, timeout=20000)
    assert page.experts is not None
    page.experts.run_dialog = new_member("韩新")
    page.experts.add_button.click()
    page.confirm_errors = lambda errors: True  # 10 members: M14b, saved anyway
    type_text(page.reason, "届中增补委员")
    with qtbot.waitSignal(page.save_finished, timeout=20000) as saved:
        assert page.save()
    assert saved.args == [True]
    assert page.message.text() == "已保存（原因：届中增补委员），修改已记入审计日志。"
    assert page.doc is not None
    joined = page.doc.value.expert_committee_terms[1].joined
    assert [(page.doc.value.person(p).name, day) for p, day in joined] == [("韩新", AS_OF)]
    assert ui_sql == []
