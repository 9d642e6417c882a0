"""The damaged-database dialog: what happened, what to do, and the backups to restore from.

Shown when SQLite's check finds the database file damaged. The main window then runs read-only
(every write is refused by the services) and this dialog explains it in plain Chinese, lists the
backups in ``<db folder>/backups`` (newest first, each checked with ``PRAGMA integrity_check``),
preselects the newest sound one and offers to restore it. Restoring is a confirmation step; the
damaged file is renamed aside first, never deleted (``services.backup.restore_backup``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services.backup import (
    BackupFile,
    RestoreReport,
    backups_folder,
    latest_good_backup,
    list_backups,
    restore_backup,
)
from lzcenter_desktop.services.errors import DatabaseCorrupt
from lzcenter_desktop.ui.models.backups import TIME_FORMAT, BackupTableModel

TITLE = "数据库文件已损坏"


def explanation(db_path: Path, *, read_only: bool) -> tuple[str, str]:
    """(what happened, what to do) for the damaged database ``db_path``."""
    opened = (
        "为免损坏扩散，本程序现在以只读方式打开它：可以查看，但不能导入、保存或修改（这些操作会被拒绝）。"
        if read_only
        else "文件损坏得太重，无法打开查看；本程序没有向它写入任何内容。"
    )
    happened = (
        f"数据库文件“{db_path.name}”（位于 {db_path.parent}）没有通过 SQLite 完整性检查，"
        f"文件的一部分已经损坏。常见原因：写入时断电或死机、磁盘故障、复制文件时中断。{opened}"
    )
    todo = (
        "请从下面的备份中恢复：默认选中最近的完好备份，点“恢复所选备份…”并确认。"
        "恢复前，损坏的文件会改名保存在原文件夹（文件名含 damaged），不会删除；"
        "备份时间之后所做的修改不在备份里，恢复后需要重新录入。"
        "如果没有完好的备份，请不要继续使用这个文件，联系系统维护人员。"
    )
    return happened, todo


class DamagedDatabaseDialog(QDialog):
    """Explain the damage, list the backups, restore the chosen one after a confirmation.

    ``release`` is called right before restoring: the caller closes every connection to the
    database there. ``restored`` carries the :class:`RestoreReport` once the backup is in place.
    """

    restored = Signal(object)  # RestoreReport

    def __init__(
        self,
        db_path: Path,
        problem: DatabaseCorrupt,
        *,
        read_only: bool,
        release: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("damagedDatabaseDialog")
        self.db_path = Path(db_path)
        self.problem = problem
        self.read_only = read_only
        self._release = release
        self.report: RestoreReport | None = None
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(860)

        happened, todo = explanation(self.db_path, read_only=read_only)
        heading = QLabel(f"{TITLE}{'，已以只读方式打开' if read_only else ''}")
        heading.setObjectName("damagedHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        self.happened_label = QLabel(f"<b>发生了什么：</b>{happened}")
        self.todo_label = QLabel(f"<b>怎么办：</b>{todo}")
        for label in (self.happened_label, self.todo_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.backups: list[BackupFile] = list_backups(self.db_path)
        self.model = BackupTableModel(self.backups, self)
        self.table = QTableView()
        self.table.setObjectName("backupTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)

        good = latest_good_backup(self.backups)
        folder = backups_folder(self.db_path)
        if good is None:
            none = "没有找到备份" if not self.backups else "没有完好的备份"
            self.status_label = QLabel(
                f"{none}（备份应在“{folder}”文件夹中）。请不要继续使用这个文件，联系系统维护人员。"
            )
        else:
            self.status_label = QLabel(
                f"共 {len(self.backups)} 个备份，最近的完好备份：{good.path.name}"
                f"（{good.modified.strftime(TIME_FORMAT)}）。"
            )
            self.select_row(self.backups.index(good))
        self.status_label.setObjectName("backupStatus")
        self.status_label.setWordWrap(True)

        self.restore_button = QPushButton("恢复所选备份(&R)…")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setDefault(good is not None)
        self.folder_button = QPushButton("打开备份文件夹(&O)")
        self.folder_button.setEnabled(folder.is_dir())
        self.close_button = QPushButton("只读查看(&V)" if read_only else "退出(&X)")
        self.close_button.setObjectName("closeButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.happened_label)
        layout.addWidget(self.todo_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        self.restore_button.clicked.connect(self.ask_to_restore)
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(backups_folder(self.db_path))))
        )
        self.close_button.clicked.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # -- selection -----------------------------------------------------------------------------
    def select_row(self, row: int) -> None:
        """Select backup ``row`` (a damaged backup cannot be selected: the selection stays empty)."""
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def selected_backup(self) -> BackupFile | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        backup = self.backups[rows.pop()]
        return backup if backup.sound else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    # -- restoring -----------------------------------------------------------------------------
    def ask_to_restore(self) -> None:
        """The confirmation step: nothing is changed until the clerk presses 恢复 in this box."""
        backup = self.selected_backup()
        if backup is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("确认恢复备份")
        box.setText(f"用备份“{backup.path.name}”替换当前的数据库文件吗？")
        box.setInformativeText(
            f"备份时间：{backup.modified.strftime(TIME_FORMAT)}。"
            f"损坏的文件“{self.db_path.name}”会先改名保存在原文件夹（文件名含 damaged），不会删除。"
            "备份时间之后所做的修改不在备份里，恢复后需要重新录入。"
        )
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName("confirmRestore")
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        self.confirmation = box

        def answered(_result: int) -> None:
            self.confirmation = None
            if box.clickedButton() is restore:
                self.restore(backup)

        box.finished.connect(answered)
        box.open()

    def restore(self, backup: BackupFile) -> RestoreReport | None:
        """Restore ``backup`` now (the caller confirmed); errors are shown, the dialog stays open."""
        from lzcenter_desktop.ui.dialogs.errors import report_exception

        try:
            if self._release is not None:
                self._release()
            report = restore_backup(self.db_path, backup.path)
        except Exception as exc:
            report_exception(exc, self)
            return None
        self.report = report
        self.restored.emit(report)
        self.accept()
        return report


def restored_message(report: RestoreReport) -> str:
    kept = (
        f"损坏的文件已改名保存为“{report.damaged_kept_as.name}”（在原文件夹中）。"
        if report.damaged_kept_as is not None
        else ""
    )
    return (
        f"已用备份“{report.restored_from.name}”恢复数据库。{kept}"
        "备份时间之后所做的修改不在备份里，请核对后重新录入。"
    )
