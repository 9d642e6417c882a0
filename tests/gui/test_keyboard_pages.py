"""Keys a clerk expects on the 中心, 规则 and 设置 pages and their dialogs (issue 12 item 3): Tab walks
the inputs in the order they are read, Alt+letter reaches a button or a field, Esc closes every
dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from lzcenter_desktop.services import backup, organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.services.errors import EnvironmentProblem
from lzcenter_desktop.storage.errors import DatabaseCorrupt
from lzcenter_desktop.ui.dialogs import crash, errors
from lzcenter_desktop.ui.dialogs.damaged import DamagedDatabaseDialog
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.pages.centers import CentersPage
from lzcenter_desktop.ui.pages.rules import RulesPage
from lzcenter_desktop.ui.pages.settings import SaveVersionDialog, SettingsPage

ALT = Qt.KeyboardModifier.AltModifier


def activate(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def tab_walk(qtbot, start: QWidget, presses: int) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """The widgets that have the focus as Tab is pressed ``presses`` times from ``start``."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen = [start]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def in_order(seen: list[QWidget], expected: list[QWidget]) -> list[QWidget]:
    """``seen`` restricted to the ``expected`` widgets, first visits only."""
    out: list[QWidget] = []
    for w in seen:
        if w in expected and w not in out:
            out.append(w)
    return out


# -- Tab order -------------------------------------------------------------------------------------


def test_tab_on_the_centres_page_goes_filter_district_industry_status_list(qtbot, ctx) -> None:
    page = CentersPage(ctx)
    qtbot.addWidget(page)
    activate(qtbot, page)
    main = [page.filter_edit, page.district_combo, page.industry_combo, page.status_combo, page.table]
    seen = tab_walk(qtbot, page.filter_edit, len(main))
    assert seen == [*main, page.filter_edit]  # nothing in between, and round again


def test_tab_on_the_rules_page_goes_search_year_list_parameters(qtbot, ctx) -> None:
    page = RulesPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.settings_loaded):
        page.refresh()
    activate(qtbot, page)
    assert page.select_rule("D9.3a")  # a rule with a parameter: its table is shown
    main = [page.search_edit, page.year_combo, page.table, page.params_table]
    seen = tab_walk(qtbot, page.search_edit, 6)
    assert seen[:4] == main
    assert in_order(seen, main) == main


def test_tab_on_the_settings_page_goes_year_every_parameter_buttons_history_backup(qtbot, ctx) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    with qtbot.waitSignal(page.settings_loaded):
        page.refresh()
    activate(qtbot, page)
    editors = [row.editor for row in page.rows.values()]
    # Clean: 撤销修改 and 保存为新版本 are disabled, so Tab passes them by.
    # A server database is backed up by its administrator: 立即备份 is disabled there, Tab passes it.
    backup = [page.backup_button] if ctx.db.path is not None else []
    assert page.backup_button.isEnabled() == bool(backup)
    main = [page.year_spin, *editors, page.defaults_button, page.history_table, *backup]
    seen = tab_walk(qtbot, page.year_spin, len(main) + 2)
    assert in_order(seen, main) == main
    assert seen[: len(editors) + 2] == [page.year_spin, *editors, page.defaults_button][: len(editors) + 2]
    # With an edit: the year is locked, the two buttons join in after 填入办法默认值.
    page.rows["min_staff"].editor.setFocus()
    qtbot.keyClick(page.rows["min_staff"].editor, Qt.Key.Key_End)
    qtbot.keyClicks(page.rows["min_staff"].editor, "0")
    assert page.is_dirty()
    seen = tab_walk(qtbot, editors[-1], 4)
    assert seen[1:4] == [page.defaults_button, page.revert_button, page.save_button]
    page.revert()


# -- Alt mnemonics ---------------------------------------------------------------------------------


def mnemonic(text: str) -> str:
    at = text.find("&")
    assert at >= 0 and at + 1 < len(text), f"“{text}” has no Alt letter"
    return text[at + 1].upper()


def test_every_button_of_the_settings_page_has_its_own_alt_letter(qtbot, ctx) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    letters = [mnemonic(b.text()) for b in page.findChildren(QAbstractButton) if b.text()]
    assert len(letters) == 4  # 填入办法默认值, 撤销修改, 保存为新版本, 立即备份
    assert len(set(letters)) == len(letters)


def test_alt_letters_reach_the_centre_filters(qtbot, ctx) -> None:
    page = CentersPage(ctx)
    qtbot.addWidget(page)
    activate(qtbot, page)
    page.table.setFocus()
    for key, widget in (
        (Qt.Key.Key_Q, page.district_combo),
        (Qt.Key.Key_C, page.industry_combo),
        (Qt.Key.Key_T, page.status_combo),
        (Qt.Key.Key_S, page.filter_edit),
    ):
        qtbot.keyClick(QApplication.focusWidget(), key, ALT)
        assert widget.hasFocus(), widget.objectName()


def test_alt_s_on_the_settings_page_opens_the_save_dialog(qtbot, ctx) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.settings_loaded):
        page.refresh()
    activate(qtbot, page)
    line = page.rows["min_staff"].editor
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_End)
    qtbot.keyClicks(line, "0")
    qtbot.keyClick(line, Qt.Key.Key_S, ALT)  # the button is clicked (animated) a moment later
    qtbot.waitUntil(lambda: getattr(page, "save_dialog", None) is not None and page.save_dialog.isVisible())
    qtbot.keyClick(page.save_dialog, Qt.Key.Key_Escape)
    page.revert()


def test_the_buttons_of_the_dialogs_have_alt_letters(qtbot, tmp_path: Path) -> None:
    save = SaveVersionDialog(2026, 1, ["固定研究开发人员最少人数：8 → 9"])
    qtbot.addWidget(save)
    assert mnemonic(save.confirm_button.text()) == "O"
    damaged = DamagedDatabaseDialog(tmp_path / "x.sqlite", DatabaseCorrupt("损坏"), read_only=True)
    qtbot.addWidget(damaged)
    buttons = [damaged.restore_button, damaged.folder_button, damaged.close_button]
    assert len({mnemonic(b.text()) for b in buttons}) == 3


# -- Esc closes every dialog ---------------------------------------------------------------------------


def test_esc_closes_the_save_dialog_and_saves_nothing(qtbot, ctx) -> None:
    dialog = SaveVersionDialog(2026, 1, ["固定研究开发人员最少人数：8 → 9"])
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.note_edit.setFocus()  # even from inside the note
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


@pytest.fixture
def damaged_db(tmp_path: Path) -> Path:
    path = tmp_path / "lzcenter.sqlite"
    ctx = open_app(str(path))
    try:
        organizations.create_organization(ctx, name="柳州恒锐机械有限公司", kind="enterprise")
        backup.backup_now(ctx)
    finally:
        ctx.db.dispose()
    return path


@pytest.mark.sqlite_only  # the damaged-file dialog lists the SQLite file's own file backups
def test_esc_closes_the_damaged_database_dialog_and_its_confirmation(qtbot, damaged_db: Path) -> None:
    dialog = DamagedDatabaseDialog(damaged_db, DatabaseCorrupt("损坏"), read_only=True)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # the backups are listed on a worker thread
    dialog.restore_button.click()
    box = dialog.confirmation
    assert box is not None and box.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc is 取消: nothing restored
    qtbot.waitUntil(lambda: dialog.confirmation is None)
    assert dialog.report is None and dialog.isVisible()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_esc_closes_the_crash_dialog_and_a_problem_box(qtbot) -> None:
    try:
        raise KeyError("测试")
    except KeyError as exc:
        dialog = crash.handle_crash(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: crash.current_crash_dialog() is None or not dialog.isVisible())
    box = errors.show_environment_problem(EnvironmentProblem("磁盘已满的说明", title="磁盘空间不足"))
    qtbot.waitUntil(box.isVisible)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: errors.open_message_boxes() == [])


def test_esc_closes_the_about_box(qtbot, ctx) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    activate(qtbot, window)
    window.show_about()
    box = window.about_box
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
