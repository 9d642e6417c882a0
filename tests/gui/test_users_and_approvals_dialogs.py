"""文件 → 用户 and 文件 → 待审批 (issue 15): a 管理员 adds and deactivates users, a clerk is refused
by the service (the message in the dialog); a 审核人 approves a clerk's proposed revocation (it
takes effect) — the clerk cannot; no SQL on the UI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.evaluation import consequences
from lzcenter_desktop.services.permissions import ApprovalNeeded
from lzcenter_desktop.ui.dialogs.approvals import ApprovalsDialog
from lzcenter_desktop.ui.dialogs.users import UsersDialog
from tests.consequence_records import evaluate
from tests.gui.ui_thread_db import ui_thread_statements
from tests.integration.evaluation.consequence_helpers import state, titled
from tests.signin_records import PASSWORD, cheap_hashing, with_users

ON = date(2025, 12, 15)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path):  # type: ignore[no-untyped-def]
    context = open_app(str(tmp_path / "d.sqlite"), operator="覃科长")
    yield context
    context.db.dispose()


def _wait_for_message(qtbot, label, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: text in label.text(), timeout=10000)


def test_the_administrator_adds_and_deactivates_users(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    signed = with_users(ctx)
    dialog = UsersDialog(signed["admin"])
    qtbot.addWidget(dialog)
    with ui_thread_statements(ctx.db.engine) as statements:
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
        assert [r.login for r in dialog.rows][:2] == ["admin", "approver"]
        dialog.login.setText("newclerk")
        dialog.name.setText("新经办")
        dialog.role.setCurrentText("经办人")
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        _wait_for_message(qtbot, dialog.message, "已添加用户“newclerk”（经办人）")
        qtbot.waitUntil(lambda: dialog.loaded and "newclerk" in [r.login for r in dialog.rows], timeout=10000)
        dialog.table.setCurrentCell([r.login for r in dialog.rows].index("newclerk"), 0)
        qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
        _wait_for_message(qtbot, dialog.message, "已停用用户“newclerk”")
        qtbot.waitUntil(
            lambda: dialog.loaded and not dialog.rows[dialog.table.currentRow()].active, timeout=10000
        )
    assert statements == []
    assert dialog.table.item(dialog.table.currentRow(), 3).text() == "已停用"


def test_a_clerk_is_refused_by_the_service(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    signed = with_users(ctx)
    dialog = UsersDialog(signed["clerk"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
    dialog.login.setText("someone")
    dialog.name.setText("某人")
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _wait_for_message(qtbot, dialog.message, "需要“管理员”角色")
    assert "someone" not in [u.login for u in users.list_users(ctx)]


def test_an_approver_approves_a_proposed_revocation(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.FAILED, ON, apply=False)
    signed = with_users(ctx)
    with pytest.raises(ApprovalNeeded):
        consequences.apply_consequence(signed["clerk"], evaluation_id=eid, on=ON)

    mine = ApprovalsDialog(signed["clerk"])
    qtbot.addWidget(mine)
    qtbot.waitUntil(lambda: mine.loaded and len(mine.rows) == 1, timeout=10000)
    mine.table.setCurrentCell(0, 0)
    qtbot.mouseClick(mine.approve_button, Qt.MouseButton.LeftButton)
    _wait_for_message(qtbot, mine.message, "需要“审核人”角色")
    assert state(ctx, cid) == "recognised"

    dialog = ApprovalsDialog(signed["approver"])
    qtbot.addWidget(dialog)
    with ui_thread_statements(ctx.db.engine) as statements:
        qtbot.waitUntil(lambda: dialog.loaded and len(dialog.rows) == 1, timeout=10000)
        assert dialog.table.item(0, 0).text() == "取消称号（评估结论）"
        assert dialog.table.item(0, 2).text() == "clerk"
        dialog.table.setCurrentCell(0, 0)
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
        _wait_for_message(qtbot, dialog.message, "没有待审批的事项")
    assert statements == []
    assert state(ctx, cid) == "revoked"
