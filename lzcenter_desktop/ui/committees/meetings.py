"""Meetings and attendance of both committees: date, attendees picked from the members in force,
attendance against 2/3 (M16b), and each complete year's meeting count (M13c, M16a) — the years the
rules check, taken from the rule module itself (terms that follow one another are one span)."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain import committee_edits as edits
from lzcenter_desktop.domain import text
from lzcenter_desktop.domain.committee_edits import (
    EXPERT,
    MANAGEMENT,
    MeetingRef,
    add_meeting,
    meeting_refs,
    members_in_force,
    with_meeting,
)
from lzcenter_desktop.domain.committees import expert_meeting_years, management_meeting_years
from lzcenter_desktop.domain.dates import TYPED_DATE_HINT
from lzcenter_desktop.domain.model import Meeting
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.ui.committees.common import (
    BAD_FG,
    Banner,
    CommitteeTableModel,
    ProblemList,
    date_edit,
    fit_table,
    flag_brush,
    flag_tooltip,
    pending_text,
)
from lzcenter_desktop.ui.committees.document import CommitteeDocument

COL_DATE, COL_TERM, COL_PRESENT, COL_SHARE = range(4)
HEADERS = ("会议日期", "届次", "出席/应到", "出席比例")


class MeetingModel(CommitteeTableModel):
    headers = HEADERS

    def __init__(self, doc: CommitteeDocument, parent: Any = None) -> None:
        super().__init__(doc, parent)
        self.committee = MANAGEMENT
        self.refs: list[MeetingRef] = meeting_refs(doc.value, self.committee)

    def set_committee(self, committee: str) -> None:
        self.beginResetModel()
        self.committee = committee
        self.refs = meeting_refs(self.doc.value, committee)
        self.endResetModel()

    def _refresh(self) -> None:
        refs = meeting_refs(self.doc.value, self.committee)
        if len(refs) != len(self.refs):
            self.beginResetModel()
            self.refs = refs
            self.endResetModel()
        else:
            self.refs = refs
            if refs:
                self.dataChanged.emit(self.index(0, 0), self.index(len(refs) - 1, len(HEADERS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.refs)

    def cell_violations(self, row: int, column: int) -> list[Violation]:
        if column not in (COL_PRESENT, COL_SHARE) or not 0 <= row < len(self.refs):
            return []
        return self.doc.violations_at(self.refs[row].path() + ".attendees")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.refs):
            return None
        ref = self.refs[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            members = members_in_force(self.doc.value, ref)
            present = sum(1 for a in ref.meeting.attendees if a in members)
            if col == COL_DATE:
                return ref.meeting.date.isoformat()
            if col == COL_TERM:
                return "—" if ref.term is None else f"第{ref.term + 1}届"
            if col == COL_PRESENT:
                return f"{present}/{len(members)}"
            if col == COL_SHARE:
                return text.percent(Fraction(present, len(members))) if members else "—"
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return flag_brush(self.cell_violations(index.row(), col))
        if role == Qt.ItemDataRole.ToolTipRole:
            return flag_tooltip(self.cell_violations(index.row(), col)) or None
        return None


class MeetingsEditor(QWidget):
    def __init__(self, doc: CommitteeDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._updating = False
        self.committee_box = QComboBox(self)
        self.committee_box.addItem("管理委员会", MANAGEMENT)
        self.committee_box.addItem("专家指导委员会", EXPERT)
        self.committee_box.currentIndexChanged.connect(self._committee_chosen)
        # the date of the meeting to register (not part of the record until 登记会议 is pressed)
        self.day = date_edit(doc.as_of, self, field="会议日期", record=False)
        self.day.line.returnPressed.connect(self._day_entered)
        self.add_button = QPushButton("登记会议(&A)", self)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("删除会议(&R)", self)
        self.remove_button.clicked.connect(self.remove)
        top = QHBoxLayout()
        top.addWidget(QLabel("委员会", self))
        top.addWidget(self.committee_box)
        top.addSpacing(16)
        top.addWidget(QLabel("会议日期", self))
        top.addWidget(self.day)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        top.addStretch(1)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {BAD_FG.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        self.banner = Banner(self)
        self.model = MeetingModel(doc, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_table(self.table, rows=4)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)  # a list to pick a meeting from: Tab goes on to its attendance
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.attendees = QListWidget(self)
        self.attendees.itemChanged.connect(self._attendee_toggled)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.attendance = QLabel("出席人员（勾选到会委员）", right)
        rl.addWidget(self.attendance)
        rl.addWidget(self.attendees)
        split = QSplitter(self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.problems = ProblemList(self, title="会议问题（实时检查）")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        layout.addWidget(self.problems.title)
        layout.addWidget(self.problems)
        doc.changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def _selection_changed(self) -> None:
        self.refresh()

    @property
    def committee(self) -> str:
        return str(self.committee_box.currentData())

    def _committee_chosen(self) -> None:
        self.model.set_committee(self.committee)
        self.refresh()

    def selected(self) -> MeetingRef | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.refs[rows[0].row()] if rows and rows[0].row() < len(self.model.refs) else None

    def refresh(self) -> None:
        c = self.doc.value
        s = self.doc.settings
        rules = ("M13c",) if self.committee == MANAGEMENT else ("M16a", "M16b")
        violations = [v for v in self.doc.violations if v.rule in rules]
        if self.committee == MANAGEMENT:
            mc = c.management_committee
            per_year = Counter(m.date.year for m in (mc.meetings if mc else ()))
            years = management_meeting_years(c, self.doc.as_of)
            lines = edits.year_lines(
                per_year, years, s.management_min_meetings, "M13c", violations, as_of=self.doc.as_of
            )
            self.add_button.setEnabled(mc is not None)
        else:
            terms = c.expert_committee_terms
            per_year = Counter(m.date.year for t in terms for m in t.meetings)
            years = list(expert_meeting_years(c, self.doc.as_of))
            lines = edits.year_lines(
                per_year, years, s.expert_min_meetings, "M16a", violations, as_of=self.doc.as_of
            )
            self.add_button.setEnabled(bool(terms))
        share = s.min_attendance_share
        ref = self.selected()
        if ref is not None:
            members = members_in_force(c, ref)
            present = sum(1 for a in ref.meeting.attendees if a in members)
            if self.committee == EXPERT:
                ok = not self.doc.violations_at(ref.path() + ".attendees")
                need = f"需 ≥ {share.numerator}/{share.denominator}"
                lines.insert(
                    0,
                    edits.BannerLine(
                        f"{ref.meeting.date.isoformat()} 出席 {present}/{len(members)}，"
                        f"{need} {edits.mark(ok)}",
                        ok,
                    ),
                )
            else:
                lines.insert(
                    0, edits.BannerLine(f"{ref.meeting.date.isoformat()} 出席 {present}/{len(members)}", True)
                )
        self.banner.set_lines(lines or [edits.BannerLine("尚无会议记录", True)])
        self.problems.set_violations(violations)
        self._show_attendees()

    def _show_attendees(self) -> None:
        self._updating = True
        try:
            self.attendees.clear()
            ref = self.selected()
            if ref is None:
                self.attendance.setText("出席人员（先在左侧选择一次会议）")
                return
            c = self.doc.value
            members = members_in_force(c, ref)
            self.attendance.setText(f"{ref.meeting.date.isoformat()} 出席人员（勾选到会委员）")
            for pid in dict.fromkeys((*members, *ref.meeting.attendees)):
                p = c.person(pid)
                note = edits.attendee_note(c, ref, pid)
                item = QListWidgetItem(f"{p.name}（{p.organization}）" + (f"（{note}）" if note else ""))
                item.setData(Qt.ItemDataRole.UserRole, pid)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                checked = pid in ref.meeting.attendees
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.attendees.addItem(item)
        finally:
            self._updating = False

    def _attendee_toggled(self, item: QListWidgetItem) -> None:
        ref = self.selected()
        if self._updating or ref is None:
            return
        pid = item.data(Qt.ItemDataRole.UserRole)
        checked = item.checkState() == Qt.CheckState.Checked
        attendees = [a for a in ref.meeting.attendees if a != pid]
        if checked:
            attendees.append(pid)
        name = self.doc.value.person(pid).name
        row = self.model.refs.index(ref)
        self.doc.apply(
            with_meeting(self.doc.value, ref, Meeting(ref.meeting.date, tuple(attendees))),
            f"{'登记' if checked else '取消'}{name}出席",
        )
        self.table.selectRow(row)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _day_entered(self) -> None:
        if not self.day.error_text() and self.add_button.isEnabled():
            self.add()  # Enter in the date registers the meeting, as 登记会议 does

    def add(self) -> None:
        if pending_text(self.day) and not self.day.commit():
            self.show_error(f"会议日期：{self.day.error_text()}")
            return
        day = self.day.date()
        if day is None:
            self.show_error(f"会议日期：必填，{TYPED_DATE_HINT}")
            return
        try:
            value = add_meeting(self.doc.value, self.committee, day)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.doc.apply(value, f"登记{day.isoformat()}会议")
        rows = [i for i, r in enumerate(self.model.refs) if r.meeting.date == day]
        if rows:
            self.table.selectRow(rows[-1])

    def remove(self) -> None:
        ref = self.selected()
        if ref is None:
            return
        self.doc.apply(with_meeting(self.doc.value, ref, None), f"删除{ref.meeting.date.isoformat()}会议")
