"""恢复备份: the backups of the database (time, kind, size, whether usable), read and checked on a
worker thread; restoring the chosen one after a confirmation that says what will happen.

:class:`BackupChooser` is the part shared with the damaged-database dialog
(:mod:`lzcenter_desktop.ui.dialogs.damaged`): the table, the listing in the background, the
confirmation and the restore itself (``services.restore.restore``, on a worker: the current file
is kept aside, the restore is audited). ``release`` is called on the UI thread right before the
restore starts: the caller closes every connection to the database there. ``restored`` carries the
:class:`~lzcenter_desktop.services.backup.RestoreReport`; the application then opens the restored
database in a new main window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.roles import SignedInUser
from lzcenter_desktop.services import app_settings
from lzcenter_desktop.services.backup import (
    BackupFile,
    RestoreReport,
    backups_folder,
    latest_good_backup,
    list_backups,
)
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.backups import TIME_FORMAT, BackupTableModel
from lzcenter_desktop.ui.open_file import open_with_default_program
from lzcenter_desktop.ui.tasks import run_in_background

TITLE = "恢复备份"


class BackupChooser(QDialog):
    """The backups table, listed in the background, and the confirmed restore of the chosen one."""

    loaded = Signal()  # the backups are listed
    restored = Signal(object)  # RestoreReport
    failed = Signal(str)  # the restore was refused or failed (Chinese message)

    aside_words = "before-restore"  # the word in the name the current file is kept under

    def __init__(
        self,
        db_path: Path,
        *,
        operator: str | None = None,
        release: Callable[[], None] | None = None,
        parent: QWidget | None = None,
        user: SignedInUser | None = None,
    ) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.operator = operator
        self.user = user  # the signed-in user: a 管理员 when the database asks for sign-in
        self._release = release
        self.report: RestoreReport | None = None
        self.confirmation: QMessageBox | None = None
        self.backups: list[BackupFile] = []
        self.is_loaded = False
        self.restoring = False

        self.model = BackupTableModel([], self)
        self.table = QTableView()
        self.table.setObjectName("backupTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)

        self.status_label = QLabel("正在读取并检查备份……")
        self.status_label.setObjectName("backupStatus")
        self.status_label.setWordWrap(True)
        self.restore_button = QPushButton("恢复所选备份(&R)…")
        self.restore_button.setObjectName("restoreButton")
        self.folder_button = QPushButton("打开备份文件夹(&O)")
        self.folder_button.setEnabled(backups_folder(self.db_path).is_dir())
        self.restore_button.clicked.connect(self.ask_to_restore)
        self.folder_button.clicked.connect(lambda: open_with_default_program(backups_folder(self.db_path)))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # -- listing -------------------------------------------------------------------------------
    def load(self) -> None:
        """List and check the backups on a worker thread (each one gets ``integrity_check``)."""
        self.is_loaded = False
        self.status_label.setText("正在读取并检查备份……")
        self._update_buttons()
        path = self.db_path
        ops.query_op(
            lambda: list_backups(path),
            parent=self,
            on_success=self._listed,
            on_failure=self._listing_failed,
            key=f"backups:{id(self)}",
        )

    def _listed(self, backups: list[BackupFile]) -> None:
        self.backups = backups
        self.model.set_rows(backups)
        self.is_loaded = True
        good = latest_good_backup(backups)
        self.folder_button.setEnabled(backups_folder(self.db_path).is_dir())
        if good is None:
            none = "没有找到备份" if not backups else "没有完好的备份"
            self.status_label.setText(
                f"{none}（备份应在“{backups_folder(self.db_path)}”文件夹中）。"
                "请不要继续使用损坏的文件，联系系统维护人员。"
            )
        else:
            self.status_label.setText(
                f"共 {len(backups)} 个备份，最近的完好备份：{good.path.name}"
                f"（{good.modified.strftime(TIME_FORMAT)}，{good.kind}）。"
            )
            self.select_row(backups.index(good))
        self.restore_button.setDefault(good is not None)
        self._update_buttons()
        self.loaded.emit()

    def _listing_failed(self, exc: BaseException) -> None:
        self.is_loaded = True
        self.status_label.setText(f"无法读取备份文件夹“{backups_folder(self.db_path)}”：{exc}")
        self._update_buttons()
        self.loaded.emit()

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
        self.restore_button.setEnabled(not self.restoring and self.selected_backup() is not None)

    # -- restoring -----------------------------------------------------------------------------
    def confirmation_text(self, backup: BackupFile) -> tuple[str, str]:
        """(question, what will happen) of the confirmation box."""
        who = f"（操作人：{self.operator}）" if self.operator else ""
        return (
            f"用备份“{backup.path.name}”替换当前的数据库文件吗？",
            f"备份时间：{backup.modified.strftime(TIME_FORMAT)}（{backup.kind}）。"
            f"当前的数据库文件“{self.db_path.name}”会先改名保存在原文件夹（文件名含 {self.aside_words}），"
            "不会删除。备份时间之后所做的修改不在备份里，恢复后需要重新录入。"
            f"这次恢复会记入恢复后数据库的审计日志{who}；恢复后程序重新打开数据库。",
        )

    def ask_to_restore(self) -> None:
        """The confirmation step: nothing is changed until the clerk presses 恢复 in this box."""
        backup = self.selected_backup()
        if backup is None or self.restoring:
            return
        question, happens = self.confirmation_text(backup)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("确认恢复备份")
        box.setText(question)
        box.setInformativeText(happens)
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

    def restore(self, backup: BackupFile) -> None:
        """Restore ``backup`` now (the caller confirmed), on a worker thread; errors are shown and
        the dialog stays open."""
        from lzcenter_desktop.services.restore import restore

        if self._release is not None:
            self._release()
        self.restoring = True
        self._update_buttons()
        self.status_label.setText(f"正在用备份“{backup.path.name}”恢复数据库……")
        db_path, operator, user = self.db_path, self.operator, self.user
        run_in_background(
            lambda: restore(db_path, backup.path, operator=operator, user=user),
            parent=self,
            on_success=self._restored,
            on_failure=self._restore_failed,
        )

    def reject(self) -> None:
        """Esc / 关闭 / the window's X: not while a restore is running (its result must arrive)."""
        if self.restoring:
            return
        super().reject()

    def _restored(self, report: RestoreReport) -> None:
        self.restoring = False
        self.report = report
        self.restored.emit(report)
        self.accept()

    def _restore_failed(self, exc: BaseException) -> None:
        from lzcenter_desktop.ui.dialogs.errors import report_exception

        self.restoring = False
        self._update_buttons()
        self.status_label.setText("恢复没有完成，数据库文件保持原样。")
        self.failed.emit(str(exc))
        report_exception(exc, self)


class RestoreDialog(BackupChooser):
    """文件 → 恢复备份: choose a backup of the open database and restore it; also how many
    automatic backups to keep."""

    def __init__(
        self,
        db_path: Path,
        *,
        operator: str | None = None,
        release: Callable[[], None] | None = None,
        parent: QWidget | None = None,
        user: SignedInUser | None = None,
    ) -> None:
        super().__init__(db_path, operator=operator, release=release, parent=parent, user=user)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(860)
        intro = QLabel(
            f"数据库“{self.db_path.name}”的备份（在 {backups_folder(self.db_path)}），最新的在前。"
            "恢复后数据库回到备份时的状态；当前的数据库文件先改名保存在原文件夹（文件名含 before-restore），"
            "不会删除；恢复记入审计日志。自动备份：每天第一次启动时、关闭程序时（本次有修改）和升级数据库前。"
        )
        intro.setObjectName("restoreIntro")
        intro.setWordWrap(True)

        self.keep_spin = QSpinBox()
        self.keep_spin.setObjectName("backupKeep")
        self.keep_spin.setRange(app_settings.MIN_BACKUP_KEEP, app_settings.MAX_BACKUP_KEEP)
        self.keep_spin.setValue(app_settings.backup_keep())
        self.keep_spin.setSuffix(" 份")
        self.keep_spin.setAccessibleName(app_settings.BACKUP_KEEP_LABEL)
        self.keep_button = QPushButton("保存份数(&K)")
        self.keep_button.setObjectName("saveBackupKeep")
        self.keep_note = QLabel("（较早的自动备份会被删除；手动备份和最近一次升级前的备份不删除）")
        self.keep_note.setObjectName("backupKeepNote")
        keep_row = QHBoxLayout()
        keep_label = QLabel(f"{app_settings.BACKUP_KEEP_LABEL}(&N)：")
        keep_label.setBuddy(self.keep_spin)
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep_spin)
        keep_row.addWidget(self.keep_button)
        keep_row.addWidget(self.keep_note, 1)
        self.keep_button.clicked.connect(self.save_keep)

        self.close_button = QPushButton("关闭(&C)")
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(keep_row)
        layout.addLayout(buttons)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.load()

    def save_keep(self) -> None:
        try:
            kept = app_settings.set_backup_keep(self.keep_spin.value())
        except (ServiceError, OSError) as exc:
            self.keep_note.setText(f"没有保存：{exc}")
            return
        self.keep_note.setText(f"已保存：自动备份最多保留 {kept} 份（下次自动备份时生效）。")
