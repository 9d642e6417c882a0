"""帮助 → 审计日志 in Chinese (issue 15): the viewer and its Excel export show the action, the kind of
record and the fields by their Chinese names (domain/audit_labels.py); an action the catalogue does
not know keeps its stored code, in grey, and the detail pane lists the unknown codes in a grey hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from lzcenter_desktop.services.audit_export import HEADER, write_audit_xlsx
from lzcenter_desktop.services.audit_query import AuditFilter, query_audit
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.organizations import create_organization, update_organization
from lzcenter_desktop.services.uow import audit_context, unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, utcnow
from lzcenter_desktop.ui.dialogs.audit_viewer import HINT, AuditViewerDialog
from tests.gui.ui_thread_db import ui_thread_statements

WAIT = 15000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def trail(ctx: AppContext) -> AppContext:
    """A new organization, its change, and an entry of an action this program does not know."""
    oid = create_organization(ctx, name="柳州甲单位", kind="enterprise")
    update_organization(ctx, organization_id=oid, name="柳州甲单位（更名）")
    with unit_of_work(ctx, "future.archive_everything") as session:
        audit = audit_context(session)
        session.add(
            AuditEntry(
                operator=audit.operator,
                action=audit.action,
                operation="archive",
                entity="organization",
                entity_id=str(oid),
                before=None,
                after=json.dumps({"name": "柳州甲单位（更名）", "shelf_mark": "A-1"}, ensure_ascii=False),
                txn=audit.txn,
                at=utcnow(),
            )
        )
    return ctx


def test_the_viewer_shows_chinese_names_and_a_grey_code_only_when_unknown(qtbot, trail: AppContext) -> None:  # type: ignore[no-untyped-def]
    with ui_thread_statements(trail.db.engine) as seen:
        dialog = AuditViewerDialog(trail)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.loaded and dialog.model.rowCount() >= 3, timeout=WAIT)
        titles = [
            dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())
        ]
        column = titles.index("事项")
        texts = dialog.model.texts()
        assert [t[column] for t in texts[:3]] == ["future.archive_everything", "单位：修改信息", "单位：新建"]
        grey = dialog.model.data(dialog.model.index(0, column), Qt.ItemDataRole.ForegroundRole)
        assert grey == HINT
        assert dialog.model.data(dialog.model.index(1, column), Qt.ItemDataRole.ForegroundRole) is None
        content = titles.index("内容")
        assert "单位名称：柳州甲单位 → 柳州甲单位（更名）" in texts[1][content]
        assert "name" not in texts[1][content]
        dialog.table.selectRow(1)
        changed = dialog.detail.toPlainText()
        assert "单位：修改信息" in changed and "单位名称：柳州甲单位（更名）" in changed
        assert "未收录" not in changed
        dialog.table.selectRow(0)
        unknown = dialog.detail.toHtml()
        assert "未收录中文名称的代码：future.archive_everything、shelf_mark" in dialog.detail.toPlainText()
        assert HINT.name() in unknown
    assert seen == []
    dialog.close()


def test_the_text_filter_finds_an_action_by_its_chinese_name(trail: AppContext) -> None:
    found = query_audit(trail, AuditFilter(text="修改信息"))
    assert {r.action for r in found.rows} == {"organizations.update_organization"}
    assert query_audit(trail, AuditFilter(text="没有这样的事项")).total == 0


def test_the_export_has_the_chinese_action_and_a_grey_unknown_code(trail: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "审计.xlsx"
    write_audit_xlsx(trail, AuditFilter(), target)
    ws = load_workbook(target).active
    assert ws is not None
    column = HEADER.index("事项") + 1
    unknown, changed = ws.cell(row=3, column=column), ws.cell(row=4, column=column)
    assert unknown.value == "future.archive_everything" and unknown.font.color.rgb.endswith("808080")
    assert changed.value == "单位：修改信息"
    assert changed.font.color is None or not str(changed.font.color.rgb).endswith("808080")
    assert "单位名称：" in str(ws.cell(row=4, column=HEADER.index("内容") + 1).value)
