"""The 中心 page: a filter box, the list of centres and the selected centre's detail with its timeline.

It is the first screen, so it imports nothing heavy: the list is read by
:func:`lzcenter_desktop.services.center_list.list_centers` (no SQLAlchemy for a SQLite file) and
the detail's service module is imported on the worker thread the first time a centre is opened.
Both reads run through :func:`lzcenter_desktop.ui.ops.query_op` (the newest request of the page
wins); the list is read again when the page is shown and whenever centres change
(``data_changed`` with ``"centers"``).

The detail pane (:mod:`.center_detail`) offers 修改中心信息 (also Enter or a double-click in the
pane) and the actions the centre's state allows (:mod:`.center_actions`): continuing in the 评审,
申报, 绩效评估 (the steps of 第五章) or 文档 section (:attr:`CentersPage.section_requested`, which
the main window follows). The dialog (:mod:`.center_dialogs`) is imported when first opened; it
writes through ``ui.ops.write_op`` and the service decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.lifecycle import STATE_LABELS
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import CenterDetail, CenterRow
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.centers import (
    ALL_STATUSES,
    ALL_VALUES,
    COL_DIRECTOR,
    COL_DISTRICT,
    COL_HOST,
    COL_INDUSTRY,
    COL_NAME,
    COL_RECOGNIZED_ON,
    COL_STATUS,
    CenterFilterProxy,
    CenterIdRole,
    CenterTableModel,
    collation_ranks,
    haystack,
)
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.pages.center_actions import CenterAction
from lzcenter_desktop.ui.pages.center_detail import CenterDetailView

if TYPE_CHECKING:
    from lzcenter_desktop.services.centers import CenterEdit

# Below this many rows the list refilters on every keystroke; above it, 150 ms after typing pauses.
IMMEDIATE_FILTER_MAX_ROWS = 5000
FILTER_DELAY_MS = 150
# On the first load, the first centres (more than a screenful) are read and shown on their own
# while the whole list is still being read: with 100,000 centres that takes most of a second.
FIRST_ROWS = 60

# Column widths as the text they must show without eliding (the longest district of Liuzhou, a
# date, a status label); the name column takes what is left. Longer text is elided in the middle
# and shown whole in the cell's tooltip.
COLUMN_SAMPLES = {
    COL_HOST: "广西柳工机械股份有限公司",
    COL_DISTRICT: "三江侗族自治县",
    COL_INDUSTRY: "生物医药大健康",
    COL_STATUS: "已撤销认定",
    COL_RECOGNIZED_ON: "2026-11-26",
    COL_DIRECTOR: "欧阳小明",
}
NAME_MIN_WIDTH = 220
# The detail panel stays closed until a centre is selected; then it opens at this height (at most
# DETAIL_MAX_SHARE of the page, so the list keeps most of a 768-px screen). Once the clerk drags
# the splitter, that height is remembered (for the rest of the session, on every 中心 page).
DETAIL_HEIGHT = 260
DETAIL_MAX_SHARE = 0.42
_remembered_splitter: QByteArray | None = None
ALL_LABEL = "全部"

_STATUS_ORDER = {label: i for i, label in enumerate(STATE_LABELS.values())}


def status_summary(total: int, visible: int) -> str:
    return f"共 {total} 个中心，显示 {visible} 个"


def _value_combo(name: str) -> QComboBox:
    """A filter combo as wide as its longest entry ("全部" first)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(ALL_LABEL, ALL_VALUES)
    return combo


def _fill_value_combo(combo: QComboBox, values: list[tuple[str, str]]) -> bool:
    """Replace the entries (text, value) after "全部", keeping the chosen value if it is still
    there. Returns False if the chosen value disappeared (the combo is then on "全部")."""
    current = combo.currentData() or ALL_VALUES
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ALL_LABEL, ALL_VALUES)
    for text, value in values:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    return index >= 0 or current == ALL_VALUES


class CenterTable(QTableView):
    """The list; Enter opens the current centre's detail."""

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CentersPage(Page):
    """Filter box + list + detail (splitter). Loads through ui/ops so the window never freezes."""

    counts_changed = Signal(int, int)  # total, visible
    rows_loaded = Signal()
    detail_loaded = Signal(int)  # centre id
    section_requested = Signal(str, int)  # continue in this section with this centre

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        list_centers: Callable[[AppContext], list[CenterRow]] | None = None,
        first_centers: Callable[[AppContext, int], list[CenterRow]] | None = None,
        get_center: Callable[[AppContext, int], CenterDetail] | None = None,
        today: dt.date | None = None,
    ) -> None:
        """``list_centers`` reads every centre; ``first_centers(ctx, n)`` the first ``n`` (shown
        while the whole list is read, on the first load only; not used when only ``list_centers``
        is given). ``today`` is the default date of a state change (else the day it is made)."""
        super().__init__(parent)
        from lzcenter_desktop.services import center_list

        self.ctx = ctx
        self._list_centers = list_centers or center_list.list_centers
        self._first_centers = first_centers or (center_list.first_centers if list_centers is None else None)
        self._get_center = get_center or _get_center
        self._list_key = f"center-list:{id(self)}"
        self._head_key = f"center-list-head:{id(self)}"
        self._detail_key = f"center-detail:{id(self)}"
        self._loading = False
        self._partial = False  # only the first centres are shown, the whole list is being read
        self._detail_opened = False
        self._today = today
        self.dialog: QWidget | None = None  # the dialog or box opened last (tests reach it here)
        self.last_notice = ""  # the last message of a save, also shown in the status bar

        self.model = CenterTableModel(parent=self)
        self.proxy = CenterFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("centerFilter")
        self.filter_edit.setPlaceholderText(
            "筛选：输入名称、依托单位、县区、产业或状态，多个词用空格分开（Ctrl+F）"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(220)
        self.status_combo = _value_combo("statusFilter")
        self.district_combo = _value_combo("districtFilter")
        self.industry_combo = _value_combo("industryFilter")
        self.load_label = QLabel()
        top = QHBoxLayout()
        filter_caption = QLabel("筛选(&S)：")
        filter_caption.setBuddy(self.filter_edit)
        top.addWidget(filter_caption)
        top.addWidget(self.filter_edit, 1)
        for caption, combo in (
            ("县区(&Q)：", self.district_combo),
            ("产业(&C)：", self.industry_combo),
            ("状态(&T)：", self.status_combo),
        ):
            label = QLabel(caption)
            label.setBuddy(combo)
            top.addSpacing(6)
            top.addWidget(label)
            top.addWidget(combo)
        top.addWidget(self.load_label)

        self.table = CenterTable()
        self.table.setObjectName("centerTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        header_metrics = self.table.horizontalHeader().fontMetrics()
        cell_metrics = self.table.fontMetrics()
        for column, sample in COLUMN_SAMPLES.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            # Room for the text, the cell padding, and in the header the sort arrow.
            width = max(
                cell_metrics.horizontalAdvance(sample) + 16, header_metrics.horizontalAdvance(title) + 28
            )
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(48)
        self.table.setMinimumWidth(
            NAME_MIN_WIDTH + sum(self.table.columnWidth(c) for c in COLUMN_SAMPLES) + 4
        )

        self.detail = CenterDetailView()
        self.detail.setObjectName("centerDetail")
        self.detail.edit_requested.connect(self.edit_center)
        self.detail.action_triggered.connect(self.run_action)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.detail.hide()  # opens when a centre is selected (see _open_detail_panel)
        self.splitter.splitterMoved.connect(self._splitter_moved)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        # Tab: the filter box, 县区, 产业, 状态 (left to right, as shown), the list, the detail's
        # buttons (those shown), the timeline.
        chain = (
            self.filter_edit,
            self.district_combo,
            self.industry_combo,
            self.status_combo,
            self.table,
            self.detail.edit_button,
            *self.detail.action_buttons.values(),
            self.detail.timeline,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)

        self.filter_edit.textChanged.connect(self._filter_text_changed)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.district_combo.currentIndexChanged.connect(self._district_changed)
        self.industry_combo.currentIndexChanged.connect(self._industry_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.open_requested.connect(self.open_current)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.proxy.modelReset.connect(self._emit_counts)
        self.proxy.layoutChanged.connect(self._emit_counts)
        self.proxy.rowsInserted.connect(self._emit_counts)
        self.proxy.rowsRemoved.connect(self._emit_counts)

        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.clear_filter)

        ops.hub().data_changed.connect(self._data_changed)

    # -- the detail panel ------------------------------------------------------------------------
    @property
    def detail_open(self) -> bool:
        return not self.detail.isHidden()

    def _open_detail_panel(self) -> None:
        """Show the detail below the list: at the height the clerk last chose, else DETAIL_HEIGHT
        (at most DETAIL_MAX_SHARE of the page)."""
        if self._detail_opened and self.detail_open:
            return
        self._detail_opened = True
        self.detail.show()
        if _remembered_splitter is not None and self.splitter.restoreState(_remembered_splitter):
            if self.detail.isHidden():
                self.detail.show()
            return
        total = sum(self.splitter.sizes()) or self.splitter.height() or self.height()
        height = min(DETAIL_HEIGHT, int(total * DETAIL_MAX_SHARE))
        self.splitter.setSizes([max(total - height, 1), height])

    def _splitter_moved(self, _pos: int, _index: int) -> None:
        global _remembered_splitter
        _remembered_splitter = self.splitter.saveState()

    # -- loading -------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """True while the list is being read."""
        return self._loading

    def reload(self) -> None:
        """Read the list again in the background; keeps the filter and, if it still exists, the selection."""
        self._loading = True
        self.load_label.setText("正在读取…")
        ctx = self.ctx
        fn = self._list_centers
        head = self._first_centers
        if head is not None and self.model.rowCount() == 0:
            ops.query_op(
                lambda: head(ctx, FIRST_ROWS),
                parent=self,
                on_success=self._first_rows_arrived,
                on_failure=lambda _exc: None,  # the whole list's read reports the problem
                key=self._head_key,
            )

        def read() -> tuple[list[CenterRow], list[str], dict[int, list[int]]]:
            rows = fn(ctx)
            # Made here, off the GUI thread: search texts and pinyin sort ranks.
            return rows, [haystack(r) for r in rows], collation_ranks(rows)

        # A later reload wins: the answer of an earlier one still running is dropped.
        ops.query_op(
            read,
            parent=self,
            on_success=self._rows_arrived,
            on_failure=self._load_failed,
            key=self._list_key,
        )

    def _first_rows_arrived(self, rows: list[CenterRow]) -> None:
        if not self._loading or self.model.rowCount() or not rows:
            return  # the whole list came first, or there is nothing to show yet
        self._partial = True
        self.model.set_rows(rows)
        self._emit_counts()

    def _data_changed(self, kinds: frozenset[str]) -> None:
        if "centers" in kinds:
            self.reload()
            if self.detail.detail is not None:  # its fields, actions and timeline may have changed
                self.load_detail(self.detail.detail.row.id)

    def _rows_arrived(self, loaded: tuple[list[CenterRow], list[str], dict[int, list[int]]]) -> None:
        rows, haystacks, ranks = loaded
        selected = self.current_center_id()
        self._loading = False
        self._partial = False
        self.load_label.setText("")
        self.model.set_rows(rows, haystacks, ranks)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0:  # the clerk sorted the list: keep it sorted
            self.proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._fill_combos()
        if not rows:
            self.detail.show_message("数据库中还没有中心。中心在认定后出现在这里。")
            self._open_detail_panel()
        elif selected is not None:
            self.select_center(selected)
        else:
            self.detail.clear()
        self._emit_counts()
        self.rows_loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        from lzcenter_desktop.ui.dialogs.errors import report_exception

        self._loading = False
        self.load_label.setText("读取失败")
        report_exception(exc, self)

    def _fill_combos(self) -> None:
        """The filter combos list the values present (status with its count); a chosen value that
        no longer exists falls back to "全部"."""
        counts: dict[str, int] = {}
        for r in self.model.rows:
            counts[r.status] = counts.get(r.status, 0) + 1
        statuses = sorted(counts, key=lambda s: (_STATUS_ORDER.get(s, len(_STATUS_ORDER)), s))
        if not _fill_value_combo(self.status_combo, [(f"{s}（{counts[s]}）", s) for s in statuses]):
            self.proxy.set_status_filter(ALL_STATUSES)
        if not _fill_value_combo(self.district_combo, [(d, d) for d in self.model.districts()]):
            self.proxy.set_district_filter(ALL_VALUES)
        if not _fill_value_combo(self.industry_combo, [(i, i) for i in self.model.industries()]):
            self.proxy.set_industry_filter(ALL_VALUES)

    # -- filtering -----------------------------------------------------------------------------
    def _filter_text_changed(self, _text: str) -> None:
        if self.model.rowCount() <= IMMEDIATE_FILTER_MAX_ROWS:
            self._apply_filter()
        else:
            self._filter_timer.start()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        self.proxy.set_filter_text(self.filter_edit.text())
        self._after_filter()

    def _status_changed(self, _index: int) -> None:
        self.proxy.set_status_filter(self.status_combo.currentData() or ALL_STATUSES)
        self._after_filter()

    def _district_changed(self, _index: int) -> None:
        self.proxy.set_district_filter(self.district_combo.currentData() or ALL_VALUES)
        self._after_filter()

    def _industry_changed(self, _index: int) -> None:
        self.proxy.set_industry_filter(self.industry_combo.currentData() or ALL_VALUES)
        self._after_filter()

    def _after_filter(self) -> None:
        self._emit_counts()
        if self.current_center_id() is None and self.detail.detail is not None:
            self.detail.clear()

    def clear_filter(self) -> None:
        """Esc: every filter off (text, 县区, 产业, 状态) in one refilter."""
        self._filter_timer.stop()
        for widget in (self.filter_edit, self.status_combo, self.district_combo, self.industry_combo):
            widget.blockSignals(True)
        self.filter_edit.clear()
        for combo in (self.status_combo, self.district_combo, self.industry_combo):
            combo.setCurrentIndex(0)
        for widget in (self.filter_edit, self.status_combo, self.district_combo, self.industry_combo):
            widget.blockSignals(False)
        self.proxy.clear_filters()
        self._after_filter()

    def show_filtered(
        self, *, status: str | None = None, district: str | None = None, industry: str | None = None
    ) -> None:
        """Only the centres of one state (its label, e.g. 已认定), district (e.g. 柳北区) or first
        industry (概览's bars); every other filter off. Works while the list is still being read:
        the value is chosen in its combo now, and kept when the list arrives if it is there."""
        self.clear_filter()
        for combo, value in (
            (self.status_combo, status),
            (self.district_combo, district),
            (self.industry_combo, industry),
        ):
            if not value:
                continue
            if combo.findData(value) < 0:
                combo.addItem(value, value)
            combo.setCurrentIndex(combo.findData(value))  # its handler sets the proxy's filter

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _emit_counts(self, *_args: Any) -> None:
        self.counts_changed.emit(self.proxy.total_count(), self.proxy.visible_count())
        self.status_changed.emit()

    def status_text(self) -> str:
        if self._partial:
            return f"正在读取全部中心…（先显示前 {self.proxy.total_count()} 个）"
        return status_summary(self.proxy.total_count(), self.proxy.visible_count())

    # -- selection and detail ------------------------------------------------------------------
    def current_center_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.data(CenterIdRole)
        return int(value) if value is not None else None

    def select_center(self, center_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, COL_NAME)
            if index.data(CenterIdRole) == center_id:
                self.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
                return True
        return False

    def select_row(self, proxy_row: int) -> None:
        index = self.proxy.index(proxy_row, COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        center_id = current.data(CenterIdRole)
        if center_id is None:
            return
        if self.detail.detail is not None and self.detail.detail.row.id == center_id:
            return
        self.load_detail(int(center_id))

    def load_detail(self, center_id: int) -> None:
        ctx = self.ctx
        fn = self._get_center

        def arrived(detail: CenterDetail) -> None:
            self.detail.show_detail(detail)
            self._open_detail_panel()
            self.detail_loaded.emit(center_id)

        def failed(exc: BaseException) -> None:
            from lzcenter_desktop.services.errors import ServiceError
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            self._open_detail_panel()
            if isinstance(exc, ServiceError):
                self.detail.show_message(exc.message)
            else:
                self.detail.show_message("读取该中心的详细信息失败。")
                report_exception(exc, self)

        # A later selection wins: only the newest request's detail is shown.
        ops.query_op(
            lambda: fn(ctx, center_id),
            parent=self,
            on_success=arrived,
            on_failure=failed,
            key=self._detail_key,
        )

    def open_current(self) -> None:
        """Enter / double-click: make sure the detail of the current centre is shown and visible."""
        center_id = self.current_center_id()
        if center_id is None:
            return
        if not self.detail_open:
            self._open_detail_panel()
        sizes = self.splitter.sizes()
        if len(sizes) == 2 and sizes[1] < DETAIL_HEIGHT // 2:
            total = sum(sizes)
            self.splitter.setSizes([max(total - DETAIL_HEIGHT, total // 2), min(DETAIL_HEIGHT, total // 2)])
        if self.detail.detail is None or self.detail.detail.row.id != center_id:
            self.load_detail(center_id)

    # -- editing and the actions of the state ----------------------------------------------------
    def edit_center(self) -> None:
        """修改中心信息 of the centre shown: read what is stored now, then open the dialog (or say
        why the centre cannot be edited here)."""
        shown = self.detail.detail
        if shown is None:
            return
        ctx, center_id = self.ctx, shown.row.id
        ops.query_op(
            lambda: _center_for_edit(ctx, center_id),
            parent=self,
            on_success=self._open_editor,
            on_failure=self._edit_read_failed,
            key=f"center-edit:{id(self)}",
        )

    def _open_editor(self, edit: CenterEdit) -> None:
        from lzcenter_desktop.ui.pages.center_dialogs import CenterEditDialog
        from lzcenter_desktop.ui.review.common import inform

        if edit.locked is not None:
            self.dialog = inform(self, "不能在此修改", edit.locked)
            return
        self._open(CenterEditDialog(self, self.ctx, edit, on_done=self._saved))

    def _edit_read_failed(self, exc: BaseException) -> None:
        from lzcenter_desktop.ui.review.common import error_text, inform

        text = error_text(exc)
        if text is None:
            from lzcenter_desktop.ui.dialogs.errors import report_exception

            report_exception(exc, self)
            return
        self.dialog = inform(self, "无法修改", text, error=True)

    def _saved(self, changed: tuple[str, ...]) -> None:
        shown = self.detail.detail
        name = f"“{shown.row.name}”" if shown is not None else "中心"
        self.notify(f"已保存{name}的修改：{'、'.join(changed)}" if changed else "没有需要保存的修改。")

    def run_action(self, action: CenterAction) -> None:
        """A button of the detail's action bar: continue in its section with the centre (the steps
        of 第五章 on the 绩效评估 page, where the evaluation's result decides them)."""
        shown = self.detail.detail
        if shown is not None:
            self.section_requested.emit(action.section, shown.row.id)

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # type: ignore[attr-defined]

    def notify(self, text: str) -> None:
        """A short message after a save: in the main window's status bar (for a few seconds)."""
        self.last_notice = text
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 6000)

    # -- Page ------------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        # First visit: the list is read now; later: centres added or changed on other pages.
        self.reload()


def _get_center(ctx: AppContext, center_id: int) -> CenterDetail:
    """The detail of one centre; its service module (SQLAlchemy, the models) is imported here, on
    the worker thread, the first time a centre is opened."""
    from lzcenter_desktop.services.centers import get_center

    return get_center(ctx, center_id)


def _center_for_edit(ctx: AppContext, center_id: int) -> CenterEdit:
    """What the 修改中心信息 dialog starts from (on the worker thread, like :func:`_get_center`)."""
    from lzcenter_desktop.services.centers import center_for_edit

    return center_for_edit(ctx, center_id)
