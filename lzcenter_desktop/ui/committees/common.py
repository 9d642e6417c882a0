"""Pieces shared by the committee editors: cell flags, the live banner, the problem list, the
person dialog, the organization / category / date cell editors and the page's confirmations.

A violation is written and coloured as on every page (:mod:`lzcenter_desktop.ui.style`):
``错误 M14b 第十四条：…（实际：…；要求：…）``, red for 错误, amber for 警告."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.committee_edits import BannerLine, UnitQuestion
from lzcenter_desktop.domain.committees import CATEGORY_LABELS, CO_BUILDER_ROLE, HOST_ROLE, unit_match
from lzcenter_desktop.domain.dates import TYPED_DATE_HINT
from lzcenter_desktop.domain.model import Committees, Person, PersonCategory
from lzcenter_desktop.domain.violations import Violation
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.services.errors import ServiceError, classify
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.widgets.date_cells import watch_date_cell
from lzcenter_desktop.ui.widgets.date_edit import DateEdit
from lzcenter_desktop.ui.widgets.grid_keys import tab_leaves_at_edges

# The colours of ui/style.py as the committee models and labels use them.
ERROR_BG = QColor(style.ERROR_BACKGROUND)
WARNING_BG = QColor(style.WARNING_BACKGROUND)
OK_FG = QColor(style.OK_COLOR)
BAD_FG = QColor(style.ERROR_COLOR)
BUSY_FG = QColor(style.BUSY_COLOR)  # "正在保存…": neither good nor bad news yet
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
    """The cell background of the worst of ``violations`` (None for none)."""
    if not violations:
        return None
    return QBrush(ERROR_BG if style.violations_level(list(violations)) == style.ERROR else WARNING_BG)


def flag_tooltip(violations: Sequence[Violation]) -> str:
    """``错误 M14c 第十四条：…（实际：…；要求：…）`` — one line each, as on every page."""
    return "\n".join(style.violation_text(v) for v in violations)


def date_edit(
    value: date | None = None,
    parent: QWidget | None = None,
    *,
    field: str,
    optional: bool = False,
    record: bool = True,
) -> DateEdit:
    """The one date editor (typed like Excel, calendar on Alt+↓), named ``field`` for messages and
    screen readers. ``record``: the date is part of the edited record — a date still being typed is
    committed (or, when it is not a date, stops the save) before the page saves."""
    edit = DateEdit(value, optional=optional, parent=parent)
    edit.setAccessibleName(field)
    edit.line.setAccessibleName(field)
    edit.setProperty("record_field", record)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("2026-05-20") + 48)
    return edit


def pending_text(edit: DateEdit) -> bool:
    """The clerk has typed into ``edit`` something not committed yet."""
    value = edit.date()
    return edit.line.text().strip() != (value.isoformat() if value is not None else "")


def show_date_flags(edit: DateEdit, violations: Sequence[Violation]) -> None:
    """The rule flags of a date field: its background, and the rules in its tooltip (above the hint
    on how to type a date; a date that could not be read keeps its own red mark and reason)."""
    brush = flag_brush(violations)
    edit.setStyleSheet(f"QLineEdit {{ background: {brush.color().name()}; }}" if brush is not None else "")
    edit.setToolTip(flag_tooltip(violations))
    if not edit.error_text():
        tip = flag_tooltip(violations)
        edit.line.setToolTip(f"{tip}\n{TYPED_DATE_HINT}" if tip else TYPED_DATE_HINT)


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next line when the width runs out (Qt's flow layout
    example): the banner's figures never make the page wider than the screen."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 18, line_spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h, self._v = spacing, line_spacing

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        if rect != self.geometry():
            super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line + self._v, 0
            place = QRect(QPoint(x, y), hint)
            if move and item.geometry() != place:  # (each call from Python costs: only when moved)
                item.setGeometry(place)
            x += hint.width() + self._h
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


class Banner(QFrame):
    """The live figures of an editor, each green ✓ or red ✗; they wrap onto a second line when the
    window is narrow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 4)
        self._labels: list[QLabel] = []
        self.setObjectName("committeeBanner")
        self.setStyleSheet("#committeeBanner { background: #f3f5f7; border: 1px solid #d0d5db; }")

    def set_lines(self, lines: Sequence[BannerLine]) -> None:
        while len(self._labels) < len(lines):
            label = QLabel(self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._layout.addWidget(label)
            self._labels.append(label)
        changed = False
        for label, line in zip(self._labels, lines, strict=False):
            color = OK_FG if line.ok else BAD_FG
            sheet = f"color: {color.name()}; font-weight: bold;"
            if label.text() != line.text or label.styleSheet() != sheet or label.isHidden():
                label.setText(line.text)
                label.setStyleSheet(sheet)
                label.show()
                changed = True
        for label in self._labels[len(lines) :]:
            if not label.isHidden():
                label.hide()
                label.setText("")
                changed = True
        if changed:
            self._layout.invalidate()
            self.updateGeometry()

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
    """Every violation of an editor's part, with rule ID and article (``title`` above it)."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "问题（实时检查）") -> None:
        super().__init__(parent)
        self.title = QLabel(title, parent)
        # four lines, then it scrolls: the tables above keep the room (a 9-member roster fits)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 10)
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
            text = style.violation_text(v)
            item = QListWidgetItem(text)
            item.setForeground(QBrush(style.level_color(v.severity)))
            item.setToolTip(text)
            self.addItem(item)

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


class CellDelegate(QStyledItemDelegate):
    """A cell whose text does not fit (a narrow window) shows the whole text as its tooltip, unless
    the cell has a tooltip of its own (its rule flags)."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        tip = event is not None and event.type() == QEvent.Type.ToolTip and index.isValid()
        if tip and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            needed = view.fontMetrics().horizontalAdvance(text) + 12
            if text and needed > view.visualRect(index).width():
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


def compact_combo(box: QComboBox, chars: int) -> None:
    """A combo box as wide as ``chars`` characters (long names are cut in the box, the tooltip shows
    the whole); call :func:`widen_popup` after filling it so that its list shows every name whole."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    box.currentTextChanged.connect(box.setToolTip)


def widen_popup(box: QComboBox) -> None:
    """The list of ``box`` as wide as its longest entry (the box itself may be narrower)."""
    view = box.view()
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    scrollbar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    view.setMinimumWidth(view.sizeHintForColumn(0) + scrollbar + 8 if box.count() else 0)


def fit_table(table: QTableView, *, stretch: int | None = None, rows: int = 0) -> None:
    """A committee table on a 1366×768 (or 1280×720) screen: compact rows, columns as wide as their
    contents with ``stretch`` taking the rest (a horizontal scrollbar when the window is too narrow;
    a cut text shows in its tooltip), and room for ``rows`` rows below the header and that
    scrollbar — the ninth member of a roster is never hidden behind it. Tab leaves the table after
    its last cell (Shift+Tab before its first): what follows it stays reachable with the keyboard."""
    table.setItemDelegate(CellDelegate(table))
    tab_leaves_at_edges(table)
    table.setWordWrap(False)
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if rows:
        scrollbar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * table.frameWidth()
        table.setMinimumHeight(
            header.sizeHint().height() + rows * vertical.defaultSectionSize() + scrollbar + frame
        )


class ComboDelegate(CellDelegate):
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


def category_for_unit(
    c: Committees, organization: str, orgs: Sequence[OrganizationChoice]
) -> PersonCategory | None:
    """The category a new member working at ``organization`` most likely has: 依托单位 for the host
    (or a unit whose name begins with the host's, see :func:`domain.committees.unit_match`), 共建单位
    for a co-builder; None for any other unit (the clerk picks)."""
    if not organization.strip():
        return None
    probe = organization_person(
        Person(id="", name="", birth_date=date(2000, 1, 1), organization="", category=PersonCategory.OTHER),
        organization.strip(),
        orgs,
    )
    m = unit_match(probe, c)
    if m is None:
        return None
    return {HOST_ROLE: PersonCategory.HOST, CO_BUILDER_ROLE: PersonCategory.CO_BUILDER}.get(m.role)


class PersonDialog(QDialog):
    """Pick a person already on the centre's records, or enter a new one (name, birth date,
    organization from the registry or typed, category). The category follows the organization
    chosen (the host → 依托单位, a co-builder → 共建单位) until the clerk picks one; Esc cancels."""

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
        self._c = c
        self._orgs = list(orgs)
        self._new_id = new_id
        self._known = [p for p in c.people if p.id not in exclude]
        self.result_person: Person | None = None
        self._setting_category = False
        self.category_chosen = False  # the clerk picked the category: the organization no longer sets it
        self._category_before: PersonCategory | None = None  # what the organization replaced

        self.existing = QComboBox(self)
        self.existing.addItem("（新人员）", "")
        for p in self._known:
            self.existing.addItem(f"{p.name}（{p.organization}）", p.id)
        self.existing.currentIndexChanged.connect(self._pick)
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX + 10)
        self.birth = date_edit(None, self, field="出生日期", record=False)
        self.organization = QComboBox(self)
        self.organization.setEditable(True)
        self.organization.addItems([o.name for o in self._orgs])
        self.organization.setCurrentIndex(-1)
        self.organization.setEditText("")
        self.organization.currentTextChanged.connect(self._organization_changed)
        self.category = QComboBox(self)
        self.category.addItems(list(CATEGORY_LABELS.values()))
        self.category.currentIndexChanged.connect(self._category_changed)
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

    def current_category(self) -> PersonCategory:
        return CATEGORY_BY_LABEL.get(self.category.currentText(), PersonCategory.OTHER)

    def _set_category(self, category: PersonCategory) -> None:
        self._setting_category = True
        try:
            self.category.setCurrentText(CATEGORY_LABELS[category])
        finally:
            self._setting_category = False

    def _category_changed(self, _index: int) -> None:
        if not self._setting_category:
            self.category_chosen = True

    def _organization_changed(self, text: str) -> None:
        if self.category_chosen:
            return
        found = category_for_unit(self._c, text, self._orgs)
        if found is not None:
            if self._category_before is None:
                self._category_before = self.current_category()
            self._set_category(found)
        elif self._category_before is not None:  # no longer the host's or a co-builder's unit
            self._set_category(self._category_before)
            self._category_before = None

    def _pick(self) -> None:
        pid = self.existing.currentData()
        person = next((p for p in self._known if p.id == pid), None)
        if person is None:
            return
        self.name.setText(person.name)
        self.birth.setDate(person.birth_date)
        self.organization.setEditText(person.organization)
        self._set_category(person.category)
        self.category_chosen = True  # the record's own category
        self._category_before = None

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
        if (pending_text(self.birth) and not self.birth.commit()) or self.birth.date() is None:
            reason = self.birth.error_text() or f"请填写出生日期，{TYPED_DATE_HINT}"
            self.error.setText(f"出生日期：{reason}")
            self.birth.setFocus()
            return
        if not org:
            self.error.setText("工作单位：请选择或填写工作单位")
            self.organization.setFocus()
            return
        birth = self.birth.date()
        assert birth is not None
        pid = self.existing.currentData() or self._new_id
        category = self.current_category()
        person = Person(id=pid, name=name, birth_date=birth, organization=org, category=category)
        self.result_person = organization_person(person, org, self._orgs)
        super().accept()


class DateDelegate(CellDelegate):
    """A date cell edited with the one date editor: Enter or Tab commits, Esc cancels, and leaving
    the table commits too. The model gets the text (normalised to 2026-05-20 when it is a date) and
    says itself, naming the field, what it refuses."""

    def __init__(self, *, optional: bool, field: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.field = field
        self._open: dict[DateEdit, QPersistentModelIndex] = {}  # the editors open, and their cells

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        edit = date_edit(None, parent, field=self.field, optional=self.optional)
        edit.setAutoFillBackground(True)
        edit.line.installEventFilter(self)  # the line has the focus: its focus-out commits the cell
        self._open[edit] = QPersistentModelIndex(index)
        return edit

    def destroyEditor(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, DateEdit):
            self._open.pop(editor, None)  # closed by the view: no longer ours to commit
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, DateEdit)
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        try:
            editor.setDate(date.fromisoformat(text) if text else None)
        except ValueError:
            editor.setDate(None)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, DateEdit)
        if pending_text(editor):
            editor.commit()  # normalises a date; a refusal keeps the text for the model to name
        model.setData(index, editor.line.text().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), editor.minimumSizeHint().width()))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watch_date_cell(self, self._open, watched, event):
            return False  # the line handles the event; leaving it commits the cell
        return super().eventFilter(watched, event)


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    yes: str,
    no: str = "取消",
    informative: str = "",
    default_yes: bool = False,
) -> QMessageBox:
    """A question with Chinese buttons ``yes`` / ``no``; Esc (and closing the box) answers ``no``.
    Run it with ``exec()`` and compare ``clickedButton()`` with ``box.yes``."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    if informative:
        box.setInformativeText(informative)
    box.yes = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    box.no = box.addButton(no, QMessageBox.ButtonRole.RejectRole)  # type: ignore[attr-defined]
    box.setEscapeButton(box.no)  # type: ignore[attr-defined]
    box.setDefaultButton(box.yes if default_yes else box.no)  # type: ignore[attr-defined]
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def errors_box(parent: QWidget | None, errors: Sequence[Violation], *, limit: int = 10) -> QMessageBox:
    """保存 / 取消 before saving a record that still breaks rules (error level): each error with its
    rule, article and message, written as on every page."""
    shown = [f"· {style.violation_text(v)}" for v in errors[:limit]]
    if len(errors) > limit:
        shown.append(f"……另有 {len(errors) - limit} 项错误，见各页的“问题”列表")
    return confirm(
        parent,
        "记录中仍有错误",
        f"当前委员会记录仍有 {len(errors)} 项错误（不符合《柳州市工程技术研究中心管理办法》）：\n\n"
        + "\n".join(shown),
        informative="仍要保存吗？保存后这些错误会留在检查结果中，可稍后改正。",
        yes="保存(&S)",
    )


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
