"""The 申报 page hands applicants a blank Excel template of the chosen call year's form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from lzcenter_desktop.ui.declarations.page import DeclarationsPage


def test_template_button_writes_the_years_workbook(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    target = tmp_path / "申报表"  # no suffix typed: .xlsx is added
    page.ask_template_year = lambda: 2026
    page.choose_save_file = lambda _title, _filter: str(target)
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "申报表.xlsx"
    qtbot.waitUntil(lambda: "已生成" in page.message.text(), timeout=10000)  # written in the background
    assert written.exists()
    book = load_workbook(written)
    assert book.sheetnames[0] == "说明" and "研发人员" in book.sheetnames
    assert "已生成 2026 年度申报书 Excel 模板" in page.message.text()


def test_cancel_writes_nothing_and_a_bad_folder_is_reported(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    page.ask_template_year = lambda: None  # the clerk pressed 取消
    page.choose_save_file = lambda _title, _filter: str(tmp_path / "x.xlsx")
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "x.xlsx").exists()
    task = page.write_blank_template(tmp_path / "bad" / "dir" / "y.xlsx", 2026)
    qtbot.waitUntil(lambda: task.is_finished, timeout=10000)
    assert page.message.styleSheet() and "y.xlsx" in page.message.text()  # a Chinese message, no crash
    assert not (tmp_path / "bad").exists()


def test_pdf_attachment_preview_renders_the_first_page(qtbot: Any, tmp_path: Path) -> None:
    from lzcenter_desktop.documents.selftest_page import render_selftest_page
    from lzcenter_desktop.ui.declarations.wizard import pdf_first_page

    pdf = render_selftest_page(tmp_path / "营业执照.pdf")
    image = pdf_first_page(pdf, 116)
    assert image is not None and image.height() == 116
    assert 70 < image.width() < 95  # A4 portrait: 116 × 210/297 ≈ 82
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, 116, 4)}
    assert len(colours) > 2  # text was drawn, not a blank page
    broken = tmp_path / "坏文件.pdf"
    broken.write_bytes(b"not a pdf")
    assert pdf_first_page(broken, 116) is None
