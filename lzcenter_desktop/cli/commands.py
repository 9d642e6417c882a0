"""The commands on the database and on declaration files: gui, demo, migrate, backup, check,
import, export, template. Each imports what it needs when it runs, so a command starts fast."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from lzcenter_desktop import paths
from lzcenter_desktop.cli.args import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, CliError


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
    from lzcenter_desktop.services.audit_chain import anchor_line, anchor_of_file

    print(anchor_line(anchor_of_file(dest)))  # the newest audit hash in the copy: note it down
    return EXIT_OK


YES_ANSWERS = frozenset({"y", "yes", "是", "好"})


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database with the backup FILE after a confirmation (``--yes`` skips it).
    Exit 0 restored, 1 not confirmed, 2 the backup or the database refused (nothing changed)."""
    from lzcenter_desktop.services.backup import kind_label, reason_of, stamp_or_mtime
    from lzcenter_desktop.services.restore import restore, restore_refusal, sign_in_asked

    target = paths.resolve_db_target(args.db)
    if paths.is_url(target):
        raise CliError("只能恢复本机的 SQLite 数据库文件；服务器数据库请由数据库管理员恢复。")
    db_path = Path(target).expanduser()
    backup_file: Path = args.file
    signed = _signed_in_for_restore(args) if sign_in_asked(db_path) else None
    if signed is not None and signed.damage is None:
        refused = restore_refusal(db_path, signed.user)  # before asking for the confirmation
        if refused is not None:
            signed.db.dispose()
            raise CliError(refused)
    if not args.yes:
        when = stamp_or_mtime(backup_file).strftime("%Y-%m-%d %H:%M:%S") if backup_file.exists() else "?"
        print(
            f"将用备份“{backup_file}”（{kind_label(reason_of(db_path, backup_file))}，{when}）"
            f"替换数据库“{db_path}”。当前的数据库文件会先改名保存在原文件夹（文件名含 before-restore），"
            "不会删除；备份时间之后所做的修改不在备份里。"
        )
        try:
            answer = input("确定恢复吗？输入 y 确认，其他任意键取消：")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in YES_ANSWERS:
            if signed is not None:
                signed.db.dispose()
            print("已取消，数据库未改动。", file=sys.stderr)
            return EXIT_VIOLATIONS
    if signed is not None:
        report = restore(signed, backup_file)  # the signed-in 管理员 is the operator
    else:
        report = restore(db_path, backup_file, operator=args.operator)
    print(f"已用备份“{report.restored_from}”恢复数据库：{db_path}")
    if report.kept_as is not None:
        print(f"原数据库文件已改名保存为：{report.kept_as}")
    print("恢复已记入审计日志。")
    return EXIT_OK


def _signed_in_for_restore(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The database opened (not migrated) and signed in with ``--user``, for a restore of a
    database that asks for sign-in; None when it is damaged and cannot be opened at all (a
    damaged database's restore is not limited: its users cannot be read)."""
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.errors import DatabaseCorrupt

    try:
        return context.open_app(args.db, operator=args.operator, migrate=False, damaged_read_only=True)
    except DatabaseCorrupt:
        return None


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


def open_ctx(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from lzcenter_desktop.services import context

    return context.open_app(args.db, operator=args.operator)
