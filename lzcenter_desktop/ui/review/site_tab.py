"""现场考察: the score (0—100, exact, at most two decimals) of each inspection team for each
declaration of the session; a declaration inspected by several teams gets their mean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import formal, panels, scoring
from lzcenter_desktop.services.review.scoring import SiteScoreView
from lzcenter_desktop.ui.models.base import Column, RowTableModel
from lzcenter_desktop.ui.review.common import (
    FormDialog,
    ReviewTab,
    button,
    button_row,
    cn_date,
    date_field,
    note_label,
    selected_object,
    set_widths,
    table_view,
    typed_date,
)


@dataclass(frozen=True, slots=True)
class SiteRow:
    declaration_id: int
    center_name: str
    score: SiteScoreView | None  # None: not inspected yet


SITE_COLUMNS: tuple[Column[SiteRow], ...] = (
    Column("申报书", lambda r: f"{r.declaration_id} {r.center_name}"),
    Column("考察组", lambda r: r.score.team if r.score else "（未录入）"),
    Column("考察日期", lambda r: cn_date(r.score.inspected_on) if r.score else ""),
    Column("得分", lambda r: r.score.score_text if r.score else ""),
    Column("成员", lambda r: r.score.members if r.score else ""),
    Column("意见", lambda r: (r.score.comment or "") if r.score else ""),
)


@dataclass(frozen=True, slots=True)
class SiteData:
    rows: list[SiteRow]
    names: dict[int, str]


def read_site(ctx: AppContext, call_id: int, session_id: int) -> SiteData:
    names = {r.declaration_id: r.center_name for r in formal.formal_results(ctx, call_id=call_id)}
    decl_ids = sorted(
        {did for p in panels.list_panels(ctx, session_id=session_id) for did in p.declaration_ids}
    )
    scores = scoring.site_scores(ctx, session_id=session_id)
    rows: list[SiteRow] = []
    for did in decl_ids:
        mine: list[SiteScoreView | None] = [s for s in scores if s.declaration_id == did]
        rows.extend(SiteRow(did, names.get(did, ""), s) for s in (mine or [None]))
    return SiteData(rows, {did: names.get(did, "") for did in decl_ids})


class SiteTab(ReviewTab):
    title = "现场考察"
    needs_session = True

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.data: SiteData | None = None
        self.enter_button = button("录入现场考察得分(&A)…", self)
        self.edit_button = button("修改(&E)…", self, tip="修改所选考察组的得分")
        self.enter_button.clicked.connect(lambda: self.enter(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.model: RowTableModel[SiteRow] = RowTableModel(SITE_COLUMNS, parent=self)
        self.table = table_view(self.model, self, name="siteScores", stretch=0)
        set_widths(self.table, (0, 7, 6, 4, 12, 12))
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.summary = note_label("", self)
        self.summary.setObjectName("siteSummary")
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.enter_button, self.edit_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(note_label("总分 = 专家评审得分 × 50% + 现场考察得分 × 50%（第十条（三））。", self))
        layout.addWidget(self.message)
        self._update_buttons()

    def reader(self) -> Callable[[], SiteData] | None:
        call_id, session_id = self.page.call_id, self.page.session_id
        if call_id is None or session_id is None:
            return None
        ctx = self.ctx
        return lambda: read_site(ctx, call_id, session_id)

    def clear(self) -> None:
        self.data = None
        self.model.set_rows([])
        self.summary.setText("")
        self._update_buttons()

    def show_data(self, data: SiteData) -> None:
        self.data = data
        self.model.set_rows(data.rows)
        missing = sorted({r.declaration_id for r in data.rows if r.score is None})
        if not data.rows:
            self.summary.setText("本评审会还没有分组的申报书。")
        elif missing:
            self.summary.setText(
                f"还有 {len(missing)} 份申报书没有现场考察得分：" + "、".join(map(str, missing))
            )
        else:
            self.summary.setText("每份申报书都已录入现场考察得分。")
        self._update_buttons()

    def _update_buttons(self) -> None:
        open_session = self.page.session_id is not None and not self.page.session_closed()
        self.enter_button.setEnabled(open_session and bool(self.data and self.data.names))
        row = selected_object(self.table)
        self.edit_button.setEnabled(open_session and isinstance(row, SiteRow))

    def edit_selected(self) -> None:
        self.enter(selected_object(self.table))

    def enter(self, row: Any) -> None:
        session_id = self.page.session_id
        if session_id is None or self.data is None or self.page.session_closed():
            return
        chosen = row if isinstance(row, SiteRow) else None
        self.open_dialog(
            SiteScoreDialog(
                self,
                self.ctx,
                session_id=session_id,
                names=self.data.names,
                row=chosen,
                today=self.page.today,
            )
        )


class SiteScoreDialog(FormDialog):
    """One inspection team's score for one declaration (the same team again corrects it)."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        *,
        session_id: int,
        names: dict[int, str],
        row: SiteRow | None,
        today: dt.date,
    ) -> None:
        super().__init__(parent, "现场考察得分", "保存(&O)")
        self.ctx = ctx
        self.session_id = session_id
        score = row.score if row is not None else None
        self.declaration = QComboBox(self)
        self.declaration.setObjectName("declaration")
        for did, name in names.items():
            self.declaration.addItem(f"{did}  {name}", did)
        if row is not None:
            self.declaration.setCurrentIndex(max(0, self.declaration.findData(row.declaration_id)))
        self.team = QLineEdit(score.team if score else "第一考察组", self)
        self.team.setObjectName("team")
        self.members = QLineEdit(score.members if score else "", self)
        self.members.setObjectName("members")
        self.members.setPlaceholderText("考察组成员，如 张三、李四、王五")
        self.on = date_field(score.inspected_on if score else today, "考察日期")
        self.score = QLineEdit(score.score_text if score else "", self)
        self.score.setObjectName("score")
        self.score.setPlaceholderText("0—100，最多两位小数")
        self.comment = QPlainTextEdit((score.comment or "") if score else "", self)
        self.comment.setObjectName("comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(self.fontMetrics().height() * 4)
        for text, widget in (
            ("申报书(&B)：", self.declaration),
            ("考察组(&T)：", self.team),
            ("成员(&M)：", self.members),
            ("考察日期(&D)：", self.on),
            ("得分(&S)：", self.score),
            ("考察意见(&C)：", self.comment),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.resize(560, self.sizeHint().height())
        self.score.setFocus()

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, "考察日期")
        assert on is not None
        ctx, sid, did = self.ctx, self.session_id, self.declaration.currentData()
        team, members, score = self.team.text(), self.members.text(), self.score.text().strip()
        comment = self.comment.toPlainText().strip() or None
        return lambda: scoring.enter_site_score(
            ctx,
            session_id=sid,
            declaration_id=did,
            team=team,
            score=score,
            inspected_on=on,
            members=members,
            comment=comment,
        )
