"""Command line of the users (用户): ``lzcenter-desktop user add|list|passwd|deactivate|sign-in``.

``user add LOGIN --name 姓名 --role 管理员`` on a database without an administrator creates the
first one and switches sign-in on; after that a 管理员 signs in (``--user 登录名``, the password
asked for or taken from ``LZCENTER_PASSWORD``) to manage users. A new password (``user add``,
``user passwd``) is asked for twice, or read from ``LZCENTER_NEW_PASSWORD`` when that is set; with
no terminal and no variable the command ends with a Chinese error (exit 2). ``user sign-in off``
(a 管理员, SQLite only) switches sign-in off again, ``user sign-in on`` back on.
"""

from __future__ import annotations

import argparse
import getpass
import os

from lzcenter_desktop.domain.roles import ROLE_LABELS


def add_user_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser(
        "user",
        help="用户与登录：添加用户（第一位管理员同时启用登录）、列出、改密码、停用、关闭或重新启用登录",
    )
    actions = top.add_subparsers(dest="user_action", metavar="ACTION", required=True)
    roles = "、".join(ROLE_LABELS.values())
    p = actions.add_parser("add", help="添加用户（第一位管理员添加后即启用登录）")
    p.add_argument("login", metavar="LOGIN", help="登录名")
    p.add_argument("--name", required=True, metavar="姓名", help="姓名（显示在界面和审计记录中）")
    p.add_argument("--role", required=True, metavar="角色", help=f"角色：{roles}")
    p.set_defaults(func=cmd_user_add)
    p = actions.add_parser("list", help="列出用户")
    p.set_defaults(func=cmd_user_list)
    p = actions.add_parser("passwd", help="为用户设置新密码（同时解除锁定）")
    p.add_argument("login", metavar="LOGIN", help="登录名")
    p.set_defaults(func=cmd_user_passwd)
    p = actions.add_parser("deactivate", help="停用用户（不删除，审计记录仍可查）")
    p.add_argument("login", metavar="LOGIN", help="登录名")
    p.set_defaults(func=cmd_user_deactivate)
    p = actions.add_parser(
        "sign-in", help="关闭（off）或重新启用（on）登录：仅管理员，仅限本机 SQLite 数据库；记入审计日志"
    )
    p.add_argument("state", choices=["on", "off"], metavar="on|off", help="on 启用登录，off 关闭登录")
    p.set_defaults(func=cmd_user_sign_in)


NEW_PASSWORD_ENV = "LZCENTER_NEW_PASSWORD"
PASSWORD_ENV = "LZCENTER_PASSWORD"


def _ask(prompt: str, env: str) -> str:
    """A password typed without echo; a closed or empty input (a script, a pipe) ends in a Chinese
    error naming the environment variable to use instead (exit 2), never a traceback."""
    from lzcenter_desktop.cli.args import CliError

    try:
        return getpass.getpass(prompt)
    except EOFError as exc:
        raise CliError(
            "没有读到密码：标准输入已关闭（例如在脚本或管道中运行），无法输入密码，未作任何更改。"
            f"请在终端中运行并输入密码，或用环境变量 {env} 提供密码。"
        ) from exc


def sign_in_password() -> str:
    """The password of ``--user``: ``LZCENTER_PASSWORD`` or asked for."""
    value = os.environ.get(PASSWORD_ENV)
    return value if value is not None else _ask("密码：", PASSWORD_ENV)


def _new_password() -> str:
    from lzcenter_desktop.cli.args import CliError

    value = os.environ.get(NEW_PASSWORD_ENV)
    if value is not None:
        return value
    first = _ask("新密码：", NEW_PASSWORD_ENV)
    if _ask("再输入一次新密码：", NEW_PASSWORD_ENV) != first:
        raise CliError("两次输入的密码不一致，未作更改。")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context, users

    password = _new_password()
    ctx = context.open_app(args.db, operator=args.operator)
    try:
        users.create_user(ctx, login=args.login, display_name=args.name, role=args.role, password=password)
        print(f"已添加用户“{args.login}”（{args.role}）。")
        if users.sign_in_required(ctx):
            print("本数据库已启用登录：打开程序时须用账号和密码登录。")
    finally:
        ctx.db.dispose()
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context, users

    ctx = context.open_app(args.db, operator=args.operator)
    try:
        rows = users.list_users(ctx)
        state = "已启用" if users.sign_in_required(ctx) else "未启用"
    finally:
        ctx.db.dispose()
    print(f"登录：{state}")
    for row in rows:
        flag = "" if row.active else "（已停用）"
        print(f"{row.login}\t{row.display_name}\t{row.role}{flag}")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context, users

    password = _new_password()
    ctx = context.open_app(args.db, operator=args.operator)
    try:
        users.set_password(ctx, login=args.login, password=password)
    finally:
        ctx.db.dispose()
    print(f"已为“{args.login}”设置新密码。")
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context, users

    ctx = context.open_app(args.db, operator=args.operator)
    try:
        users.deactivate(ctx, login=args.login)
    finally:
        ctx.db.dispose()
    print(f"已停用用户“{args.login}”。")
    return 0


def cmd_user_sign_in(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context, users

    on = args.state == "on"
    ctx = context.open_app(args.db, operator=args.operator)
    try:
        users.set_sign_in(ctx, on=on)
    finally:
        ctx.db.dispose()
    print("已启用登录：打开程序时须用账号和密码登录。" if on else "已关闭登录：打开程序时不再要求登录。")
    return 0
