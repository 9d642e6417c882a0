"""``lzcenter-desktop document …`` (plaque, certificate, list) and ``verify``: the same services
as the 文档 page, with ``--font``, free-form plaques and certificates, and whole batches."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lzcenter_desktop.cli.args import EXIT_OK, EXIT_VIOLATIONS, CliError, parse_date, parse_size, record_id
from lzcenter_desktop.cli.commands import open_ctx


def add_document_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="认定日期")
    p.add_argument(
        "--size",
        type=parse_size,
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
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="认定日期")
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
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="名单所属年度：拟认定、认定名单为申报（通知）年度，评估结果、整改通知为评估年度，"
        "年度报告汇总为报告年度（默认：有记录的最近年度）",
    )
    p.add_argument(
        "--batch",
        metavar="批次",
        help="只列一个批次（默认：该年度全部）：拟认定名单填公示的文号（公示没有文号时填公示开始日期 "
        "YYYY-MM-DD），认定名单填认定文号",
    )
    p.add_argument(
        "--doc-no", default="", metavar="文号", help="文号，印在标题下（不填时用所选批次自己的文号）"
    )
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="落款日期（不填则不落款）")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.set_defaults(func=cmd_document_list)


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
            ctx = open_ctx(args)
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


def cmd_document_certificate(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.documents import CertificateSpec
    from lzcenter_desktop.services.fonts import MissingGlyphError

    faces = _font_faces(args.font, ("serif", "serif-bold"))
    if args.batch is None:
        _require_pdf(args.output)
    try:
        if args.batch is not None:
            ctx = open_ctx(args)

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
        ctx = open_ctx(args)
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
    ctx = open_ctx(args)
    kind = args.list_kind
    year = args.year if args.year is not None else documents.latest_list_year(ctx, kind)
    try:
        written = documents.make_list(
            ctx,
            kind,
            args.output,
            year=year,
            batch=args.batch,
            document_no=args.doc_no,
            signed_on=args.date,
        )
    except MissingGlyphError as exc:
        raise _glyph_error(exc) from exc
    batch = (args.batch or "").strip()
    part = f"（{documents.BATCH_NAMES[kind]}“{batch}”）" if batch else ""
    print(f"已生成{year}年度{documents.LIST_KINDS[kind]}{part}：{written}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from lzcenter_desktop.services import documents

    ctx = open_ctx(args)
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
