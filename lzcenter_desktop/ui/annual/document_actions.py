"""The 年报 page's document buttons (issue 14 item 7): the 年报汇总表 of the page's year as of the
page's day — every centre obliged to report, where its 工作年报 stands on that day, its key figures
and the 现场核查 result — as a PDF or an Excel workbook
(``services.documents_evaluation.make_annual_summary``; refused for a year nobody reports).

The buttons sit below the tabs (the summary covers both 报送情况 and 现场核查); the visible tab's
message line says where the file went or, in the service's words, why it was refused. Saving goes
through :mod:`lzcenter_desktop.ui.document_save` (the 评审 page's way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from lzcenter_desktop.services import documents_evaluation as docs
from lzcenter_desktop.services.documents_evaluation_base import file_name
from lzcenter_desktop.ui.document_save import document_button, save_document_as

if TYPE_CHECKING:
    from lzcenter_desktop.ui.annual.page import AnnualPage


def summary_buttons(page: AnnualPage) -> tuple[QPushButton, QPushButton]:
    """年报汇总表 PDF and Excel of the page's year, as of the page's day."""

    def make(kind: str) -> None:
        ctx, year, as_of = page.ctx, page.year, page.today
        save_document_as(
            page.current_tab(),
            what=docs.KINDS[kind],
            suggested=file_name(kind, f"{year}年度"),
            suffix=docs.SUFFIXES[kind],
            make=lambda p: docs.make_annual_summary(ctx, year=year, as_of=as_of, path=p),
        )

    pdf = document_button(
        page,
        "年报汇总表PDF(&P)…",
        "本年度应报送年报的中心、报送情况（按页面日期计）、主要指标和现场核查结果",
        "annualSummaryPdf",
        lambda: make("annual_summary"),
    )
    xlsx = document_button(
        page,
        "年报汇总表Excel(&K)…",
        "年报汇总表的 Excel 工作簿（与 PDF 同样的各行）",
        "annualSummaryXlsx",
        lambda: make("annual_workbook"),
    )
    return pdf, xlsx
