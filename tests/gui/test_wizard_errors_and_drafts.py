"""Issue 12 items 5 and 7 in the declaration wizard: errors when they help (a new declaration is not a
wall of red; a required field is flagged once visited, on 检查与提交 and on 提交; no internal code in
what a clerk reads), a new declaration makes no database row until its first real value, and
removing an attachment asks first and can be undone."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit

from lzcenter_desktop.domain.catalog import RULES
from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations import wizard_autosave
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard, load_new_wizard_data
from lzcenter_desktop.ui.declarations.wizard_attachments import removal_question
from tests import db_backend
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


def new_wizard(qtbot: Any, ctx: Any) -> DeclarationWizard:
    return active(qtbot, DeclarationWizard(ctx, None, data=load_new_wizard_data(ctx, 2026)))


def focus(qtbot: Any, widget: Any) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def count(ctx: Any) -> int:
    return len(d.list_declarations(ctx))


def audit_count(ctx: Any) -> int:
    from sqlmodel import func, select

    from lzcenter_desktop.storage.models import AuditEntry

    with ctx.db.session() as s:
        return int(s.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def shown_flags(wizard: DeclarationWizard) -> dict[str, str]:
    """Every field or grid flag on screen, and every flagged cell, by key."""
    out = {}
    for page in wizard.section_pages:
        for key, editor in page.editors.items():
            if editor.flag_text():
                out[key] = editor.flag_text()
        for key, te in page.tables.items():
            if te.flag_text():
                out[key] = te.flag_text()
            for r in range(te.model.rowCount()):
                for c in range(te.model.columnCount()):
                    tip = te.model.index(r, c).data(Qt.ItemDataRole.BackgroundRole)
                    if tip is not None:
                        out[f"{key}[{r}].{c}"] = str(te.model.index(r, c).data(Qt.ItemDataRole.ToolTipRole))
    return out


def summary_texts(wizard: DeclarationWizard) -> list[str]:
    return [page.summary.item(i).text() for page in wizard.section_pages for i in range(page.summary.count())]


# -- errors when they help ------------------------------------------------------------------------


def test_a_new_declaration_opens_without_a_wall_of_red(qtbot: Any, ctx: Any) -> None:
    wizard = new_wizard(qtbot, ctx)
    assert any(v.rule == d.FORM_RULE for v in wizard.violations)  # they are known …
    assert shown_flags(wizard) == {}  # … but not shown
    texts = summary_texts(wizard)
    assert not any("请填写" in t or "必填：" in t for t in texts)
    first = wizard.page_for("center").summary.item(0).text()
    assert re.fullmatch(r"本页还有 \d+ 项必填内容未填写（离开该项后或在“检查与提交”页标出）。", first)


def test_a_required_field_is_flagged_once_the_clerk_leaves_it_empty(qtbot: Any, ctx: Any) -> None:
    wizard = new_wizard(qtbot, ctx)
    name = wizard.editor("center.name_zh").input
    assert isinstance(name, QLineEdit)
    focus(qtbot, name)
    assert wizard.editor("center.name_zh").flag_text() == ""  # still in it: not yet
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert not name.hasFocus()
    assert wizard.editor("center.name_zh").flag_text() == "必填：请填写“中心名称（中文）”（中心基本信息）"
    assert wizard.editor("center.name_en").flag_text() == ""  # the field Tab went to: not yet left
    assert wizard.editor("host.name").flag_text() == ""  # another page: not visited
    # filling it takes the flag away
    type_text(name, "柳州测试工程技术研究中心（柳州某某重工股份有限公司）")
    assert "必填" not in wizard.editor("center.name_zh").flag_text()


def test_an_empty_grid_is_flagged_once_the_clerk_leaves_it(qtbot: Any, ctx: Any) -> None:
    wizard = new_wizard(qtbot, ctx)
    while wizard.currentPage() is not wizard.page_for("staff"):
        wizard.next()
    te = wizard.table_editor("staff")
    assert te.flag_text() == ""
    focus(qtbot, te.view)
    wizard.button(wizard.WizardButton.BackButton).setFocus()
    qtbot.waitUntil(lambda: te.flag_text() != "")
    assert te.flag_text() == "必填：“研发人员”至少应填写 1 行，现有 0 行"


def test_the_review_page_and_submit_show_every_error(qtbot: Any, ctx: Any) -> None:
    wizard = new_wizard(qtbot, ctx)
    assert wizard.review_page is not None
    errors = [v for v in wizard.violations if v.is_error]
    assert wizard.review_page.table.rowCount() == len(wizard.violations)  # the summary lists all
    while wizard.currentPage() is not wizard.review_page:
        wizard.next()
    flags = shown_flags(wizard)
    assert flags["host.name"] == "必填：请填写“依托单位名称”（依托单位）"  # on the other pages too
    assert flags["staff"].startswith("必填：")
    # 提交 with errors left: refused here, saying how many and which first
    wizard2 = new_wizard(qtbot, ctx)
    assert wizard2.submit() is None
    assert shown_flags(wizard2)["center.name_zh"].startswith("必填：")
    assert wizard2.review_page is not None
    status = wizard2.review_page.status.text()
    assert status.startswith(f"还有 {len(errors)} 项错误，改正后才能提交（已在各页标出）。第一项：申报日期：")
    assert count(ctx) == 0  # nothing was stored by it


def test_a_resumed_draft_shows_its_flags_at_once(qtbot: Any, ctx: Any) -> None:
    data = d.empty_document(2026)
    data["center"]["name_zh"] = "柳州工程机械"  # D26: not the form of the name
    wizard = active(qtbot, DeclarationWizard(ctx, d.create_draft(ctx, call_year=2026, data=data)))
    flags = shown_flags(wizard)
    assert "D26" in flags["center.name_zh"]
    assert flags["host.name"].startswith("必填：")  # the clerk has been here before: all shown


ALLOWED = {info.id for info in RULES}  # the catalog's rule IDs are the Measures' own references
ASCII_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|\[)[A-Za-z0-9_\]\[.]*)?", re.ASCII)


def internal_words(texts: list[str]) -> set[str]:
    return {w for t in texts for w in ASCII_WORD.findall(t) if w.rstrip(".") not in ALLOWED}


def test_the_check_for_internal_words_can_fail() -> None:
    assert internal_words(["错误 FORM 申报表：请填写"]) == {"FORM"}
    assert internal_words(["min_staff 应为整数"]) == {"min_staff"}
    assert internal_words(["位置：staff[2].degree"]) == {"staff[2].degree"}
    assert internal_words(["错误 D9.3a 第九条（三）：…", "统一社会信用代码 91450205MA5N8R2T4M"]) == set()


def test_no_internal_code_in_anything_a_clerk_reads(qtbot: Any, ctx: Any, examples_dir: Path) -> None:
    example = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    d.import_declaration_data(ctx, data=example)  # the same host again: 重复申报
    data = d.empty_document(2026)
    data["application_date"] = "2026-06-10"
    data["center"]["name_zh"] = "柳州工程(机械)"  # D26 twice
    data["host"].update(
        name=example["host"]["name"], credit_code=example["host"]["credit_code"], kind="enterprise"
    )
    data["staff"] = [dict(s) for s in example["staff"][:3]]  # D9.3a, with the numbers
    data["staff"].append(
        {"name": "", "birth_date": None, "degree": None, "title": "中级", "tech_leader": False}
    )
    data["investments"] = example["investments"][:1]  # FORM: at least 3 rows
    wizard = active(qtbot, DeclarationWizard(ctx, d.create_draft(ctx, call_year=2026, data=data)))
    assert {v.rule for v in wizard.violations} >= {d.FORM_RULE, d.DUPLICATE_RULE, "D26", "D9.3a"}
    assert wizard.submit() is None  # the refusal's text is read too
    review = wizard.review_page
    assert review is not None
    texts = list(shown_flags(wizard).values()) + summary_texts(wizard) + review.rendered_texts()
    texts += [wizard.save_status, wizard.windowTitle()]
    assert any("重复申报" in t for t in texts) and any("必填：" in t for t in texts)
    assert internal_words(texts) == set()


# -- a new declaration and its row ----------------------------------------------------------------


def test_opening_and_closing_a_new_declaration_stores_nothing(qtbot: Any, ctx: Any) -> None:
    before = count(ctx), audit_count(ctx)
    wizard = new_wizard(qtbot, ctx)
    name = wizard.editor("center.name_zh").input
    focus(qtbot, name)
    qtbot.keyClick(name, Qt.Key.Key_Tab)  # visiting is not a value
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert wizard.currentPage() is wizard.page_for("host")  # a page turned is not a value either
    wizard.close()
    assert ops.wait_for_writes()
    assert not wizard.isVisible() and not wizard.has_unsaved_changes()
    assert wizard.declaration_id is None
    assert (count(ctx), audit_count(ctx)) == before


def test_a_value_typed_and_taken_back_before_it_was_saved_stores_nothing(qtbot: Any, ctx: Any) -> None:
    wizard = DeclarationWizard(ctx, None, data=load_new_wizard_data(ctx, 2026), save_delay_ms=600_000)
    qtbot.addWidget(wizard)
    line = wizard.editor("host.name").input
    assert isinstance(line, QLineEdit)
    type_text(line, "柳")
    assert wizard.has_unsaved_changes()
    line.clear()  # blank again before the (long) pause ended
    wizard.close()
    assert wizard.declaration_id is None and count(ctx) == 0
    assert not wizard.has_unsaved_changes()


def test_the_first_real_value_stores_the_draft_once(qtbot: Any, ctx: Any) -> None:
    wizard = new_wizard(qtbot, ctx)
    created: list[int] = []
    wizard.created.connect(created.append)
    assert "新申报书" in wizard.windowTitle()
    type_text(wizard.editor("center.name_zh").input, "柳州测试工程技术研究中心")
    qtbot.waitUntil(lambda: created != [], timeout=5000)
    assert count(ctx) == 1
    assert created == [wizard.declaration_id]
    assert f"第 {created[0]} 号" in wizard.windowTitle()
    type_text(wizard.editor("host.name").input, "柳州某某重工股份有限公司")
    qtbot.waitUntil(lambda: not wizard.has_unsaved_changes(), timeout=5000)
    assert count(ctx) == 1  # later saves go to the same draft
    stored = d.get_declaration(ctx, created[0]).data
    assert stored["center"]["name_zh"] == "柳州测试工程技术研究中心"
    assert stored["host"]["name"] == "柳州某某重工股份有限公司"
    assert created == [wizard.declaration_id]  # said once


def test_autosave_goes_through_the_write_thread_at_once(
    qtbot: Any, ctx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert wizard_autosave.SAVE_DELAY_MS <= 300  # a change is handed over within 300 ms
    wizard = new_wizard(qtbot, ctx)
    calls: list[frozenset[str]] = []
    threads: list[int] = []
    real_write, real_save = ops.write_op, d.save_draft

    def recording_write(fn: Any, **kw: Any) -> Any:
        calls.append(frozenset(kw["kinds"]))
        return real_write(fn, **kw)

    def recording_save(*a: Any, **kw: Any) -> None:
        threads.append(threading.get_ident())
        real_save(*a, **kw)

    monkeypatch.setattr(ops, "write_op", recording_write)
    monkeypatch.setattr(d, "save_draft", recording_save)
    type_text(wizard.editor("center.name_zh").input, "柳")
    type_text(wizard.editor("center.name_zh").input, "州")
    qtbot.waitUntil(lambda: wizard.save_status == wizard_autosave.SAVED, timeout=5000)
    assert calls and all("declarations" in kinds for kinds in calls)
    assert threads and threading.main_thread().ident not in threads
    did = wizard.declaration_id
    assert did is not None
    assert d.get_declaration(ctx, did).data["center"]["name_zh"] == "柳州"


# -- attachments: asked, undoable ------------------------------------------------------------------


def scan(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(path))
    return path


def test_removing_an_attachment_asks_and_can_be_undone(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    db_backend.attachments_ready(ctx, tmp_path / "附件")  # a server database's shared folder
    wizard = new_wizard(qtbot, ctx)
    panel = wizard.page_for("signature").attachments
    assert panel is not None
    panel.add_file(scan(tmp_path, "营业执照.png"), "营业执照")  # a new declaration is stored for it
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    did = wizard.declaration_id
    assert did is not None and count(ctx) == 1
    asked: list[att.AttachmentView] = []

    def cancel(view: att.AttachmentView) -> bool:
        asked.append(view)
        return False  # 取消

    panel.confirm_remove = cancel
    panel.list.setCurrentRow(0)
    assert panel.remove_selected() is None
    assert [v.file_name for v in asked] == ["营业执照.png"]
    assert panel.list.count() == 1 and len(att.list_attachments(ctx, declaration_id=did)) == 1
    question, more = removal_question(asked[0])
    assert "营业执照.png" in question and "撤销移除" in more
    panel.confirm_remove = lambda view: True  # 移除
    assert not panel.undo_button.isEnabled()
    assert panel.remove_selected() is not None
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=10000)
    assert att.list_attachments(ctx, declaration_id=did) == []
    assert "已移除附件“营业执照.png”" in panel.message.text() and "Ctrl+Z" in panel.message.text()
    assert panel.undo_button.isEnabled()
    # 撤销移除 brings it back, file and all
    panel.undo_button.click()
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    (back,) = att.list_attachments(ctx, declaration_id=did)
    assert back.state == "ok" and back.file_name == "营业执照.png"
    assert not panel.undo_button.isEnabled()
    # and Ctrl+Z in the panel does the same
    panel.list.setCurrentRow(0)
    panel.remove_selected()
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=10000)
    while wizard.currentPage() is not wizard.page_for("signature"):
        wizard.next()
    focus(qtbot, panel.list)
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    assert "已恢复附件" in panel.message.text()


def test_nothing_to_remove_says_so(qtbot: Any, ctx: Any) -> None:
    wizard = new_wizard(qtbot, ctx)
    panel = wizard.page_for("signature").attachments
    assert panel is not None
    panel.confirm_remove = lambda view: pytest.fail("asked with nothing selected")
    assert panel.remove_selected() is None
    assert panel.message.text() == "请先在列表中选中要移除的附件"
    assert panel.undo_remove() is None
