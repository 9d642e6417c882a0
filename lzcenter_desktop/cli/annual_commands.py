"""Command line of the 工作年报 (第二十一条, issue 14 item 1).

* ``lzcenter-desktop annual-report import FILE [--center ID]`` — a ``.json``
  (``lzcenter.annual-report/1``) or ``.xlsx`` report as the draft of its centre and year; exit 0
  stored (rule findings listed as warnings of the draft), 1 not stored (each problem with its JSON
  path or ``工作表!单元格``);
* ``lzcenter-desktop annual-report export REPORT_ID FILE`` — the stored report as ``.json`` or,
  for a ``.xlsx`` name, as the pre-filled workbook;
* ``lzcenter-desktop annual-report template CENTER_ID YEAR FILE.xlsx`` — the workbook the centre
  fills offline (pre-filled with what is stored).

Nothing here imports Qt or opens a database at module level; a refused request is a
``ServiceError`` (printed by ``cli.main`` as ``错误：…`` with exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lzcenter_desktop.cli.args import record_id

EXIT_OK = 0
EXIT_NOT_STORED = 1


def _year(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit() or not 1900 <= int(cleaned) <= 9999:
        raise argparse.ArgumentTypeError(f"年报年度“{text}”无效，应为四位数年份，例如 2026")
    return int(cleaned)


def add_annual_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``annual-report`` command and its ``import`` / ``export`` / ``template`` actions."""
    top = sub.add_parser(
        "annual-report", help="工作年报：导入（JSON 或 Excel）、导出、生成填写用的 Excel 模板"
    )
    actions = top.add_subparsers(dest="annual_action", metavar="ACTION", required=True)

    p = actions.add_parser("import", help="导入工作年报（.json 或 .xlsx），保存为该中心该年度的草稿")
    p.add_argument("file", type=Path, metavar="FILE", help="年报文件（.json 或 .xlsx）")
    p.add_argument(
        "--center", type=record_id("中心"), metavar="ID", help="导入到该中心（不写则按年报中的中心名称查找）"
    )
    p.set_defaults(func=cmd_annual_import)

    p = actions.add_parser("export", help="导出已存的工作年报（文件名以 .xlsx 结尾时导出为 Excel 工作簿）")
    p.add_argument("report", type=record_id("工作年报"), metavar="REPORT_ID", help="工作年报编号")
    p.add_argument("file", type=Path, metavar="FILE", help="输出的 .json 或 .xlsx 文件")
    p.set_defaults(func=cmd_annual_export)

    p = actions.add_parser("template", help="生成中心填写用的工作年报 Excel 模板（已存的内容会预先填入）")
    p.add_argument("center", type=record_id("中心"), metavar="CENTER_ID", help="中心编号")
    p.add_argument("year", type=_year, metavar="YEAR", help="年报年度，例如 2026")
    p.add_argument("file", type=Path, metavar="FILE", help="输出的 .xlsx 文件")
    p.set_defaults(func=cmd_annual_template)


def cmd_annual_import(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.annual.report_files import import_report_file
    from lzcenter_desktop.services.annual.reports import get_report
    from lzcenter_desktop.services.checking import format_violation

    ctx = context.open_app(args.db, operator=args.operator)
    result = import_report_file(ctx, args.file, center_id=args.center)
    if result.report_id is None:
        for place, message in result.errors:
            print(f"{place}：{message}" if place else message, file=sys.stderr)
        print(f"未导入：“{args.file}”有 {len(result.errors)} 处问题，请改正后重新导入", file=sys.stderr)
        return EXIT_NOT_STORED
    view = get_report(ctx, result.report_id)
    for v in result.violations:
        cell = result.places.get(v.path)
        print(f"{cell}：{format_violation(v)}" if cell else format_violation(v))
    print(
        f"已导入：{view.center_name} {view.year}年度工作年报（编号 {view.report_id}，{view.status_label}）"
        + (f"，{len(result.violations)} 项问题需在提交前处理" if result.violations else "")
    )
    return EXIT_OK


def cmd_annual_export(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.annual.report_files import export_report_json, export_report_workbook

    ctx = context.open_app(args.db, operator=args.operator)
    if Path(args.file).suffix.lower() == ".xlsx":
        written = export_report_workbook(ctx, report_id=args.report, path=args.file)
    else:
        written = export_report_json(ctx, report_id=args.report, path=args.file)
    print(f"已导出：{written}")
    return EXIT_OK


def cmd_annual_template(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import context
    from lzcenter_desktop.services.annual.report_files import write_report_workbook

    ctx = context.open_app(args.db, operator=args.operator)
    written = write_report_workbook(ctx, center_id=args.center, year=args.year, path=args.file)
    print(f"已生成：{written}")
    return EXIT_OK
