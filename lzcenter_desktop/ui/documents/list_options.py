"""The 名单与通知 options of the 文档 page: which list, of which year, of which batch, and its 文号.

The years offered are those that have data for the chosen list, newest first (the latest is
chosen by default), and — for 拟认定名单 and 认定名单 — the batches of that year (a 公示, a
认定文号) after 全部; both come from :func:`lzcenter_desktop.services.documents.list_choices`, read
by the page off the UI thread.  A list with no year of data offers none: generating then shows
the service's Chinese message saying so.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from lzcenter_desktop.services import documents
from lzcenter_desktop.services.documents import ListYear

NO_YEAR = "（没有可列入的记录）"
ALL_BATCHES = "全部"


class ListOptions(QWidget):
    """名单, 年度, 批次 (only for lists that have batches) and 文号."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices: dict[str, list[ListYear]] = {}
        self.list_combo = QComboBox()
        for code, label in documents.LIST_KINDS.items():
            self.list_combo.addItem(label, code)
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("有记录的年度，最近的在前")
        self.batch_combo = QComboBox()
        self.batch_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.batch_combo.setMinimumContentsLength(18)
        self.doc_no_edit = QLineEdit()
        self.doc_no_edit.setPlaceholderText("可不填，例如 柳科发〔2026〕12号")
        self.doc_no_edit.setToolTip("印在标题下；不填时用所选批次自己的文号")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("名单：", self.list_combo)
        self.form.addRow("年度：", self.year_combo)
        self.form.addRow("批次：", self.batch_combo)
        self.form.addRow("文号：", self.doc_no_edit)
        self.list_combo.currentIndexChanged.connect(self._fill_years)
        self.year_combo.currentIndexChanged.connect(self._fill_batches)
        self._fill_years()

    # -- filling --------------------------------------------------------------------------------

    def set_choices(self, choices: dict[str, list[ListYear]]) -> None:
        """Offer the years and batches read from the database (the choices made stay if they are
        still offered)."""
        self.choices = choices
        self._fill_years()

    def _years(self) -> list[ListYear]:
        return self.choices.get(self.kind(), [])

    def _fill_years(self) -> None:
        previous = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for item in self._years():
            self.year_combo.addItem(item.label, item.year)
        if self.year_combo.count() == 0:
            self.year_combo.addItem(NO_YEAR, None)
        index = self.year_combo.findData(previous) if previous is not None else -1
        self.year_combo.setCurrentIndex(max(index, 0))
        self.year_combo.setEnabled(bool(self._years()))
        self.year_combo.blockSignals(False)
        self.form.setRowVisible(self.batch_combo, self.kind() in documents.BATCH_NAMES)
        self._fill_batches()

    def _fill_batches(self) -> None:
        previous = self.batch_combo.currentData()
        year = self.year()
        chosen = next((y for y in self._years() if y.year == year), None)
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        self.batch_combo.addItem(
            ALL_BATCHES if chosen is None else f"{ALL_BATCHES}（{chosen.count} 条）", None
        )
        for batch in chosen.batches if chosen is not None else ():
            self.batch_combo.addItem(batch.label, batch.key)
            self.batch_combo.setItemData(
                self.batch_combo.count() - 1, batch.label, Qt.ItemDataRole.ToolTipRole
            )
        index = self.batch_combo.findData(previous) if previous is not None else -1
        self.batch_combo.setCurrentIndex(max(index, 0))
        self.batch_combo.setEnabled(self.batch_combo.count() > 1)
        self.batch_combo.blockSignals(False)

    # -- what is chosen --------------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.list_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.list_combo.setCurrentIndex(self.list_combo.findData(kind))

    def year(self) -> int | None:
        """The chosen year; ``None`` when the list has no year with data."""
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def set_year(self, year: int) -> bool:
        """Choose ``year`` (True if it is offered)."""
        index = self.year_combo.findData(year)
        if index >= 0:
            self.year_combo.setCurrentIndex(index)
        return index >= 0

    def batch(self) -> str | None:
        """The chosen batch's key; ``None`` for 全部 (and for lists without batches)."""
        if self.kind() not in documents.BATCH_NAMES:
            return None
        data = self.batch_combo.currentData()
        return str(data) if data is not None else None

    def set_batch(self, key: str | None) -> bool:
        index = self.batch_combo.findData(key)
        if index >= 0:
            self.batch_combo.setCurrentIndex(index)
        return index >= 0

    def document_no(self) -> str:
        return self.doc_no_edit.text().strip()

    def description(self) -> str:
        """``2025年度认定名单（认定批次“柳科发〔2025〕30号”）``, or without a year just the list's name."""
        name = documents.LIST_KINDS[self.kind()]
        year = self.year()
        batch = self.batch()
        part = f"（{documents.BATCH_NAMES[self.kind()]}“{batch}”）" if batch else ""
        return f"{year}年度{name}{part}" if year is not None else name

    def suggested_name(self) -> str:
        """A file name for the list (no characters a file name cannot have)."""
        text = self.description()
        for ch in '\\/:*?"<>|':
            text = text.replace(ch, "_")
        return f"{text}.pdf"
