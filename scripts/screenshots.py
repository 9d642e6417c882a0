"""Screenshots of every section of the main window at 1366×768 on a fresh demo database.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]
      (default: docs/screenshots; writes section-1-中心.png … section-9-设置.png)

The demo database is built in a temporary folder; nothing of the user's is touched. The size is the
office PCs' screen (issue 12): what a clerk sees must fit it. The older generators for the 文档 and
委员会 detail images are still in lzcenter_desktop/ui/*/screenshots.py.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIZE = (1366, 768)


def _settle(window: object, seconds: float = 1.5) -> None:
    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    window.wait_until_idle()  # type: ignore[attr-defined]


def take(output_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.app import make_main_window_for_selftest
    from lzcenter_desktop.ui.main_window import PAGES

    output_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lzcenter-shots-") as tmp:
        ctx = open_app(str(Path(tmp) / "demo.sqlite"))
        demo.build_demo(ctx)
        window = make_main_window_for_selftest(ctx)
        window.resize(*SIZE)
        for spec in PAGES:
            window.show_section(spec.title)
            _settle(window)
            path = output_dir / f"section-{spec.number}-{spec.title}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
        ctx.db.dispose()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    for p in take(target):
        print(p)
