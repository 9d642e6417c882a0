"""现场核查 (第二十一条, E21c): draw some of the year's received 工作年报 for on-site verification —
a count, an optional seed (recorded in the method, so the same seed on the same reports gives the
same list), strata by 所在区县 or 第一产业领域 if asked — after a confirmation, since a draw is
recorded and cannot be undone; then the drawn list of each draw with its method, and the site
findings typed per drawn report (Ctrl+S or 保存核查结果). Leaving typed findings unsaved — another
report, another draw, another year, another section — asks 保存 / 不保存 / 取消."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.credit_code import district_name
from lzcenter_desktop.services.annual import draw_list, dues, spot_checks
from lzcenter_desktop.services.annual.dues import YearDues
from lzcenter_desktop.services.annual.spot_checks import DrawnReport, SpotCheckDraw
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops, style
from lzcenter_desktop.ui.annual.common import ANNUAL_KINDS, AnnualTab
from lzcenter_desktop.ui.dialogs.unsaved import Answer, answer_of, unsaved_question
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    ask,
    button,
    cn_date,
    date_field,
    note_label,
    select_where,
    selected_object,
    set_widths,
    table_view,
    typed_date,
)
from lzcenter_desktop.ui.tasks import Task

#: the 分层方式 box: (label, ``stratify`` of the service)
STRATA_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("不分层", None),
    *((f"按{name}分层", key) for key, name in spot_checks.STRATA.items()),
)


@dataclass(frozen=True, slots=True)
class SpotData:
    year: int
    candidates: int  # received reports not drawn yet
    draws: list[SpotCheckDraw]
    dues: YearDues


def read_spot(ctx: AppContext, year: int, as_of: dt.date) -> SpotData:
    found = dues.year_dues(ctx, year=year, as_of=as_of)
    draws = draw_list.list_draws(ctx, year=year)
    drawn = {r.report_id for d in draws for r in d.reports}
    candidates = sum(
        1
        for row in found.rows
        if row.report_id is not None and row.submitted_on is not None and row.report_id not in drawn
    )
    return SpotData(year, candidates, draws, found)


def _first_line(text: str | None) -> str:
    if not text:
        return "（未录入）"
    line = text.strip().splitlines()[0]
    return line if len(line) <= 40 else line[:39] + "…"


def _stratum(row: DrawnReport) -> str:
    """The stratum of a drawn report: a district by its name, an industry as it is."""
    stratum = row.stratum
    if stratum and stratum.isdigit():
        return district_name(stratum) or stratum
    return stratum or ""


class SpotCheckTab(AnnualTab):
    title = "现场核查"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: SpotData | None = None
        self.draw_id: int | None = None
        self.report: DrawnReport | None = None
        self.dirty = False
        self.saving = False
        self._filling = False
        self.ask_unsaved: Callable[[str], Answer] = self._ask_unsaved

        box = QGroupBox("抽取现场核查对象（第二十一条）", self)
        self.count = QSpinBox(box)
        self.count.setObjectName("drawCount")
        self.count.setRange(1, 999)
        self.count.setValue(3)
        self.count.setSuffix(" 家")
        self.count.setAccessibleName("抽取家数")
        self.seed = QLineEdit(box)
        self.seed.setObjectName("drawSeed")
        self.seed.setPlaceholderText("留空则随机生成")
        self.seed.setAccessibleName("随机种子")
        self.seed.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 9)
        self.strata = QComboBox(box)
        self.strata.setObjectName("drawStrata")
        for label, key in STRATA_CHOICES:
            self.strata.addItem(label, key)
        self.drawn_on = date_field(self.annual_page.today, "抽取日期")
        self.drawn_on.setParent(box)  # now: its line comes before 抽取 in the natural Tab order
        self.draw_button = button(
            "抽取(&W)…", box, tip="随机抽取已报送年报的中心进行现场核查（记录种子，可复现）"
        )
        self.draw_button.clicked.connect(self.draw)
        self.candidates = note_label("", box)
        self.candidates.setObjectName("candidates")
        row = QHBoxLayout(box)
        for caption, widget in (
            ("抽取家数(&N)", self.count),
            ("随机种子(&D)", self.seed),
            ("分层方式(&L)", self.strata),
            ("抽取日期(&T)", self.drawn_on),
        ):
            buddy = QLabel(caption, box)
            buddy.setBuddy(widget)
            row.addWidget(buddy)
            row.addWidget(widget)
        row.addWidget(self.draw_button)
        row.addWidget(self.candidates, 1)

        self.draw_box = QComboBox(self)
        self.draw_box.setObjectName("drawBox")
        self.draw_box.setMinimumContentsLength(30)
        self.draw_box.currentIndexChanged.connect(self._draw_chosen)
        draw_label = QLabel("抽取记录(&J)", self)
        draw_label.setBuddy(self.draw_box)
        self.method = note_label("", self)
        self.method.setObjectName("drawMethod")
        self.model: RowTableModel[DrawnReport] = RowTableModel(
            (
                Column("中心名称", lambda r: r.center_name),
                Column("分层", _stratum),
                Column("现场核查结果", lambda r: _first_line(r.findings)),
            ),
            parent=self,
        )
        self.table = table_view(self.model, self, name="drawnReports", stretch=0)
        self.table.setAccessibleName("抽中的年报")
        self.table.setTabKeyNavigation(False)
        set_widths(self.table, (0, 6, 14))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._report_chosen())
        left_widget = QWidget(self)
        left = QVBoxLayout(left_widget)
        left.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        pick.addWidget(draw_label)
        pick.addWidget(self.draw_box, 1)
        left.addLayout(pick)
        left.addWidget(self.method)
        left.addWidget(self.table, 1)

        right_widget = QWidget(self)
        right = QVBoxLayout(right_widget)
        right.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("", right_widget)
        self.heading.setObjectName("findingsHeading")
        self.heading.setWordWrap(True)
        self.findings = QPlainTextEdit(right_widget)
        self.findings.setObjectName("findings")
        self.findings.setAccessibleName("现场核查结果")
        self.findings.setTabChangesFocus(True)
        self.findings.setPlaceholderText("现场核查发现的情况：与年报是否相符、存在的问题、整改要求……")
        self.findings.textChanged.connect(self._edited)
        self.findings.installEventFilter(self)
        findings_label = QLabel("现场核查结果(&U)", right_widget)
        findings_label.setBuddy(self.findings)
        self.save_button = button(
            "保存核查结果(&S)", right_widget, tip="保存所选中心的现场核查结果（Ctrl+S）"
        )
        self.save_button.clicked.connect(self.save)
        self.form_state = note_label("", right_widget)
        self.form_state.setObjectName("findingsState")
        right.addWidget(self.heading)
        right.addWidget(findings_label)
        right.addWidget(self.findings, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.form_state, 1)
        right.addLayout(bottom)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left_widget)
        split.addWidget(right_widget)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        order: list[QWidget] = [  # 抽取家数 … 抽取 follow their creation order
            self.draw_button,
            self.draw_box,
            self.table,
            self.findings,
            self.save_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._show_report(None)

    # -- reading -------------------------------------------------------------------------------
    def reader(self) -> Callable[[], SpotData] | None:
        ctx, year, today = self.ctx, self.annual_page.year, self.annual_page.today
        return lambda: read_spot(ctx, year, today)

    def clear(self) -> None:
        self.data = None
        self.draw_box.clear()
        self.model.set_rows([])

    def show_data(self, data: SpotData) -> None:
        self.data = data
        self.annual_page.show_dues(data.dues)
        self.candidates.setText(f"{data.year}年度可抽取（已报送、尚未抽过）的年报 {data.candidates} 份。")
        ids = [d.draw_id for d in data.draws]
        if self.draw_id not in ids:
            self.draw_id = ids[0] if ids else None
        self._filling = True
        self.draw_box.clear()
        for d in data.draws:
            self.draw_box.addItem(f"{cn_date(d.drawn_on)}  {d.method}（{len(d.reports)} 家）", d.draw_id)
        if self.draw_id is not None:
            self.draw_box.setCurrentIndex(self.draw_box.findData(self.draw_id))
        self._filling = False
        self._show_draw()

    def current_draw(self) -> SpotCheckDraw | None:
        if self.data is None:
            return None
        return next((d for d in self.data.draws if d.draw_id == self.draw_id), None)

    def _show_draw(self) -> None:
        draw = self.current_draw()
        keep = self.report.report_id if self.report is not None else None
        if draw is None:
            self.method.setText(f"{self.annual_page.year}年度还没有抽取现场核查对象。")
            self.model.set_rows([])
        else:
            note = f"；备注：{draw.note}" if draw.note else ""
            self.method.setText(f"{cn_date(draw.drawn_on)} 抽取，方式：{draw.method}{note}")
            self.table.blockSignals(True)
            self.model.set_rows(list(draw.reports))
            self.table.blockSignals(False)
        found = keep is not None and select_where(self.table, lambda r: r.report_id == keep)
        if not found and self.model.rowCount() > 0:
            self.table.selectRow(0)
        self._report_chosen(force=True)

    # -- choosing (asks before leaving unsaved findings) ----------------------------------------------
    def _draw_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        wanted = self.draw_box.itemData(index)
        if wanted == self.draw_id:
            return
        if not self.may_leave():
            self._filling = True
            self.draw_box.setCurrentIndex(self.draw_box.findData(self.draw_id))
            self._filling = False
            return
        self.draw_id = wanted
        self.report = None
        self._show_draw()

    def selected(self) -> DrawnReport | None:
        row = selected_object(self.table)
        return row if isinstance(row, DrawnReport) else None

    def _report_chosen(self, *, force: bool = False) -> None:
        row = self.selected()
        same = row is not None and self.report is not None and row.report_id == self.report.report_id
        if same and not force:
            return
        if not same and not force and not self.may_leave():
            current = self.report
            if current is not None:
                self.table.blockSignals(True)
                select_where(self.table, lambda r: r.report_id == current.report_id)
                self.table.blockSignals(False)
            return
        if same and self.dirty:  # the list was read again: keep what is being typed
            self.report = row
            return
        self._show_report(row)

    def _show_report(self, row: DrawnReport | None) -> None:
        self.report = row
        self._filling = True
        self.findings.setPlainText(row.findings or "" if row is not None else "")
        self._filling = False
        self.dirty = False
        self.findings.setEnabled(row is not None)
        if row is None:
            self.heading.setText("请在左侧选择抽中的中心。")
            self.form_state.setText("")
        else:
            self.heading.setText(f"“{row.center_name}”{self.annual_page.year}年度工作年报的现场核查结果")
            self.form_state.setText("已录入" if row.findings else "尚未录入")
            self.form_state.setStyleSheet(style.NOTE_STYLE)
        self._update_buttons()

    def _edited(self) -> None:
        if self._filling or self.report is None:
            return
        self.dirty = True
        self.form_state.setText("有未保存的修改")
        self.form_state.setStyleSheet(style.WARNING_STYLE)
        self._update_buttons()
        self.annual_page.status_changed.emit()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.report is not None and self.dirty and not self.saving)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.findings
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Save)
        ):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # Ctrl+S here saves the findings, not the window's action
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.save()
                return True
        return super().eventFilter(watched, event)

    # -- unsaved findings ------------------------------------------------------------------------------
    def unsaved_changes(self) -> str | None:
        if not self.dirty or self.report is None:
            return None
        return f"年报：“{self.report.center_name}”的现场核查结果"

    def _ask_unsaved(self, what: str) -> Answer:
        box = unsaved_question(self, [what], "保存后再离开吗？")
        box.exec()
        return answer_of(box)

    def may_leave(self) -> bool:
        """True when nothing typed would be lost (saved, discarded, or nothing typed)."""
        what = self.unsaved_changes()
        if what is None:
            return True
        answer = self.ask_unsaved(what)
        if answer is Answer.SAVE:
            return self.save_changes()
        if answer is Answer.DISCARD:
            self.discard_changes()
            return True
        return False

    def save_changes(self) -> bool:
        """Save before leaving: waits for the write and tells truthfully whether it was stored."""
        if not self.dirty:
            return True
        task = self._start_save()
        if task is None or not ops.wait_for_writes() or not task.wait(0):
            return False
        QCoreApplication.sendPostedEvents(task, 0)  # its queued answer, now
        return not self.dirty

    def discard_changes(self) -> None:
        self._show_report(self.report)

    # -- writing ------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the typed findings of the selected report; False when it cannot start."""
        return self._start_save() is not None

    def _start_save(self) -> Task[Any] | None:
        row = self.report
        if row is None or self.saving:
            return None
        text = self.findings.toPlainText()
        ctx, report_id = self.ctx, row.report_id
        self.saving = True
        self._update_buttons()

        def done(_result: Any) -> None:
            self.saving = False
            if self.findings.toPlainText() == text:
                self.dirty = False
                self.form_state.setText("已保存")
                self.form_state.setStyleSheet(style.OK_STYLE)
            self.show_message(f"已保存“{row.center_name}”的现场核查结果。")
            self._update_buttons()
            self.annual_page.status_changed.emit()

        def failed(message: str) -> None:
            self.saving = False
            self.show_message(message, level="error")
            self._update_buttons()

        return self.write(
            lambda: spot_checks.record_findings(ctx, report_id=report_id, findings=text),
            done=done,
            kinds=ANNUAL_KINDS,
            on_error=failed,
        )

    def draw(self) -> None:
        data = self.data
        if data is None:
            return
        seed_text = self.seed.text().strip()
        if seed_text and not (seed_text.isascii() and seed_text.isdigit()):
            self.show_message(f"随机种子“{seed_text}”无效，应为非负整数，或留空由程序随机生成", level="error")
            return
        seed = int(seed_text) if seed_text else None
        try:
            on = typed_date(self.drawn_on, "抽取日期")
        except ServiceError as exc:
            self.show_message(exc.message, level="error")
            return
        assert on is not None
        if not self.may_leave():
            return
        count, stratify, year = self.count.value(), self.strata.currentData(), data.year
        how = self.strata.currentText()
        seed_words = f"随机种子 {seed}" if seed is not None else "随机种子由程序生成"
        ask(
            self,
            "抽取现场核查对象",
            f"从{year}年度已报送的 {data.candidates} 份年报中随机抽取 {count} 家进行现场核查"
            f"（{how}，{seed_words}）？",
            informative="抽取结果和种子将被记录，不能撤销；被抽中的年报不再参加本年度以后的抽取。",
            yes="抽取(&Y)",
            on_yes=lambda: self._draw(year, count, seed, stratify, on),
        )

    def _draw(self, year: int, count: int, seed: int | None, stratify: str | None, on: dt.date) -> None:
        ctx = self.ctx

        def done(result: SpotCheckDraw) -> None:
            self.draw_id = result.draw_id
            self.report = None
            names = "、".join(r.center_name for r in result.reports)
            self.show_message(f"已抽取 {len(result.reports)} 家（{result.method}）：{names}")

        self.write(
            lambda: spot_checks.draw_spot_checks(
                ctx, year=year, count=count, drawn_on=on, seed=seed, stratify=stratify
            ),
            done=done,
            kinds=ANNUAL_KINDS,
            busy="正在抽取…",
        )
