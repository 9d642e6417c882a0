"""The 文档 page: pick a centre, generate and preview, save, print, batch with cancel, verify dialog."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QPushButton

from lzcenter_desktop.services import documents
from lzcenter_desktop.ui.documents.page import KIND_CERTIFICATE, KIND_LIST, KIND_PLAQUE, DocumentsPage
from lzcenter_desktop.ui.documents.verify_dialog import VerifyDialog
from tests.consequence_records import step_by_evaluation
from tests.gui.documents_centres import BATCH_NO, add_three_centres, open_page, recognised, wait_task
from tests.helpers import type_text

_recognised = recognised
_open = open_page
_wait_task = wait_task


@pytest.fixture
def docs_ctx(ctx):
    ctx.ids = add_three_centres(ctx)  # type: ignore[attr-defined]
    return ctx


@pytest.fixture
def page(qtbot, docs_ctx):
    return _open(qtbot, docs_ctx)


def _verify(qtbot, dialog: VerifyDialog):
    """Press 核验 and wait for the answer (it is read on a worker thread)."""
    task = dialog.verify()
    assert dialog.result_label.text() == "正在核验…"
    qtbot.waitUntil(lambda: task.is_finished and not dialog.checking, timeout=20000)
    return dialog.last_result


def test_pick_a_centre_by_typing_and_preview_its_certificate(qtbot, page: DocumentsPage) -> None:
    assert page.kind() == KIND_CERTIFICATE
    assert page.center_combo.count() == 3
    type_text(page.search_edit, "恒锐")
    assert page.center_combo.count() == 1
    assert page.selected_center() is not None and "智能装备" in page.selected_center().name_zh
    assert "LZGC-2026-002" in page.center_info.text()
    assert not page.print_button.isEnabled()
    page.generate()
    _wait_task(qtbot, page)
    assert page.pdf.status() == QPdfDocument.Status.Ready
    assert page.pdf.pageCount() == 1
    assert "共 1 页" in page.preview_label.text()
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    text = page.pdf.getAllText(0).text()
    assert "LZGC-2026-002" in text and "柳州市科学技术局" in text


def test_plaque_with_bleed_previews_at_606_by_406_mm(qtbot, page: DocumentsPage, tmp_path: Path) -> None:
    page.set_kind(KIND_PLAQUE)
    page.select_center(page.centers[0].id)
    page.bleed_check.setChecked(True)
    page.generate()
    _wait_task(qtbot, page)
    assert page.pdf.pageCount() == 1
    size = page.pdf.pagePointSize(0)
    assert round(size.width() / 72 * 25.4) == 606 and round(size.height() / 72 * 25.4) == 406
    saved = page.save_to(tmp_path / "牌匾")
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")


def test_custom_plaque_size_follows_the_spin_boxes(qtbot, page: DocumentsPage) -> None:
    page.set_kind(KIND_PLAQUE)
    assert not page.width_spin.isEnabled()
    page.size_combo.setCurrentIndex(page.size_combo.findData("400×300"))
    assert (page.width_spin.value(), page.height_spin.value()) == (400, 300)
    page.size_combo.setCurrentIndex(page.size_combo.findData("自定义"))
    assert page.width_spin.isEnabled()
    page.width_spin.setValue(500)
    page.height_spin.setValue(300)
    page.generate()
    _wait_task(qtbot, page)
    size = page.pdf.pagePointSize(0)
    assert round(size.width() / 72 * 25.4) == 500 and round(size.height() / 72 * 25.4) == 300


def test_a_list_needs_no_centre(qtbot, page: DocumentsPage) -> None:
    page.set_kind(KIND_LIST)
    assert not page.center_combo.isEnabled()
    page.list_options.set_kind("recognised")
    assert page.list_options.year() == 2026  # the latest year with data
    page.generate()
    _wait_task(qtbot, page)
    assert page.pdf.pageCount() >= 1, page.status_label.text()
    text = page.pdf.getAllText(0).text()
    assert "2026年度柳州市工程技术研究中心认定名单" in text and "LZGC-2026-003" in text


def test_print_renders_every_page_into_the_printer(qtbot, page: DocumentsPage, tmp_path: Path) -> None:
    page.set_kind(KIND_PLAQUE)
    page.proof_check.setChecked(True)
    page.size_combo.setCurrentIndex(page.size_combo.findData("400×300"))
    page.generate()
    _wait_task(qtbot, page)
    assert page.pdf.pageCount() == 2
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert page.print_to(printer) == 2
    printed = QPdfDocument()
    printed.load(str(out))
    assert printed.pageCount() == 2


def test_a_centre_without_certificate_number_is_refused_naming_the_field(qtbot, docs_ctx) -> None:
    _recognised(
        docs_ctx,
        "柳州新材料工程技术研究中心（柳州某新材料有限公司）",
        "柳州某新材料有限公司",
        "Liuzhou New Materials Research Center of Engineering Technology",
        None,
        doc_no="柳科发〔2026〕20号",
    )
    page = _open(qtbot, docs_ctx)
    type_text(page.search_edit, "新材料")
    assert page.center_combo.count() == 1
    page.generate()
    _wait_task(qtbot, page)
    qtbot.waitUntil(lambda: bool(page.last_error))
    assert "证书编号" in page.last_error
    assert page.pdf.pageCount() == 0
    for box in page.findChildren(QMessageBox):
        box.close()


def test_missing_glyph_is_reported_with_the_fallback_not_printed(
    qtbot, page: DocumentsPage, monkeypatch
) -> None:
    from lzcenter_desktop.documents import certificate

    original = documents.certificate_spec

    def odd_name(ctx, center_id):  # a name with a private-use character no bundled font has
        spec = original(ctx, center_id)
        return certificate.CertificateSpec(
            spec.number, spec.center_name + "\ue000", spec.host_name, spec.recognition_doc_no, spec.date
        )

    from lzcenter_desktop.services import documents_issue

    monkeypatch.setattr(documents_issue, "certificate_spec", odd_name)
    page.generate()
    _wait_task(qtbot, page)
    assert "U+E000" in page.last_error and "中心名称" in page.last_error
    assert "内置后备字体也都没有此字" in page.last_error
    assert page.pdf.pageCount() == 0
    page.glyph_box.close()


def test_batch_cancel_stops_and_writes_nothing(qtbot, page: DocumentsPage, tmp_path: Path) -> None:
    reached, resume = threading.Event(), threading.Event()

    def pause_after_first(done: int, total: int) -> None:
        if done == 1:
            reached.set()
            resume.wait(10)

    page.batch_step_hook = pause_after_first
    assert page.batch_combo.currentData() == BATCH_NO
    out = tmp_path / "证书"
    task = page.start_batch(out)
    assert task is not None and page.batch_dialog is not None
    qtbot.waitUntil(reached.is_set, timeout=20000)
    cancel = next(b for b in page.batch_dialog.findChildren(QPushButton) if b.text() == "取消")
    cancel.click()
    resume.set()
    qtbot.waitUntil(lambda: task.is_finished, timeout=20000)
    assert page.batch_cancelled and page.batch_result is None
    assert not out.exists() or list(out.iterdir()) == []
    assert "没有写出任何文件" in page.status_label.text()


def test_batch_writes_one_file_per_certificate(qtbot, page: DocumentsPage, tmp_path: Path) -> None:
    out = tmp_path / "证书"
    task = page.start_batch(out)
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=30000)
    assert page.batch_result is not None
    assert sorted(p.name for p in out.iterdir()) == [
        "LZGC-2026-001.pdf",
        "LZGC-2026-002.pdf",
        "LZGC-2026-003.pdf",
    ]


def test_verify_dialog_says_genuine_and_forged(qtbot, docs_ctx, tmp_path: Path) -> None:
    from lzcenter_desktop.documents.verify import make_code

    cid = docs_ctx.ids[0]
    spec = documents.certificate_spec(docs_ctx, cid)
    code = make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(docs_ctx))
    dialog = VerifyDialog(docs_ctx)
    qtbot.addWidget(dialog)
    type_text(dialog.code_edit, code)
    assert code.startswith("LZ2-") and len(code) <= 45
    assert _verify(qtbot, dialog).genuine
    assert dialog.result_label.text().startswith("真实")

    dialog.code_edit.clear()  # as a clerk types it from paper: lower case, spaces for hyphens
    qtbot.keyClicks(dialog.code_edit, code.lower().replace("-", " "))
    assert _verify(qtbot, dialog).genuine
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, code.replace("-", ""))
    assert _verify(qtbot, dialog).genuine

    dialog.code_edit.clear()
    type_text(dialog.code_edit, code[:-1] + ("A" if code[-1] != "A" else "B"))
    result = _verify(qtbot, dialog)
    assert not result.genuine and result.status == "forged"
    assert dialog.result_label.text().startswith("不真实")

    dialog.code_edit.clear()
    type_text(dialog.code_edit, code)
    type_text(dialog.name_edit, "柳州假冒工程技术研究中心")
    assert _verify(qtbot, dialog).status == "forged"

    dialog.code_edit.clear()
    dialog.name_edit.clear()
    type_text(dialog.code_edit, "不是验证码")
    assert _verify(qtbot, dialog).status == "malformed"
    assert "LZ2-" in dialog.result_label.text()


def test_verify_button_opens_the_dialog(qtbot, page: DocumentsPage) -> None:
    page.verify_button.click()
    dialog = page.verify_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "验证证书"
    dialog.close()


def test_a_windows_font_without_the_characters_offers_the_bundled_fallback(
    qtbot, docs_ctx, tmp_path: Path, monkeypatch
) -> None:
    import shutil

    import reportlab

    from lzcenter_desktop.documents import font_faces as fonts  # where the found system faces are kept

    monkeypatch.setattr(fonts, "_system_faces", {})
    windows = tmp_path / "Windows"
    (windows / "Fonts").mkdir(parents=True)
    # a TrueType "黑体" without any Chinese: every character of a certificate is missing
    shutil.copy(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", windows / "Fonts" / "simhei.ttf")
    monkeypatch.setenv("WINDIR", str(windows))
    page = _open(qtbot, docs_ctx)
    assert [page.font_combo.itemText(i) for i in range(page.font_combo.count())] == [
        "内置宋体（默认）",
        "内置黑体",
        "黑体（Windows 系统字体）",
    ]
    page.font_combo.setCurrentIndex(2)
    page.generate()
    _wait_task(qtbot, page)
    assert "在字体“黑体（SimHei）”中没有字形" in page.last_error
    assert "可改用内置后备字体“宋体" in page.last_error
    assert page.pdf.pageCount() == 0
    button = page.fallback_button
    assert button is not None and button.text() == "改用内置宋体重新生成"
    button.click()
    qtbot.waitUntil(lambda: page.pdf.pageCount() == 1, timeout=20000)
    assert page.font_combo.currentIndex() == 0


def test_batch_into_one_file_for_printing(qtbot, page: DocumentsPage, tmp_path: Path) -> None:
    out = tmp_path / "整批.pdf"
    task = page.start_batch(out)
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=30000)
    assert page.batch_result == [out]
    merged = QPdfDocument()
    merged.load(str(out))
    assert merged.pageCount() == 3
    assert "一个文件" in page.status_label.text()


# --------------------------------------------------------------------------- the bureau's record

REVOKED_ON = date(2027, 3, 5)
REVOKED_NO = "柳科发〔2027〕9号"
REVOKED_WORDS = "已于 2027年3月5日 被撤销（柳科发〔2027〕9号）"


def _revoke(ctx, center_id: int) -> None:
    step_by_evaluation(ctx, center_id, "revoked", REVOKED_ON, REVOKED_NO)


@pytest.mark.parametrize("kind", [KIND_CERTIFICATE, KIND_PLAQUE])
def test_a_revoked_centre_is_marked_and_refused_with_date_and_document_number(
    qtbot, docs_ctx, kind: str
) -> None:
    from lzcenter_desktop.ui.dialogs.errors import open_message_boxes

    revoked = docs_ctx.ids[1]
    _revoke(docs_ctx, revoked)
    page = _open(qtbot, docs_ctx)
    page.set_kind(kind)
    assert page.select_center(revoked)
    assert page.center_combo.currentText().startswith("［已撤销］柳州智能装备")
    assert (
        REVOKED_WORDS in page.center_info.text() and "不能生成新的认定证书或牌匾" in page.center_info.text()
    )
    page.generate()
    _wait_task(qtbot, page)
    qtbot.waitUntil(lambda: bool(page.last_error))
    assert page.last_error.startswith(
        "不能为“柳州智能装备工程技术研究中心（柳州恒锐机械装备有限公司）”生成新的"
    )
    assert REVOKED_WORDS in page.last_error and "评估结果为不合格" in page.last_error
    assert page.status_label.text().startswith("未生成：不能为")
    assert page.pdf.pageCount() == 0 and not page.save_button.isEnabled()
    boxes = open_message_boxes()
    assert any(REVOKED_WORDS in box.informativeText() for box in boxes)
    for box in boxes:
        box.close()
    # a centre in good standing on the same page still works
    assert page.select_center(docs_ctx.ids[0])
    assert "被撤销" not in page.center_info.text() and not page.center_combo.currentText().startswith("［")
    page.generate()
    _wait_task(qtbot, page)
    assert page.pdf.pageCount() >= 1, page.status_label.text()


def test_a_batch_skips_the_revoked_centre_and_says_so(qtbot, docs_ctx, tmp_path: Path) -> None:
    _revoke(docs_ctx, docs_ctx.ids[1])
    page = _open(qtbot, docs_ctx)
    out = tmp_path / "证书"
    task = page.start_batch(out)
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=30000)
    assert sorted(p.name for p in out.iterdir()) == ["LZGC-2026-001.pdf", "LZGC-2026-003.pdf"]
    assert page.batch_result is not None and len(page.batch_result) == 2
    assert [r.center_id for r in page.batch_skipped] == [docs_ctx.ids[1]]
    assert "已跳过 1 个不再持有称号的中心" in page.status_label.text()
    assert REVOKED_WORDS in page.status_label.text()
    box = page.skipped_box
    assert box is not None and box.isVisible() and REVOKED_WORDS in box.informativeText()
    box.close()


def test_verify_dialog_says_a_revoked_centres_certificate_is_no_longer_valid(qtbot, docs_ctx) -> None:
    from lzcenter_desktop.documents.verify import make_code
    from lzcenter_desktop.ui.documents.verify_dialog import REVOKED_STYLE

    cid = docs_ctx.ids[2]
    spec = documents.certificate_spec(docs_ctx, cid)
    code = make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(docs_ctx))
    _revoke(docs_ctx, cid)
    dialog = VerifyDialog(docs_ctx)
    qtbot.addWidget(dialog)
    type_text(dialog.code_edit, code)
    result = _verify(qtbot, dialog)
    assert not result.genuine and result.status == "revoked"
    assert dialog.result_label.text().startswith(f"已失效：证书真实，但该中心{REVOKED_WORDS}")
    assert "真实有效" not in dialog.result_label.text()
    assert dialog.result_label.styleSheet() == REVOKED_STYLE
    # another centre's certificate, in good standing, is still 真实
    other = documents.certificate_spec(docs_ctx, docs_ctx.ids[0])
    dialog.code_edit.clear()
    type_text(
        dialog.code_edit,
        make_code(other.number, other.center_name, other.date, documents.bureau_key(docs_ctx)),
    )
    assert _verify(qtbot, dialog).genuine and dialog.result_label.text().startswith("真实：")
