"""The 年报 section on the demo database at 1366×768 (``annual-<n>-<what>.png``).

Before the images are taken the demo is walked a step further through the services, as a clerk
would on the page: two centres' 2026 reports imported from the example report (one of them reviewed
by its host and submitted), and a second, stratified draw of the 2025 reports. The images: the
current year's 报送情况 with its reminder list, the year before, 查看 of the submitted report, the
errors of a refused file, and the 现场核查 tab with findings being typed. Run through
``scripts/screenshots.py`` or alone::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_annual.py [OUTPUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, process, wait

EXAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "examples" / "annual-report-2026.json"


def example(year: int, name: str) -> dict[str, Any]:
    text = EXAMPLE.read_text(encoding="utf-8").replace('"2026-', f'"{year}-')
    data: dict[str, Any] = json.loads(text)
    data["year"] = year
    data["center"]["name_zh"] = name
    return data


def prepare(ctx: Any, today: dt.date) -> dict[str, int]:
    """Two 2026 reports and a second 2025 draw (see the module docstring); the ids to show."""
    from lzcenter_desktop.services.annual import dues, reports, spot_checks

    year = today.year if (today.month, today.day) >= (12, 1) else today.year - 1
    obliged = [row for row in dues.year_dues(ctx, year=year, as_of=today).rows if row.report_id is None]
    first, second = obliged[0], obliged[1]  # two centres whose report is not in yet
    submitted = reports.save_report(
        ctx, center_id=first.center_id, year=year, data=example(year, first.center_name)
    )
    reports.record_host_review(ctx, report_id=submitted, reviewer="覃立新", reviewed_on=dt.date(year, 11, 28))
    reports.submit_report(ctx, report_id=submitted, submitted_on=min(today, dt.date(year, 12, 31)))
    reports.save_report(ctx, center_id=second.center_id, year=year, data=example(year, second.center_name))
    draw = spot_checks.draw_spot_checks(
        ctx, year=year - 1, count=3, drawn_on=dt.date(year, 3, 2), seed=2026, stratify="district"
    )
    return {"year": year, "submitted": first.center_id, "draft": second.center_id, "draw": draw.draw_id}


def bad_workbook(ctx: Any, ids: dict[str, int], folder: Path) -> Path:
    """The submitted report's workbook with a 学历 the form does not know (大学 for 博士)."""
    from openpyxl import load_workbook

    from lzcenter_desktop.services.annual import report_files

    made = report_files.write_report_workbook(
        ctx, center_id=ids["submitted"], year=ids["year"], path=folder / "模板.xlsx"
    )
    book = load_workbook(made)
    cell = next(c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == "博士")
    cell.value = "大学"
    path = folder / "年报-学历有误.xlsx"
    book.save(path)
    return path


def annual_tabs(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.ui.app import make_main_window_for_selftest
    from lzcenter_desktop.ui.review.common import select_where

    today = dt.date.today()
    ids = prepare(ctx, today)
    written: list[Path] = []
    window = make_main_window_for_selftest(ctx)
    window.resize(*SCREEN)
    try:
        window.show_section("年报")
        page: Any = window.stack.currentWidget()

        def idle() -> None:
            wait(lambda: not page.busy, "年报")
            window.wait_until_idle()
            process(0.3)

        idle()
        page.choose_year(ids["year"])
        idle()
        tab = page.status
        select_where(tab.table, lambda r: r.due.center_id == ids["draft"])
        grab(window, out / "annual-1-status.png", written)

        page.choose_year(ids["year"] - 1)
        idle()
        tab.status_box.setCurrentIndex(0)
        grab(window, out / "annual-2-last-year.png", written)

        page.choose_year(ids["year"])
        idle()
        select_where(tab.table, lambda r: r.due.center_id == ids["submitted"])
        tab.view_report()
        idle()
        dialog = tab.dialog
        dialog.resize(1100, 700)
        process(0.3)
        grab(dialog, out / "annual-3-view.png", written)
        dialog.close()

        with tempfile.TemporaryDirectory(prefix="lzcenter-annual-") as tmp:
            path = bad_workbook(ctx, ids, Path(tmp))
            select_where(tab.table, lambda r: r.due.center_id == ids["draft"])
            tab.choose_open_path = lambda: path
            tab.import_report()
            idle()
            errors = tab.dialog
            process(0.3)
            grab(errors, out / "annual-4-import-refused.png", written)
            errors.close()

        page.show_tab(page.spot)
        page.choose_year(ids["year"] - 1)
        idle()
        spot = page.spot
        spot.draw_box.setCurrentIndex(spot.draw_box.findData(ids["draw"]))
        idle()
        spot.table.selectRow(0)
        idle()
        spot.findings.setPlainText("研发场地、设备与年报一致；研发人员名册中2人已离职，要求更正人员数据。")
        spot.seed.setText("2026")
        grab(window, out / "annual-5-spot-checks.png", written)
        spot.discard_changes()
    finally:
        window.close()
        window.deleteLater()
        process(0.2)
    return written


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.app import create_application

    create_application()
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lzcenter-shots-") as tmp:
        ctx: Any = open_app(str(Path(tmp) / "demo.sqlite"), operator="截图")
        try:
            demo.build_demo(ctx, seed=2026)
            for path in annual_tabs(ctx, out):
                print(path)
        finally:
            ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))
