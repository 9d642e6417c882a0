"""Screenshots of the 文档 page and the 验证证书 dialog on a fresh demo database, taken offscreen.

    python -m lzcenter_desktop.ui.documents.screenshots [OUTPUT_DIR]      (default: docs/screenshots)

Writes documents-certificate.png (a certificate in the preview), documents-plaque.png (a plaque
with bleed) and documents-verify.png (the dialog after checking a genuine code).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

SIZE = (1400, 860)


def _wait(predicate: object, timeout_s: float = 30.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.01)
    raise TimeoutError("文档页面截图超时")


def _settle(seconds: float = 2.0) -> None:
    """Let QPdfView render its pages (it does so on a thread of its own, after the load)."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def take_screenshots(output_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lzcenter_desktop.services import demo, documents
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.services.documents import make_code
    from lzcenter_desktop.ui.app import create_application
    from lzcenter_desktop.ui.documents.page import KIND_PLAQUE, DocumentsPage

    create_application()
    output_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lzcenter-shots-") as tmp:
        ctx = open_app(str(Path(tmp) / "demo.sqlite"))
        try:
            demo.build_demo(ctx, seed=2026)
            page = DocumentsPage(ctx)
            page.setWindowTitle("文档")
            page.resize(*SIZE)
            page.show()
            page.on_shown(True)  # as the main window does on the first visit: the page reads now
            _wait(lambda: page.loaded)
            item = next(c for c in page.centers if c.recognised and c.certificate_no)
            page.select_center(item.id)
            task = page.generate()
            assert task is not None
            _wait(lambda: task.is_finished and page.pdf.pageCount() > 0)
            _settle()
            written.append(output_dir / "documents-certificate.png")
            page.grab().save(str(written[-1]))

            page.set_kind(KIND_PLAQUE)
            page.select_center(item.id)
            page.bleed_check.setChecked(True)
            task = page.generate()
            assert task is not None
            _wait(lambda: task.is_finished and "牌匾" in page.preview_label.text())
            _settle()
            written.append(output_dir / "documents-plaque.png")
            page.grab().save(str(written[-1]))

            spec = documents.certificate_spec(ctx, item.id)
            dialog = page.open_verify_dialog()
            key = documents.bureau_key(ctx)
            dialog.code_edit.setText(make_code(spec.number, spec.center_name, spec.date, key))
            dialog.verify()
            _wait(lambda: not dialog.checking)
            dialog.adjustSize()
            QApplication.processEvents()
            written.append(output_dir / "documents-verify.png")
            dialog.grab().save(str(written[-1]))
            dialog.close()
            page.close()
            page.deleteLater()
            QApplication.processEvents()
        finally:
            ctx.db.dispose()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    for path in take_screenshots(target):
        print(path)
