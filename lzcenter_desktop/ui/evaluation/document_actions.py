"""The 绩效评估 page's document buttons (issue 14 item 7, ``services/documents_evaluation*.py``):

* on 评估结果 — the round's 评估结果名单: the PDF to publish (centre, host, grade, ordered by grade
  then score) and the Excel workbook with the scores and the outcome; the service refuses it while
  a centre that took part has no grade (its message names them);
* on 处理结果 — the letters to the selected centre's host: 整改通知 (graded 整改, its rectification
  recorded), 整改验收结果通知 (the acceptance check recorded) and 撤销通知 (the title revoked through
  this evaluation or its failed acceptance). Each is enabled as the record allows
  (:func:`update_letter_buttons`); the service checks again and its Chinese refusal is shown on the
  tab's message line.

Saving goes through :mod:`lzcenter_desktop.ui.document_save` (the 评审 page's way: the save dialog,
``ui.ops`` write thread, audit, the path or the refusal on the message line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from lzcenter_desktop.domain.evaluation import Grade, Outcome
from lzcenter_desktop.services import documents_evaluation as docs
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_evaluation_base import file_name
from lzcenter_desktop.ui.common_document_actions import on_chosen
from lzcenter_desktop.ui.document_save import MadeDocument, document_button, save_document_as

PENDING = "pending"
NOT_ACCEPTED = "not_accepted"


def _save(tab: Any, kind: str, label: str, make: Callable[[Path], MadeDocument]) -> None:
    save_document_as(
        tab, what=docs.KINDS[kind], suggested=file_name(kind, label), suffix=docs.SUFFIXES[kind], make=make
    )


# --- 评估结果 ---------------------------------------------------------------------------------------


def result_list_buttons(tab: Any) -> tuple[QPushButton, QPushButton]:
    """评估结果名单 of the page's round: PDF (to publish) and Excel (with the scores)."""

    def make(kind: str) -> None:
        data = tab.data
        if data is None:
            return
        ctx, rnd = tab.ctx, data.round
        rid = rnd.round_id
        _save(tab, kind, rnd.title, lambda p: docs.make_result_list(ctx, round_id=rid, path=p))

    pdf = document_button(
        tab,
        "结果名单PDF(&P)…",
        "向社会公布的评估结果名单：中心名称、依托单位、评估结果，按等次和总分排列（第二十二条）",
        "resultListPdf",
        lambda: make("result_list"),
    )
    xlsx = document_button(
        tab,
        "结果名单Excel(&L)…",
        "评估结果名单 Excel：另列自评分、专家评分、总分、第九条复核和处理结果",
        "resultListXlsx",
        lambda: make("result_workbook"),
    )
    return pdf, xlsx


def update_result_list_buttons(tab: Any) -> None:
    """Enabled once the round lists a centre (the service refuses until each participant is graded)."""
    has = tab.data is not None and bool(tab.data.rows)
    tab.result_pdf_button.setEnabled(has)
    tab.result_xlsx_button.setEnabled(has)


# --- 处理结果 ---------------------------------------------------------------------------------------


def rectification_notice_allowed(c: Any) -> bool:
    """Graded 整改 with its rectification recorded (the consequence applied)."""
    return c is not None and c.grade == Grade.RECTIFY.value and c.rectification is not None


def acceptance_result_allowed(c: Any) -> bool:
    """The acceptance check of the centre's rectification is recorded."""
    r = c.rectification if c is not None else None
    return r is not None and r.outcome != PENDING


def revocation_notice_allowed(c: Any) -> bool:
    """The title was revoked through this evaluation (applied) or its failed acceptance check."""
    if c is None:
        return False
    r = c.rectification
    return (c.outcome == Outcome.REVOKE.value and c.applied_on is not None) or (
        r is not None and r.outcome == NOT_ACCEPTED
    )


def letter_buttons(tab: Any) -> tuple[QPushButton, QPushButton, QPushButton]:
    """整改通知, 整改验收结果通知 and 撤销通知 of the selected centre."""

    def chosen() -> Any:
        return tab.selected()

    def name(c: Any) -> str:
        return str(c.center_name)

    def acceptance(ctx: AppContext, c: Any, p: Path) -> MadeDocument:
        r = c.rectification
        rid = r.rectification_id if r is not None else None
        return docs.make_acceptance_result(
            ctx, path=p, rectification_id=rid, center_id=c.center_id if rid is None else None
        )

    rectification_notice = on_chosen(
        tab,
        chosen,
        _save,
        "rectification_notice",
        name,
        lambda ctx, c, p: docs.make_rectification_notice(ctx, evaluation_id=c.evaluation_id, path=p),
    )
    acceptance_result = on_chosen(tab, chosen, _save, "acceptance_result", name, acceptance)
    revocation_notice = on_chosen(
        tab,
        chosen,
        _save,
        "revocation_notice",
        name,
        lambda ctx, c, p: docs.make_revocation_notice(ctx, center_id=c.center_id, path=p),
    )

    return (
        document_button(
            tab,
            "整改通知PDF(&Z)…",
            "致依托单位的限期整改通知：评估结果、一年整改期限、整改验收程序（第二十四条（三））",
            "rectificationNoticePdf",
            rectification_notice,
        ),
        document_button(
            tab,
            "验收结果通知PDF(&K)…",
            "整改验收结果通知：通过继续保留称号，未通过取消称号并写明可重新申请的日期",
            "acceptanceResultPdf",
            acceptance_result,
        ),
        document_button(
            tab,
            "撤销通知PDF(&C)…",
            "撤销称号的通知：原因及条款、撤销日期、可重新申请认定的日期（第二十五条）",
            "revocationNoticePdf",
            revocation_notice,
        ),
    )


def update_letter_buttons(tab: Any) -> None:
    """Each letter enabled as the selected centre's record allows."""
    c = tab.selected()
    tab.rectification_pdf_button.setEnabled(rectification_notice_allowed(c))
    tab.acceptance_pdf_button.setEnabled(acceptance_result_allowed(c))
    tab.revocation_pdf_button.setEnabled(revocation_notice_allowed(c))
