"""The self-test's review documents (issue 13 item 10): one of each kind made from the demo database
and checked — a PDF opens in the application's viewer, has pages and says what the record says; the
ranking workbook opens again with the record's totals.

The demo has no 形式审查 decision: the self-test returns one submitted declaration for correction on
its throw-away database first (through the service, as the clerk would).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: (title, the document kinds it makes — keys of ``selftest_support.document_kinds()`` —, action)
Step = tuple[str, tuple[str, ...], Callable[[], str]]


def check_pdf(path: Path, *expected: str) -> str:
    """``path`` opens in the application's viewer, has pages, says ``expected`` and embeds every
    font it uses; a line for the self-test, or :class:`ValueError` (Chinese) saying what is wrong."""
    from lzcenter_desktop.services.selftest_support import pdf_fonts
    from lzcenter_desktop.ui.pdf_text import pdf_pages_text, squashed

    pages = pdf_pages_text(path)
    if not pages:
        raise ValueError(f"“{path.name}”没有任何页面")
    text = squashed("".join(pages))
    missing = [e for e in expected if squashed(e) not in text]
    if missing:
        raise ValueError(f"“{path.name}”中找不到：{'、'.join(missing)}")
    fonts = pdf_fonts(path)
    if not fonts.fonts:
        raise ValueError(f"“{path.name}”没有使用任何字体")
    if fonts.not_embedded:
        raise ValueError(f"“{path.name}”未嵌入字体：{'、'.join(fonts.not_embedded)}")
    return f"{path.name}，{len(pages)} 页，{len(fonts.fonts)} 种字体均已嵌入"


def review_document_steps(ctx: Any, folder: Path) -> list[Step]:
    """The steps (title, action) that make and check each review document on the demo database."""
    from lzcenter_desktop.services import documents_review as docs
    from lzcenter_desktop.services.review import calls, formal, notice, panels, results

    state: dict[str, Any] = {}

    def session_with_results() -> tuple[Any, list[Any]]:
        if "session" not in state:
            closed = [s for s in panels.list_sessions(ctx) if s.status in ("closed", "finished")]
            for s in reversed(closed):
                rows = results.session_results(ctx, session_id=s.id)
                if rows:
                    state["session"] = (s, rows)
                    break
            else:
                raise ValueError("演示数据中没有已结束并有结果的评审会")
        found: tuple[Any, list[Any]] = state["session"]
        return found

    def score_sheets() -> str:
        session, _rows = session_with_results()
        made = docs.make_score_sheets(ctx, session_id=session.id, path=folder / "评分表.pdf")
        return check_pdf(made.path, "认定评审评分表", "评审专家（签字）") + f"，{made.count} 张评分表"

    def summary() -> str:
        session, rows = session_with_results()
        made = docs.make_session_summary(ctx, session_id=session.id, path=folder / "汇总表.pdf")
        return check_pdf(made.path, "汇总表", rows[0].shown_total, rows[0].aggregation_label)

    def ranking() -> str:
        from openpyxl import load_workbook

        session, rows = session_with_results()
        made = docs.make_ranking_workbook(ctx, session_id=session.id, path=folder / "排名表.xlsx")
        sheet = load_workbook(made.path, read_only=True)["排名"]
        values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        if rows[0].total_text not in values:
            raise ValueError(f"排名表中找不到总分精确值 {rows[0].total_text}")
        return f"{made.path.name}，{len(rows)} 行"

    def formal_documents() -> str:
        call = max(calls.list_calls(ctx), key=lambda c: c.year)
        pending = [r for r in formal.formal_queue(ctx, call_id=call.id) if r.pending]
        if not pending:
            raise ValueError(f"{call.year}年度没有待形式审查的申报书")
        formal.decide_formal(
            ctx, declaration_id=pending[0].declaration_id, decision="returned",
            on=dt.date.today(), reasons=["补充依托单位营业执照复印件"],
        )  # fmt: skip
        result = docs.make_formal_result(ctx, call_id=call.id, path=folder / "形式审查结果.pdf")
        back = docs.make_return_notices(
            ctx, declaration_id=pending[0].declaration_id, path=folder / "退回补正通知.pdf"
        )
        reason = "补充依托单位营业执照复印件"
        return f"{check_pdf(result.path, '退回补正', reason)}；{check_pdf(back.path, reason)}"

    def public_notice() -> str:
        shown = notice.list_notices(ctx)
        if not shown:
            raise ValueError("演示数据中没有公示")
        made = docs.make_public_notice(ctx, notice_id=shown[0].id, path=folder / "公示.pdf")
        return check_pdf(made.path, shown[0].title, "书面", "公示期")

    def recognition_notice() -> str:
        done = [n for n in notice.list_notices(ctx) if n.status == "closed"]
        if not done:
            raise ValueError("演示数据中没有已结束的公示")
        made = docs.make_recognition_notice(ctx, notice_id=done[0].id, path=folder / "认定通知.pdf")
        return check_pdf(made.path, "关于认定", "LZETRC-")

    return [
        ("生成专家评分表 PDF", ("review:score_sheets",), score_sheets),
        ("生成评审会汇总表 PDF", ("review:session_summary",), summary),
        ("生成排名表 Excel 并重新打开", ("review:ranking",), ranking),
        (
            "生成形式审查结果和退回补正通知 PDF",
            ("review:formal_result", "review:return_notice"),
            formal_documents,
        ),
        ("生成拟认定名单公示 PDF", ("review:public_notice",), public_notice),
        ("生成认定通知 PDF", ("review:recognition_notice",), recognition_notice),
    ]
