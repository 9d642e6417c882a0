"""Helpers shared by the wizard's GUI tests: open a wizard from the 申报 page and wait for what runs
in the background (never for a time)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from tests.helpers import type_text


def loaded(qtbot: Any, page: DeclarationsPage) -> None:
    """Wait until the list, read in the background, is on the page."""
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)


def opened(qtbot: Any, page: DeclarationsPage, start: Any) -> DeclarationWizard:
    """Run ``start()`` (which opens a wizard in the background) and return the wizard once shown."""
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        start()
    wizard = blocker.args[0]
    assert isinstance(wizard, DeclarationWizard)
    qtbot.addWidget(wizard)
    return wizard


def open_new(qtbot: Any, ctx: Any) -> tuple[DeclarationsPage, DeclarationWizard]:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    return page, opened(qtbot, page, lambda: page.new_declaration(2026))


def stored(qtbot: Any, wizard: DeclarationWizard) -> None:
    """Wait until every change on screen is in the database."""
    qtbot.waitUntil(lambda: not wizard.has_unsaved_changes(), timeout=10000)


def type_into(wizard: DeclarationWizard, key: str, text: str) -> None:
    widget = wizard.editor(key).input
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    type_text(widget, text)
