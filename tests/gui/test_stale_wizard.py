"""The declaration wizard's autosave after another clerk saved the same draft: the save is refused
(nothing of this clerk's written), 该记录已被他人修改 opens; 比较 lists the field by its label on
the form; 重新载入 shows the stored draft and the next typing is saved from its version."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from lzcenter_desktop.ui.dialogs.stale import StaleDialog
from tests.helpers import type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def fonts(qapp: QApplication) -> None:
    from lzcenter_desktop.ui.fonts import register_application_fonts

    register_application_fonts(qapp)


def _wizard(qtbot: Any, ctx: Any, did: int) -> DeclarationWizard:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.wizard_opened, timeout=10000) as blocker:
        page.open_wizard(did)
    wizard = blocker.args[0]
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    return wizard


def _direction(ctx: Any, did: int) -> str:
    return str(d.get_declaration(ctx, did).data["center"]["research_direction"])


def test_a_stale_autosave_opens_the_box_and_reload_takes_theirs(
    qtbot: Any, ctx: Any, examples_dir: Path
) -> None:
    example = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    did = d.import_declaration_data(ctx, data=example).declaration_id
    wizard = _wizard(qtbot, ctx, did)
    # another clerk saves the draft after the wizard read it
    other = replace(ctx, operator="乙科员")
    theirs = d.get_declaration(other, did).data
    theirs["center"]["research_direction"] = "乙改的研究方向"
    d.save_draft(other, declaration_id=did, data=theirs)

    field = wizard.editor("center.research_direction").input
    assert isinstance(field, QPlainTextEdit)
    field.moveCursor(field.textCursor().MoveOperation.End)
    type_text(field, "甲")
    wizard.save_now()
    qtbot.waitUntil(lambda: isinstance(getattr(wizard, "stale_dialog", None), StaleDialog), timeout=10000)
    stale = wizard.stale_dialog
    assert stale.message.text().startswith("该记录已被他人修改") and "申报书" in stale.message.text()
    # (a change still waiting may be sent once more meanwhile: it is refused the same way)
    qtbot.waitUntil(lambda: wizard.save_status.startswith("未能保存：该记录已被他人修改"), timeout=10000)
    assert _direction(ctx, did) == "乙改的研究方向"  # nothing of 甲's written

    stale.compare_button.click()
    qtbot.waitUntil(stale.table.isVisible, timeout=10000)
    label = next(f.label for f in wizard.form.all_fields() if f.key == "center.research_direction")
    assert label in stale.differing_rows()

    stale.reload_button.click()
    box = stale.question
    assert isinstance(box, QMessageBox)
    box.yes.click()
    qtbot.waitUntil(
        lambda: wizard.editor("center.research_direction").value() == "乙改的研究方向", timeout=10000
    )
    assert not wizard.has_unsaved_changes()
    stored_version = d.get_declaration(ctx, did).version
    # typing again is saved from the stored version
    field.moveCursor(field.textCursor().MoveOperation.End)
    type_text(field, "与甲的补充")
    wizard.save_now()
    qtbot.waitUntil(lambda: _direction(ctx, did) == "乙改的研究方向与甲的补充", timeout=10000)
    assert d.get_declaration(ctx, did).version == stored_version + 1
