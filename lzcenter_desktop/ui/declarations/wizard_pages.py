"""A page of the declaration wizard: the fields and grids of one section of the form definition,
their flags, the running totals and the page's own check results.

A required-field error of a field the clerk has not visited yet is not shown on the page (see
:func:`~lzcenter_desktop.ui.declarations.flags.place`); the page's list then says, in one grey
line, how many required entries are still blank — never a wall of red on a new declaration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from lzcenter_desktop.domain.formdef import SectionDef, get_path
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.ui.declarations.editors import FieldEditor, violation_text
from lzcenter_desktop.ui.declarations.flags import Placement, path_label
from lzcenter_desktop.ui.declarations.table import TableEditor
from lzcenter_desktop.ui.declarations.wizard_attachments import AttachmentsPanel
from lzcenter_desktop.ui.declarations.wizard_cells import use_typed_dates

if TYPE_CHECKING:
    from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard

NOTHING_FOUND = "本页未发现问题。"
_STAYS = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


def section_totals(section: SectionDef, document: dict[str, Any], wizard: DeclarationWizard) -> str:
    """Running totals where the Measures count things: staff shares, three years of investment."""
    keys = {t.key for t in section.tables}
    parts: list[str] = []
    if "staff" in keys:
        parts.append(decl.staff_totals(document, wizard.settings).text())
    if "investments" in keys:
        rows = [r for r in (get_path(document, "investments") or []) if isinstance(r, dict)]
        total = sum(r["amount_yuan"] for r in rows if isinstance(r.get("amount_yuan"), int))
        need = wizard.settings.min_investment_yuan
        parts.append(
            f"建设运行经费投入合计 {total / 10000:,.2f} 万元（要求申报前三年累计 ≥ {need / 10000:,.0f} 万元）"
        )
    return "；".join(parts)


class _GridLeft(QObject):
    """Tells the wizard that the clerk left a grid (its required cells may be flagged from now on)."""

    def __init__(self, wizard: DeclarationWizard, key: str, parent: QObject) -> None:
        super().__init__(parent)
        self.wizard = wizard
        self.key = key

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() not in _STAYS
        ):
            self.wizard.mark_visited(self.key)
        return False


class SectionPage(QWizardPage):
    """A page of fields and tables of one section, with the page's check results below."""

    def __init__(self, wizard: DeclarationWizard, section: SectionDef) -> None:
        super().__init__()
        self.section = section
        self.form = wizard.form
        self.setTitle(section.title)
        self.setSubTitle(section.help)
        self.editors: dict[str, FieldEditor] = {}
        self.tables: dict[str, TableEditor] = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        if section.fields:
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for fd in section.fields:
                choices = fd.choices
                if fd.type == "multi_enum":
                    choices = tuple((k, k) for k in wizard.settings.key_industries)
                editor = FieldEditor(fd, choices=choices, parent=body)
                editor.changed.connect(wizard.field_changed)
                editor.committed.connect(wizard.save_now)  # leaving the field: save at once
                editor.visited.connect(wizard.mark_visited)
                self.editors[fd.key] = editor
                required = fd.required or bool(fd.required_if)
                label = QLabel(fd.label + ("*" if required else ""))
                label.setBuddy(editor.focus_widget())
                form.addRow(label, editor)
            layout.addLayout(form)
        for table in section.tables:
            te = TableEditor(table, body)
            use_typed_dates(te)
            te.changed.connect(wizard.field_changed)
            te.view.installEventFilter(_GridLeft(wizard, table.key, te))
            self.tables[table.key] = te
            layout.addWidget(te)
        self.totals = QLabel(body)
        self.totals.setObjectName(f"totals:{section.id}")
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.totals)
        self.attachments: AttachmentsPanel | None = None
        if wizard.attachments_section == section.id:
            self.attachments = AttachmentsPanel(wizard, body)
            layout.addWidget(self.attachments)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.summary = QListWidget(self)
        self.summary.setObjectName(f"summary:{section.id}")
        self.summary.setMaximumHeight(110)
        self.summary.setWordWrap(True)
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.status = QLabel(self)
        self.status.setObjectName(f"status:{section.id}")
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        head = QHBoxLayout()
        head.addWidget(QLabel("本页检查结果："))
        head.addStretch(1)
        head.addWidget(self.status)
        outer.addLayout(head)
        outer.addWidget(self.summary)

    def load(self, document: dict[str, Any]) -> None:
        for key, editor in self.editors.items():
            editor.set_value(get_path(document, key))
        for key, te in self.tables.items():
            rows = get_path(document, key)
            te.set_rows(rows if isinstance(rows, list) else [])

    def show_flags(self, placement: Placement, totals: str) -> None:
        for key, editor in self.editors.items():
            editor.show_violations(placement.fields.get(key, []))
        for key, te in self.tables.items():
            te.show_violations(placement.tables.get(key, []), placement.cells.get(key, {}))
        self.totals.setText(totals)
        self.totals.setVisible(bool(totals))
        self.summary.clear()
        mine = placement.sections.get(self.section.id, [])
        for v in mine:
            item = QListWidgetItem(f"{path_label(self.form, v.path)}：{violation_text(v)}")
            item.setForeground(Qt.GlobalColor.darkRed if v.is_error else Qt.GlobalColor.darkYellow)
            self.summary.addItem(item)
        hidden = placement.hidden.get(self.section.id, [])
        if hidden:
            item = QListWidgetItem(
                f"本页还有 {len(hidden)} 项必填内容未填写（离开该项后或在“检查与提交”页标出）。"
            )
            item.setForeground(Qt.GlobalColor.darkGray)
            self.summary.addItem(item)
        elif not mine:
            self.summary.addItem(NOTHING_FOUND)

    def focus_first(self) -> None:
        """Put the keyboard in the page's first field (or grid), as a page turned by keys expects."""
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.focus_widget().setFocus(Qt.FocusReason.TabFocusReason)
        elif self.tables:
            next(iter(self.tables.values())).view.setFocus(Qt.FocusReason.TabFocusReason)

    def commit_typed(self) -> None:
        """Take the dates still being typed on this page."""
        for editor in self.editors.values():
            editor.commit_typed()
