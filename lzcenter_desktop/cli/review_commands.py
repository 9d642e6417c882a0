"""Command line of the offline review package (评审包, issue 13 item 6).

* ``lzcenter-desktop review [FILE]`` — open a ``.lzreview`` package in 评审模式 (no database);
* ``lzcenter-desktop review-export SESSION -o FILE [--expert ID]`` — one package for the session
  or for one expert; ``--per-expert -o FOLDER`` — one package per expert;
* ``lzcenter-desktop review-import FILE… [--session ID] [--override-reason TEXT]`` — import the
  experts' return files (exit 0 all imported, 1 some refused, 2 none).

:func:`add_review_parsers` adds them to the main parser (``cli.build_parser``). Nothing here
imports Qt or opens a database at module level; errors are ``ServiceError`` (printed by
``cli.main`` as ``错误：…`` with exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lzcenter_desktop.cli.args import record_id

EXIT_OK = 0
EXIT_SOME_REFUSED = 1
EXIT_NONE_IMPORTED = 2


def add_review_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``review``, ``review-export`` and ``review-import`` sub-commands."""
    p = sub.add_parser(
        "review", help="评审模式：打开离线评审包（.lzreview），录入评分并保存回执（不使用数据库）"
    )
    p.add_argument("file", type=Path, nargs="?", metavar="FILE", help="评审包文件（不写则弹出选择框）")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("review-export", help="导出离线评审包（整场评审会、单个专家，或每位专家各一个）")
    p.add_argument("session", type=record_id("评审会"), metavar="SESSION", help="评审会编号")
    p.add_argument("--expert", type=record_id("专家"), metavar="ID", help="只导出该专家的评审包")
    p.add_argument("--per-expert", action="store_true", help="每位专家各导出一个评审包（-o 为文件夹）")
    p.add_argument(
        "-o", "--output", type=Path, required=True, help="输出的 .lzreview 文件（--per-expert 时为文件夹）"
    )
    p.set_defaults(func=cmd_review_export)

    p = sub.add_parser("review-import", help="导入专家保存的评分回执（…-回执.lzreview）")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="回执文件（可写多个）")
    p.add_argument(
        "--session",
        type=record_id("评审会"),
        metavar="ID",
        help="导入到该评审会（其他评审会的回执将被拒绝）",
    )
    p.add_argument(
        "--override-reason",
        metavar="理由",
        help="逾期回执的导入理由（管理员填写，记入导入记录；不填则拒绝逾期回执）",
    )
    p.set_defaults(func=cmd_review_import)


def cmd_review(args: argparse.Namespace) -> int:
    from lzcenter_desktop.ui.review_mode import run_review_mode

    return run_review_mode(args.file)


def cmd_review_export(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.errors import ServiceError
    from lzcenter_desktop.services.review import package

    if args.per_expert and args.expert is not None:
        raise ServiceError("--per-expert 与 --expert 不能同时使用", field="参数")
    ctx = context.open_app(args.db, operator=args.operator)
    if args.per_expert:
        views = package.export_expert_packages(ctx, session_id=args.session, folder=args.output)
    else:
        views = [
            package.export_package(ctx, session_id=args.session, expert_id=args.expert, path=args.output)
        ]
    for view in views:
        print(view.text())
    if views and views[0].key_created:
        print("（已为该评审会生成签名密钥，并记入审计日志）")
    return EXIT_OK


def cmd_review_import(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.review.package_import import ReturnRefused, import_return

    ctx = context.open_app(args.db, operator=args.operator)
    refused = 0
    for path in args.files:
        try:
            view = import_return(
                ctx, path=path, session_id=args.session, override_reason=args.override_reason
            )
        except ReturnRefused as exc:
            refused += 1
            print(f"未导入：{exc}", file=sys.stderr)
            if exc.late_only:
                print("（如确需导入逾期回执，请加 --override-reason 理由）", file=sys.stderr)
            continue
        print(view.text())
    if refused == 0:
        return EXIT_OK
    return EXIT_NONE_IMPORTED if refused == len(args.files) else EXIT_SOME_REFUSED
