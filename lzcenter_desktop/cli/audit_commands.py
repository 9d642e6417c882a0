"""Command line of the audit trail (审计日志): ``lzcenter-desktop audit verify [--db DB] [--anchor HASH]``.

Exit 0 when every entry is as written (the newest entry's hash, the anchor, is printed);
1 naming the first entry edited, inserted or deleted outside the program — or an ``--anchor``
noted earlier (on a backup report or in the about box) that is no longer in the trail; 2 for a
malformed anchor. An older database is brought to the current schema first, as by every command
(its existing entries are chained by the migration).
"""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_BROKEN = 1


def add_audit_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``audit`` command and its ``verify`` action."""
    top = sub.add_parser("audit", help="审计日志：核对哈希链，查出在程序之外被修改、插入或删除的记录")
    actions = top.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    p = actions.add_parser(
        "verify",
        help="核对审计日志的哈希链（退出码 0 完整，1 有记录被修改、插入或删除，2 输入有误）",
    )
    p.add_argument(
        "--db",
        metavar="DB",
        default=argparse.SUPPRESS,
        help="数据库：SQLite 文件路径或 SQLAlchemy URL（也可写在 audit 之前）",
    )
    p.add_argument(
        "--anchor",
        metavar="HASH",
        help="以前记下的锚点哈希（备份报告或“关于”窗口中），核对它仍在审计日志中",
    )
    p.set_defaults(func=cmd_audit_verify)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.audit_chain import verify_chain

    ctx = context.open_app(args.db, operator=args.operator)
    try:
        result = verify_chain(ctx, anchor=args.anchor)
    finally:
        ctx.db.dispose()
    if not result.ok:
        print("审计日志核对未通过：")
        for line in result.messages():
            print(f"  {line}")
        print("请从此前的备份恢复数据库，并查明是谁在程序之外改动了数据库文件。")
        return EXIT_BROKEN
    print(f"审计日志完整：共 {result.entries} 条记录，哈希链核对无误。")
    if args.anchor is not None:
        print("锚点哈希仍在审计日志中。")
    if result.anchor is not None:
        print(result.anchor.text())
    return EXIT_OK
