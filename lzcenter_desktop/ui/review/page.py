"""The 评审 page (第十条): a year's call from 形式审查 to 认定, tab by tab.

At the top the 年度申报通知 the clerk works on (新建 / 修改), and — on the tabs that work on one
review session — the 评审会 (新建 / 修改). The tabs follow the procedure:

形式审查 → 专家库 → 分组与抽取 → 专家评分 (with the offline 评审包) → 现场考察 → 汇总排名 → 公示 → 认定.

Every read runs on a worker thread (:func:`ui.ops.query_op`), every write on the write thread
(:func:`ui.ops.write_op`); after a write ``data_changed`` makes the page read the call, its
sessions and the visible tab again (the other tabs when they are next shown). A refusal is shown as
the service's Chinese message — in the dialog that asked, or on the tab's message line.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import calls, panels
from lzcenter_desktop.services.review.dto import CallView, SessionView
from lzcenter_desktop.services.review.lookup import SESSION_STATUS_LABELS
from lzcenter_desktop.ui.common_tabbed_page import TabbedPage, chooser_bar, record_box
from lzcenter_desktop.ui.review.call_dialogs import CallDialog, SessionDialog
from lzcenter_desktop.ui.review.common import WATCHED_KINDS, ReviewTab, button, cn_date


class ReviewPage(TabbedPage):
    """评审 section of the main window."""

    watched_kinds = WATCHED_KINDS
    tab_type = ReviewTab
    tab_list: list[ReviewTab]

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(ctx, parent, today=today)
        self.call_id: int | None = None
        self.session_id: int | None = None
        self.calls: list[CallView] = []
        self.sessions: list[SessionView] = []
        self._loading_calls = False
        self._loading_sessions = False

        self.call_box = record_box(self, "callBox", 24, self._call_chosen)
        self.new_call_button = button("新建通知(&N)…", self, tip="新建一个年度申报通知（每年一个）")
        self.new_call_button.clicked.connect(self.new_call)
        self.edit_call_button = button(
            "修改通知(&E)…", self, tip="修改通知的文号、日期、规则参数和评分表版本"
        )
        self.edit_call_button.clicked.connect(self.edit_call)
        top = QHBoxLayout()
        call_buttons = [self.new_call_button, self.edit_call_button]
        self.call_info = chooser_bar(top, self, "年度申报通知(&Y)", self.call_box, call_buttons, "callInfo")

        self.session_bar = QWidget(self)
        self.session_box = record_box(self.session_bar, "sessionBox", 30, self._session_chosen)
        self.new_session_button = button("新建评审会(&W)…", self.session_bar)
        self.new_session_button.clicked.connect(self.new_session)
        self.edit_session_button = button("修改评审会…", self.session_bar)
        self.edit_session_button.clicked.connect(self.edit_session)
        bar = QHBoxLayout(self.session_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        session_buttons = [self.new_session_button, self.edit_session_button]
        self.session_info = chooser_bar(
            bar, self.session_bar, "评审会(&H)", self.session_box, session_buttons, "sessionInfo"
        )

        from lzcenter_desktop.ui.review.experts_tab import ExpertsTab
        from lzcenter_desktop.ui.review.formal_tab import FormalTab
        from lzcenter_desktop.ui.review.notice_tab import NoticeTab
        from lzcenter_desktop.ui.review.panels_tab import PanelsTab
        from lzcenter_desktop.ui.review.recognition_tab import RecognitionTab
        from lzcenter_desktop.ui.review.results_tab import ResultsTab
        from lzcenter_desktop.ui.review.scoring_tab import ScoringTab
        from lzcenter_desktop.ui.review.site_tab import SiteTab

        self.formal = FormalTab(self)
        self.experts = ExpertsTab(self)
        self.panels = PanelsTab(self)
        self.scoring = ScoringTab(self)
        self.site = SiteTab(self)
        self.results = ResultsTab(self)
        self.notice = NoticeTab(self)
        self.recognition = RecognitionTab(self)
        tab_list = [
            self.formal,
            self.experts,
            self.panels,
            self.scoring,
            self.site,
            self.results,
            self.notice,
            self.recognition,
        ]
        self.make_tabs(tab_list, "reviewTabs")

        self.lay_out(top, self.session_bar)
        self._update_bars()

    # -- state ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A read or write the page started has not answered yet."""
        return (
            self._loading_calls
            or self._loading_sessions
            or self.writes > 0
            or any(t.busy for t in self.tab_list)
        )

    @property
    def loading(self) -> bool:
        return self._loading_calls or self._loading_sessions

    def current_call(self) -> CallView | None:
        return next((c for c in self.calls if c.id == self.call_id), None)

    def current_session(self) -> SessionView | None:
        return next((s for s in self.sessions if s.id == self.session_id), None)

    def session_closed(self) -> bool:
        session = self.current_session()
        return session is not None and session.status in panels.CLOSED_SESSION_STATUSES

    # -- Page ----------------------------------------------------------------------------------
    def status_text(self) -> str:
        call = self.current_call()
        if call is None:
            return ""
        return f"{call.year}年度：申报书 {call.declarations} 份，评审会 {len(self.sessions)} 场"

    def unsaved_changes(self) -> str | None:
        return self.scoring.unsaved_changes()

    def save_changes(self) -> bool:
        return self.scoring.save_changes()

    def discard_changes(self) -> None:
        self.scoring.discard_changes()

    # -- loading -------------------------------------------------------------------------------
    def read_records(self) -> None:
        """Read the calls, then the sessions of the current call, then the visible tab."""
        self._loading_calls = True
        ctx = self.ctx
        self.query(lambda: calls.list_calls(ctx), "review-calls", self._calls_loaded)

    def loading_failed(self) -> None:
        self._loading_calls = self._loading_sessions = False

    def _calls_loaded(self, found: list[CallView]) -> None:
        self._loading_calls = False
        self.calls = found
        wanted = (
            self.call_id if any(c.id == self.call_id for c in found) else (found[0].id if found else None)
        )
        self.fill_box(self.call_box, ((c.title, c.id, c.title) for c in found), wanted)
        self.call_id = wanted
        self._show_call_info()
        self._load_sessions()

    def _show_call_info(self) -> None:
        call = self.current_call()
        if call is None:
            self.call_info.setText("还没有年度申报通知：请先“新建通知”。" if not self.calls else "")
        else:
            parts = [call.status_label]
            if call.document_no:
                parts.append(call.document_no)
            if call.deadline:
                parts.append(f"截止 {cn_date(call.deadline)}")
            parts.append(f"申报书 {call.declarations} 份")
            if call.ruleset_version_no:
                parts.append(f"规则参数第 {call.ruleset_version_no} 版")
            if call.score_sheet_version:
                parts.append(f"评分表 {call.score_sheet_version} 版")
            self.call_info.setText("，".join(parts))
        self._update_bars()
        self.status_changed.emit()

    def _load_sessions(self) -> None:
        call_id = self.call_id
        if call_id is None:
            self.sessions = []
            self._fill_sessions()
            self._refresh_current()
            return
        self._loading_sessions = True
        ctx = self.ctx
        self.query(
            lambda: panels.list_sessions(ctx, call_id=call_id), "review-sessions", self._sessions_loaded
        )

    def _sessions_loaded(self, found: list[SessionView]) -> None:
        self._loading_sessions = False
        self.sessions = found
        self._fill_sessions()
        self._refresh_current()

    def _fill_sessions(self) -> None:
        found = self.sessions
        if not any(s.id == self.session_id for s in found):
            open_ones = [s for s in found if s.status not in panels.CLOSED_SESSION_STATUSES]
            chosen = open_ones[0] if open_ones else (found[0] if found else None)
            self.session_id = chosen.id if chosen is not None else None
        statuses = [SESSION_STATUS_LABELS.get(s.status, s.status) for s in found]
        items = (
            (f"{s.title}（{status}）", s.id, f"{s.title}，{cn_date(s.held_on)}，{status}")
            for s, status in zip(found, statuses, strict=True)
        )
        self.fill_box(self.session_box, items, self.session_id)
        self._show_session_info()

    def _show_session_info(self) -> None:
        session = self.current_session()
        if session is None:
            self.session_info.setText("本年度还没有评审会：请先“新建评审会”。" if self.call_id else "")
        else:
            parts = [
                f"评审日期 {cn_date(session.held_on)}",
                SESSION_STATUS_LABELS.get(session.status, session.status),
                session.aggregation_label,
            ]
            if session.location:
                parts.append(session.location)
            if session.score_deadline:
                parts.append(f"评分截止 {cn_date(session.score_deadline)}")
            self.session_info.setText("，".join(parts))
        self._update_bars()

    # -- choosing --------------------------------------------------------------------------------
    def _call_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        self.call_id = self.call_box.itemData(index)
        self.session_id = None
        self.mark_stale()
        self._show_call_info()
        self._load_sessions()

    def _session_chosen(self, index: int) -> None:
        if self._filling or index < 0:
            return
        self.session_id = self.session_box.itemData(index)
        self._show_session_info()
        for tab in self.tab_list:
            if tab.needs_session:
                tab.stale = True
        self._refresh_current()

    def choose_call(self, call_id: int) -> None:
        index = self.call_box.findData(call_id)
        if index >= 0:
            self.call_box.setCurrentIndex(index)

    def choose_session(self, session_id: int) -> None:
        index = self.session_box.findData(session_id)
        if index >= 0:
            self.session_box.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        self._update_bars()
        super()._tab_changed(index)

    def _update_bars(self) -> None:
        call = self.current_call()
        self.edit_call_button.setEnabled(call is not None)
        tab = self.tabs.currentWidget() if hasattr(self, "tabs") else None
        self.session_bar.setVisible(isinstance(tab, ReviewTab) and tab.needs_session)
        self.new_session_button.setEnabled(call is not None)
        session = self.current_session()
        self.edit_session_button.setEnabled(session is not None and not self.session_closed())

    # -- the dialogs of the bars -------------------------------------------------------------------
    def new_call(self) -> None:
        years = [c.year for c in self.calls]
        year = max(years) + 1 if years and max(years) >= self.today.year else self.today.year
        self._open(CallDialog(self, self.ctx, year=year, on_done=self._call_created))

    def _call_created(self, call_id: int) -> None:
        self.call_id = call_id

    def edit_call(self) -> None:
        call = self.current_call()
        if call is not None:
            self._open(CallDialog(self, self.ctx, call=call, year=call.year))

    def new_session(self) -> None:
        call = self.current_call()
        if call is not None:
            self._open(
                SessionDialog(self, self.ctx, call=call, today=self.today, on_done=self._session_created)
            )

    def _session_created(self, session_id: int) -> None:
        self.session_id = session_id

    def edit_session(self) -> None:
        call, session = self.current_call(), self.current_session()
        if call is not None and session is not None:
            self._open(SessionDialog(self, self.ctx, call=call, session=session, today=self.today))
