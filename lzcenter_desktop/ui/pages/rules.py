"""The 规则 page: every rule with its ID, article, source sentence, severity and current parameters.

The years and the chosen year's parameters are read with :func:`~lzcenter_desktop.ui.ops.query_op`
(the newest request wins); when a rule set is saved (``data_changed`` with ``rulesets``) they are
read again, so the parameters shown are always those in force."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lzcenter_desktop.domain.catalog import RULES, RuleInfo
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, PARAMETERS, ParamInfo, RuleSettings
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.rules import (
    COL_ARTICLE,
    COL_CHAPTER,
    COL_ID,
    COL_SEVERITY,
    COL_TITLE,
    ParamLine,
    RuleFilterProxy,
    RuleParamsModel,
    RuleRole,
    RuleTableModel,
    severity_label,
)
from lzcenter_desktop.ui.pages.base import Page
from lzcenter_desktop.ui.param_text import format_value
from lzcenter_desktop.ui.style import text_style

PARAMS_BY_NAME: dict[str, ParamInfo] = {p.name: p for p in PARAMETERS}


@dataclass(frozen=True)
class YearSettings:
    year: int
    settings: RuleSettings
    version_no: int | None  # the latest version saved for this very year, None if it has none


def load_year_settings(ctx: AppContext, year: int) -> YearSettings:
    from lzcenter_desktop.services import rulesets

    versions = rulesets.list_versions(ctx, year)
    return YearSettings(
        year=year,
        settings=rulesets.settings_for_year(ctx, year),
        version_no=versions[-1].version_no if versions else None,
    )


def available_years(ctx: AppContext, today: date | None = None) -> list[int]:
    """Call years in the database plus the current year, newest first."""
    from lzcenter_desktop.services import rulesets

    years = set(rulesets.call_years(ctx))
    years.add((today or date.today()).year)
    return sorted(years, reverse=True)


def describe_source(ys: YearSettings) -> str:
    if ys.version_no is not None:
        return f"{ys.year} 年度规则参数第 {ys.version_no} 版"
    if ys.settings == DEFAULT_SETTINGS:
        return f"{ys.year} 年度未单独设置，使用办法规定的默认值"
    return f"{ys.year} 年度未单独设置，沿用较早年度的规则参数"


class YearCombo(QComboBox):
    """Picks a call year; ``year()`` is the chosen one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(8)

    def set_years(self, years: list[int], selected: int | None = None) -> None:
        self.blockSignals(True)
        self.clear()
        for y in years:
            self.addItem(f"{y} 年度", y)
        index = self.findData(selected) if selected is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def year(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None


class RulesPage(Page):
    settings_loaded = Signal(int)  # year

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        load: Callable[[AppContext, int], YearSettings] = load_year_settings,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._load = load
        self.year_settings: YearSettings | None = None

        self.model = RuleTableModel(RULES, self)
        self.proxy = RuleFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("ruleSearch")
        self.search_edit.setPlaceholderText("搜索：编号、条款、规则内容、办法原文或参数名")
        self.search_edit.setClearButtonEnabled(True)
        self.year_combo = YearCombo()
        self.year_combo.setObjectName("ruleYear")
        self.count_label = QLabel()
        top = QHBoxLayout()
        search_caption = QLabel("搜索(&S)：")
        search_caption.setBuddy(self.search_edit)
        year_caption = QLabel("申报年度(&Y)：")
        year_caption.setBuddy(self.year_combo)
        top.addWidget(search_caption)
        top.addWidget(self.search_edit, 1)
        top.addWidget(year_caption)
        top.addWidget(self.year_combo)
        top.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setObjectName("ruleTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        for column, width in {COL_ID: 70, COL_ARTICLE: 130, COL_SEVERITY: 110}.items():
            self.table.setColumnWidth(column, width)
        # The chapter is shown with the selected rule (and searched); the title gets the room.
        self.table.setColumnHidden(COL_CHAPTER, True)
        self.table.horizontalHeader().setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        self.title_label = QLabel("在左侧选择一条规则，这里显示它来自办法的哪一句、严重程度和当前参数。")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.meta_label = QLabel()
        self.meta_label.setObjectName("ruleMeta")
        self.meta_label.setTextFormat(Qt.TextFormat.RichText)
        self.meta_label.setWordWrap(True)
        self.source_caption = QLabel("办法原文：")
        self.source_label = QLabel()
        self.source_label.setObjectName("ruleSource")
        self.source_label.setWordWrap(True)
        self.source_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.source_label.setMargin(8)
        self.params_caption = QLabel()
        self.params_caption.setWordWrap(True)
        self.params_model = RuleParamsModel(self)
        self.params_table = QTableView()
        self.params_table.setObjectName("ruleParams")
        self.params_table.setTabKeyNavigation(False)  # Tab leaves the table (read-only)
        self.params_table.setModel(self.params_model)
        self.params_table.verticalHeader().hide()
        self.params_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.params_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.params_table.setWordWrap(True)
        self.params_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            self.params_table.horizontalHeader().setSectionResizeMode(
                c, QHeaderView.ResizeMode.ResizeToContents
            )
        for w in (self.title_label, self.meta_label, self.source_label, self.params_caption):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (
            self.title_label,
            self.meta_label,
            self.source_caption,
            self.source_label,
            self.params_caption,
        ):
            dl.addWidget(w)
        dl.addWidget(self.params_table, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(detail)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.source_caption.hide()
        self.source_label.hide()
        self.params_caption.hide()
        self.params_table.hide()
        # Tab: search → year → the rule list → the selected rule's parameters.
        QWidget.setTabOrder(self.search_edit, self.year_combo)
        QWidget.setTabOrder(self.year_combo, self.table)
        QWidget.setTabOrder(self.table, self.params_table)

        self.search_edit.textChanged.connect(self._search_changed)
        self.year_combo.currentIndexChanged.connect(lambda _i: self._load_year())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        ops.hub().data_changed.connect(self._data_changed)
        self._update_count()

    # -- data ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the years and the selected year's settings."""
        ctx = self.ctx
        selected = self.year_combo.year()

        def got_years(years: list[int]) -> None:
            self.year_combo.set_years(years, selected if selected in years else None)
            self._load_year()

        ops.query_op(
            lambda: available_years(ctx), parent=self, key=f"rule-years:{id(self)}", on_success=got_years
        )

    def _load_year(self) -> None:
        year = self.year_combo.year()
        if year is None:
            return
        ctx = self.ctx
        load = self._load

        def arrived(ys: YearSettings) -> None:
            self.year_settings = ys
            self._show_rule(self.current_rule())
            self.settings_loaded.emit(ys.year)

        ops.query_op(
            lambda: load(ctx, year), parent=self, key=f"rule-settings:{id(self)}", on_success=arrived
        )

    def _data_changed(self, kinds: frozenset[str]) -> None:
        """A rule set was saved: show the parameters now in force (once the page has been loaded)."""
        if "rulesets" in kinds and self.year_combo.count():
            self.refresh()

    # -- search and selection -----------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.select_row(0)
        elif not self.proxy.rowCount():
            self._show_rule(None)

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount()} 条规则，显示 {self.proxy.rowCount()} 条")

    def select_row(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.proxy.index(row, COL_ID),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def select_rule(self, rule_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, COL_ID).data() == rule_id:
                self.select_row(row)
                return True
        return False

    def current_rule(self) -> RuleInfo | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        rule = index.data(RuleRole)
        return rule if isinstance(rule, RuleInfo) else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_rule(self.current_rule())

    def _show_rule(self, rule: RuleInfo | None) -> None:
        shown = rule is not None
        for w in (self.source_caption, self.source_label, self.params_caption, self.params_table):
            w.setVisible(shown)
        if rule is None:
            self.title_label.setText("在左侧选择一条规则，这里显示它来自办法的哪一句、严重程度和当前参数。")
            self.meta_label.setText("")
            self.params_model.set_rows([])
            return
        self.title_label.setText(f"{rule.id}　{rule.title}")
        # The severity in its level's colour (错误 red, 警告 amber, 提醒 grey), as on every page.
        self.meta_label.setText(
            f"{escape(rule.article)}　·　{escape(rule.chapter)}　·　严重程度："
            f"<span style='{text_style(rule.severity)}'>{escape(severity_label(rule.severity))}</span>"
        )
        self.source_label.setText(rule.source)
        params = [PARAMS_BY_NAME[n] for n in rule.params if n in PARAMS_BY_NAME]
        ys = self.year_settings
        if not params:
            self.params_caption.setText("这条规则没有可调整的参数。")
            self.params_model.set_rows([])
            self.params_table.hide()
            return
        if ys is None:
            self.params_caption.setText("正在读取当前参数…")
        else:
            self.params_caption.setText(f"当前参数（{describe_source(ys)}）：")
        self.params_model.set_rows(
            [
                ParamLine(
                    label=info.label + (f"（{info.note}）" if info.note else ""),
                    current=format_value(info, getattr(ys.settings, info.name)) if ys is not None else "",
                    unit=info.unit,
                    default=format_value(info, getattr(DEFAULT_SETTINGS, info.name)),
                )
                for info in params
            ]
        )
        self.params_table.resizeRowsToContents()
        self.params_table.show()

    def params_shown(self) -> list[tuple[str, str, str]]:
        """(label, current value, unit) of each parameter row shown."""
        return [(p.label, p.current, p.unit) for p in self.params_model.rows]

    # -- Page ------------------------------------------------------------------------------------
    def on_shown(self, first: bool) -> None:
        if first:
            self.refresh()
