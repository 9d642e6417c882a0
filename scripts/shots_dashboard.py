"""The 概览 section on the demo database at 1366×768: ``dashboard.png`` — the first screen a clerk
sees, every figure loaded (charts drawn, counts filled).

Run alone:  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py --only dashboard
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, process, wait


def dashboard(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.ui.app import make_main_window_for_selftest

    written: list[Path] = []
    window = make_main_window_for_selftest(ctx)
    window.resize(*SCREEN)
    try:
        window.show_section("概览")
        page = window.page("概览")
        wait(lambda: not page.loading, "概览的各项统计")
        window.wait_until_idle()
        process(0.5)
        problems = [
            f"{card.title}：{card.message.text()}" for card in page.cards.values() if card.state == "error"
        ]
        if problems:
            raise RuntimeError("概览有读取失败的统计：" + "；".join(problems))
        grab(window, out / "dashboard.png", written)
    finally:
        window.close()
        window.deleteLater()
        process(0.2)
    return written
