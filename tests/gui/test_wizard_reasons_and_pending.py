"""The declaration wizard's warning reasons and pending changes (issue 4): a typed reason is kept and
shown again, a pending edit is saved when the window loses focus or the application quits, a new
draft links no centre, and the 申报 list is read in the background."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWizard

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from tests.gui.wizard_helpers import loaded, open_new, opened, stored, type_into
from tests.helpers import type_text


@pytest.fixture(autouse=True)
def fonts(qapp: QApplication) -> None:
    from lzcenter_desktop.ui.fonts import register_application_fonts

    register_application_fonts(qapp)


def _warned_draft(ctx: Any, example: dict[str, Any]) -> int:
    data = json.loads(json.dumps(example))
    data["center"]["equipment"] = []  # D9.5b is a warning
    return d.import_declaration_data(ctx, data=data).declaration_id


def test_a_typed_warning_reason_is_there_after_reopening(
    qtbot: Any, ctx: Any, example: dict[str, Any]
) -> None:
    did = _warned_draft(ctx, example)
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    wizard = opened(qtbot, page, lambda: page.open_wizard(did))
    while wizard.currentPage() is not wizard.review_page:
        wizard.button(QWizard.WizardButton.NextButton).click()
    review = wizard.review_page
    assert review is not None and not review.submit_button.isEnabled()
    row = next(i for i, v in enumerate(wizard.violations) if v.rule == "D9.5b")
    # type the reason into the row's 确认理由 cell as the clerk does
    review.table.setFocus()
    review.table.setCurrentCell(row, 5)
    qtbot.keyClick(review.table, Qt.Key.Key_F2)
    (editor,) = review.table.viewport().findChildren(QLineEdit)
    type_text(editor, "设备在租用的公共平台")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.list_acknowledgements(ctx, declaration_id=did) != {}, timeout=3000)
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=3000)
    wizard.close()
    # reopen: the reason is shown again and 提交 is enabled without typing it again
    again = opened(qtbot, page, lambda: page.open_wizard(did))
    resumed = again.review_page
    assert resumed is not None
    row = next(i for i, v in enumerate(again.violations) if v.rule == "D9.5b")
    item = resumed.table.item(row, 5)
    assert item is not None and item.text() == "设备在租用的公共平台"
    assert resumed.submit_button.isEnabled()
    resumed.submit_button.click()
    qtbot.waitUntil(lambda: again.submitted, timeout=10000)
    assert d.get_declaration(ctx, did).status == "submitted"


def test_a_reason_that_is_too_long_is_refused_with_a_message(
    qtbot: Any, ctx: Any, example: dict[str, Any]
) -> None:
    did = _warned_draft(ctx, example)
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    warning = next(v for v in wizard.violations if v.rule == "D9.5b")
    review = wizard.review_page
    assert review is not None
    review.set_reason(warning, "理" * 201)
    qtbot.waitUntil(lambda: "确认理由过长" in wizard.save_status, timeout=10000)
    assert not review.submit_button.isEnabled()
    assert d.list_acknowledgements(ctx, declaration_id=did) == {}
    review.set_reason(warning, "理" * 200)
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=10000)
    assert d.list_acknowledgements(ctx, declaration_id=did) == {d.violation_key(warning): "理" * 200}
    review.set_reason(warning, "")  # clearing it withdraws the acknowledgement
    qtbot.waitUntil(lambda: not review.submit_button.isEnabled(), timeout=10000)
    assert d.list_acknowledgements(ctx, declaration_id=did) == {}


def test_pending_edit_is_saved_when_the_window_loses_focus(qtbot: Any, ctx: Any) -> None:
    did = d.create_draft(ctx, call_year=2026)
    wizard = DeclarationWizard(ctx, did, save_delay_ms=600_000)  # the pause never ends in this test
    qtbot.addWidget(wizard)
    type_into(wizard, "host.name", "柳州某某重工股份有限公司")
    assert wizard.has_unsaved_changes()
    assert d.get_declaration(ctx, did).data["host"]["name"] == ""
    assert not wizard.isActiveWindow()
    QApplication.sendEvent(wizard, QEvent(QEvent.Type.ActivationChange))
    stored(qtbot, wizard)  # handed over at once, written on the write thread
    assert d.get_declaration(ctx, did).data["host"]["name"] == "柳州某某重工股份有限公司"


@pytest.mark.parametrize("trigger", ["quit", "background"])
def test_pending_edit_is_saved_when_the_application_quits_or_goes_to_the_background(
    qtbot: Any, ctx: Any, qapp: QApplication, trigger: str
) -> None:
    did = d.create_draft(ctx, call_year=2026)
    wizard = DeclarationWizard(ctx, did, save_delay_ms=600_000)
    qtbot.addWidget(wizard)
    type_into(wizard, "center.name_zh", "柳州测试工程技术研究中心")
    assert wizard.has_unsaved_changes()
    if trigger == "quit":
        qapp.aboutToQuit.emit()  # quitting waits until it is written
    else:
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
        stored(qtbot, wizard)
    assert not wizard.has_unsaved_changes()
    assert d.get_declaration(ctx, did).data["center"]["name_zh"] == "柳州测试工程技术研究中心"


def test_nothing_is_saved_without_an_edit(qtbot: Any, ctx: Any) -> None:
    did = d.create_draft(ctx, call_year=2026)
    wizard = DeclarationWizard(ctx, did, save_delay_ms=600_000)
    qtbot.addWidget(wizard)
    assert not wizard.has_unsaved_changes()
    saved: list[None] = []
    wizard.saved.connect(lambda: saved.append(None))
    QApplication.sendEvent(wizard, QEvent(QEvent.Type.ActivationChange))
    wizard.close()
    assert saved == []


def test_a_new_draft_adds_no_centre_and_no_organization(qtbot: Any, ctx: Any) -> None:
    from sqlmodel import select

    from lzcenter_desktop.services import centers
    from lzcenter_desktop.storage.models import Organization

    _, wizard = open_new(qtbot, ctx)
    type_into(wizard, "center.name_zh", "柳州测试工程技术研究中心")
    type_into(wizard, "host.name", "柳州某某重工股份有限公司")
    wizard.save_now()
    stored(qtbot, wizard)
    assert d.get_declaration(ctx, wizard.declaration_id).data["host"]["name"] == "柳州某某重工股份有限公司"
    assert centers.list_centers(ctx) == []
    with ctx.db.session() as s:
        assert list(s.execute(select(Organization)).scalars()) == []


def test_the_list_is_read_in_the_background(
    qtbot: Any, ctx: Any, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    d.import_declaration_data(ctx, data=example)
    real = d.list_declarations
    gate = threading.Event()
    threads: list[int] = []

    def slow(*args: Any, **kwargs: Any) -> list[d.DeclarationRow]:
        # get_ident, not current_thread(): that would register a lasting dummy Thread for Qt's worker
        threads.append(threading.get_ident())
        assert gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(d, "list_declarations", slow)
    page = DeclarationsPage(ctx)  # returns while the list is still being read
    qtbot.addWidget(page)
    assert page.loading and page.table.rowCount() == 0
    gate.set()
    loaded(qtbot, page)
    errors = page.table.item(0, 7)
    assert page.table.rowCount() == 1 and errors is not None and errors.text() == "0"
    assert threads and threading.main_thread().ident not in threads


def test_a_later_refresh_wins_over_an_earlier_one(
    qtbot: Any, ctx: Any, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    real = d.list_declarations
    first_gate = threading.Event()
    calls: list[int] = []

    def gated(*args: Any, **kwargs: Any) -> list[d.DeclarationRow]:
        calls.append(1)
        if len(calls) == 1:
            assert first_gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(d, "list_declarations", gated)
    first = page.refresh()  # reads before the import: an empty list
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5000)
    did = d.import_declaration_data(ctx, data=example).declaration_id
    second = page.refresh(select=did)
    assert second.wait(10)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    first_gate.set()
    assert first.wait(10)
    qtbot.waitUntil(lambda: first.is_finished, timeout=5000)
    assert page.table.rowCount() == 1 and page.selected_ids() == [did]


def test_a_reason_still_being_typed_is_stored_when_the_application_quits(
    qtbot: Any, ctx: Any, qapp: QApplication, example: dict[str, Any]
) -> None:
    did = _warned_draft(ctx, example)
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    wizard.show()
    while wizard.currentPage() is not wizard.review_page:
        wizard.button(QWizard.WizardButton.NextButton).click()
    review = wizard.review_page
    assert review is not None
    row = next(i for i, v in enumerate(wizard.violations) if v.rule == "D9.5b")
    review.table.setFocus()
    review.table.setCurrentCell(row, 5)
    qtbot.keyClick(review.table, Qt.Key.Key_F2)
    (editor,) = review.table.viewport().findChildren(QLineEdit)
    type_text(editor, "设备在租用的公共平台")
    assert d.list_acknowledgements(ctx, declaration_id=did) == {}  # the cell is still open
    qapp.aboutToQuit.emit()
    assert d.list_acknowledgements(ctx, declaration_id=did) == {
        "D9.5b|center.equipment": "设备在租用的公共平台"
    }


def test_every_keystroke_is_saved_without_waiting_for_a_pause(
    qtbot: Any, ctx: Any, example: dict[str, Any]
) -> None:
    """Issue 4: every change is saved at once — no pause in typing is needed (issue 11: on the
    write thread, so the keystroke itself never waits)."""
    did = d.import_declaration_data(ctx, data=json.loads(json.dumps(example))).declaration_id
    wizard = DeclarationWizard(ctx, did)  # the default, as a clerk gets it
    qtbot.addWidget(wizard)
    line = wizard.editor("host.credit_code").input
    assert isinstance(line, QLineEdit)
    line.setFocus()
    line.end(False)
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert wizard.save_status == "正在保存…"
    qtbot.waitUntil(
        lambda: d.get_declaration(ctx, did).data["host"]["credit_code"] == "91450205MA5N8R2T4", timeout=5000
    )
    qtbot.keyClicks(line, "M")
    qtbot.waitUntil(
        lambda: d.get_declaration(ctx, did).data["host"]["credit_code"] == "91450205MA5N8R2T4M", timeout=5000
    )
    qtbot.waitUntil(lambda: wizard.save_status == "已自动保存", timeout=5000)


def test_the_wizard_flags_a_revocation_the_applicant_left_blank(
    qtbot: Any, ctx: Any, example: dict[str, Any]
) -> None:
    from records import REVOCATION_NO, revoke_a_centre_of

    revoke_a_centre_of(ctx, name=example["host"]["name"], code=example["host"]["credit_code"])
    early = dict(example, application_date="2026-06-09", previous_revocation_date=None)
    wizard = DeclarationWizard(ctx, d.create_draft(ctx, call_year=2026, data=early))
    qtbot.addWidget(wizard)
    (found,) = [v for v in wizard.violations if v.rule == "D25"]
    assert REVOCATION_NO in found.message and found.severity.value == "error"
