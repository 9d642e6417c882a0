"""The self-test's parts in ui/ (issue 16 items 1 and 5): reading a certificate's QR code off the
rendered page, opening each section of the main window (a failed load named, not a crash dialog),
the high-DPI policy set before the QApplication is made, and opening a file with its default
program (paths with Chinese characters and spaces)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from lzcenter_desktop.documents.certificate import CertificateSpec, render
from lzcenter_desktop.documents.verify import make_code, new_key
from lzcenter_desktop.services.selftest_support import certificate_qr_area, read_qr
from lzcenter_desktop.ui import app as app_module
from lzcenter_desktop.ui import open_file, ops
from lzcenter_desktop.ui.pdf_qr import read_modules, render_page
from lzcenter_desktop.ui.selftest_sections import SECTIONS, _errors_recorded, open_section

SPEC = CertificateSpec(
    number="LZGC-2026-001",
    center_name="柳州某某汽车轻量化工程技术研究中心",
    host_name="柳州某某汽车有限公司",
    recognition_doc_no="柳科规〔2026〕12号",
    date=dt.date(2026, 11, 26),
)


def test_the_qr_code_is_read_off_the_rendered_certificate(qapp, tmp_path: Path) -> None:
    key = new_key()
    folder = tmp_path / "证书 目录"
    folder.mkdir()
    path = render(SPEC, folder / "认定 证书.pdf", key=key)
    area = certificate_qr_area()
    image = render_page(Path(path), 0, area.page_width_mm, area.page_height_mm)
    matrix = read_modules(image, area.left_mm, area.top_mm, area.size_mm)
    assert read_qr(matrix) == make_code(SPEC.number, SPEC.center_name, SPEC.date, key)


def test_a_blank_area_has_no_qr_code(qapp, tmp_path: Path) -> None:
    path = render(SPEC, tmp_path / "c.pdf", key=new_key())
    area = certificate_qr_area()
    image = render_page(Path(path), 0, area.page_width_mm, area.page_height_mm)
    with pytest.raises(ValueError, match="空白"):
        read_modules(image, 0.5, 0.5, 3.0)  # the corner, outside the frame


def test_a_page_beyond_the_last_is_refused(qapp, tmp_path: Path) -> None:
    path = render(SPEC, tmp_path / "c.pdf", key=new_key())
    with pytest.raises(ValueError, match="没有第 2 页"):
        render_page(Path(path), 1, 297, 210)


def test_each_section_opens(qtbot, small_ctx) -> None:
    window = app_module.make_main_window_for_selftest(small_ctx)
    qtbot.addWidget(window)
    texts = {section: open_section(window, section) for section in SECTIONS}
    assert list(texts) == list(SECTIONS) and all(texts.values())
    assert texts["中心"] == "共 3 个中心，显示 3 个"
    assert window.current_section() == SECTIONS[-1]
    window.close()


def test_a_failed_load_is_recorded_not_shown(qtbot, qapp) -> None:
    previous = ops._report

    def fail() -> None:
        raise RuntimeError("读取失败")

    with _errors_recorded() as seen:
        ops.query_op(fail, parent=None, on_success=lambda _r: None)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert [str(e) for e in seen] == ["读取失败"]
    assert ops._report is previous  # restored


def test_high_dpi_policy_is_set_before_the_application_is_made(monkeypatch: pytest.MonkeyPatch, qapp) -> None:
    events: list[str] = []

    class NoApplicationYet:
        @staticmethod
        def instance() -> None:
            return None

        def __new__(cls, _argv: list[str]) -> object:
            events.append("QApplication")
            return qapp

    monkeypatch.setattr(app_module, "QApplication", NoApplicationYet)
    monkeypatch.setattr(app_module, "set_high_dpi_policy", lambda: events.append("policy"))
    app_module.create_application()
    assert events == ["policy", "QApplication"]


def test_an_existing_application_is_not_given_the_policy_again(monkeypatch: pytest.MonkeyPatch, qapp) -> None:
    calls: list[str] = []
    monkeypatch.setattr(app_module, "set_high_dpi_policy", lambda: calls.append("policy"))
    app_module.create_application()
    assert calls == []


def test_the_policy_is_pass_through(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen: list[object] = []
    monkeypatch.setattr(QGuiApplication, "setHighDpiScaleFactorRoundingPolicy", chosen.append)
    app_module.set_high_dpi_policy()
    assert chosen == [Qt.HighDpiScaleFactorRoundingPolicy.PassThrough]


def test_a_file_opens_with_its_default_program(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        open_file.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    target = tmp_path / "导出 文件" / "评估 结果 名单.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF-1.4\n")
    assert open_file.open_with_default_program(target) is True
    assert opened == [str(target)]  # intact: Chinese characters and spaces
    assert open_file.file_url(target).toString().startswith("file://")
    assert " " not in open_file.file_url(target).toEncoded().data().decode()  # percent-encoded


def test_a_missing_file_is_not_opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    opened: list[object] = []
    monkeypatch.setattr(open_file.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert open_file.open_with_default_program(tmp_path / "没有 这个.pdf") is False
    assert opened == []


def test_nothing_to_open_it_with_is_false(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(open_file.QDesktopServices, "openUrl", lambda _url: False)
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"PK")
    assert open_file.open_with_default_program(target) is False
