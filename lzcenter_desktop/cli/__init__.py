"""Command line: ``lzcenter-desktop [--db DB] [COMMAND]``.

With no command the main window opens. Nothing here imports Qt at module
level: the GUI is imported only when a command needs it, so ``check``,
``migrate`` and ``backup`` start fast and run on machines without a display.

The commands live in :mod:`.commands` (database and declaration files), :mod:`.document_commands`
(documents and verification) and :mod:`.selftest`; :mod:`.args` holds the exit codes, the argument
types and argparse in Chinese. This module builds the parser and runs a command.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from lzcenter_desktop import APP_NAME, __version__, paths
from lzcenter_desktop.cli.annual_commands import add_annual_parsers
from lzcenter_desktop.cli.args import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_VIOLATIONS,
    ChineseArgumentParser,
    CliError,
    UnknownRecordId,
    chinese_argparse_message,
    parse_date,
    record_id,
)
from lzcenter_desktop.cli.audit_commands import add_audit_parsers
from lzcenter_desktop.cli.commands import (
    cmd_backup,
    cmd_check,
    cmd_demo,
    cmd_export,
    cmd_gui,
    cmd_import,
    cmd_migrate,
    cmd_restore,
    cmd_template,
    load_form,
)
from lzcenter_desktop.cli.copy_commands import add_copy_parsers
from lzcenter_desktop.cli.document_commands import add_document_parsers, cmd_verify
from lzcenter_desktop.cli.evaluation_documents import add_evaluation_document_parsers
from lzcenter_desktop.cli.folder_commands import add_folder_parsers
from lzcenter_desktop.cli.key_commands import add_key_parsers
from lzcenter_desktop.cli.review_commands import add_review_parsers
from lzcenter_desktop.cli.review_documents import add_review_document_parsers
from lzcenter_desktop.cli.selftest import cmd_selftest
from lzcenter_desktop.cli.user_commands import add_user_parsers, sign_in_password

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_VIOLATIONS",
    "CliError",
    "UnknownRecordId",
    "build_parser",
    "chinese_argparse_message",
    "load_form",
    "main",
    "record_id",
    "undecodable_argument_message",
]


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="lzcenter-desktop",
        description=f"{APP_NAME}。不带子命令时打开主窗口。",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--db",
        metavar="DB",
        help=(
            "数据库：SQLite 文件路径或 SQLAlchemy URL"
            "（默认取环境变量 LZCENTER_DB，否则为用户数据目录下的 lzcenter.sqlite）"
        ),
    )
    parser.add_argument(
        "--operator",
        metavar="NAME",
        help="审计记录中的操作人（默认：当前系统用户；数据库已启用登录时不能使用，请用 --user）",
    )
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        help="以此账号登录（数据库已启用登录时必需；密码随后输入，或取环境变量 LZCENTER_PASSWORD）",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="打开主窗口（默认）")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("demo", help="生成演示数据库（已存在则直接使用）")
    p.add_argument("--open", action="store_true", help="生成后打开主窗口")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="重新生成：新库在旁边生成完毕后才替换，旧文件改名保留，不会丢失",
    )
    p.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026，相同种子得到相同数据）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("migrate", help="把数据库升级到当前版本（升级前自动备份）")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("backup", help="备份数据库（SQLite 在线备份，不中断使用）")
    p.add_argument("-o", "--output", type=Path, help="备份文件路径（默认：数据库目录下 backups/）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="用备份文件恢复数据库（当前文件先改名保留，恢复记入审计日志；"
        "退出码 0 已恢复，1 未确认，2 备份不能使用）",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="备份文件（通常在数据库目录下的 backups/ 中）")
    p.add_argument("-y", "--yes", action="store_true", help="不询问，直接恢复")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("selftest", help="自检：临时数据库、迁移、演示数据、PDF、主窗口")
    p.set_defaults(func=cmd_selftest)

    p = sub.add_parser("check", help="按《管理办法》检查交换格式 JSON 文件或工作年报 Excel 工作簿（.xlsx）")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（只输出 JSON）")
    p.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help="参照日期（默认：申报日期或今天）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "import",
        help="导入交换格式 JSON 申报书，可一次导入多个文件或整个文件夹（不符合条件的也导入为带标记的草稿）",
    )
    p.add_argument(
        "paths",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="交换格式 .json 文件或文件夹（可写多个；文件夹导入其中所有 .json 文件）",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出为交换格式 JSON")
    p.add_argument("kind", choices=["declaration"], help="导出种类：declaration（申报书）")
    p.add_argument("id", type=record_id("申报书"), metavar="ID", help="申报书编号")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出的 .json 文件")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("template", help="生成申报单位填写用的 Excel 模板")
    p.add_argument("kind", choices=["declaration"], help="模板种类：declaration（认定申请书）")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出的 .xlsx 文件")
    p.add_argument("--year", type=int, default=None, help="申报年度（默认：今年）")
    p.set_defaults(func=cmd_template)

    add_document_parsers(sub)
    add_review_parsers(sub)
    add_review_document_parsers(sub)
    add_evaluation_document_parsers(sub)
    add_annual_parsers(sub)
    add_audit_parsers(sub)
    add_user_parsers(sub)
    add_key_parsers(sub)
    add_copy_parsers(sub)
    add_folder_parsers(sub)

    p = sub.add_parser(
        "verify",
        help="核验认定证书的验证码是否真实"
        "（退出码 0 真实有效，1 不真实、中心已撤销或证书未登记，2 输入有误）",
    )
    p.add_argument("code", metavar="CODE", help="证书上的验证码，如 LZ2-20191130-2019001-XXXX-XXXX-XXXX-XXXX")
    p.add_argument("--name", metavar="NAME", help="证书上的中心名称（不填则取本系统登记的名称）")
    p.add_argument("--number", metavar="NO", help="证书编号（未在本系统登记的证书，与 --name 一起填写）")
    p.set_defaults(func=cmd_verify)
    return parser


# --- entry point --------------------------------------------------------------------------------


def _write_crash_report(exc: BaseException) -> Path | None:
    try:
        folder = paths.user_data_dir() / "crash-reports"
        folder.mkdir(parents=True, exist_ok=True)
        report = folder / f"crash-{datetime.now().strftime('%Y%m%d-%H%M%S')}.txt"
        report.write_text(
            f"{APP_NAME} {__version__}\n{datetime.now().isoformat()}\nargv: {sys.argv}\n\n"
            + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
        return report
    except OSError:
        return None


def undecodable_argument_message(arguments: Sequence[str]) -> str | None:
    """The Chinese message for the first argument that is not valid text, ``None`` if all are.

    Python hands bytes that are not valid in the locale's encoding (``$'\\xff'`` in a UTF-8
    terminal) to the program as lone surrogates; such a string cannot be printed, stored or
    compared, so every command refuses it up front instead of failing half-way.
    """
    for position, argument in enumerate(arguments, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in argument)
            previous = arguments[position - 2] if position > 1 else ""
            option = f"（{previous} 的值）" if previous.startswith("-") and "=" not in previous else ""
            return (
                f"第 {position} 个命令行参数“{shown}”{option}含有无法识别的字符（不是有效的文字编码，"
                "无法识别的部分显示为 \ufffd）。请检查终端或脚本的字符编码（应为 UTF-8），重新输入该参数。"
            )
    return None


def _empty_db_message(args: argparse.Namespace) -> str | None:
    if args.db is not None and not args.db.strip():
        return (
            "--db 后面的数据库路径为空。请写出数据库文件的路径（例如 --db D:\\中心管理\\lzcenter.sqlite），"
            "或去掉 --db，使用默认的数据库。"
        )
    return None


def _unknown_record(args: argparse.Namespace) -> UnknownRecordId | None:
    return next((v for v in vars(args).values() if isinstance(v, UnknownRecordId)), None)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(argv) if argv is not None else sys.argv[1:]
    undecodable = undecodable_argument_message(arguments)
    if undecodable is not None:
        print(f"错误：{undecodable}", file=sys.stderr)
        return EXIT_BAD_INPUT
    parser = build_parser()
    args = parser.parse_args(arguments)
    refusal = _empty_db_message(args)
    unknown = _unknown_record(args)
    if refusal is None and unknown is not None:
        refusal = unknown.message()
    if refusal is not None:
        print(f"错误：{refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.operator:
        os.environ["LZCENTER_OPERATOR"] = args.operator
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_gui)
    from lzcenter_desktop.services.shared_use import network_drive_warning

    network = network_drive_warning(getattr(args, "db", None))
    if network is not None:  # a SQLite file on a network share: say once what to use instead
        print(f"警告：{network}", file=sys.stderr)
    try:
        if args.user:
            from lzcenter_desktop.services import context

            context.use_credentials(args.user, sign_in_password())
        return func(args)
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:
        problem = _environment_problem(exc)
        if problem is not None:
            print(f"{problem.title}：{problem.message}", file=sys.stderr)
            return int(problem.exit_code)
        service_message = _service_error_message(exc)
        if service_message is not None:
            print(f"错误：{service_message}", file=sys.stderr)
            return EXIT_BAD_INPUT
        report = _write_crash_report(exc)
        print(f"内部错误：{exc.__class__.__name__}: {exc}", file=sys.stderr)
        if report:
            print(f"错误报告已保存到：{report}（请发给系统维护人员）", file=sys.stderr)
        return EXIT_INTERNAL


def _environment_problem(exc: BaseException):  # type: ignore[no-untyped-def]
    from lzcenter_desktop.services.errors import EnvironmentProblem, classify

    if isinstance(exc, EnvironmentProblem):
        return exc
    return classify(exc)


def _service_error_message(exc: BaseException) -> str | None:
    from lzcenter_desktop.services.errors import ServiceError

    return str(exc) if isinstance(exc, ServiceError) else None


if __name__ == "__main__":
    sys.exit(main())
