"""文件 → 待审批: the recognitions and revocations proposed and waiting for a 审核人, with
批准 (the proposal takes effect, services/approvals.py) and 退回 (closed without effect, with a
reason). The services check that the approver is a 审核人 and not the proposer; a refusal is shown
in Chinese in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services import approvals
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops

COLUMNS = ("事项", "内容", "提出人", "提出时间")
CHANGED = ("centers", "review", "evaluation")


class ApprovalsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[approvals.ApprovalView] = []
        self.loaded = False
        self.setWindowTitle("待审批")
        self.setObjectName("approvalsDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("认定和撤销须由提出人以外的审核人批准后才生效（四眼原则）。"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton("批准")
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton("退回…")
        self.return_button.clicked.connect(self.return_selected)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("approvalsMessage")
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        self.loaded = False
        ops.query_op(
            lambda: approvals.list_requests(self.ctx),
            parent=self,
            on_success=self._show,
            key=f"approvals:{id(self)}",
        )

    def _show(self, rows: list[approvals.ApprovalView]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, view in enumerate(rows):
            when = view.proposed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for c, value in enumerate((view.kind_label, view.summary, view.proposed_by, when)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        if not rows:
            self.message.setText("没有待审批的事项")
        self.loaded = True

    def selected(self) -> approvals.ApprovalView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _write(self, fn: Callable[[], object], done: str) -> None:
        self.message.setText("正在处理…")

        def ok(_result: object) -> None:
            self.message.setText(done)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.message.setText(str(exc) if isinstance(exc, ServiceError) else f"没有完成：{exc}")

        ops.write_op(fn, parent=self, kinds=CHANGED, on_success=ok, on_failure=failed)

    def approve(self) -> None:
        view = self.selected()
        if view is None:
            self.message.setText("请先在表中选择一项")
            return
        self._write(lambda: approvals.approve(self.ctx, view.request_id), f"已批准：{view.summary}")

    def return_selected(self) -> None:
        view = self.selected()
        if view is None:
            self.message.setText("请先在表中选择一项")
            return
        note, ok = QInputDialog.getText(self, "退回", "退回理由")
        if ok:
            self._write(
                lambda: approvals.return_request(self.ctx, view.request_id, note=note),
                f"已退回：{view.summary}",
            )
