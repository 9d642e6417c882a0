"""管理委员会 editor: whether it exists, its members (host / co-building units), live M13a–M13c."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain import committee_edits as edits
from lzcenter_desktop.domain.committees import from_host_or_co_builder, unit_match
from lzcenter_desktop.domain.model import ManagementCommittee
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees.common import (
    Banner,
    CommitteeTableModel,
    PersonDialog,
    ProblemList,
    UnitQuestionBar,
    fit_table,
    flag_brush,
    flag_tooltip,
)
from lzcenter_desktop.ui.committees.document import CommitteeDocument

COL_NAME, COL_ORG, COL_FROM = range(3)
HEADERS = ("姓名", "工作单位", "来自")


class ManagementModel(CommitteeTableModel):
    headers = HEADERS

    def __init__(self, doc: CommitteeDocument, parent: Any = None) -> None:
        super().__init__(doc, parent)
        self._rows = self.current_row_count()

    def _members(self) -> tuple[str, ...]:
        mc = self.doc.value.management_committee
        return mc.members if mc else ()

    def current_row_count(self) -> int:
        return len(self._members())

    def _own(self, pid: str) -> bool:
        return from_host_or_co_builder(self.doc.value.person(pid), self.doc.value)

    def cell_violations(self, row: int, column: int) -> list[Violation]:
        members = self._members()
        if column != COL_FROM or not 0 <= row < len(members):
            return []
        # a unit only likely the host's or a co-builder's: the warning naming both
        likely = self.doc.violations_at(f"management_committee.members[{row}].organization")
        if self._own(members[row]):
            return likely
        return self.doc.violations_at("management_committee.members")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        members = self._members()
        if not index.isValid() or index.row() >= len(members):
            return None
        pid = members[index.row()]
        person = self.doc.value.person(pid)
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return person.name
            if col == COL_ORG:
                return person.organization
            if col == COL_FROM:
                m = unit_match(person, self.doc.value)
                if m is None:
                    return "外单位"
                return m.role + ("（待确认）" if m.likely else "")
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return flag_brush(self.cell_violations(index.row(), col))
        if role == Qt.ItemDataRole.ToolTipRole:
            return flag_tooltip(self.cell_violations(index.row(), col)) or None
        return None


class ManagementEditor(QWidget):
    def __init__(
        self, doc: CommitteeDocument, orgs: Sequence[OrganizationChoice] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.orgs = list(orgs)
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self._updating = False
        self.exists = QCheckBox("已成立管理委员会", self)
        self.exists.toggled.connect(self._toggle)
        self.banner = Banner(self)
        self.model = ManagementModel(doc, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_table(self.table, stretch=COL_ORG, rows=3)
        self.add_button = QPushButton("添加成员(&A)", self)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button = QPushButton("移除成员(&R)", self)
        self.remove_button.clicked.connect(self.remove_member)
        buttons = QHBoxLayout()
        buttons.addWidget(self.exists)
        buttons.addSpacing(16)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        QWidget.setTabOrder(self.exists, self.add_button)  # Tab as shown: the buttons above the table
        QWidget.setTabOrder(self.add_button, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.table)
        # 属于 / 不属于 for a member's unit likely part of the host (the page saves the answer)
        self.confirm_unit: Callable[[str, str, bool], str | None] | None = None
        self.unit_bar = UnitQuestionBar(self)
        self.unit_bar.answered.connect(self._unit_answered)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_unit_question())
        self.problems = ProblemList(self, title="管理委员会问题（实时检查；会议在“会议与出席”中登记）")
        self.problems.title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unit_bar)
        layout.addWidget(self.problems.title)
        layout.addWidget(self.problems)
        doc.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self._updating = True
        try:
            mc = self.doc.value.management_committee
            self.exists.setChecked(mc is not None)
            for w in (self.table, self.add_button, self.remove_button):
                w.setEnabled(mc is not None)
            violations = [v for v in self.doc.violations if v.rule.startswith("M13")]
            self.banner.set_lines(
                edits.management_banner(self.doc.value, violations, self.doc.settings, self.doc.as_of)
            )
            self.problems.set_violations(violations)
            self._show_unit_question()
        finally:
            self._updating = False

    def _show_unit_question(self) -> None:
        mc = self.doc.value.management_committee
        members = mc.members if mc else ()
        rows = self.table.selectionModel().selectedRows()
        picked = [members[rows[0].row()]] if rows and rows[0].row() < len(members) else []
        question = None
        for pid in (*picked, *members):
            q = edits.unit_question(self.doc.value, pid, members)
            if q is not None and (q.answer is None or pid in picked):
                question = q
                break
        self.unit_bar.show_question(question, can_answer=self.confirm_unit is not None)

    def _unit_answered(self, unit: str, of: str, belongs: bool) -> None:
        if self.confirm_unit is not None:
            self.unit_bar.show_error(self.confirm_unit(unit, of, belongs) or "")

    def _toggle(self, on: bool) -> None:
        if self._updating:
            return
        c = self.doc.value
        if on and c.management_committee is None:
            self.doc.apply(edits.with_management(c, ManagementCommittee((), ())), "成立管理委员会")
        elif not on and c.management_committee is not None:
            self.doc.apply(edits.with_management(c, None), "撤销管理委员会记录")

    def add_member(self) -> None:
        c = self.doc.value
        mc = c.management_committee
        if mc is None:
            return
        dialog = PersonDialog(
            c,
            self.orgs,
            new_id=edits.new_person_id(c),
            exclude=mc.members,
            title="添加管理委员会成员",
            parent=self,
        )
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.result_person is not None:
            person = dialog.result_person
            c = edits.with_person(c, person)
            new = ManagementCommittee((*mc.members, person.id), mc.meetings)
            self.doc.apply(edits.with_management(c, new), f"添加管理委员会成员{person.name}")

    def remove_member(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        c = self.doc.value
        mc = c.management_committee
        if not rows or mc is None:
            return
        gone = mc.members[rows[0].row()]
        members = tuple(p for p in mc.members if p != gone)  # past attendance stays as it was
        self.doc.apply(
            edits.with_management(c, ManagementCommittee(members, mc.meetings)),
            f"移除管理委员会成员{c.person(gone).name}",
        )
