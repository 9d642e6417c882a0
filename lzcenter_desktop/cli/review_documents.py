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
from pathlib import Path
from typing import TYPE_CHECKING

from lzcenter_desktop.cli.args import EXIT_OK, parse_date, record_id

if TYPE_CHECKING:
    from lzcenter_desktop.services.context import AppContext
    from lzcenter_desktop.services.documents_review import ReviewDocument


def add_review_document_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``review-document`` sub-command and its kinds."""
    doc = sub.add_parser(
        "review-document", help="生成评审文档：评分表、汇总表、排名表、形式审查结果、公示、认定通知"
    )
    kinds = doc.add_subparsers(dest="review_document_kind", metavar="KIND", required=True)

    def output(p: argparse.ArgumentParser, suffix: str) -> None:
        p.add_argument(
            "-o", "--output", type=Path, required=True, metavar=f"FILE{suffix}", help=f"输出的 {suffix} 文件"
        )

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


def _ctx(args: argparse.Namespace) -> AppContext:
    from lzcenter_desktop.services import context

    return context.open_app(args.db, operator=args.operator)


def _done(made: ReviewDocument) -> int:
    print(made.text())
    return EXIT_OK


def cmd_score_sheets(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    return _done(
        docs.make_score_sheets(_ctx(args), session_id=args.session, path=args.output, expert_id=args.expert)
    )


def cmd_summary(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    return _done(docs.make_session_summary(_ctx(args), session_id=args.session, path=args.output))


def cmd_ranking(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    return _done(docs.make_ranking_workbook(_ctx(args), session_id=args.session, path=args.output))


def cmd_formal_result(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    made = docs.make_formal_result(
        _ctx(args), call_id=args.call, path=args.output, document_no=args.doc_no, signed_on=args.date
    )
    return _done(made)


def cmd_return_notice(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    made = docs.make_return_notices(
        _ctx(args),
        path=args.output,
        declaration_id=args.declaration,
        call_id=args.call,
        document_no=args.doc_no,
    )
    return _done(made)


def cmd_public_notice(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    return _done(
        docs.make_public_notice(_ctx(args), notice_id=args.notice, path=args.output, contact=args.contact)
    )


def cmd_recognition_notice(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_review as docs

    made = docs.make_recognition_notice(
        _ctx(args), path=args.output, document_no=args.doc_no, notice_id=args.notice
    )
    return _done(made)
