"""``lzcenter-desktop review-document KIND …`` — the review's documents from the database (issue 13
item 10), the same as the buttons of the 评审 page:

* ``score-sheets SESSION [--expert ID]`` — 专家评分表 to sign (PDF);
* ``summary SESSION`` — 评审会汇总表 (PDF);
* ``ranking SESSION`` — 排名表 of a closed session (xlsx);
* ``formal-result CALL [--doc-no 文号] [--date YYYY-MM-DD]`` — 形式审查结果 (PDF);
* ``return-notice (--declaration ID | --call ID)`` — 退回补正通知 (PDF);
* ``public-notice NOTICE [--contact TEXT]`` — 拟认定名单公示 (PDF);
* ``recognition-notice (--doc-no 文号 | --notice ID)`` — 认定通知 (PDF).

Each writes ``-o FILE`` and prints where; a refusal (no results yet, characters the fonts lack…)
is a ``ServiceError`` that ``cli.main`` prints as ``错误：…`` with exit code 2. Nothing here imports
Qt; the database is opened only when a command runs.
"""

from __future__ import annotations

import argparse

from lzcenter_desktop.cli.args import parse_date, record_id
from lzcenter_desktop.cli.document_cli import add_output as output
from lzcenter_desktop.cli.document_cli import document_command

_DOCS = "lzcenter_desktop.services.documents_review"


def add_review_document_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``review-document`` sub-command and its kinds."""
    doc = sub.add_parser(
        "review-document", help="生成评审文档：评分表、汇总表、排名表、形式审查结果、公示、认定通知"
    )
    kinds = doc.add_subparsers(dest="review_document_kind", metavar="KIND", required=True)

    p = kinds.add_parser("score-sheets", help="专家评分表（每位专家每份申报书一页，供签字）")
    p.add_argument("session", type=record_id("评审会"), metavar="SESSION", help="评审会编号")
    p.add_argument("--expert", type=record_id("专家"), metavar="ID", help="只生成该专家的评分表")
    output(p, ".pdf")
    p.set_defaults(func=cmd_score_sheets)

    p = kinds.add_parser("summary", help="评审会汇总表（未结束的评审会为预览）")
    p.add_argument("session", type=record_id("评审会"), metavar="SESSION", help="评审会编号")
    output(p, ".pdf")
    p.set_defaults(func=cmd_summary)

    p = kinds.add_parser("ranking", help="排名表 Excel（仅限已结束的评审会）")
    p.add_argument("session", type=record_id("评审会"), metavar="SESSION", help="评审会编号")
    output(p, ".xlsx")
    p.set_defaults(func=cmd_ranking)

    p = kinds.add_parser("formal-result", help="形式审查结果（中心名称、依托单位、结论、原因）")
    p.add_argument("call", type=record_id("年度申报通知"), metavar="CALL", help="年度申报通知编号")
    p.add_argument("--doc-no", default="", metavar="文号", help="文号，印在标题下")
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="落款日期（不填则不落款）")
    output(p, ".pdf")
    p.set_defaults(func=cmd_formal_result)

    p = kinds.add_parser("return-notice", help="退回补正通知（一份申报书，或一个年度全部待补正的申报书）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--declaration", type=record_id("申报书"), metavar="ID", help="申报书编号")
    which.add_argument("--call", type=record_id("年度申报通知"), metavar="ID", help="年度申报通知编号")
    p.add_argument("--doc-no", default="", metavar="文号", help="文号，印在标题下")
    output(p, ".pdf")
    p.set_defaults(func=cmd_return_notice)

    p = kinds.add_parser("public-notice", help="拟认定名单公示（公示文本、公示期、异议方式、名单）")
    p.add_argument("notice", type=record_id("公示"), metavar="NOTICE", help="公示编号")
    p.add_argument("--contact", default="", metavar="TEXT", help="联系人及电话（不填则留空供手写）")
    output(p, ".pdf")
    p.set_defaults(func=cmd_public_notice)

    p = kinds.add_parser("recognition-notice", help="认定通知（文号、日期、认定的中心及证书、牌匾编号）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--doc-no", metavar="文号", help="认定文号，如 柳科发〔2026〕12号")
    which.add_argument("--notice", type=record_id("公示"), metavar="ID", help="公示编号（其中心的认定文号）")
    output(p, ".pdf")
    p.set_defaults(func=cmd_recognition_notice)


cmd_score_sheets = document_command(
    _DOCS, "make_score_sheets", session_id="session", path="output", expert_id="expert"
)
cmd_summary = document_command(_DOCS, "make_session_summary", session_id="session", path="output")
cmd_ranking = document_command(_DOCS, "make_ranking_workbook", session_id="session", path="output")
cmd_formal_result = document_command(
    _DOCS, "make_formal_result", call_id="call", path="output", document_no="doc_no", signed_on="date"
)
cmd_return_notice = document_command(
    _DOCS,
    "make_return_notices",
    path="output",
    declaration_id="declaration",
    call_id="call",
    document_no="doc_no",
)
cmd_public_notice = document_command(
    _DOCS, "make_public_notice", notice_id="notice", path="output", contact="contact"
)
cmd_recognition_notice = document_command(
    _DOCS, "make_recognition_notice", path="output", document_no="doc_no", notice_id="notice"
)
