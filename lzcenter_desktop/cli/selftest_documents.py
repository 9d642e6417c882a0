"""The self-test's plaque, certificate, lists, declaration form and Excel templates (issue 16 item 1):
one of each made from the demo database and checked — a PDF opens in the application's viewer, has
pages, says what the record says and embeds its fonts; the certificate's QR code is read off the
rendered page and verified through the verification service; a workbook opens again.

Each step names the document kinds (:func:`~lzcenter_desktop.services.selftest_support.document_kinds`)
it covers; the self-test fails when a kind is covered by no step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lzcenter_desktop.cli.selftest_review import Step, check_pdf


def _workbook_text(path: Path) -> tuple[int, str]:
    """(sheets, every cell's text) of the workbook ``path``, reopened."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        cells = [
            str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
        ]
        return len(book.worksheets), "".join("".join(c.split()) for c in cells)
    finally:
        book.close()


def _check_workbook(path: Path, *expected: str) -> str:
    sheets, text = _workbook_text(path)
    if sheets == 0:
        raise ValueError(f"“{path.name}”没有工作表")
    missing = [e for e in expected if "".join(e.split()) not in text]
    if missing:
        raise ValueError(f"“{path.name}”中找不到：{'、'.join(missing)}")
    return f"{path.name}，{sheets} 个工作表"


def issue_document_steps(ctx: Any, folder: Path) -> list[Step]:
    """Plaque, certificate (QR code read back and verified), each list, the declaration form and
    workbooks, the annual report template."""
    from lzcenter_desktop.services import declarations, documents, documents_lists
    from lzcenter_desktop.services import documents_evaluation as evaluation_docs

    state: dict[str, Any] = {}

    def centre() -> Any:
        if "centre" not in state:
            found = [c for c in documents.document_centers(ctx) if c.ending is None and c.certificate_no]
            if not found:
                raise ValueError("演示数据中没有可发证书的已认定中心")
            state["centre"] = found[0]
        return state["centre"]

    def plaque() -> str:
        item = centre()
        path = documents.make_plaque(ctx, item.id, folder / "牌匾.pdf")
        return check_pdf(path, item.host, "柳州市科学技术局")

    def certificate() -> str:
        from lzcenter_desktop.services.selftest_support import certificate_qr_area, read_qr
        from lzcenter_desktop.ui.pdf_qr import read_modules, render_page

        item = centre()
        path = documents.make_certificate(ctx, item.id, folder / "认定证书.pdf")
        checked = check_pdf(path, item.name_zh, item.certificate_no)
        area = certificate_qr_area()
        image = render_page(path, 0, area.page_width_mm, area.page_height_mm)
        code = read_qr(read_modules(image, area.left_mm, area.top_mm, area.size_mm))
        result = documents.verify_certificate(ctx, code)
        if not result.genuine:
            raise ValueError(f"证书二维码“{code}”核验未通过：{result.message}")
        return f"{checked}，二维码读出并核验为真实"

    def one_list(kind: str) -> Callable[[], str]:
        def make() -> str:
            year = documents_lists.latest_list_year(ctx, kind)
            name = documents_lists.LIST_KINDS[kind]
            path = documents.make_list(ctx, kind, folder / f"{name}.pdf", year=year)
            return check_pdf(path, str(year))

        return make

    def declaration() -> Any:
        if "declaration" not in state:
            rows = [r for r in declarations.list_declarations(ctx) if r.status != "discarded"]
            if not rows:
                raise ValueError("演示数据中没有申报书")
            state["declaration"] = rows[0]
        return state["declaration"]

    def application_form() -> str:
        from lzcenter_desktop.services.declaration_files import write_application_form

        row = declaration()
        path = write_application_form(ctx, declaration_id=row.id, path=folder / "申请书.pdf")
        return check_pdf(path, row.center_name)

    def blank_template() -> str:
        from lzcenter_desktop.services.declaration_files import write_blank_template

        year = declaration().call_year
        path = write_blank_template(ctx, call_year=year, path=folder / "申报模板.xlsx")
        return _check_workbook(path)

    def declaration_workbook() -> str:
        from lzcenter_desktop.services.declaration_files import write_declaration_workbook

        row = declaration()
        path = write_declaration_workbook(ctx, declaration_id=row.id, path=folder / "申报书.xlsx")
        return _check_workbook(path, row.center_name)

    def annual_template() -> str:
        from lzcenter_desktop.services.annual.report_files import write_report_workbook

        item = centre()
        year = evaluation_docs.document_subjects(ctx).report_year or dt.date.today().year - 1
        path = write_report_workbook(ctx, center_id=item.id, year=year, path=folder / "年报模板.xlsx")
        return _check_workbook(path, item.name_zh.split("（")[0])

    steps: list[Step] = [
        ("生成牌匾 PDF", ("issue:plaque",), plaque),
        ("生成认定证书 PDF，读出二维码并核验", ("issue:certificate",), certificate),
    ]
    steps += [
        (f"生成名单与通知“{name}” PDF", (f"list:{kind}",), one_list(kind))
        for kind, name in documents_lists.LIST_KINDS.items()
    ]
    steps += [
        ("生成认定申请书 PDF", ("declaration:application_form",), application_form),
        ("生成申报 Excel 模板并重新打开", ("declaration:blank_template",), blank_template),
        ("生成已填写的申报书 Excel 并重新打开", ("declaration:workbook",), declaration_workbook),
        ("生成工作年报 Excel 模板并重新打开", ("annual:report_template",), annual_template),
    ]
    return steps
