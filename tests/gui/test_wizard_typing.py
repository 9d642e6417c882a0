"""Issue 12 items 2 and 3 in the declaration wizard: dates typed like Excel in every date field and
every date cell of its grids (the one DateEdit), and the keys a clerk expects — Enter never turns a
page, Ctrl+Enter and Alt+N do, Alt+B goes back, every button has its Alt letter.

Keys are pressed with qtbot on a shown, active wizard (the offscreen platform delivers shortcuts to
the active window only); Chinese is typed through the input-method helper."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWizard

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard, load_new_wizard_data
from lzcenter_desktop.ui.widgets.date_edit import DateEdit
from tests.helpers import type_text


@pytest.fixture(autouse=True)
def fonts(qapp: QApplication) -> None:
    from lzcenter_desktop.ui.fonts import register_application_fonts

    register_application_fonts(qapp)


def active(qtbot: Any, wizard: DeclarationWizard) -> DeclarationWizard:
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    return wizard


@pytest.fixture
def new(qtbot: Any, ctx: Any) -> DeclarationWizard:
    """The wizard of a new 2026 declaration, shown and active."""
    return active(qtbot, DeclarationWizard(ctx, None, data=load_new_wizard_data(ctx, 2026)))


def date_field(wizard: DeclarationWizard, key: str) -> DateEdit:
    edit = wizard.editor(key).input
    assert isinstance(edit, DateEdit)
    return edit


def focus(qtbot: Any, widget: Any) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def go_to(wizard: DeclarationWizard, section: str) -> None:
    while wizard.currentPage() is not wizard.page_for(section):
        wizard.next()


def stored(qtbot: Any, wizard: DeclarationWizard) -> dict[str, Any]:
    qtbot.waitUntil(lambda: wizard.declaration_id is not None and not wizard.has_unsaved_changes())
    did = wizard.declaration_id
    assert did is not None
    return d.get_declaration(wizard.ctx, did).data


# -- dates in the fields --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2026-05-20", "2026/5/20", "20260520"])
def test_a_date_field_takes_what_a_clerk_types_and_tab_leaves_it(
    qtbot: Any, new: DeclarationWizard, typed: str
) -> None:
    edit = date_field(new, "application_date")
    assert edit.line.text() == "" and edit.date() is None  # empty, never 1900 or 2000
    focus(qtbot, edit.line)
    qtbot.keyClicks(edit.line, typed)
    qtbot.keyClick(edit.line, Qt.Key.Key_Tab)
    assert not edit.line.hasFocus()
    assert edit.line.text() == "2026-05-20"
    assert new.editor("application_date").value() == "2026-05-20"
    assert stored(qtbot, new)["application_date"] == "2026-05-20"


def test_a_chinese_date_is_typed_through_the_input_method(qtbot: Any, new: DeclarationWizard) -> None:
    edit = date_field(new, "signature.date")
    type_text(edit.line, "2026年5月20日")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert new.editor("signature.date").value() == "2026-05-20"
    assert new.currentId() == new.pageIds()[0]  # Enter took the date; it did not turn the page


def test_a_day_that_does_not_exist_is_marked_and_the_value_kept(qtbot: Any, new: DeclarationWizard) -> None:
    edit = date_field(new, "application_date")
    focus(qtbot, edit.line)
    qtbot.keyClicks(edit.line, "2026-02-28")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert new.editor("application_date").value() == "2026-02-28"
    edit.line.selectAll()
    qtbot.keyClicks(edit.line, "2026-02-29")  # 2026 is not a leap year
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert "这一天不存在" in edit.error_text()
    assert new.editor("application_date").value() == "2026-02-28"


def test_delete_empties_an_optional_date_but_not_a_required_one(qtbot: Any, ctx: Any) -> None:
    data = d.empty_document(2026)
    data.update(application_date="2026-05-20", previous_revocation_date="2023-04-01")
    did = d.create_draft(ctx, call_year=2026, data=data)
    wizard = active(qtbot, DeclarationWizard(ctx, did))
    optional = date_field(wizard, "previous_revocation_date")
    assert optional.optional
    go_to(wizard, "signature")
    focus(qtbot, optional.line)
    optional.line.selectAll()
    qtbot.keyClick(optional.line, Qt.Key.Key_Delete)
    assert wizard.editor("previous_revocation_date").value() is None
    assert stored(qtbot, wizard)["previous_revocation_date"] is None
    required = date_field(wizard, "application_date")
    assert not required.optional
    wizard.restart()
    focus(qtbot, required.line)
    required.line.selectAll()
    qtbot.keyClick(required.line, Qt.Key.Key_Delete)
    assert wizard.editor("application_date").value() == "2026-05-20"


def test_an_arrow_in_an_empty_date_starts_from_today_never_1900(qtbot: Any, new: DeclarationWizard) -> None:
    import datetime as dt

    edit = date_field(new, "application_date")
    focus(qtbot, edit.line)
    qtbot.keyClick(edit.line, Qt.Key.Key_Up)
    assert new.editor("application_date").value() == (dt.date.today() + dt.timedelta(days=1)).isoformat()


def test_every_date_field_and_date_column_uses_the_one_date_editor(
    qtbot: Any, new: DeclarationWizard
) -> None:
    date_keys = [fd.key for fd in new.form.all_fields() if fd.type == "date"]
    assert len(date_keys) == 5
    for key in date_keys:
        assert isinstance(new.editor(key).input, DateEdit), key
    for table in new.form.all_tables():
        te = new.table_editor(table.key)
        for c, column in enumerate(table.columns):
            if column.type != "date":
                continue
            if te.model.rowCount() == 0:
                te.model.insert_rows(0)
            editor = open_cell(qtbot, new, table.key, 0, c)
            assert editor.optional == (not column.required), (table.key, column.key)
            qtbot.keyClick(editor.line, Qt.Key.Key_Escape)
            qtbot.waitUntil(lambda te=te: not te.view.viewport().findChildren(DateEdit), timeout=2000)


# -- dates in the grids ---------------------------------------------------------------------------


def open_cell(qtbot: Any, wizard: DeclarationWizard, table: str, row: int, column: int) -> DateEdit:
    te = wizard.table_editor(table)
    # an editor closed just before is deleted later (deleteLater): never two at once
    qtbot.waitUntil(lambda: not te.view.viewport().findChildren(DateEdit), timeout=2000)
    focus(qtbot, te.view)
    te.view.setCurrentIndex(te.model.index(row, column))
    qtbot.keyClick(te.view, Qt.Key.Key_F2)
    (editor,) = te.view.viewport().findChildren(DateEdit)
    qtbot.waitUntil(editor.line.hasFocus)
    return editor


@pytest.mark.parametrize("typed", ["1980-02-15", "1980/2/15", "19800215"])
def test_a_birth_date_cell_takes_what_a_clerk_types(qtbot: Any, new: DeclarationWizard, typed: str) -> None:
    go_to(new, "staff")
    te = new.table_editor("staff")
    te.model.insert_rows(0)
    editor = open_cell(qtbot, new, "staff", 0, 1)
    assert editor.line.text() == ""  # an empty cell opens empty, not on 2000-01-01 or today
    qtbot.keyClicks(editor.line, typed)
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: te.model.rows()[0].get("birth_date") == "1980-02-15", timeout=2000)
    assert new.currentPage() is new.page_for("staff")  # Enter took the cell, not the page
    assert stored(qtbot, new)["staff"][0]["birth_date"] == "1980-02-15"


def test_a_chinese_date_in_a_cell_and_tab_moves_on(qtbot: Any, new: DeclarationWizard) -> None:
    go_to(new, "projects")
    te = new.table_editor("projects")
    te.model.insert_rows(0)
    editor = open_cell(qtbot, new, "projects", 0, 3)
    type_text(editor.line, "2025年3月4日")
    qtbot.keyClick(editor.line, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: te.model.rows()[0].get("approved_date") == "2025-03-04", timeout=2000)
    assert te.view.currentIndex().column() == 4  # on to 结束日期


def test_a_cell_that_is_not_a_date_keeps_the_value_and_delete_empties_an_optional_one(
    qtbot: Any, new: DeclarationWizard
) -> None:
    go_to(new, "projects")
    te = new.table_editor("projects")
    te.model.paste("项目甲\t市级\t主持\t2025-01-02\t2026-12-31\n", 0, 0)
    editor = open_cell(qtbot, new, "projects", 0, 3)
    assert editor.line.text() == "2025-01-02"
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "2025-13-01")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not te.view.viewport().findChildren(DateEdit), timeout=2000)
    assert te.model.rows()[0]["approved_date"] == "2025-01-02"
    # 结束日期 is optional: Delete on its whole text empties it
    editor = open_cell(qtbot, new, "projects", 0, 4)
    editor.line.selectAll()
    qtbot.keyClick(editor.line, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "end_date" not in te.model.rows()[0], timeout=2000)
    # the closed editor is deleted later (deleteLater): wait for it before the next cell opens
    qtbot.waitUntil(lambda: not te.view.viewport().findChildren(DateEdit), timeout=2000)
    # 立项日期 is required: Delete keeps it
    editor = open_cell(qtbot, new, "projects", 0, 3)
    editor.line.selectAll()
    qtbot.keyClick(editor.line, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not te.view.viewport().findChildren(DateEdit), timeout=2000)
    assert te.model.rows()[0]["approved_date"] == "2025-01-02"


def test_pasted_dates_are_read_like_typed_ones(qtbot: Any, new: DeclarationWizard) -> None:
    te = new.table_editor("staff")
    problems = te.model.paste("甲\t19800215\t本科\t中级\t否\n乙\t1981年3月4日\t本科\t中级\t否\n", 0, 0)
    assert problems == []
    assert [r["birth_date"] for r in te.model.rows()] == ["1980-02-15", "1981-03-04"]


# -- keys -----------------------------------------------------------------------------------------


def test_enter_in_a_text_field_never_turns_the_page(qtbot: Any, new: DeclarationWizard) -> None:
    first = new.currentId()
    line = new.editor("center.name_zh").input
    assert isinstance(line, QLineEdit)
    focus(qtbot, line)
    type_text(line, "柳州测试工程技术研究中心")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        qtbot.keyClick(line, key)
        QApplication.processEvents()
        assert new.currentId() == first
    combo = new.editor("host.kind").input
    go_to(new, "host")
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert new.currentPage() is new.page_for("host")


def test_ctrl_enter_goes_to_the_next_page_from_a_field(qtbot: Any, new: DeclarationWizard) -> None:
    ids = new.pageIds()
    line = new.editor("center.name_zh").input
    focus(qtbot, line)
    qtbot.keyClick(line, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert new.currentId() == ids[1]
    text = new.editor("host.competent_department").input
    focus(qtbot, text)
    qtbot.keyClick(text, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)  # the keypad's Enter
    assert new.currentId() == ids[2]
    # from a multi-line field, where Enter is a new line: Ctrl+Enter still turns the page
    new.restart()
    direction = new.editor("center.research_direction").input
    focus(qtbot, direction)
    type_text(direction, "工程机械")
    qtbot.keyClick(direction, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert new.currentId() == ids[1]
    assert new.editor("center.research_direction").value() == "工程机械"  # no new line typed


def test_alt_n_and_alt_b_turn_the_pages_and_the_first_field_takes_the_keyboard(
    qtbot: Any, new: DeclarationWizard
) -> None:
    ids = new.pageIds()
    line = new.editor("center.name_zh").input
    focus(qtbot, line)
    qtbot.keyClick(line, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: new.currentId() == ids[1], timeout=3000)  # the button is pressed visibly
    qtbot.waitUntil(new.editor("host.name").input.hasFocus, timeout=3000)
    qtbot.keyClick(new.editor("host.name").input, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: new.currentId() == ids[0], timeout=3000)


def test_every_button_has_an_alt_letter_and_no_two_share_one(qtbot: Any, new: DeclarationWizard) -> None:
    import re

    go_to(new, "signature")
    buttons = [
        new.button(which)
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CustomButton1,
            QWizard.WizardButton.CustomButton2,
            QWizard.WizardButton.CustomButton3,
        )
    ]
    panel = new.page_for("signature").attachments
    assert panel is not None
    buttons += [panel.add_button, panel.remove_button, panel.undo_button, panel.open_button]
    assert new.review_page is not None
    buttons.append(new.review_page.submit_button)
    letters = []
    for b in buttons:
        assert isinstance(b, QPushButton)
        m = re.search(r"\(&([A-Z])\)", b.text())
        assert m is not None, b.text()
        letters.append(m.group(1))
    assert len(set(letters)) == len(letters), letters


def test_ctrl_s_stores_a_date_still_being_typed(qtbot: Any, new: DeclarationWizard) -> None:
    edit = date_field(new, "application_date")
    focus(qtbot, edit.line)
    qtbot.keyClicks(edit.line, "20260610")
    assert new.editor("application_date").value() is None  # still being typed
    qtbot.keyClick(edit.line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert new.editor("application_date").value() == "2026-06-10"
    assert stored(qtbot, new)["application_date"] == "2026-06-10"
    assert edit.line.hasFocus()  # the clerk goes on typing where they were
