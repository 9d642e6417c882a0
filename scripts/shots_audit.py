"""帮助 → 审计日志 on the demo database at 1366×768: ``audit-viewer.png`` — the newest entries, one
selected (its content below the table), and the result of 校验.

Run alone:  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py --only audit
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, process, wait


def audit_viewer(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.ui.main_window import MainWindow

    written: list[Path] = []
    window = MainWindow(ctx)
    window.resize(*SCREEN)
    try:
        window.audit_action.trigger()
        dialog = window.audit_dialog
        dialog.resize(*SCREEN)
        wait(lambda: dialog.loaded and dialog.operator.count() > 1, "审计日志的第一页")
        dialog.table.selectRow(1)
        dialog.run_verify()
        wait(lambda: not dialog.verifying, "审计链校验")
        if not dialog.message.text().startswith("审计链完整"):
            raise RuntimeError(f"演示数据库的审计链校验未通过：{dialog.message.text()}")
        process(0.3)
        grab(dialog, out / "audit-viewer.png", written)
        dialog.close()
    finally:
        window.close()
        window.deleteLater()
        process(0.2)
    return written
