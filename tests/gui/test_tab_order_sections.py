"""Tab order and Alt letters on the 委员会, 文档 and 申报 (the declaration wizard) sections (issue 12
item 3): Tab walks the inputs in the order they are read — left to right, top to bottom — skips
what is disabled, and no grid keeps the keyboard: Tab moves from cell to cell as in Excel and leaves
the grid after its last cell (Shift+Tab before its first). Every button shown together has its own
Alt letter, none of the menu bar's. The 中心, 规则, 设置 pages and the 申报 list are checked in
test_keyboard_pages.py and test_declarations_page.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTableView, QWidget

from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from lzcenter_desktop.ui.documents.page import KIND_CERTIFICATE, KIND_LIST, KIND_PLAQUE, DocumentsPage
from tests.gui.committee_centres import AS_OF, add_two_centres
from tests.gui.documents_centres import add_three_centres, open_page, wait_task
from tests.gui.keyboard import ALT, CTRL, focused, names, press, tab_walk, type_keys
from tests.gui.wizard_helpers import open_new

SCREEN = (1366, 768)
MENU_LETTERS = {"F", "E", "V", "H"}  # 文件, 编辑, 视图, 帮助


def activate(qtbot: Any, widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def walk(qtbot: Any, chain: list[QWidget], extra: int = 1) -> list[QWidget]:
    """Tab from the first of ``chain`` as many times as it is long (plus ``extra``)."""
    return tab_walk(qtbot, chain[0], len(chain) - 1 + extra)


def assert_walk(qtbot: Any, chain: list[QWidget], then: QWidget | None = None) -> None:
    """Tab goes through ``chain`` in its order, nothing in between, then to ``then``."""
    seen = walk(qtbot, chain, 1 if then is not None else 0)
    expected = [*chain, then] if then is not None else chain
    assert names(seen) == names(expected)
    assert seen == expected


def last_cell(qtbot: Any, table: QTableView) -> None:
    """Put the keyboard on the grid's last cell (↓ and → as far as they go)."""
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(table.hasFocus)
    press(qtbot, Qt.Key.Key_End, CTRL)
    model = table.model()
    index = table.currentIndex()
    assert (index.row(), index.column()) == (model.rowCount() - 1, model.columnCount() - 1)


def first_cell(qtbot: Any, table: QTableView) -> None:
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(table.hasFocus)
    press(qtbot, Qt.Key.Key_Home, CTRL)
    index = table.currentIndex()
    assert (index.row(), index.column()) == (0, 0)


def alt_letters(root: QWidget, *, besides: tuple[QWidget, ...] = ()) -> dict[str, str]:
    """The Alt letter of every push button shown in ``root`` but ``besides`` (the test fails naming
    one without)."""
    out: dict[str, str] = {}
    for button in root.findChildren(QPushButton):
        text = button.text()
        if not button.isVisible() or not text or button in besides:
            continue
        at = text.find("&")
        assert 0 <= at < len(text) - 1, f"“{text}” has no Alt letter"
        out[text] = text[at + 1].upper()
    return out


def assert_own_letters(root: QWidget, *, besides: tuple[QWidget, ...] = ()) -> None:
    letters = alt_letters(root, besides=besides)
    assert len(set(letters.values())) == len(letters), letters
    assert not set(letters.values()) & MENU_LETTERS, letters


# -- 委员会 ------------------------------------------------------------------------------------------


@pytest.fixture
def committees_page(qtbot: Any, ctx: Any, examples_dir: Path) -> CommitteesPage:
    add_two_centres(ctx, examples_dir)
    page = CommitteesPage(ctx, as_of=AS_OF)
    qtbot.addWidget(page)
    page.resize(*SCREEN)
    activate(qtbot, page)
    page.on_shown(True)
    qtbot.waitUntil(lambda: page.doc is not None and not page.busy, timeout=20000)
    return page


def test_committees_top_rows_read_left_to_right_with_undo_after_an_edit(
    qtbot: Any, committees_page: CommitteesPage
) -> None:
    page = committees_page
    files = [page.import_button, page.export_button, page.excel_button, page.pdf_button, page.people_button]
    tab_bar = page.tabs.tabBar()
    # clean: 撤销 and 重做 are disabled and passed by
    assert_walk(qtbot, [page.centre_box, page.reason, page.save_button, *files, tab_bar])
    # one edit (typed, Tab): 撤销 is where it is shown, between 中心 and 修改原因
    experts = page.experts
    assert experts is not None
    experts.end.line.setFocus()
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_keys(qtbot, "2028/12/30")
    press(qtbot, Qt.Key.Key_Tab)
    assert page.is_dirty() and page.undo_button.isEnabled() and not page.redo_button.isEnabled()
    assert_walk(qtbot, [page.centre_box, page.undo_button, page.reason, page.save_button, *files, tab_bar])
    # after 撤销 (Ctrl+Z) 重做 follows it
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert page.redo_button.isEnabled()
    assert_walk(qtbot, [page.centre_box, page.redo_button, page.reason, page.save_button])
    page.discard_changes()


def test_the_expert_committee_tab_reads_term_buttons_dates_then_the_roster(
    qtbot: Any, committees_page: CommitteesPage
) -> None:
    experts = committees_page.experts
    assert experts is not None
    committees_page.tabs.setCurrentWidget(experts)
    assert not experts.first_button.isVisible()  # terms exist: 设立首届 is hidden and passed by
    buttons = [experts.renew_button, experts.add_button, experts.remove_button, experts.up_button]
    dates = [experts.start.line, experts.end.line, experts.filed.line, experts.join_day.line]
    chain = [committees_page.tabs.tabBar(), experts.term_box, *buttons, experts.down_button, *dates]
    assert_walk(qtbot, chain, experts.table)
    # in the roster Tab goes from cell to cell; after the last cell it leaves for what follows
    first_cell(qtbot, experts.table)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is experts.table and experts.table.currentIndex().column() == 1
    last_cell(qtbot, experts.table)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not experts.table and experts.isAncestorOf(focused())
    assert focused() in (experts.unit_bar.yes, experts.problems)
    # Shift+Tab on the first cell goes back to 增补委员任职自
    first_cell(qtbot, experts.table)
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is experts.join_day.line


def test_the_management_tab_reads_the_check_box_and_buttons_before_the_table(
    qtbot: Any, committees_page: CommitteesPage
) -> None:
    management = committees_page.management
    assert management is not None
    committees_page.tabs.setCurrentWidget(management)
    assert management.exists.isChecked() and management.add_button.isEnabled()
    chain = [
        committees_page.tabs.tabBar(),
        management.exists,
        management.add_button,
        management.remove_button,
    ]
    assert_walk(qtbot, chain, management.table)
    last_cell(qtbot, management.table)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() in (management.unit_bar.yes, management.problems)


def test_the_director_tab_reads_its_buttons_before_the_table(
    qtbot: Any, committees_page: CommitteesPage
) -> None:
    directors = committees_page.directors
    assert directors is not None
    committees_page.tabs.setCurrentWidget(directors)
    chain = [committees_page.tabs.tabBar(), directors.appoint_button, directors.remove_button]
    assert_walk(qtbot, chain, directors.table)
    last_cell(qtbot, directors.table)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is directors.problems


def test_the_meetings_tab_reaches_the_attendance_list(qtbot: Any, committees_page: CommitteesPage) -> None:
    meetings = committees_page.meetings
    assert meetings is not None
    committees_page.tabs.setCurrentWidget(meetings)
    assert meetings.model.rowCount() > 0
    chain = [
        committees_page.tabs.tabBar(),
        meetings.committee_box,
        meetings.day.line,
        meetings.add_button,
        meetings.remove_button,
        meetings.table,  # a list of meetings to pick from: Tab leaves it at once
        meetings.attendees,
    ]
    assert_walk(qtbot, chain, meetings.problems)


def test_every_committee_button_shown_has_its_own_alt_letter(
    qtbot: Any, committees_page: CommitteesPage
) -> None:
    page = committees_page
    keyed = (page.save_button, page.undo_button, page.redo_button)  # Ctrl+S, Ctrl+Z, Ctrl+Y
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        assert_own_letters(page, besides=keyed)
    # Alt+A on the roster: 添加委员, its dialog (Esc there adds nobody)
    experts = page.experts
    assert experts is not None
    page.tabs.setCurrentWidget(experts)
    opened: list[str] = []

    def run(dialog: QDialog) -> int:
        opened.append(dialog.windowTitle())
        return int(QDialog.DialogCode.Rejected)

    experts.run_dialog = run
    experts.term_box.setFocus()
    press(qtbot, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: opened == ["添加委员"])
    assert not page.is_dirty()


# -- 文档 --------------------------------------------------------------------------------------------


@pytest.fixture
def documents_page(qtbot: Any, ctx: Any) -> DocumentsPage:
    add_three_centres(ctx)
    page = open_page(qtbot, ctx)
    page.resize(*SCREEN)
    activate(qtbot, page)
    return page


def test_the_documents_page_reads_the_choices_then_the_buttons_then_the_preview(
    qtbot: Any, documents_page: DocumentsPage
) -> None:
    page = documents_page
    common = [page.kind_combo, page.search_edit, page.center_combo, page.font_combo]
    certificate = [page.seal_guide_check, page.batch_combo, page.merge_check, page.batch_button]
    # nothing generated yet: 另存为 and 打印 are disabled and passed by
    assert page.kind() == KIND_CERTIFICATE
    assert_walk(qtbot, [*common, *certificate, page.generate_button, page.verify_button], page.view)
    # a plaque: its size (the width and height only for 自定义), bleed, proof
    page.set_kind(KIND_PLAQUE)
    plaque = [page.size_combo, page.bleed_check, page.proof_check]
    assert_walk(qtbot, [*common, *plaque, page.generate_button], page.verify_button)
    page.size_combo.setCurrentIndex(page.size_combo.findData("自定义"))
    custom = [page.size_combo, page.width_spin, page.height_spin, page.bleed_check]
    assert_walk(qtbot, [page.font_combo, *custom])
    # a list: no centre to choose (passed by); 名单, 年度, 批次, 文号
    page.set_kind(KIND_LIST)
    options = page.list_options
    listed = [options.list_combo, options.year_combo]
    if options.batch_combo.isVisible() and options.batch_combo.isEnabled():
        listed.append(options.batch_combo)
    assert_walk(qtbot, [page.kind_combo, page.font_combo, *listed, options.doc_no_edit, page.generate_button])


def test_after_generating_save_and_print_follow_generate(qtbot: Any, documents_page: DocumentsPage) -> None:
    page = documents_page
    page.generate_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, Qt.Key.Key_Space)  # the focused button, pressed with the keyboard
    wait_task(qtbot, page)
    qtbot.waitUntil(page.save_button.isEnabled, timeout=20000)
    assert_walk(qtbot, [page.generate_button, page.save_button, page.print_button, page.verify_button])


def test_every_documents_button_has_its_own_alt_letter_and_alt_g_generates(
    qtbot: Any, documents_page: DocumentsPage
) -> None:
    page = documents_page
    page.save_button.setEnabled(True)  # shown disabled until a document is generated: counted too
    for kind in (KIND_CERTIFICATE, KIND_PLAQUE, KIND_LIST):
        page.set_kind(kind)
        assert_own_letters(page)
    page.set_kind(KIND_CERTIFICATE)
    page.save_button.setEnabled(False)
    page.kind_combo.setFocus()
    press(qtbot, Qt.Key.Key_G, ALT)  # 生成并预览
    qtbot.waitUntil(lambda: page.last_task is not None, timeout=5000)
    wait_task(qtbot, page)
    qtbot.waitUntil(page.print_button.isEnabled, timeout=20000)


# -- 申报: the declaration wizard ---------------------------------------------------------------------


@pytest.fixture
def wizard(qtbot: Any, ctx: Any) -> DeclarationWizard:
    _page, new = open_new(qtbot, ctx)
    activate(qtbot, new)
    return new


def fields(wizard: DeclarationWizard, *keys: str) -> list[QWidget]:
    return [wizard.editor(k).focus_widget() for k in keys]


def test_the_first_page_of_a_new_declaration_reads_its_fields_in_order(
    qtbot: Any, wizard: DeclarationWizard
) -> None:
    page = wizard.page_for("center")
    keys = [fd.key for fd in page.section.fields]
    assert keys[0] == "application_date" and keys[-1] == "center.rd_org_established"
    assert focused() is wizard.editor(keys[0]).focus_widget()  # the keyboard starts in the first field
    chain = [*fields(wizard, *keys), page.summary]
    assert_walk(qtbot, chain, wizard.button(wizard.WizardButton.NextButton))


def test_the_host_page_reads_its_fields_in_order(qtbot: Any, wizard: DeclarationWizard) -> None:
    press(qtbot, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: the next page, the keyboard in its first field
    page = wizard.page_for("host")
    assert wizard.currentPage() is page
    keys = [fd.key for fd in page.section.fields]
    assert focused() is wizard.editor(keys[0]).focus_widget()
    assert_walk(qtbot, [*fields(wizard, *keys), page.summary])
