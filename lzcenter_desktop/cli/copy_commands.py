"""``lzcenter-desktop copy-database SRC DST``: copy a whole database into an empty one — how a
bureau moves from its SQLite file to PostgreSQL (:mod:`lzcenter_desktop.services.copy_database`).

Prints the rows of every table in the source (源) and the target (目标), the audit chain's result
and its anchor; progress per table goes to stderr. Exit 0 copied and verified; 1 refused or a
check failed (nothing committed on the target); 2 the arguments cannot be used.
"""

from __future__ import annotations

import argparse
import sys

from lzcenter_desktop.cli.args import EXIT_OK


def add_copy_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "copy-database",
        help="把整个数据库复制到一个空数据库（如从 SQLite 文件迁移到 PostgreSQL），核对行数和审计链"
        "（退出码 0 已复制并核对无误，1 被拒绝或核对未通过、未写入，2 输入有误）",
    )
    p.add_argument("source", metavar="SRC", help="源数据库：SQLite 文件路径或 SQLAlchemy URL（只读打开）")
    p.add_argument(
        "target",
        metavar="DST",
        help="目标数据库（必须是空的）：如 postgresql+psycopg://用户@服务器/数据库，或新的 SQLite 文件路径",
    )
    p.add_argument("--batch", type=int, default=1000, metavar="N", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_copy_database)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_copy_database(args: argparse.Namespace) -> int:
    from lzcenter_desktop import paths
    from lzcenter_desktop.services.copy_database import CopyError, copy_database

    operator = args.operator or paths.operator_name()
    try:
        report = copy_database(
            args.source, args.target, operator=operator, progress=_progress, batch=args.batch
        )
    except CopyError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return int(exc.exit_code)
    print(f"已把数据库“{report.source}”复制到“{report.target}”。")
    width = max(len(t.table) for t in report.tables)
    for t in report.tables:
        print(f"  {t.table.ljust(width)}  源 {t.source:>8}  目标 {t.target:>8}")
    print(f"合计 {report.rows} 行，每张表的行数源与目标一致。")
    chain = report.chain
    print(f"审计日志完整：目标数据库共 {chain.entries} 条记录（含本次复制的 1 条），哈希链核对无误。")
    if report.source_anchor is not None:
        print(f"源数据库的{report.source_anchor.text()}（目标数据库中同样存在）")
    if chain.anchor is not None:
        print(f"目标数据库的{chain.anchor.text()}")
    for line in report.key_lines:
        print(line)
    return EXIT_OK
