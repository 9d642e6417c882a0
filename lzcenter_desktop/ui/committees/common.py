"""Pieces shared by the committee editors: cell flags, the live banner, the problem list, the
person dialog and the organization / category editors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.committees import CATEGORY_LABELS
from lzcenter_desktop.domain.model import Committees, Person, PersonCategory
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.errors import classify
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.committees.edits import BannerLine, UnitQuestion

ERROR_BG = QColor("#f8d7da")
WARNING_BG = QColor("#fff3cd")
OK_FG = QColor("#1e7b34")
BAD_FG = QColor("#b02a37")
BUSY_FG = QColor("#5f6b7a")  # "正在保存…": neither good nor bad news yet
CATEGORY_BY_LABEL = {label: cat for cat, label in CATEGORY_LABELS.items()}
NAME_MAX = 50


def error_text(exc: BaseException) -> str | None:
    """The Chinese message of a refused request (the service's own words) or of an environment
    problem (locked, read-only, full…: its title and message); None for a bug."""
    if isinstance(exc, ServiceError):
        return str(exc)
    problem = classify(exc) if isinstance(exc, Exception) else None
    return f"{problem.title}：{problem.message}" if problem is not None else None


def flag_brush(violations: Sequence[Violation]) -> QBrush | None:
    if not violations:
        return None
    error = any(v.severity is Severity.ERROR for v in violations)
    return QBrush(ERROR_BG if error else WARNING_BG)


def flag_tooltip(violations: Sequence[Violation]) -> str:
    """``M14c（第十四条）错误：…`` — rule ID, article, severity and message, one line each."""
    return "\n".join(f"{v.rule}（{v.article}）{v.severity.label}：{v.message}" for v in violations)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(value: date | None = None, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setDate(qdate(value or date.today()))
    return edit


class Banner(QWidget):
    """The live figures of an editor, each green ✓ or red ✗."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 4)
        self._labels: list[QLabel] = []
        self.setObjectName("committeeBanner")
        self.setStyleSheet("#committeeBanner { background: #f3f5f7; border: 1px solid #d0d5db; }")

    def set_lines(self, lines: Sequence[BannerLine]) -> None:
        while len(self._labels) < len(lines):
            label = QLabel(self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._layout.insertWidget(len(self._labels), label)
            self._labels.append(label)
        for label, line in zip(self._labels, lines, strict=False):
            label.setText(line.text)
            color = OK_FG if line.ok else BAD_FG
            label.setStyleSheet(f"color: {color.name()}; font-weight: bold; padding-right: 18px;")
            label.show()
        for label in self._labels[len(lines) :]:
            label.hide()
            label.setText("")
        if self._layout.count() == len(self._labels):
            self._layout.addStretch(1)

    def texts(self) -> list[str]:
        return [label.text() for label in self._labels if label.text()]


class UnitQuestionBar(QFrame):
    """属于 / 不属于: the clerk's answer, once, on a member's unit whose name only begins with the host's
    or a co-builder's name (kept in the organization registry; every centre of that unit follows it)."""

    answered = Signal(str, str, bool)  # the member's unit, the host's or co-builder's name, belongs

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitQuestion")
        self.setStyleSheet(f"#unitQuestion {{ background: {WARNING_BG.name()}; border: 1px solid #e0c36a; }}")
        self.question: UnitQuestion | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.yes = QPushButton(self)
        self.no = QPushButton(self)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {BAD_FG.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        self.yes.clicked.connect(lambda: self._answer(True))
        self.no.clicked.connect(lambda: self._answer(False))
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.hide()

    def show_question(self, q: UnitQuestion | None, *, can_answer: bool) -> None:
        """Show ``q`` (hide the bar for None); without ``can_answer`` the buttons are disabled."""
        if q != self.question:
            self.error.hide()
        self.question = q
        if q is None:
            self.hide()
            return
        who = "、".join(q.names)
        people = f"（{who}）" if who else ""
        if q.answer is None:
            self.label.setText(
                f"工作单位“{q.unit}”{people}的名称以{q.role}“{q.of}”开头，暂按{q.role}人员计入。"
                f"该单位是否属于{q.role}？确认一次即记入单位库，以后不再询问。"
            )
        else:
            verdict = "属于" if q.answer else "不属于"
            self.label.setText(
                f"已确认：工作单位“{q.unit}”{people}{verdict}{q.role}“{q.of}”（记录在单位库中）。"
            )
        self.yes.setText(f"属于{q.role}")
        self.no.setText(f"不属于{q.role}")
        self.yes.setEnabled(can_answer and q.answer is not True)
        self.no.setEnabled(can_answer and q.answer is not False)
        tip = "" if can_answer else "请在委员会页面中确认（确认结果保存到单位库）"
        self.yes.setToolTip(tip)
        self.no.setToolTip(tip)
        self.show()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _answer(self, belongs: bool) -> None:
        if self.question is not None:
            self.answered.emit(self.question.unit, self.question.of, belongs)


class ProblemList(QListWidget):
    """Every violation of an editor's part, with rule ID and article."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumHeight(110)
        self.setAlternatingRowColors(True)
        # long messages (both units named, every member listed) wrap instead of running off the side
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)

    def set_violations(self, violations: Sequence[Violation]) -> None:
        self.clear()
        if not violations:
            item = QListWidgetItem("未发现问题")
            item.setForeground(QBrush(OK_FG))
            self.addItem(item)
            return
        for v in violations:
            item = QListWidgetItem(f"{v.rule}（{v.article}）{v.severity.label}：{v.message}")
            item.setForeground(QBrush(BAD_FG if v.severity is Severity.ERROR else QColor("#8a6d00")))
            item.setToolTip(f"实际：{v.actual}；要求：{v.required}")
            self.addItem(item)

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


class ComboDelegate(QStyledItemDelegate):
    """A combo box editor; ``editable`` lets the clerk type a value not in the list."""

    def __init__(self, items: Sequence[str], *, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = list(items)
        self.editable = editable

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        box = QComboBox(parent)
        box.setEditable(self.editable)
        box.addItems(self.items)
        line = box.lineEdit()
        if line is not None:  # Enter in the typed text commits it, as in a plain cell
            line.returnPressed.connect(lambda: self._commit(box))
        return box

    def _commit(self, box: QComboBox) -> None:
        if box.property("committed"):  # Return reaches the line edit twice through the combo box
            return
        box.setProperty("committed", True)
        self.commitData.emit(box)
        self.closeEditor.emit(box, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        pos = editor.findText(text)
        if pos >= 0:
            editor.setCurrentIndex(pos)
        elif self.editable:
            editor.setEditText(text)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)


def organization_person(person: Person, text: str, orgs: Sequence[OrganizationChoice]) -> Person:
    """``person`` working at ``text``: a registered organization brings its credit code."""
    from dataclasses import replace

    code = next((o.credit_code for o in orgs if o.name == text), None)
    return replace(person, organization=text, organization_credit_code=code)


class PersonDialog(QDialog):
    """Pick a person already on the centre's records, or enter a new one (name, birth date,
    organization from the registry or typed, category)."""

    def __init__(
        self,
        c: Committees,
        orgs: Sequence[OrganizationChoice],
        *,
        new_id: str,
        exclude: Sequence[str] = (),
        title: str = "添加人员",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._orgs = list(orgs)
        self._new_id = new_id
        self._known = [p for p in c.people if p.id not in exclude]
        self.result_person: Person | None = None

        self.existing = QComboBox(self)
        self.existing.addItem("（新人员）", "")
        for p in self._known:
            self.existing.addItem(f"{p.name}（{p.organization}）", p.id)
        self.existing.currentIndexChanged.connect(self._pick)
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX + 10)
        self.birth = date_edit(date(1970, 1, 1), self)
        self.organization = QComboBox(self)
        self.organization.setEditable(True)
        self.organization.addItems([o.name for o in self._orgs])
        self.organization.setCurrentIndex(-1)
        self.organization.setEditText("")
        self.category = QComboBox(self)
        self.category.addItems(list(CATEGORY_LABELS.values()))
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {BAD_FG.name()};")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("已登记人员", self.existing)
        form.addRow("姓名", self.name)
        form.addRow("出生日期", self.birth)
        form.addRow("工作单位", self.organization)
        form.addRow("类别", self.category)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _pick(self) -> None:
        pid = self.existing.currentData()
        person = next((p for p in self._known if p.id == pid), None)
        if person is None:
            return
        self.name.setText(person.name)
        self.birth.setDate(qdate(person.birth_date))
        self.organization.setEditText(person.organization)
        self.category.setCurrentText(CATEGORY_LABELS[person.category])

    def accept(self) -> None:
        name = self.name.text().strip()
        org = self.organization.currentText().strip()
        if not name:
            self.error.setText("姓名：请填写姓名")
            self.name.setFocus()
            return
        if len(name) > NAME_MAX:
            self.error.setText(f"姓名：过长（{len(name)}个字），最多{NAME_MAX}个字")
            self.name.setFocus()
            return
        if not org:
            self.error.setText("工作单位：请选择或填写工作单位")
            self.organization.setFocus()
            return
        pid = self.existing.currentData() or self._new_id
        person = Person(
            id=pid,
            name=name,
            birth_date=pydate(self.birth.date()),
            organization=org,
            category=CATEGORY_BY_LABEL.get(self.category.currentText(), PersonCategory.OTHER),
        )
        self.result_person = organization_person(person, org, self._orgs)
        super().accept()


class CommitteeTableModel(QAbstractTableModel):
    """A table over rows of the edited committee record, refreshed on every change of the document.

    Subclasses set ``headers`` and say how many rows there are now (``current_row_count``); a change
    in the number of rows resets the view, any other change repaints every cell (the rule flags of
    one edit can move to any row).
    """

    headers: tuple[str, ...] = ()

    def __init__(self, doc: CommitteeDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._rows = 0
        doc.changed.connect(self._refresh)

    def current_row_count(self) -> int:
        raise NotImplementedError

    def _needs_reset(self, rows: int) -> bool:
        return rows != self._rows

    def _refresh(self) -> None:
        rows = self.current_row_count()
        if self._needs_reset(rows):
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        elif rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, len(self.headers) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)
