"""A four-eyes proposal is no error (issue 15): when a clerk's revocation or recognition is submitted
for approval (``ApprovalNeeded``) the GUI shows an information box — 已提交，等待审核人批准, with the
request number — not the red refusal or the 无法完成操作 warning; a form dialog closes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services import approvals, users
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import consequences
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs import errors
from lzcenter_desktop.ui.review.common import FormDialog, error_text
from tests.consequence_records import evaluate
from tests.integration.evaluation.consequence_helpers import state, titled
from tests.signin_records import cheap_hashing, with_users

ON = date(2025, 12, 15)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture(autouse=True)
def _close_boxes(qtbot):  # type: ignore[no-untyped-def]
    yield
    for box in errors.open_message_boxes():
        if shiboken6.isValid(box):
            box.done(0)


@pytest.fixture
def proposal(tmp_path: Path):  # type: ignore[no-untyped-def]
    """(ctx, the clerk's context, the proposal to run, the centre id)."""
    ctx = open_app(str(tmp_path / "a.sqlite"), operator="覃科长")
    cid = titled(ctx, "轻量化")
    eid = evaluate(ctx, cid, Grade.FAILED, ON, apply=False)
    clerk = with_users(ctx)["clerk"]
    yield ctx, clerk, (lambda: consequences.apply_consequence(clerk, evaluation_id=eid, on=ON)), cid
    ctx.db.dispose()


class _Proposing(FormDialog):
    def __init__(self, parent: QWidget, fn: Callable[[], Any]) -> None:
        super().__init__(parent, "执行处理结果", "执行(&O)")
        self.fn = fn

    def action(self) -> Callable[[], Any]:
        return self.fn


def _boxes() -> list[QMessageBox]:
    return [b for b in errors.open_message_boxes() if shiboken6.isValid(b) and b.isVisible()]


def test_a_form_dialog_closes_and_says_the_proposal_was_submitted(qtbot, proposal) -> None:  # type: ignore[no-untyped-def]
    ctx, clerk, fn, cid = proposal
    page = QWidget()
    qtbot.addWidget(page)
    page.show()
    dialog = _Proposing(page, fn)
    dialog.show()
    dialog.submit()
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=15000)
    [box] = _boxes()
    [request] = approvals.list_requests(ctx)
    assert box.icon() is QMessageBox.Icon.Information
    assert box.windowTitle() == "已提交审批"
    assert box.text() == f"已提交，等待审核人批准（审批申请第 {request.request_id} 号）"
    assert "须由另一位“审核人”批准后才生效" in box.informativeText()
    assert "无法完成操作" not in box.windowTitle()
    assert not dialog.isVisible() and dialog.error.isHidden()
    assert state(ctx, cid) == "recognised"  # nothing changed until approved
    assert clerk.user is not None


def test_a_write_without_its_own_failure_handler_shows_the_information(qtbot, proposal) -> None:  # type: ignore[no-untyped-def]
    _ctx, _clerk, fn, _cid = proposal
    page = QWidget()
    qtbot.addWidget(page)
    ops.write_op(fn, parent=page, kinds={"evaluation"})
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=15000)
    [box] = _boxes()
    assert box.objectName() == "approvalSubmittedBox"
    assert box.text().startswith("已提交，等待审核人批准（审批申请第 ")


def test_a_refusal_is_still_an_error(qtbot, proposal) -> None:  # type: ignore[no-untyped-def]
    _ctx, _clerk, _fn, _cid = proposal
    refused = ServiceError("需要“审核人”角色", field="权限")
    assert error_text(refused) == "需要“审核人”角色"
    errors.report_exception(refused)
    [box] = _boxes()
    assert box.icon() is QMessageBox.Icon.Warning and box.windowTitle() == "无法完成操作"
