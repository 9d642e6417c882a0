"""The 评审 page's document buttons (issue 13 item 10): each tab offers the documents of its step —
专家评分表 on 专家评分, 汇总表 and 排名表 on 汇总排名, 形式审查结果 and 退回补正通知 on 形式审查, the 公示
on 公示, the 认定通知 on 认定.

A button asks where to save (a suggested name), then writes through ``ui.ops`` on the write thread
(the document is recorded in the audit trail) and says in the tab's message line where it went;
a refusal — no results yet, characters the fonts lack — is shown there in the service's words
(:mod:`lzcenter_desktop.ui.document_save`, shared with the 年报 and 绩效评估 pages).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from lzcenter_desktop.services import documents_review as docs
from lzcenter_desktop.ui.common_document_actions import on_chosen
from lzcenter_desktop.ui.document_save import (
    DOCUMENT_KINDS,
    FILTERS,
    MadeDocument,
    document_button,
    save_document_as,
)
from lzcenter_desktop.ui.review.common import ReviewTab

__all__ = [
    "DOCUMENT_KINDS",
    "FILTERS",
    "formal_buttons",
    "notice_button",
    "recognition_button",
    "results_buttons",
    "save_document",
    "score_sheet_buttons",
]


def save_document(tab: ReviewTab, kind: str, label: str, make: Callable[[Path], MadeDocument]) -> None:
    """Ask where to save the document ``kind`` (suggesting ``<label>-<kind>``), then make it."""
    save_document_as(
        tab,
        what=docs.KINDS[kind],
        suggested=docs.file_name(kind, label),
        suffix=docs.SUFFIXES[kind],
        make=make,
    )


def _button(tab: ReviewTab, text: str, tip: str, name: str, action: Callable[[], None]) -> QPushButton:
    return document_button(tab, text, tip, name, action)


# --- 专家评分 --------------------------------------------------------------------------------------


def score_sheet_buttons(tab: Any) -> list[QPushButton]:
    """评分表 of the chosen expert, and of every expert of the session."""

    def one(all_experts: bool) -> None:
        session = tab.page.current_session()
        expert_id = None if all_experts else tab.expert_box.currentData()
        if session is None or (not all_experts and expert_id is None):
            return
        name = tab.expert_box.currentText().split("（", 1)[0]
        label = session.title if all_experts else f"{session.title}-{name}"
        ctx, sid = tab.ctx, session.id
        save_document(
            tab,
            "score_sheets",
            label,
            lambda p: docs.make_score_sheets(ctx, session_id=sid, path=p, expert_id=expert_id),
        )

    own_tip = "打印所选专家的评分表（每份申报书一页），供专家签字"
    return [
        _button(tab, "本专家评分表PDF…", own_tip, "scoreSheetPdf", lambda: one(False)),
        _button(
            tab, "全部评分表PDF…", "打印本评审会每位专家的评分表", "allScoreSheetsPdf", lambda: one(True)
        ),
    ]


# --- 汇总排名 --------------------------------------------------------------------------------------


def _title(shown: Any) -> str:
    return str(shown.title)


def results_buttons(tab: Any) -> list[QPushButton]:
    """评审会汇总表 (PDF) and 排名表 (Excel) of the session."""

    def session() -> Any:
        return tab.page.current_session()

    summary = on_chosen(
        tab,
        session,
        save_document,
        "session_summary",
        _title,
        lambda ctx, s, p: docs.make_session_summary(ctx, session_id=s.id, path=p),
    )
    ranking = on_chosen(
        tab,
        session,
        save_document,
        "ranking",
        _title,
        lambda ctx, s, p: docs.make_ranking_workbook(ctx, session_id=s.id, path=p),
    )
    summary_tip = "评审会汇总表：专家、各申报书的专家评分、现场考察得分、总分和结论"
    ranking_tip = "结束评审后的排名表（两位小数显示，另列精确值）"
    return [
        _button(tab, "汇总表PDF…", summary_tip, "summaryPdf", summary),
        _button(tab, "排名表Excel…", ranking_tip, "rankingXlsx", ranking),
    ]


# --- 形式审查 --------------------------------------------------------------------------------------


def formal_buttons(tab: Any) -> list[QPushButton]:
    """形式审查结果 of the call (PDF) and the 退回补正通知 of the selected declaration."""
    result = on_chosen(
        tab,
        lambda: tab.page.current_call(),
        save_document,
        "formal_result",
        lambda call: f"{call.year}年度",
        lambda ctx, call, p: docs.make_formal_result(ctx, call_id=call.id, path=p),
    )
    notice = on_chosen(
        tab,
        lambda: tab.selected(),
        save_document,
        "return_notice",
        lambda row: str(row.center_name),
        lambda ctx, row, p: docs.make_return_notices(ctx, declaration_id=row.declaration_id, path=p),
    )
    result_tip = "公布用的形式审查结果：中心名称、依托单位、结论、原因"
    notice_tip = "所选申报书的退回补正通知（告知申报单位需补正的内容）"
    return [
        _button(tab, "形式审查结果PDF…", result_tip, "formalResultPdf", result),
        _button(tab, "退回补正通知PDF…", notice_tip, "returnNoticePdf", notice),
    ]


# --- 公示 and 认定 ---------------------------------------------------------------------------------


def notice_button(tab: Any) -> QPushButton:
    """The 公示 (text and list) of the notice chosen on the tab."""
    make = on_chosen(
        tab,
        lambda: tab.current_notice(),
        save_document,
        "public_notice",
        _title,
        lambda ctx, shown, p: docs.make_public_notice(ctx, notice_id=shown.id, path=p),
    )
    return _button(tab, "公示PDF…", "公示文本和拟认定名单（含公示期、异议方式）", "noticePdf", make)


def recognition_button(tab: Any) -> QPushButton:
    """The 认定通知 of the centres recognised from the notice chosen on the tab."""
    make = on_chosen(
        tab,
        lambda: tab.current_notice(),
        save_document,
        "recognition_notice",
        _title,
        lambda ctx, shown, p: docs.make_recognition_notice(ctx, notice_id=shown.id, path=p),
    )
    return _button(
        tab, "认定通知PDF…", "认定文号、日期及认定的中心（称号、证书和牌匾编号）", "recognitionPdf", make
    )
