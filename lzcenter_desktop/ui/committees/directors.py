"""中心主任 history: appointments, filing, age at appointment, months worked per year, term end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain import committee_edits as edits
from lzcenter_desktop.domain.dates import TYPED_DATE_HINT, age_on, parse_typed_date, term_last_day
from lzcenter_desktop.domain.model import Director
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees.common import (
    BAD_FG,
    Banner,
    CommitteeTableModel,
    DateDelegate,
    PersonDialog,
    ProblemList,
    fit_table,
    flag_brush,
    flag_tooltip,
)
from lzcenter_desktop.ui.committees.document import CommitteeDocument

COL_NAME, COL_BIRTH, COL_APPOINTED, COL_AGE, COL_FILED, COL_TERM_END, COL_MONTHS = range(7)
HEADERS = ("姓名", "出生日期", "聘任日期", "聘任时年龄", "备案日期", "任期届满", "各年工作月数")
FIELD_NAMES = {COL_APPOINTED: "聘任日期", COL_FILED: "备案日期", COL_MONTHS: "各年工作月数"}


def parse_day(text: str, field: str) -> date:
    """A date as clerks type it (2024-01-10, 2024/1/10, 20240110, 2024年1月10日); ValueError naming
    ``field`` in Chinese for anything else, and for an empty required date."""
    try:
        value = parse_typed_date(text)
    except ValueError as exc:
        raise ValueError(f"{field}：{exc}") from None
    if value is None:
        raise ValueError(f"{field}：必填，{TYPED_DATE_HINT}")
    return value


class DirectorModel(CommitteeTableModel):
    """One row per appointment, oldest first."""

    input_error = Signal(str)  # a Chinese message naming the field, for text that was refused

    headers = HEADERS

    def __init__(self, doc: CommitteeDocument, parent: Any = None) -> None:
        super().__init__(doc, parent)
        self._rows = self.current_row_count()

    def current_row_count(self) -> int:
        return len(self.doc.value.directors)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in FIELD_NAMES else base

    def cell_violations(self, row: int, column: int) -> list[Violation]:
        path = f"directors[{row}]"
        if column in (COL_APPOINTED, COL_AGE):
            return self.doc.violations_at(f"{path}.appointed")
        if column == COL_FILED:
            return self.doc.violations_at(f"{path}.filed")
        if column == COL_MONTHS:
            return [v for v in self.doc.violations_under(f"{path}.months_worked") if v.rule == "M12b"]
        if column == COL_TERM_END:
            return self.doc.violations_at(path)
        return []

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        directors = self.doc.value.directors
        if not index.isValid() or index.row() >= len(directors):
            return None
        d = directors[index.row()]
        person = self.doc.value.person(d.person)
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = {
                COL_NAME: person.name,
                COL_BIRTH: person.birth_date.isoformat(),
                COL_APPOINTED: d.appointed.isoformat(),
                COL_AGE: f"{age_on(person.birth_date, d.appointed)} 周岁",
                COL_FILED: d.filed.isoformat()
                if d.filed
                else ("" if role == Qt.ItemDataRole.EditRole else "未备案"),
                COL_TERM_END: term_last_day(d.appointed, self.doc.settings.director_term_years).isoformat(),
                COL_MONTHS: edits.format_months(d.months_worked),
            }
            return values.get(col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return flag_brush(self.cell_violations(index.row(), col))
        if role == Qt.ItemDataRole.ToolTipRole:
            return flag_tooltip(self.cell_violations(index.row(), col)) or None
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in FIELD_NAMES:
            return False
        c = self.doc.value
        d = c.directors[index.row()]
        text = str(value).strip()
        try:
            if index.column() == COL_APPOINTED:
                new = replace(d, appointed=parse_day(text, "聘任日期"))
            elif index.column() == COL_FILED:
                new = replace(d, filed=parse_day(text, "备案日期") if text else None)
            else:
                new = replace(d, months_worked=edits.parse_months(text))
        except ValueError as exc:
            text = str(exc)
            self.input_error.emit(
                text if text.startswith(tuple(FIELD_NAMES.values())) else f"各年工作月数：{text}"
            )
            return False
        self.input_error.emit("")
        if new == d:
            return False
        directors = list(c.directors)
        directors[index.row()] = new
        name = c.person(d.person).name
        self.doc.apply(
            edits.with_directors(c, directors), f"修改中心主任{name}的{FIELD_NAMES[index.column()]}"
        )
        return True


class DirectorEditor(QWidget):
    """Director history of a centre: appoint, correct dates and months, remove an entry made in error."""

    def __init__(
        self, doc: CommitteeDocument, orgs: Sequence[OrganizationChoice] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.orgs = list(orgs)
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.banner = Banner(self)
        self.model = DirectorModel(doc, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_table(self.table, rows=3)
        # dates typed like Excel (Enter or Tab commits, Esc cancels); the filing date may be empty
        self.table.setItemDelegateForColumn(
            COL_APPOINTED, DateDelegate(optional=False, field="聘任日期", parent=self.table)
        )
        self.table.setItemDelegateForColumn(
            COL_FILED, DateDelegate(optional=True, field="备案日期", parent=self.table)
        )
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {BAD_FG.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        self.model.input_error.connect(self.show_error)
        self.appoint_button = QPushButton("任命中心主任(&A)", self)
        self.appoint_button.setToolTip("新任或续聘：聘任日期默认为今天，可在表中修改")
        self.appoint_button.clicked.connect(self.appoint)
        self.remove_button = QPushButton("删除误录的任命(&R)", self)
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.appoint_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        QWidget.setTabOrder(self.appoint_button, self.remove_button)  # Tab as shown: buttons, then table
        QWidget.setTabOrder(self.remove_button, self.table)
        self.problems = ProblemList(self, title="中心主任问题（实时检查）")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.problems.title)
        layout.addWidget(self.problems)
        doc.changed.connect(self.refresh)
        self.refresh()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def refresh(self) -> None:
        c = self.doc.value
        violations = [v for v in self.doc.violations if v.rule.startswith(("M11", "M12"))]
        if not c.directors:
            self.banner.set_lines([edits.BannerLine("未记录中心主任 ✗", False)])
        else:
            d = c.directors[-1]
            p = c.person(d.person)
            s = self.doc.settings
            age = age_on(p.birth_date, d.appointed)
            end = term_last_day(d.appointed, s.director_term_years)
            age_ok = not self.doc.violations_at(f"directors[{len(c.directors) - 1}].appointed")
            filed_ok = d.filed is not None
            term_ok = not self.doc.violations_at(f"directors[{len(c.directors) - 1}]")
            months_ok = not any(v.rule == "M12b" for v in violations)
            self.banner.set_lines(
                [
                    edits.BannerLine(f"现任：{p.name}，{d.appointed.isoformat()} 聘任", True),
                    edits.BannerLine(
                        f"聘任时 {age} 周岁（≤ {s.director_max_age}）{edits.mark(age_ok)}", age_ok
                    ),
                    edits.BannerLine(f"备案 {edits.mark(filed_ok)}", filed_ok),
                    edits.BannerLine(
                        f"每年在中心工作 ≥ {s.director_min_months} 个月 {edits.mark(months_ok)}", months_ok
                    ),
                    edits.BannerLine(f"任期至 {end.isoformat()} {edits.mark(term_ok)}", term_ok),
                ]
            )
        self.problems.set_violations(violations)

    def appoint(self) -> None:
        c = self.doc.value
        dialog = PersonDialog(c, self.orgs, new_id=edits.new_person_id(c), title="任命中心主任", parent=self)
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.result_person is None:
            return
        self.appoint_person(dialog.result_person.id, self.doc.as_of, person=dialog.result_person)

    def appoint_person(self, person_id: str, appointed: date, *, person: Any = None) -> None:
        c = self.doc.value
        if person is not None:
            c = edits.with_person(c, person)
        directors = [*c.directors, Director(person_id, appointed, None, ())]
        self.doc.apply(edits.with_directors(c, directors), f"任命中心主任{c.person(person_id).name}")

    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        c = self.doc.value
        directors = list(c.directors)
        gone = directors.pop(rows[0].row())
        self.doc.apply(edits.with_directors(c, directors), f"删除中心主任{c.person(gone.person).name}的任命")
