"""The self-test's documents of 第五章 (issue 14 item 7): one of each kind made from the demo database
and reopened — a PDF opens in the application's viewer, has pages and says what the record says;
the workbooks open again with their rows.

When the demo has no checked rectification, the self-test records one acceptance (passed) on its
throw-away database first, through the services as the clerk would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from lzcenter_desktop.cli.selftest_review import Step, check_pdf


def evaluation_document_steps(ctx: Any, folder: Path) -> list[Step]:
    """The steps (title, action) that make and reopen each document of 第五章 on the demo database."""
    from lzcenter_desktop.services import documents_evaluation as docs

    def subjects() -> Any:
        return docs.document_subjects(ctx)

    def need(value: Any, what: str) -> Any:
        if value is None:
            raise ValueError(f"演示数据中没有{what}")
        return value

    def annual_summary() -> str:
        from openpyxl import load_workbook

        year = need(subjects().report_year, "工作年报")
        as_of = dt.date(year + 1, 3, 1)
        pdf = docs.make_annual_summary(ctx, year=year, as_of=as_of, path=folder / "年报汇总表.pdf")
        book = docs.make_annual_summary(ctx, year=year, as_of=as_of, path=folder / "年报汇总表.xlsx")
        sheet = load_workbook(book.path, read_only=True)["年报汇总"]
        rows = [r for r in sheet.iter_rows(values_only=True) if r and str(r[0] or "").isdigit()]
        if len(rows) != pdf.count:
            raise ValueError(f"年报汇总表 Excel 有 {len(rows)} 行，PDF 有 {pdf.count} 家")
        checked = check_pdf(pdf.path, f"{year}年度柳州市工程技术研究中心工作年报汇总表", str(rows[0][1]))
        return f"{checked}，{pdf.count} 家"

    def result_list() -> str:
        from openpyxl import load_workbook

        round_id = need(subjects().graded_round_id, "已评定等级的绩效评估")
        pdf = docs.make_result_list(ctx, round_id=round_id, path=folder / "评估结果名单.pdf")
        book = docs.make_result_list(ctx, round_id=round_id, path=folder / "评估结果名单.xlsx")
        sheet = load_workbook(book.path, read_only=True)["评估结果"]
        first = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == 1)
        return check_pdf(pdf.path, "结果名单", str(first[1]), str(first[3])) + f"，{pdf.count} 家"

    def rectification_notice() -> str:
        evaluation_id = need(subjects().rectify_evaluation_id, "评估结果为整改的中心")
        made = docs.make_rectification_notice(ctx, evaluation_id=evaluation_id, path=folder / "整改通知.pdf")
        return check_pdf(made.path, "限期整改的通知", "第二十四条（三）", "整改验收申请")

    def acceptance_result() -> str:
        found = subjects()
        rect_id = found.checked_rectification_id
        if rect_id is None:
            from lzcenter_desktop.services.evaluation import rectification

            rect_id = need(found.pending_rectification_id, "整改记录")
            view = rectification.get_rectification(ctx, rect_id)
            rectification.request_acceptance(ctx, rectification_id=rect_id, applied_on=view.deadline)
            rectification.record_acceptance(
                ctx, rectification_id=rect_id, checked_on=view.deadline, passed=True, note="自检：整改合格"
            )
        made = docs.make_acceptance_result(ctx, rectification_id=rect_id, path=folder / "整改验收结果.pdf")
        return check_pdf(made.path, "整改验收结果的通知", "验收日期")

    def revocation_notice() -> str:
        center_id = need(subjects().revoked_center_id, "已撤销的中心")
        made = docs.make_revocation_notice(ctx, center_id=center_id, path=folder / "撤销通知.pdf")
        return check_pdf(made.path, "关于撤销", "第二十五条", "可以重新申请认定")

    return [
        (
            "生成年报汇总表 PDF 和 Excel 并重新打开",
            ("evaluation:annual_summary", "evaluation:annual_workbook"),
            annual_summary,
        ),
        (
            "生成绩效评估结果名单 PDF 和 Excel 并重新打开",
            ("evaluation:result_list", "evaluation:result_workbook"),
            result_list,
        ),
        ("生成整改通知 PDF", ("evaluation:rectification_notice",), rectification_notice),
        ("生成整改验收结果 PDF", ("evaluation:acceptance_result",), acceptance_result),
        ("生成撤销称号通知 PDF", ("evaluation:revocation_notice",), revocation_notice),
    ]
