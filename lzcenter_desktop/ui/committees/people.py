"""人员库: every person of the registry across centres and terms, likely duplicates marked, and merging.

A person is one record across terms and centres (matched by 身份证号, or name + birth date). When the
same person was entered twice (a typo in the name's organization, a missing birth date), the clerk
merges the two: every committee, director and meeting record moves to the record that is kept, and
the other is marked 已合并 — never deleted.

The list is read with :func:`ui.ops.query_op` (each keystroke of the filter asks again; the newest
answer is shown) and a merge is a :func:`ui.ops.write_op` that announces ``people`` and
``committees`` as changed: the 委员会 page reads the open centre again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.services import people
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.people import PersonView
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.committees.common import error_text
from lzcenter_desktop.ui.dialogs.errors import report_exception
from lzcenter_desktop.ui.dialogs.stale import offer_reload

HEADERS = ("编号", "姓名", "出生日期", "身份证号", "工作单位", "状态", "提示")
DUPLICATE_BG = QColor("#fff3cd")
STATUS_LABELS = {"active": "在册", "merged": "已合并"}


def masked_id_number(value: str | None) -> str:
    """身份证号 shown as ``450202********1234``: enough to tell two records apart, not the whole number."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else value


def likely_duplicates(rows: list[PersonView]) -> set[int]:
    """Ids of active records that share a name with another active record whose birth date is the
    same or unknown — the pairs a clerk should look at."""
    active = [r for r in rows if r.status == "active"]
    by_name = Counter(r.name for r in active)
    out: set[int] = set()
    for r in active:
        if by_name[r.name] < 2:
            continue
        for other in active:
            if (
                other.id != r.id
                and other.name == r.name
                and (r.birth_date is None or other.birth_date is None or r.birth_date == other.birth_date)
            ):
                out.add(r.id)
    return out


def person_fields(p: PersonView) -> dict[str, str]:
    """A person's record by the labels of the 比较 table of a stale merge."""
    return {
        f"编号 {p.id} 姓名": p.name,
        f"编号 {p.id} 出生日期": p.birth_date.isoformat() if p.birth_date else "",
        f"编号 {p.id} 身份证号": masked_id_number(p.id_number),
        f"编号 {p.id} 工作单位": p.organization,
        f"编号 {p.id} 状态": STATUS_LABELS.get(p.status, p.status),
    }


class MergeDialog(QDialog):
    """Which record to keep, and why: both are required before 合并 is enabled."""

    def __init__(self, first: PersonView, second: PersonView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("合并重复的人员记录")
        self.first, self.second = first, second
        self.keep_first = QRadioButton(self._describe(first), self)
        self.keep_second = QRadioButton(self._describe(second), self)
        self.keep_first.setChecked(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("合并原因（必填），例如：同一人，工作单位录入时写法不同")
        note = QLabel(
            "另一条记录的全部委员会、中心主任和会议出席记录将移到保留的记录上；"
            "被合并的记录不会删除，标为“已合并”。此操作记入审计日志。",
            self,
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("合并")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("保留哪一条记录：", self))
        layout.addWidget(self.keep_first)
        layout.addWidget(self.keep_second)
        layout.addWidget(self.reason)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._update()

    @staticmethod
    def _describe(p: PersonView) -> str:
        born = p.birth_date.isoformat() if p.birth_date else "出生日期未填"
        return f"{p.name}（编号 {p.id}，{born}，{p.organization or '单位未填'}）"

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.text().strip()))

    def choice(self) -> tuple[int, int, str]:
        """(keep_id, merge_id, reason)."""
        keep, merge = (self.first, self.second) if self.keep_first.isChecked() else (self.second, self.first)
        return keep.id, merge.id, self.reason.text().strip()


class PeopleRegistryDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("人员库")
        self.resize(900, 560)
        self.rows: list[PersonView] = []
        self.loading = False  # a read of the list has not answered yet
        self.merging = False  # a merge is being written
        self._note = ""  # said after the next list arrives (the merge that was just made)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("按姓名筛选")
        self.filter.setClearButtonEnabled(True)
        self.show_merged = QCheckBox("显示已合并的记录", self)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.merge_button = QPushButton("合并…", self)
        self.merge_button.setToolTip("按住 Ctrl 选中同一人的两条记录后合并")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_merged)
        bottom = QHBoxLayout()
        bottom.addWidget(self.merge_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        # Injection points for tests: how the dialog asks which record to keep, and confirms.
        self.ask_merge: Callable[[PersonView, PersonView], tuple[int, int, str] | None] = self._ask_merge
        self.filter.textChanged.connect(self.refresh)
        self.show_merged.toggled.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.merge_button.clicked.connect(self.merge_selected)
        ops.hub().data_changed.connect(self._data_changed)
        self.refresh()

    def refresh(self) -> None:
        """Read the list again (filter and 显示已合并 as they are now); the newest answer is shown."""
        ctx, name, merged = self.ctx, self.filter.text(), self.show_merged.isChecked()
        self.loading = True
        if not self.rows:
            self._say("正在读取人员库…")
        ops.query_op(
            lambda: people.list_people(ctx, name_contains=name, include_merged=merged),
            parent=self,
            key=f"people-registry:{id(self)}",
            on_success=self._show_rows,
            on_failure=self._load_failed,
        )

    def _data_changed(self, kinds: frozenset[str]) -> None:
        if "people" in kinds:
            self.refresh()

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        text = error_text(exc)
        if text is None:
            report_exception(exc, self)
            text = "程序出错，详见错误报告窗口"
        self._say(f"未能读取人员库：{text}", error=True)

    def _show_rows(self, rows: list[PersonView]) -> None:
        self.loading = False
        self.rows = rows
        duplicates = likely_duplicates(self.rows)
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            hint = "疑似重复：同名且出生日期相同或未填" if p.id in duplicates else ""
            values = (
                str(p.id),
                p.name,
                p.birth_date.isoformat() if p.birth_date else "",
                masked_id_number(p.id_number),
                p.organization,
                STATUS_LABELS.get(p.status, p.status),
                hint,
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                if hint:
                    item.setBackground(QBrush(DUPLICATE_BG))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._selection_changed()
        if self._note:
            self._say(self._note)
            self._note = ""
            return
        shown = f"共 {len(self.rows)} 人"
        self._say(shown + (f"，其中 {len(duplicates)} 条疑似重复" if duplicates else ""))

    def selected(self) -> list[PersonView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[r] for r in rows if 0 <= r < len(self.rows)]

    def select_ids(self, *ids: int) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, p in enumerate(self.rows):
            if p.id in ids:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.merge_button.setEnabled(
            not self.merging and len(chosen) == 2 and all(p.status == "active" for p in chosen)
        )

    def _ask_merge(self, first: PersonView, second: PersonView) -> tuple[int, int, str] | None:
        dialog = MergeDialog(first, second, self)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def merge_selected(self) -> bool:
        """Ask which record to keep, then start the merge; False when nothing was started. The outcome
        (the list read again, or the Chinese refusal) arrives in the dialog."""
        chosen = self.selected()
        if len(chosen) != 2:
            self._say("请按住 Ctrl 选中同一人的两条记录", error=True)
            return False
        if self.merging:
            return False
        answer = self.ask_merge(chosen[0], chosen[1])
        if answer is None:
            return False
        keep_id, merge_id, reason = answer
        ctx = self.ctx
        seen = {p.id: p for p in chosen}  # the records as the clerk saw them (their versions)

        def done(_result: None) -> None:
            self.merging = False
            self._note = f"已将编号 {merge_id} 的记录合并到编号 {keep_id}"
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.merging = False
            self._selection_changed()
            if self._offer_reload(exc, [seen[keep_id], seen[merge_id]]):
                return
            text = error_text(exc)
            if text is None:
                report_exception(exc, self)
                text = "程序出错，详见错误报告窗口"
            self._say(text, error=True)

        self.merging = True
        self._selection_changed()
        self._say("正在合并…")
        ops.write_op(
            lambda: people.merge_people(
                ctx,
                keep_id=keep_id,
                merge_id=merge_id,
                reason=reason,
                keep_version=seen[keep_id].version,
                merge_version=seen[merge_id].version,
            ),
            parent=self,
            kinds={"people", "committees"},
            on_success=done,
            on_failure=failed,
        )
        return True

    def _offer_reload(self, exc: BaseException, shown: list[PersonView]) -> bool:
        """A stale merge (one of the two records was saved by someone else since the list was read):
        the 该记录已被他人修改 box (比较 the records as listed with the stored ones; 重新载入 reads the
        list again). False for any other failure."""
        ctx, ids = self.ctx, [p.id for p in shown]

        def theirs() -> dict[str, str]:
            out: dict[str, str] = {}
            for pid in ids:
                out.update(person_fields(people.get_person(ctx, pid)))
            return out

        mine: dict[str, str] = {}
        for p in shown:
            mine.update(person_fields(p))
        if offer_reload(self, exc, mine=mine, fetch_theirs=theirs, on_reload=self.refresh) is None:
            return False
        self._say(str(exc), error=True)
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b02a37;" if error else "")
