"""The 申报 list: list_declarations on the demo database, and what the GUI thread spends on it.

Run: .venv/bin/python benchmarks/bench_declaration_list.py   (figures in benchmarks/README.md)
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from lzcenter_desktop.services import declarations, demo
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.declarations.page import DeclarationsPage

    ctx = open_app(str(Path(tempfile.mkdtemp()) / "demo.sqlite"))
    demo.build_demo(ctx, seed=2026)
    times = []
    rows = []
    for _ in range(5):
        start = time.perf_counter()
        rows = declarations.list_declarations(ctx)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"list_declarations (worker thread): {len(rows)} declarations, median {median:.0f} ms")

    app = QApplication([])
    page = DeclarationsPage(ctx)
    gui = []
    for _ in range(5):
        start = time.perf_counter()
        task = page.refresh()
        gui.append((time.perf_counter() - start) * 1000)
        task.wait(10)
        app.processEvents()
    while page.loading:
        app.processEvents()
    median = statistics.median(gui)
    print(f"page.refresh() on the GUI thread: median {median:.2f} ms; rows {page.table.rowCount()}")
    page.deleteLater()
    app.processEvents()
    ctx.db.dispose()


if __name__ == "__main__":
    main()
