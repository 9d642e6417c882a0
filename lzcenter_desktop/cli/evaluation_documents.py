"""``lzcenter-desktop evaluation-document KIND …`` — the documents of 第五章 from the database
(issue 14 item 7):

* ``annual-summary YEAR [--as-of YYYY-MM-DD]`` — 年报汇总表 (PDF, or xlsx for ``-o FILE.xlsx``);
* ``result-list ROUND [--doc-no 文号] [--date YYYY-MM-DD]`` — 绩效评估结果名单 (PDF, or xlsx);
* ``rectification-notice (--evaluation ID | --center ID) [--doc-no 文号]`` — 整改通知 (PDF);
* ``acceptance-result (--rectification ID | --center ID) [--doc-no 文号]`` — 整改验收结果 (PDF);
* ``revocation-notice CENTER [--doc-no 文号]`` — 撤销称号通知 (PDF).

Each writes ``-o FILE`` and prints where; a refusal (the record does not support the document,
characters the fonts lack…) is a ``ServiceError`` that ``cli.main`` prints as ``错误：…`` with exit
code 2. Nothing here imports Qt; the database is opened only when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt

from lzcenter_desktop.cli.args import parse_date, record_id
from lzcenter_desktop.cli.document_cli import add_output as output
from lzcenter_desktop.cli.document_cli import document_command, done, open_context

_DOCS = "lzcenter_desktop.services.documents_evaluation"


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"年度“{text}”无效，应为四位数年份，例如 2025")
    return int(text)


def add_evaluation_document_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``evaluation-document`` sub-command and its kinds."""
    doc = sub.add_parser(
        "evaluation-document",
        help="生成年报与绩效评估文档：年报汇总表、评估结果名单、整改通知、验收结果、撤销通知",
    )
    kinds = doc.add_subparsers(dest="evaluation_document_kind", metavar="KIND", required=True)

    def doc_no(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--doc-no", default="", metavar="文号", help="文号，印在标题下（不填则用记录中的文号）"
        )

    p = kinds.add_parser("annual-summary", help="年报汇总表（应报中心、报送情况、主要数据、现场核查）")
    p.add_argument("year", type=_year, metavar="YEAR", help="年报年度，如 2025")
    p.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help="统计日期（默认今天）")
    output(p, ".pdf|.xlsx")
    p.set_defaults(func=cmd_annual_summary)

    p = kinds.add_parser("result-list", help="绩效评估结果名单（按等级排列；仅在全部评定等级后）")
    p.add_argument("round", type=record_id("绩效评估"), metavar="ROUND", help="绩效评估编号")
    doc_no(p)
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="落款日期（默认评估结束日期）")
    output(p, ".pdf|.xlsx")
    p.set_defaults(func=cmd_result_list)

    p = kinds.add_parser("rectification-notice", help="整改通知（评估结果为整改的中心，一年整改期限）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--evaluation", type=record_id("评估记录"), metavar="ID", help="评估记录编号")
    which.add_argument("--center", type=record_id("中心"), metavar="ID", help="中心编号（取其最近一次评估）")
    doc_no(p)
    output(p, ".pdf")
    p.set_defaults(func=cmd_rectification_notice)

    p = kinds.add_parser("acceptance-result", help="整改验收结果（通过：继续保留称号；未通过：取消称号）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--rectification", type=record_id("整改记录"), metavar="ID", help="整改记录编号")
    which.add_argument("--center", type=record_id("中心"), metavar="ID", help="中心编号（取其最近一次整改）")
    doc_no(p)
    output(p, ".pdf")
    p.set_defaults(func=cmd_acceptance_result)

    p = kinds.add_parser(
        "revocation-notice", help="撤销称号通知（已撤销的中心：原因、依据、日期、可重新申请日期）"
    )
    p.add_argument("center", type=record_id("中心"), metavar="CENTER", help="中心编号")
    doc_no(p)
    output(p, ".pdf")
    p.set_defaults(func=cmd_revocation_notice)


def cmd_annual_summary(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents_evaluation as docs

    as_of = args.as_of or dt.date.today()
    return done(docs.make_annual_summary(open_context(args), year=args.year, as_of=as_of, path=args.output))


cmd_result_list = document_command(
    _DOCS, "make_result_list", round_id="round", path="output", document_no="doc_no", published_on="date"
)
cmd_rectification_notice = document_command(
    _DOCS,
    "make_rectification_notice",
    path="output",
    evaluation_id="evaluation",
    center_id="center",
    document_no="doc_no",
)
cmd_acceptance_result = document_command(
    _DOCS,
    "make_acceptance_result",
    path="output",
    rectification_id="rectification",
    center_id="center",
    document_no="doc_no",
)
cmd_revocation_notice = document_command(
    _DOCS, "make_revocation_notice", center_id="center", path="output", document_no="doc_no"
)
