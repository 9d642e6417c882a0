"""Screenshots of the main window on a fresh demo database, taken offscreen.

    python -m lzcenter_desktop.ui.screenshots [OUTPUT_DIR]      (default: docs/screenshots)

Writes main-window.png (中心 list with a centre's detail open), rules.png and settings.png at
1400×860.  The demo database is built in a temporary folder; nothing of the user's is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SIZE = (1400, 860)


def take_screenshots(output_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.app import make_main_window_for_selftest
    from lzcenter_desktop.ui.models.centers import COL_STATUS

    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lzcenter-shots-") as tmp:
        ctx = open_app(str(Path(tmp) / "demo.sqlite"))
        try:
            demo.build_demo(ctx, seed=2026)
            window = make_main_window_for_selftest(ctx)
            window.resize(*SIZE)
            page = window.centers_page
            # A centre with a long history makes the timeline worth looking at.
            statuses = [page.proxy.index(r, COL_STATUS).data() for r in range(page.proxy.rowCount())]
            row = statuses.index("已撤销") if "已撤销" in statuses else 0
            page.select_row(row)
            window.wait_until_idle()
            QApplication.processEvents()
            written = [output_dir / "main-window.png"]
            window.grab().save(str(written[-1]))

            window.show_section("规则")
            window.wait_until_idle()
            window.rules_page.select_rule("D9.3b")
            QApplication.processEvents()
            written.append(output_dir / "rules.png")
            window.grab().save(str(written[-1]))

            window.show_section("设置")
            window.wait_until_idle()
            QApplication.processEvents()
            written.append(output_dir / "settings.png")
            window.grab().save(str(written[-1]))
            window.close()
            window.deleteLater()
            QApplication.processEvents()
        finally:
            ctx.db.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else Path("docs/screenshots")
    for path in take_screenshots(output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
