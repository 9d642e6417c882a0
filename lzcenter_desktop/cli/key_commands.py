"""``lzcenter-desktop key …``: the certificate keys kept outside the database.

* ``key status`` — the keys the database records and whether this computer holds them;
* ``key rotate`` — a new key signs certificates from now on (older codes still verify);
* ``key export FILE`` — a backup of the keys, sealed under a password (audited: 导出证书密钥备份,
  the file and the key fingerprints; a 管理员's task once sign-in is on);
* ``key import FILE`` — the keys of such a backup added to this user's key store.

The password is read from ``LZCENTER_KEY_PASSWORD`` when set (scripts), otherwise asked for
without echo (twice on export).
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from lzcenter_desktop.cli.args import EXIT_OK, CliError
from lzcenter_desktop.cli.commands import open_ctx

PASSWORD_ENV = "LZCENTER_KEY_PASSWORD"


def add_key_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser("key", help="证书密钥（不在数据库文件中）：查看、轮换、备份导出与导入")
    actions = top.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    p = actions.add_parser("status", help="列出本数据库的证书密钥及本机是否持有")
    p.set_defaults(func=cmd_key_status)
    p = actions.add_parser("rotate", help="生成新的证书密钥，此后签发的证书用它；旧证书仍可核验")
    p.set_defaults(func=cmd_key_rotate)
    p = actions.add_parser("export", help="把证书密钥导出为用密码加密的备份文件")
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件路径")
    p.set_defaults(func=cmd_key_export)
    p = actions.add_parser("import", help="从备份文件导入证书密钥到本机（当前 Windows/系统用户）")
    p.add_argument("file", type=Path, metavar="FILE", help="key export 导出的备份文件")
    p.set_defaults(func=cmd_key_import)
    for parser in (top, *actions.choices.values()):
        parser.add_argument(
            "--db", metavar="DB", default=argparse.SUPPRESS, help="数据库：SQLite 文件路径或 SQLAlchemy URL"
        )


def _password(confirm: bool) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    password = getpass.getpass("密钥备份密码：")
    if confirm and getpass.getpass("再次输入密码：") != password:
        raise CliError("两次输入的密码不一致，未导出。")
    return password


def cmd_key_status(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services.documents_key import key_status

    ctx = open_ctx(args)
    try:
        rows = key_status(ctx)
    finally:
        ctx.db.dispose()
    if not rows:
        print("本数据库还没有证书密钥（签发第一份证书时生成）。")
    for row in rows:
        print(row)
    return EXIT_OK


def cmd_key_rotate(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services.documents_key import rotate_key

    ctx = open_ctx(args)
    try:
        made = rotate_key(ctx)
    finally:
        ctx.db.dispose()
    print(f"已生成新的证书密钥 {made.key_id}：此后签发的证书用它签名，此前的证书仍可核验。")
    print("请立即重新导出密钥备份（lzcenter-desktop key export 文件），并在其他电脑上导入。")
    return EXIT_OK


def cmd_key_export(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services.documents_key_backup import export_keys

    ctx = open_ctx(args)
    try:
        result = export_keys(ctx, args.file, _password(confirm=True))
    finally:
        ctx.db.dispose()
    print(f"已导出证书密钥 {'、'.join(result.key_ids)} 到 {args.file}。请把文件和密码分开妥善保管。")
    if result.missing:
        print(f"注意：本机没有密钥 {'、'.join(result.missing)}，未能导出；请在持有它的电脑上导出。")
    return EXIT_OK


def cmd_key_import(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services.documents_key_backup import import_keys

    ctx = open_ctx(args)
    try:
        result = import_keys(ctx, args.file, _password(confirm=False))
    finally:
        ctx.db.dispose()
    print(f"已导入证书密钥 {'、'.join(result.key_ids)}。")
    if result.missing:
        print(f"注意：本机仍缺少密钥 {'、'.join(result.missing)}，请导入包含它的备份。")
    return EXIT_OK
