"""The 文档 page and what it makes, on the demo database.

* ``documents-certificate.png``, ``documents-plaque.png`` (with bleed), ``documents-list.png`` (a
  list of one year and batch) — the page at 1366×768 with the document in the preview;
  ``documents-verify.png`` — the 验证证书 dialog after checking a genuine code;
* the documents themselves, rendered from their PDFs: ``certificate.png``, ``plaque-600x400.png``,
  ``plaque-400x300-bleed.png``, ``plaque-proof.png`` (the A4 proof page), ``plaque-40-characters.png``
  (a free-form plaque whose title needs two lines), and the lists of the latest year with data:
  ``list-proposed.png``, ``list-recognised.png``, ``list-evaluation.png``, ``list-rectification.png``,
  ``list-annual-summary.png`` (and ``…-page2.png`` for a list with a second page).

Every document is made through the services, as the page and the command line make it (each
writes its audit entry into the temporary demo database). The page's part moved here from
``lzcenter_desktop/ui/documents/screenshots.py``.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, pages, pdf_page, process, wait

LONG_NAME = (
    "柳州市新能源汽车动力电池热管理与安全控制系统集成工程技术研究中心"
    "（广西柳州某某新能源动力电池集团股份有限公司）"
)
LONG_EN = (
    "Liuzhou New Energy Vehicle Power Battery Thermal Management and Safety Control System "
    "Integration Research Center of Engineering Technology (Guangxi Liuzhou Moumou New Energy Power "
    "Battery Group Co., Ltd.)"
)


def _centre(ctx: Any) -> Any:
    """A recognised demo centre in good standing with an English name and a certificate number."""
    from lzcenter_desktop.services import documents

    return next(
        c
        for c in documents.document_centers(ctx, recognised_only=True)
        if c.ending is None and c.certificate_no and c.name_en.strip()
    )


def page(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.ui.app import create_application
    from lzcenter_desktop.ui.documents.page import KIND_LIST, KIND_PLAQUE, DocumentsPage

    create_application()
    written: list[Path] = []
    item = _centre(ctx)
    widget = DocumentsPage(ctx)
    widget.setWindowTitle("文档")
    widget.resize(*SCREEN)
    widget.show()
    widget.on_shown(True)  # as the main window does on the first visit: the page reads now
    wait(lambda: widget.loaded, "文档页读取中心列表")

    def generate(what: str) -> None:
        task = widget.generate()
        if task is None:
            raise RuntimeError(f"未能生成{what}：{widget.last_error}")
        wait(lambda: task.is_finished, what)
        if widget.last_error:
            raise RuntimeError(f"未能生成{what}：{widget.last_error}")
        process(2.0)

    widget.select_center(item.id)
    generate("认定证书")
    grab(widget, out / "documents-certificate.png", written)

    widget.set_kind(KIND_PLAQUE)
    widget.select_center(item.id)
    widget.bleed_check.setChecked(True)
    generate("牌匾")
    grab(widget, out / "documents-plaque.png", written)
    widget.bleed_check.setChecked(False)

    widget.set_kind(KIND_LIST)
    options = widget.list_options
    options.set_kind("proposed")
    latest = options.year()
    batches = [y for y in options.choices.get("proposed", []) if y.year == latest]
    if batches and batches[0].batches:
        options.set_batch(batches[0].batches[0].key)
    generate("名单")
    grab(widget, out / "documents-list.png", written)

    spec = documents.certificate_spec(ctx, item.id)
    dialog = widget.open_verify_dialog()
    key = documents.bureau_key(ctx)
    dialog.code_edit.setText(documents.make_code(spec.number, spec.center_name, spec.date, key))
    dialog.verify()
    wait(lambda: not dialog.checking, "核验")
    dialog.adjustSize()
    grab(dialog, out / "documents-verify.png", written)
    dialog.close()
    widget.close()
    widget.deleteLater()
    process(0.2)
    return written


def rendered(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.services import documents

    written: list[Path] = []
    item = _centre(ctx)
    with tempfile.TemporaryDirectory(prefix="lzcenter-shots-pdf-") as tmp:
        folder = Path(tmp)
        pdf = documents.make_certificate(ctx, item.id, folder / "certificate.pdf")
        pdf_page(pdf, 0, 90, out / "certificate.png", written)
        pdf = documents.make_plaque(ctx, item.id, folder / "p1.pdf", proof=True)
        pdf_page(pdf, 0, 30, out / "plaque-600x400.png", written)
        pdf_page(pdf, 1, 80, out / "plaque-proof.png", written)
        pdf = documents.make_plaque(ctx, item.id, folder / "p2.pdf", width_mm=400, height_mm=300, bleed=True)
        pdf_page(pdf, 0, 40, out / "plaque-400x300-bleed.png", written)
        spec = documents.PlaqueSpec(name_zh=LONG_NAME, name_en=LONG_EN, date=date(2026, 11, 26))
        pdf = documents.write_plaque(spec, folder / "p3.pdf")
        pdf_page(pdf, 0, 30, out / "plaque-40-characters.png", written)
        for kind in documents.LIST_KINDS:
            name = f"list-{kind.replace('_', '-')}"
            pdf = documents.make_list(ctx, kind, folder / f"{kind}.pdf", signed_on=date(2026, 11, 26))
            pdf_page(pdf, 0, 60, out / f"{name}.png", written)
            if pages(pdf) > 1:
                pdf_page(pdf, 1, 60, out / f"{name}-page2.png", written)
    return written
