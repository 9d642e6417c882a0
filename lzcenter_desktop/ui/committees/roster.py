"""专家指导委员会 editor: terms, the roster table with flagged cells, the live banner and 换届.

A member added to a term that is running joins it on the day given in 增补委员任职起始日期 (today by
default, typed with the one date editor); the roster shows each member's first day in office
(任职起始, editable) and the meetings held before it do not count that member (M16b)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain import committee_edits as edits
from lzcenter_desktop.domain.committees import CATEGORY_LABELS, from_host_or_co_builder, joined_on
from lzcenter_desktop.domain.dates import parse_typed_date
from lzcenter_desktop.domain.model import Committees, ExpertTerm, Person
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees.common import (
    BAD_FG,
    CATEGORY_BY_LABEL,
    NAME_MAX,
    Banner,
    ComboDelegate,
    CommitteeTableModel,
    DateDelegate,
    PersonDialog,
    ProblemList,
    UnitQuestionBar,
    compact_combo,
    date_edit,
    fit_table,
    flag_brush,
    flag_tooltip,
    organization_person,
    pending_text,
    show_date_flags,
    widen_popup,
)
from lzcenter_desktop.ui.committees.document import CommitteeDocument

COL_NAME, COL_BIRTH, COL_ORG, COL_CATEGORY, COL_CHAIR, COL_PREVIOUS, COL_JOINED = range(7)
HEADERS = ("姓名", "出生日期", "工作单位", "类别", "主任委员", "上届", "任职起始")
JOINED_FIELD = "任职起始日期"


class ExpertRosterModel(CommitteeTableModel):
    """The members of one term of the expert guidance committee, with their rule flags."""

    input_error = Signal(str)  # a Chinese message naming the field, for a date that was refused

    headers = HEADERS

    def __init__(
        self, doc: CommitteeDocument, orgs: Sequence[OrganizationChoice] = (), parent: Any = None
    ) -> None:
        super().__init__(doc, parent)
        self.orgs = list(orgs)
        self.term_index = -1

    # -------------------------------------------------------------- structure

    def set_term(self, index: int) -> None:
        self.beginResetModel()
        self.term_index = index
        self._rows = len(self._members())
        self.endResetModel()

    def _term(self) -> ExpertTerm | None:
        terms = self.doc.value.expert_committee_terms
        return terms[self.term_index] if 0 <= self.term_index < len(terms) else None

    def _members(self) -> tuple[str, ...]:
        t = self._term()
        return t.members if t else ()

    def current_row_count(self) -> int:
        return len(self._members())

    def _needs_reset(self, rows: int) -> bool:
        return rows != self._rows or self._term() is None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (COL_NAME, COL_ORG, COL_CATEGORY, COL_JOINED):
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == COL_CHAIR:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    # -------------------------------------------------------------- flags

    def cell_violations(self, row: int, column: int) -> list[Violation]:
        """The violations shown on one cell (the offending member's figure)."""
        t = self._term()
        if t is None or not 0 <= row < len(t.members):
            return []
        c = self.doc.value
        path = edits.term_path(self.term_index)
        pid = t.members[row]
        person = c.person(pid)
        out: list[Violation] = []
        if column == COL_NAME:
            n = len(t.members)
            s = self.doc.settings
            beyond = row >= s.expert_committee_max_size or (
                s.expert_committee_odd and n % 2 == 0 and row == n - 1
            )
            if beyond:
                out += [v for v in self.doc.violations_at(f"{path}.members") if v.rule == "M14b"]
        elif column == COL_ORG:
            if from_host_or_co_builder(person, c):
                out += [v for v in self.doc.violations_at(f"{path}.members") if v.rule == "M14c"]
                if pid == t.chair:
                    out += [v for v in self.doc.violations_at(f"{path}.chair") if v.rule == "M15a"]
            # a unit that only likely is the host's or a co-builder's: the warning naming both
            out += self.doc.violations_at(f"{path}.members[{row}].organization")
        elif column == COL_CATEGORY:
            out += self.doc.violations_at(f"{path}.members[{row}]")
        elif column == COL_CHAIR and pid == t.chair:
            out += self.doc.violations_at(f"{path}.chair")
        elif column == COL_PREVIOUS and self._carried_over(pid):
            out += [v for v in self.doc.violations_at(f"{path}.members") if v.rule == "M14f"]
        return out

    def _carried_over(self, pid: str) -> bool:
        if self.term_index <= 0:
            return False
        return pid in self.doc.value.expert_committee_terms[self.term_index - 1].members

    # -------------------------------------------------------------- data

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        t = self._term()
        if not index.isValid() or t is None or index.row() >= len(t.members):
            return None
        pid = t.members[index.row()]
        person = self.doc.value.person(pid)
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_NAME:
                return person.name
            if col == COL_BIRTH:
                return person.birth_date.isoformat()
            if col == COL_ORG:
                return person.organization
            if col == COL_CATEGORY:
                return CATEGORY_LABELS[person.category]
            if col == COL_CHAIR:
                return "主任" if pid == t.chair else ""
            if col == COL_PREVIOUS:
                if self.term_index <= 0:
                    return "—"
                return "连任" if self._carried_over(pid) else "新任"
            if col == COL_JOINED:
                first = joined_on(t, pid)
                if first == t.start:  # from the term's start: nothing to edit away
                    return "" if role == Qt.ItemDataRole.EditRole else f"{first.isoformat()}（届初）"
                return (
                    first.isoformat() if role == Qt.ItemDataRole.EditRole else f"{first.isoformat()}（增补）"
                )
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_CHAIR:
            return Qt.CheckState.Checked if pid == t.chair else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            return flag_brush(self.cell_violations(index.row(), col))
        if role == Qt.ItemDataRole.ToolTipRole:
            text = flag_tooltip(self.cell_violations(index.row(), col))
            if not text and col == COL_JOINED:
                first = joined_on(t, pid)
                if first > t.start:
                    return f"届中增补：自 {first.isoformat()} 起任委员，此前召开的会议不计入其出席"
                return "自本届任期开始起任委员；届中增补的委员请填写其任职起始日期"
            return text or None
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        t = self._term()
        if not index.isValid() or t is None:
            return False
        c = self.doc.value
        pid = t.members[index.row()]
        person = c.person(pid)
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_CHAIR:
            if Qt.CheckState(value) == Qt.CheckState.Checked and pid != t.chair:
                self.doc.apply(edits.set_chair(c, self.term_index, pid), f"设{person.name}为主任委员")
                return True
            return False
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip()
        if col == COL_JOINED:
            return self._set_joined(pid, text)
        if col == COL_NAME:
            if not text or len(text) > NAME_MAX:
                return False
            new = replace(person, name=text)
            label = f"修改姓名为{text}"
        elif col == COL_ORG:
            if not text:
                return False
            new = organization_person(person, text, self.orgs)
            label = f"修改{person.name}的工作单位"
        elif col == COL_CATEGORY:
            if text not in CATEGORY_BY_LABEL:
                return False
            new = replace(person, category=CATEGORY_BY_LABEL[text])
            label = f"修改{person.name}的类别"
        else:
            return False
        if new == person:
            return False
        self.doc.apply(edits.with_person(c, new), label)
        return True

    def _set_joined(self, pid: str, text: str) -> bool:
        """A member's first day in office typed in the 任职起始 cell (empty: from the term's start)."""
        c = self.doc.value
        try:
            day = parse_typed_date(text)
            value = edits.set_joined(c, self.term_index, pid, day)
        except ValueError as exc:
            message = str(exc)
            self.input_error.emit(
                message if message.startswith(JOINED_FIELD) else f"{JOINED_FIELD}：{message}"
            )
            return False
        self.input_error.emit("")
        if value == c:
            return False
        self.doc.apply(value, f"修改{c.person(pid).name}的任职起始日期")
        return True


class ExpertCommitteeEditor(QWidget):
    """Terms of the expert guidance committee with the roster table editor."""

    def __init__(
        self, doc: CommitteeDocument, orgs: Sequence[OrganizationChoice] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.orgs = list(orgs)
        # How the person dialog is run; tests replace it to fill the dialog without a modal loop.
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self._updating = False

        self.term_box = QComboBox(self)
        compact_combo(self.term_box, 14)
        self.term_box.currentIndexChanged.connect(self._term_chosen)
        self.renew_button = QPushButton("换届(&N)", self)
        self.renew_button.setToolTip("以上一届名单为基础新建下一届，任期自上一届结束次日起")
        self.renew_button.clicked.connect(self.renew)
        self.first_button = QPushButton("设立首届(&T)", self)
        self.first_button.clicked.connect(self._first_term)
        self.add_button = QPushButton("添加委员(&A)", self)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button = QPushButton("移除委员(&R)", self)
        self.remove_button.clicked.connect(self.remove_member)
        self.up_button = QPushButton("上移(&U)", self)
        self.up_button.setToolTip("调整名单顺序（用于名单导出）")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton("下移(&D)", self)
        self.down_button.setToolTip("调整名单顺序（用于名单导出）")
        self.down_button.clicked.connect(lambda: self._move(1))
        # one row: the term and what is done to it, then what is done to its members
        top = QHBoxLayout()
        top.addWidget(QLabel("届次", self))
        top.addWidget(self.term_box, 1)
        top.addWidget(self.renew_button)
        top.addWidget(self.first_button)
        top.addSpacing(12)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            top.addWidget(b)

        self.start = date_edit(parent=self, field="任期开始日期")
        self.end = date_edit(parent=self, field="任期结束日期")
        self.filed = date_edit(parent=self, field="备案日期", optional=True)
        self.filed.line.setPlaceholderText("未备案")
        for w in (self.start, self.end, self.filed):
            w.date_committed.connect(self._dates_edited)
        # the first day in office of the next member added (not part of the record until 添加委员)
        self.join_day = date_edit(doc.as_of, self, field="增补委员任职起始日期", record=False)
        self.join_day.setToolTip(
            "添加委员时的任职起始日期：本届任期内默认为今天（届中增补），此前召开的会议不计入该委员；"
            "填本届开始日期即为届初委员"
        )
        # the term (index and dates) whose default the field shows: another term, another default
        self._join_term: tuple[int, date, date] | None = None
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {BAD_FG.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        dates = QHBoxLayout()
        dates.addWidget(QLabel("任期自", self))
        dates.addWidget(self.start)
        dates.addWidget(QLabel("至", self))
        dates.addWidget(self.end)
        dates.addSpacing(16)
        dates.addWidget(QLabel("报市科技局备案日期", self))
        dates.addWidget(self.filed)
        dates.addSpacing(16)
        dates.addWidget(QLabel("增补委员任职自", self))
        dates.addWidget(self.join_day)
        dates.addStretch(1)

        self.banner = Banner(self)
        self.model = ExpertRosterModel(doc, self.orgs, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        fit_table(self.table, stretch=COL_ORG, rows=9)
        self.org_delegate = ComboDelegate([o.name for o in self.orgs], editable=True, parent=self.table)
        self.table.setItemDelegateForColumn(COL_ORG, self.org_delegate)
        self.table.setItemDelegateForColumn(
            COL_CATEGORY, ComboDelegate(list(CATEGORY_LABELS.values()), editable=False, parent=self.table)
        )
        self.table.setItemDelegateForColumn(
            COL_JOINED, DateDelegate(optional=True, field=JOINED_FIELD, parent=self.table)
        )
        self.model.input_error.connect(self.show_error)

        # 属于 / 不属于 for a member's unit likely part of the host: the page saves the answer in the
        # organization registry (returns a Chinese error, or None); without it the buttons are off.
        self.confirm_unit: Callable[[str, str, bool], str | None] | None = None
        self.unit_bar = UnitQuestionBar(self)
        self.unit_bar.answered.connect(self._unit_answered)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_unit_question())

        self.problems = ProblemList(self, title="本届问题（实时检查）")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(dates)
        layout.addWidget(self.error)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unit_bar)
        layout.addWidget(self.problems.title)
        layout.addWidget(self.problems)

        doc.changed.connect(self.refresh)
        self.refresh()

    # -------------------------------------------------------------- state

    def set_organizations(self, orgs: Sequence[OrganizationChoice]) -> None:
        """The registered organizations offered for 工作单位 (read again with each record)."""
        self.orgs = list(orgs)
        self.model.orgs = list(orgs)
        self.org_delegate.items = [o.name for o in orgs]

    @property
    def term_index(self) -> int:
        return self.term_box.currentIndex()

    def _term(self) -> ExpertTerm | None:
        terms = self.doc.value.expert_committee_terms
        i = self.term_index
        return terms[i] if 0 <= i < len(terms) else None

    def refresh(self) -> None:
        """Redraw from the document (after any change, undo or redo)."""
        self._updating = True
        try:
            terms = self.doc.value.expert_committee_terms
            keep = self.term_box.currentIndex()
            labels = [
                f"第{i + 1}届（{t.start.isoformat()} 至 {t.end.isoformat()}）" for i, t in enumerate(terms)
            ]
            if [self.term_box.itemText(i) for i in range(self.term_box.count())] != labels:
                self.term_box.clear()
                self.term_box.addItems(labels)
                widen_popup(self.term_box)
                self.term_box.setCurrentIndex(
                    min(max(keep, 0), len(labels) - 1) if keep >= 0 else len(labels) - 1
                )
            if self.model.term_index != self.term_index:
                self.model.set_term(self.term_index)
            t = self._term()
            for w in (self.start, self.end, self.filed, self.join_day, self.table, self.add_button):
                w.setEnabled(t is not None)
            for b in (self.remove_button, self.up_button, self.down_button, self.renew_button):
                b.setEnabled(t is not None)
            self.first_button.setVisible(not terms)
            if t is None:
                self.banner.set_lines([edits.BannerLine("尚未设立专家指导委员会 ✗", False)])
                self.problems.set_violations([v for v in self.doc.violations if v.rule == "M14a"])
                self.unit_bar.show_question(None, can_answer=False)
                return
            path = edits.term_path(self.term_index)
            term_key = (self.term_index, t.start, t.end)
            if self._join_term != term_key:  # another term: its default (today while it runs)
                self._join_term = term_key
                self.join_day.setDate(edits.default_join_day(t, self.doc.as_of))
            self.start.setDate(t.start)
            self.end.setDate(t.end)
            self.filed.setDate(t.filed)
            for widget, field in ((self.start, "start"), (self.end, "end"), (self.filed, "filed")):
                show_date_flags(widget, self.doc.violations_at(f"{path}.{field}"))
            self.banner.set_lines(
                edits.expert_banner(self.doc.value, self.term_index, self.doc.violations, self.doc.settings)
            )
            self.problems.set_violations(
                [v for v in self.doc.violations_under(path) if not v.path.startswith(f"{path}.meetings")]
            )
            self._show_unit_question()
        finally:
            self._updating = False

    def unit_question(self) -> edits.UnitQuestion | None:
        """The question the bar shows: about the selected member's unit, else the first member of the
        term whose unit is likely the host's or a co-builder's and not yet answered."""
        t = self._term()
        if t is None:
            return None
        c = self.doc.value
        row = self.selected_row()
        if 0 <= row < len(t.members):
            q = edits.unit_question(c, t.members[row], t.members)
            if q is not None:
                return q
        for pid in t.members:
            q = edits.unit_question(c, pid, t.members)
            if q is not None and q.answer is None:
                return q
        return None

    def _show_unit_question(self) -> None:
        self.unit_bar.show_question(self.unit_question(), can_answer=self.confirm_unit is not None)

    def _unit_answered(self, unit: str, of: str, belongs: bool) -> None:
        if self.confirm_unit is None:
            return
        error = self.confirm_unit(unit, of, belongs)
        self.unit_bar.show_error(error or "")

    def _term_chosen(self, _index: int) -> None:
        if not self._updating:
            self.refresh()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _dates_edited(self, _value: object = None) -> None:
        """A committed date (Tab, Enter, leaving the field, an arrow, the calendar): one undoable step."""
        t = self._term()
        if self._updating or t is None:
            return
        start, end = self.start.date() or t.start, self.end.date() or t.end
        try:
            value = edits.with_term_dates(self.doc.value, self.term_index, start, end, self.filed.date())
        except ValueError as exc:
            # refused (an end before the start, or before a member's first day): the record keeps its dates
            self.show_error(str(exc))
            self.refresh()
            return
        self.show_error("")
        new = value.expert_committee_terms[self.term_index]
        if new == t:
            return
        if new.filed != t.filed and new.start == t.start and new.end == t.end:
            label = "填写备案日期" if new.filed is not None else "清除备案日期"
        else:
            label = "修改任期"
        self.doc.apply(value, label)

    # -------------------------------------------------------------- actions

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_member(self) -> None:
        t = self._term()
        if t is None:
            return
        c = self.doc.value
        dialog = PersonDialog(
            c, self.orgs, new_id=edits.new_person_id(c), exclude=t.members, title="添加委员", parent=self
        )
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.result_person is not None:
            self.add_person(dialog.result_person)

    def add_person(self, person: Person) -> bool:
        """Add ``person`` (new or already on the records) to the current term, in office from the day
        in 增补委员任职起始日期 (from the term's start when that day is on or before it). False, with
        the reason shown, when that day cannot be read or lies after the term's end."""
        if pending_text(self.join_day) and not self.join_day.commit():
            self.show_error(f"增补委员任职起始日期：{self.join_day.error_text()}")
            return False
        c = edits.with_person(self.doc.value, person)
        try:
            value = edits.add_member(c, self.term_index, person.id, self.join_day.date())
        except ValueError as exc:
            self.show_error(f"未添加{person.name}：{exc}")
            return False
        self.show_error("")
        t = value.expert_committee_terms[self.term_index]
        since = joined_on(t, person.id) if person.id in t.members else t.start
        label = f"添加委员{person.name}" + (f"（{since.isoformat()} 起）" if since > t.start else "")
        self.doc.apply(value, label)
        self.table.selectRow(self.model.rowCount() - 1)
        return True

    def remove_member(self) -> None:
        row = self.selected_row()
        t = self._term()
        if t is None or row < 0:
            return
        name = self.doc.value.person(t.members[row]).name
        self.doc.apply(edits.remove_member(self.doc.value, self.term_index, row), f"移除委员{name}")

    def _move(self, delta: int) -> None:
        row = self.selected_row()
        if row < 0:
            return
        self.doc.apply(edits.move_member(self.doc.value, self.term_index, row, delta), "调整委员顺序")
        target = row + delta
        if 0 <= target < self.model.rowCount():
            self.table.selectRow(target)

    def renew(self) -> None:
        """换届: a new term starting from the latest roster; the banner counts replacements as it changes."""
        if not self.doc.value.expert_committee_terms:
            return
        self.doc.apply(edits.renew_term(self.doc.value, self.doc.settings), "换届")
        self.term_box.setCurrentIndex(self.term_box.count() - 1)

    def _first_term(self) -> None:
        c = self.doc.value
        dialog = PersonDialog(
            c, self.orgs, new_id=edits.new_person_id(c), title="设立首届：主任委员", parent=self
        )
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.result_person is None:
            return
        chair = dialog.result_person
        c = edits.with_person(c, chair)
        self.doc.apply(
            edits.first_term(c, self.doc.as_of, chair.id, (chair.id,), self.doc.settings), "设立首届"
        )
        self.term_box.setCurrentIndex(0)


def term_labels(c: Committees) -> list[str]:
    return [f"第{i + 1}届" for i in range(len(c.expert_committee_terms))]
