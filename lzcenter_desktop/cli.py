"""Command line: ``lzcenter-desktop [--db DB] [COMMAND]``.

With no command the main window opens. Nothing here imports Qt at module
level: the GUI is imported only when a command needs it, so ``check``,
``migrate`` and ``backup`` start fast and run on machines without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from lzcenter_desktop import APP_NAME, __version__, paths

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


class CliError(Exception):
    """A problem the user can act on; printed as a Chinese message, never as a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，应为 YYYY-MM-DD，例如 2026-11-26") from None


SQLITE_MAX_ID = 2**63 - 1  # SQLite's largest integer: no record can have a larger id
_ID_DIGITS = len(str(SQLITE_MAX_ID))


class UnknownRecordId:
    """An id typed on the command line that no record can have (beyond SQLite's integers).

    ``main`` answers it with "…不存在" before the command runs, as it would for any missing record.
    """

    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label

    def message(self) -> str:
        digits = self.text.lstrip("+-")
        shown = self.text if len(digits) <= 40 else f"{self.text[:24]}…（共 {len(digits)} 位数字）"
        return f"编号为 {shown} 的{self.label}不存在。请检查编号（可在主窗口的列表中查到）。"


def record_id(label: str) -> Callable[[str], int | UnknownRecordId]:
    """argparse ``type`` for the id of a ``label`` record: an int, or :class:`UnknownRecordId`
    for a number too large for any record (never an OverflowError later)."""

    def parse(text: str) -> int | UnknownRecordId:
        import re

        cleaned = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", cleaned):
            raise argparse.ArgumentTypeError(f"{label}编号“{text}”不是整数")
        digits = cleaned.lstrip("+-").lstrip("0")
        if len(digits) > _ID_DIGITS or abs(int(cleaned)) > SQLITE_MAX_ID:
            return UnknownRecordId(cleaned, label)
        return int(cleaned)

    return parse


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese too (用法, 位置参数, 选项, -h), for every sub-command."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}：参数错误：{chinese_argparse_message(message)}\n")


_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.+)$", r"缺少必需的参数：\1"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
    (
        r"^argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)$",
        r"参数 \1：“\2”不是可选值（可选：\3）",
    ),
    (r"^argument (\S+): invalid int value: '(.*)'$", r"参数 \1：“\2”不是整数"),
    (r"^argument (\S+): expected one argument$", r"参数 \1 后面需要一个值"),
    (r"^argument (\S+): (.+)$", r"参数 \1：\2"),
)


def chinese_argparse_message(message: str) -> str:
    """argparse's English error sentences in Chinese (the argument names stay as typed)."""
    import re

    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


def build_parser() -> argparse.ArgumentParser:
    parser = _ChineseArgumentParser(
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
    parser.add_argument("--operator", metavar="NAME", help="审计记录中的操作人（默认：当前系统用户）")
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

    p = sub.add_parser("selftest", help="自检：临时数据库、迁移、演示数据、PDF、主窗口")
    p.set_defaults(func=cmd_selftest)

    p = sub.add_parser("check", help="按《管理办法》检查交换格式 JSON 文件")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（只输出 JSON）")
    p.add_argument("--as-of", type=_parse_date, metavar="YYYY-MM-DD", help="参照日期（默认：申报日期或今天）")
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

    _add_document_parsers(sub)

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


def _parse_size(text: str) -> tuple[float, float]:
    cleaned = text.strip().lower().replace("×", "x").replace("*", "x").removesuffix("mm")
    parts = cleaned.split("x")
    try:
        if len(parts) != 2:
            raise ValueError
        width, height = float(parts[0]), float(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"牌匾尺寸“{text}”无效，应为 宽x高（毫米），例如 600x400") from None
    return width, height


def _add_document_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    doc = sub.add_parser("document", help="生成牌匾、认定证书或名单 PDF")
    kinds = doc.add_subparsers(dest="document_kind", metavar="KIND", required=True)
    font_help = (
        "字体：默认用内置字体；可填内置字体 serif、sans，或已安装的 Windows 字体 宋体、黑体、楷体、仿宋"
    )

    p = kinds.add_parser("plaque", help="牌匾（按实际尺寸的矢量 PDF）")
    p.add_argument(
        "--center", type=record_id("中心"), metavar="ID", help="中心编号：名称、英文名称和日期都取自数据库"
    )
    p.add_argument("--name", metavar="NAME", help="中心名称，如 柳州××工程技术研究中心")
    p.add_argument("--host", metavar="HOST", help="依托单位名称")
    p.add_argument(
        "--name-en", metavar="EN", help="英文名称（第二十六条的形式；不填则牌匾不印英文名称，仅作草样）"
    )
    p.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD", help="认定日期")
    p.add_argument(
        "--size",
        type=_parse_size,
        default=(600.0, 400.0),
        metavar="WxH",
        help="成品尺寸（毫米），如 600x400（默认）或 400x300",
    )
    p.add_argument("--bleed", action="store_true", help="每边加 3 mm 出血并画裁切标记")
    p.add_argument("--proof", action="store_true", help="加一页 A4 校样")
    p.add_argument("--font", metavar="FACE", help=font_help)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.set_defaults(func=cmd_document_plaque)

    p = kinds.add_parser("certificate", help="认定证书（A4 横版，带可离线核验的二维码）")
    p.add_argument("--center", type=record_id("中心"), metavar="ID", help="中心编号：全部内容取自数据库")
    p.add_argument(
        "--batch", metavar="认定文号", help="整批生成：该认定文号下的全部中心（-o 为文件夹或 .pdf）"
    )
    p.add_argument("--name", metavar="NAME", help="中心名称")
    p.add_argument("--host", metavar="HOST", help="依托单位名称")
    p.add_argument("--number", metavar="NO", help="证书编号")
    p.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD", help="认定日期")
    p.add_argument("--doc-no", metavar="文号", help="认定文号（不填则写“柳州市科学技术局认定”）")
    p.add_argument("--seal-guide", action="store_true", help="画出盖章位置的虚线圆（试印用）")
    p.add_argument("--font", metavar="FACE", help=font_help)
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE.pdf",
        help="输出的 PDF 文件（--batch 时可为文件夹）",
    )
    p.set_defaults(func=cmd_document_certificate)

    p = kinds.add_parser(
        "list",
        help="名单与通知：proposed 拟认定名单、recognised 认定名单、"
        "evaluation 评估结果、rectification 整改通知、"
        "annual_summary 年度报告汇总",
    )
    p.add_argument(
        "list_kind",
        metavar="KIND",
        choices=["proposed", "recognised", "evaluation", "rectification", "annual_summary"],
        help="名单种类：proposed、recognised、evaluation、rectification、annual_summary",
    )
    p.add_argument("--year", type=int, default=None, help="年度（默认：今年）")
    p.add_argument("--doc-no", default="", metavar="文号", help="文号，印在标题下")
    p.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD", help="落款日期（不填则不落款）")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.set_defaults(func=cmd_document_list)


# --- commands ---------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # The database is checked and its 中心 list read on a thread of its own while Qt is imported.
    from lzcenter_desktop.services.center_list import read_ahead
    from lzcenter_desktop.services.context import Opening

    opening = Opening(args.db, ahead=read_ahead)
    from lzcenter_desktop.ui.app import run_gui

    return run_gui(args.db, opening=opening)


def _demo_target(args: argparse.Namespace) -> str:
    if args.db is not None:
        return str(args.db)
    from_env = os.environ.get("LZCENTER_DB") or ""
    return from_env if from_env.strip() else str(paths.demo_db_path())


def cmd_demo(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import demo

    target = _demo_target(args)
    if paths.is_url(target):
        raise CliError("演示数据库只能是本机 SQLite 文件，请用 --db 指定文件路径")
    path = Path(target).expanduser()
    if args.rebuild or not path.exists() or path.stat().st_size == 0:
        # Built beside the old file and swapped in only when complete (services/demo_file.py).
        from lzcenter_desktop.services.demo_file import build_demo_file

        report = build_demo_file(path, seed=args.seed)
        if report.old_kept_as is not None:
            print(f"旧的演示数据库已改名保存为：{report.old_kept_as}")
        print(f"已生成演示数据库：{path}")
    else:
        demo.ensure_demo_database(path)
        print(f"使用已有的演示数据库：{path}")
    if args.open:
        from lzcenter_desktop.ui.app import run_gui

        return run_gui(str(path))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context

    ctx = context.open_app(args.db, operator=args.operator, migrate=False)
    from lzcenter_desktop.services.migrations import migrate

    report = migrate(ctx)
    if report.from_revision == report.to_revision:
        print(f"数据库已是最新版本（{report.to_revision}），无需升级。")
    else:
        print(f"数据库已从 {report.from_revision or '空'} 升级到 {report.to_revision}。")
    if report.backup_path:
        print(f"升级前的备份：{report.backup_path}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import backup, context

    # A damaged database is opened only to be refused by the backup's own check, whose message
    # says that no backup was made and the existing ones are untouched.
    ctx = context.open_app(args.db, operator=args.operator, damaged_read_only=True)
    dest = backup.backup_now(ctx, args.output)
    print(f"备份完成：{dest}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services.checking import run_check

    settings_for_year = None
    if args.db or os.environ.get("LZCENTER_DB"):
        # Only an explicitly named database supplies the rule set of the call year; otherwise
        # `check` is a pure file check against the Measures' defaults and touches no database.
        from lzcenter_desktop.services import context, rulesets

        ctx = context.open_app(args.db, operator=args.operator)

        def settings_for_year(year: int):  # type: ignore[no-untyped-def]
            return rulesets.settings_for_year(ctx, year)

    outcome = run_check(args.file, as_json=args.json, as_of=args.as_of, settings_for_year=settings_for_year)
    if outcome.stdout:
        sys.stdout.write(outcome.stdout if outcome.stdout.endswith("\n") else outcome.stdout + "\n")
    if outcome.stderr:
        sys.stderr.write(outcome.stderr if outcome.stderr.endswith("\n") else outcome.stderr + "\n")
    return outcome.exit_code


IMPORT_PROGRESS_ALL = 50  # up to this many files: a progress line on stderr for each file
IMPORT_PROGRESS_EVERY = 50  # more: a line every this many files, and one for each refused file


def cmd_import(args: argparse.Namespace) -> int:
    """Import declarations: one file (its id is the last line of stdout), or several files and
    folders in one pass — a progress line on stderr, then what was imported and what was refused
    and why. Exit 0 when every file was imported, 1 when some were refused, 2 when none was."""
    import signal

    from lzcenter_desktop.services import bulk_import, context
    from lzcenter_desktop.services.checking import format_violation

    files, refusals = bulk_import.collect_files(args.paths)
    single = len(args.paths) == 1 and len(files) == 1 and not args.paths[0].is_dir()
    if not files:
        for refusal in refusals:
            print(f"错误：{refusal.refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    ctx = context.open_app(args.db, operator=args.operator)
    every = 1 if len(files) <= IMPORT_PROGRESS_ALL else IMPORT_PROGRESS_EVERY
    kept: list[int] = []

    def progress(done: int, total: int, outcome: bulk_import.FileOutcome) -> None:
        kept.extend([1] if outcome.imported else [])
        if single:
            return
        if every == 1 or not outcome.imported:
            line = outcome.text()
        elif done % every == 0 or done == total:
            line = f"已导入 {len(kept)} 个，未导入 {done - len(kept)} 个"
        else:
            return
        print(f"[{done}/{total}] {line}", file=sys.stderr, flush=True)

    interrupted: list[int] = []  # Ctrl+C ends the run after the file being imported, with a summary
    try:
        previous = signal.signal(signal.SIGINT, lambda _s, _f: interrupted.append(1))
        installed = True
    except ValueError:  # not the main thread (called from a test or a script): Ctrl+C as usual
        installed = False
    try:
        report = bulk_import.import_files(ctx, files, progress=progress, stop=lambda: bool(interrupted))
    finally:
        if installed:
            signal.signal(signal.SIGINT, previous)
    report.outcomes[:0] = refusals
    report.total += len(refusals)
    if single and report.outcomes and report.problem is None:
        (outcome,) = report.outcomes
        if outcome.declaration_id is None:
            raise CliError(f"{outcome.path} 不能导入：{outcome.refusal}")
        for violation in outcome.violations:
            print(format_violation(violation))
        state = "已导入为带标记的草稿" if outcome.violations else "已导入为草稿"
        print(f"{state}：{outcome.errors} 项错误，{outcome.warnings} 项警告。申报书编号：")
        print(outcome.declaration_id)
        return EXIT_OK
    print(report.summary())
    if report.problem is not None:
        print(f"{report.problem.title}：{report.problem.message}", file=sys.stderr)
        return int(report.problem.exit_code)
    if report.cancelled:
        print("已取消：已导入的申报书保留，其余文件未导入。", file=sys.stderr)
        return 130
    return report.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context, declarations

    ctx = context.open_app(args.db, operator=args.operator)
    written = declarations.write_export(ctx, declaration_id=args.id, path=args.output)
    print(f"已导出第 {args.id} 号申报书：{written}")
    return EXIT_OK


def _require_pdf(output: Path) -> None:
    if output.suffix.lower() != ".pdf":
        raise CliError(f"输出文件“{output}”应以 .pdf 结尾")


def _font_faces(font: str | None, roles: Sequence[str]) -> dict[str, str] | None:
    """``--font`` → a faces mapping for ``roles``; ``None`` for the bundled default."""
    if not font:
        return None
    from lzcenter_desktop.services.fonts import face_for, system_faces

    system_faces()  # make the installed Windows fonts known by name
    bundled = {"serif": ("serif", "serif-bold"), "sans": ("sans", "sans-bold")}
    try:
        if font in bundled:
            regular, bold = bundled[font]
            return {
                role: bold if "bold" in role or role in ("title", "issuer") else regular for role in roles
            }
        face = face_for(font)
    except ValueError as exc:
        raise CliError(f"--font：{exc}") from exc
    return dict.fromkeys(roles, face.name)


def _glyph_error(exc: Exception) -> CliError:
    from lzcenter_desktop.services.documents import glyph_problem_text

    return CliError(glyph_problem_text(exc, option_hint="（加 --font {key} 重新生成）"))  # type: ignore[arg-type]


def _missing(args: argparse.Namespace, names: Sequence[str]) -> None:
    absent = [f"--{n.replace('_', '-')}" for n in names if getattr(args, n) in (None, "")]
    if absent:
        raise CliError("不用 --center 时必须给出：" + "、".join(absent))


def cmd_document_plaque(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.documents import PlaqueSpec
    from lzcenter_desktop.services.fonts import MissingGlyphError

    _require_pdf(args.output)
    width, height = args.size
    faces = _font_faces(args.font, ("title", "english", "issuer", "date"))
    try:
        if args.center is not None:
            ctx = _open_ctx(args)
            written = documents.make_plaque(
                ctx,
                args.center,
                args.output,
                width_mm=width,
                height_mm=height,
                bleed=args.bleed,
                proof=args.proof,
                faces=faces,
            )
        else:
            _missing(args, ("name", "host", "date"))
            name = args.name.strip()
            if not name.endswith("）") and args.host.strip():
                name = f"{name}（{args.host.strip()}）"
            if not args.name_en:
                print(
                    "提示：未给出 --name-en，牌匾不印英文名称"
                    "（办法第二十六条规定了英文名称，正式制作前请补充）。",
                    file=sys.stderr,
                )
            spec = PlaqueSpec(
                name_zh=name,
                name_en=args.name_en or "",
                date=args.date,
                width_mm=width,
                height_mm=height,
                bleed=args.bleed,
                proof=args.proof,
                english_line=bool(args.name_en),
            )
            written = documents.write_plaque(spec, args.output, faces=faces)
    except MissingGlyphError as exc:
        raise _glyph_error(exc) from exc
    print(f"已生成牌匾（{width:g}×{height:g} mm{'，含出血' if args.bleed else ''}）：{written}")
    return EXIT_OK


def _open_ctx(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from lzcenter_desktop.services import context

    return context.open_app(args.db, operator=args.operator)


def cmd_document_certificate(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.documents import CertificateSpec
    from lzcenter_desktop.services.fonts import MissingGlyphError

    faces = _font_faces(args.font, ("serif", "serif-bold"))
    if args.batch is None:
        _require_pdf(args.output)
    try:
        if args.batch is not None:
            ctx = _open_ctx(args)

            def report(done: int, total: int) -> bool:
                if done == total or done % 50 == 0:
                    print(f"  {done}/{total}", file=sys.stderr, flush=True)
                return True

            batch = documents.make_certificate_batch(
                ctx,
                args.output,
                document_no=args.batch,
                progress=report,
                seal_guide=args.seal_guide,
                faces=faces,
            )
            print(f"已生成认定文号“{args.batch}”的认定证书 {len(batch.files)} 个文件：{args.output}")
            if batch.skipped:
                print(batch.skipped_text())
            return EXIT_OK
        ctx = _open_ctx(args)
        if args.center is not None:
            written = documents.make_certificate(
                ctx, args.center, args.output, seal_guide=args.seal_guide, faces=faces
            )
        else:
            _missing(args, ("name", "host", "number", "date"))
            spec = CertificateSpec(
                number=args.number,
                center_name=args.name,
                host_name=args.host,
                recognition_doc_no=args.doc_no or "柳州市科学技术局认定",
                date=args.date,
            )
            written = documents.write_certificate(
                ctx, spec, args.output, seal_guide=args.seal_guide, faces=faces
            )
    except MissingGlyphError as exc:
        raise _glyph_error(exc) from exc
    print(f"已生成认定证书：{written}")
    return EXIT_OK


def cmd_document_list(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.fonts import MissingGlyphError

    _require_pdf(args.output)
    ctx = _open_ctx(args)
    year = args.year or date.today().year
    try:
        written = documents.make_list(
            ctx, args.list_kind, args.output, year=year, document_no=args.doc_no, signed_on=args.date
        )
    except MissingGlyphError as exc:
        raise _glyph_error(exc) from exc
    print(f"已生成{year}年度{documents.LIST_KINDS[args.list_kind]}：{written}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents

    ctx = _open_ctx(args)
    result = documents.verify_certificate(ctx, args.code, name=args.name, number=args.number)
    if result.genuine:
        print(f"真实（genuine）：{result.message}")
        return EXIT_OK
    if result.status in ("malformed", "unverifiable"):
        raise CliError(result.message)
    if result.status == "revoked":  # genuine, but the centre no longer holds the title
        print(f"已失效（no longer valid）：{result.message}")
    elif result.status == "unregistered":  # made free-form, not from a recognition record
        print(f"未登记（not registered）：{result.message.removeprefix('未登记：')}")
    elif result.message.startswith("无法核验"):
        print(f"未能确认真实（not verified）：{result.message}")
    else:
        print(f"不真实（not genuine）：{result.message}")
    return EXIT_VIOLATIONS


def load_form(kind: str, year: int):  # type: ignore[no-untyped-def]
    """The form definition of ``kind`` for ``year`` (the newest one not after it)."""
    from lzcenter_desktop.domain.formdef import FormDefinitionError, load_form_text, pick_year

    available = {}
    for file in paths.forms_dir().glob(f"{kind}-*.toml"):
        suffix = file.stem.rsplit("-", 1)[-1]
        if suffix.isdigit():
            available[int(suffix)] = file
    if not available:
        raise CliError(f"找不到表单定义文件 forms/{kind}-<年度>.toml")
    try:
        chosen = available[pick_year(available, year)]
        return load_form_text(chosen.read_text(encoding="utf-8"))
    except FormDefinitionError as exc:
        raise CliError(str(exc)) from exc


def cmd_template(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import declaration_files
    from lzcenter_desktop.services.errors import ServiceError

    year = args.year or date.today().year
    form = load_form(args.kind, year)
    output: Path = args.output
    if output.suffix.lower() != ".xlsx":
        raise CliError(f"输出文件“{output}”应以 .xlsx 结尾")
    try:
        written = declaration_files.write_blank_template(None, call_year=form.call_year, path=output)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    print(f"已生成 {form.call_year} 年度《{form.title}》Excel 模板：{written}")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    """Every layer once, on a throw-away database; prints each step. The installer's smoke test."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0

    def step(title: str, action: Callable[[], str]) -> None:
        nonlocal failures
        try:
            detail = action()
        except Exception as exc:
            failures += 1
            print(f"✗ {title}：{exc}", flush=True)
            traceback.print_exc(file=sys.stderr)
        else:
            print(f"✓ {title}" + (f"：{detail}" if detail else ""), flush=True)

    with tempfile.TemporaryDirectory(prefix="lzcenter-selftest-") as tmp:
        tmp_path = Path(tmp)
        db_path = tmp_path / "selftest.sqlite"
        state: dict[str, object] = {}

        def open_and_migrate() -> str:
            from lzcenter_desktop.services import context

            ctx = context.open_app(str(db_path), operator="selftest")
            state["ctx"] = ctx
            return str(db_path)

        def load_demo() -> str:
            from lzcenter_desktop.services import demo

            summary = demo.build_demo(state["ctx"], seed=2026)  # type: ignore[arg-type]
            return str(getattr(summary, "headline", summary))

        def render_pdf() -> str:
            from lzcenter_desktop.services.documents import render_selftest_page

            pdf = render_selftest_page(tmp_path / "selftest.pdf")
            return f"{pdf.name}，{pdf.stat().st_size} 字节"

        def open_window() -> str:
            from lzcenter_desktop.ui.app import make_main_window_for_selftest

            window = make_main_window_for_selftest(state["ctx"])  # type: ignore[arg-type]
            title = str(window.windowTitle())
            window.close()
            return title

        step("创建并迁移临时数据库", open_and_migrate)
        if "ctx" in state:
            step("生成演示数据", load_demo)
        step("生成一页 PDF（内嵌中文字体）", render_pdf)
        if "ctx" in state:
            step("离屏打开主窗口", open_window)
            ctx = state["ctx"]
            ctx.db.dispose()  # type: ignore[attr-defined]
    print("自检通过" if failures == 0 else f"自检失败：{failures} 项未通过")
    return EXIT_OK if failures == 0 else 1


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
    try:
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
