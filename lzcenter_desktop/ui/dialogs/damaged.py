"""The damaged-database dialog: what happened, what to do, and the backups to restore from.

Shown when SQLite's check finds the database file damaged. The main window then runs read-only
(every write is refused by the services) and this dialog explains it in plain Chinese, lists the
backups in ``<db folder>/backups`` (newest first, each checked with ``PRAGMA integrity_check`` on a
worker thread), preselects the newest sound one and offers to restore it. Restoring is a
confirmation step; the damaged file is renamed aside first, never deleted, and the restore is
audited (``services.restore.restore``, on a worker thread).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lzcenter_desktop.services.backup import BackupFile, RestoreReport
from lzcenter_desktop.services.errors import DatabaseCorrupt
from lzcenter_desktop.ui.dialogs.restore import BackupChooser
from lzcenter_desktop.ui.models.backups import TIME_FORMAT

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


class DamagedDatabaseDialog(BackupChooser):
    """Explain the damage, list the backups (on a worker thread), restore the chosen one after a
    confirmation (:class:`~lzcenter_desktop.ui.dialogs.restore.BackupChooser`: the restore is
    audited and the damaged file kept aside).

    ``release`` is called right before restoring: the caller closes every connection to the
    database there. ``restored`` carries the :class:`RestoreReport` once the backup is in place.
    """

    aside_words = "damaged"

    def __init__(
        self,
        db_path: Path,
        problem: DatabaseCorrupt,
        *,
        read_only: bool,
        release: Callable[[], None] | None = None,
        operator: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(db_path, operator=operator, release=release, parent=parent)
        self.setObjectName("damagedDatabaseDialog")
        self.problem = problem
        self.read_only = read_only
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

        self.close_button.clicked.connect(self.reject)
        self.load()

    def confirmation_text(self, backup: BackupFile) -> tuple[str, str]:
        question, _happens = super().confirmation_text(backup)
        return (
            question,
            f"备份时间：{backup.modified.strftime(TIME_FORMAT)}（{backup.kind}）。"
            f"损坏的文件“{self.db_path.name}”会先改名保存在原文件夹（文件名含 damaged），不会删除。"
            "备份时间之后所做的修改不在备份里，恢复后需要重新录入。这次恢复会记入审计日志。",
        )


def restored_message(report: RestoreReport) -> str:
    kept_as = report.kept_as
    which = "损坏的文件" if kept_as is not None and ".damaged-" in kept_as.name else "原数据库文件"
    kept = f"{which}已改名保存为“{kept_as.name}”（在原文件夹中）。" if kept_as is not None else ""
    return (
        f"已用备份“{report.restored_from.name}”恢复数据库。{kept}"
        "这次恢复已记入审计日志。备份时间之后所做的修改不在备份里，请核对后重新录入。"
    )
