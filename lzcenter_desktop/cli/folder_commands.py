"""``lzcenter-desktop attachments-folder [PATH]``: show or name the attachments folder of the
database (required for a shared database on a server; see services/attachment_folder.py)."""

from __future__ import annotations

import argparse


def add_folder_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "attachments-folder",
        help="查看或指定附件文件夹（服务器上的共享数据库必须指定一个各台电脑都能访问的共享文件夹）",
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="共享文件夹路径；不写则显示当前的附件文件夹")
    p.set_defaults(func=cmd_attachments_folder)


def cmd_attachments_folder(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import attachment_folder, context
    from lzcenter_desktop.services.errors import ServiceError

    ctx = context.open_app(args.db, operator=args.operator)
    try:
        if args.path is None:
            try:
                print(f"附件文件夹：{attachment_folder.attachments_root(ctx)}")
            except ServiceError as exc:
                print(str(exc))
                return 1
            return 0
        folder = attachment_folder.set_attachments_folder(ctx, args.path)
        print(f"已指定附件文件夹：{folder}")
        return 0
    finally:
        ctx.db.dispose()
