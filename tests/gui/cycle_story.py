"""The cast and the props of the three-year cycle test (tests/gui/test_three_year_cycle.py): which
demo centres play which part (chosen by state and role through the services, never by id), the
工作年报 files the clerk imports (the example report adjusted per centre), the main window at
1366×768 with its pages told the story's day, and the clicks each page step takes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from lzcenter_desktop.services import centers
from lzcenter_desktop.services.annual import dues, reports
from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center
from lzcenter_desktop.ui import main_window
from lzcenter_desktop.ui.models.base import RowObjectRole
from lzcenter_desktop.ui.pages.base import PageSpec
from tests.gui.review_gui import fill, settle, submit, type_date

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "annual-report-2026.json"
RECEIVED = ("submitted", "filed")


# -- the cast ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cast:
    """The demo centres of the story (ids read from the demo, by state and role).

    rectifying: the demo's 整改中 centre (2025 grade 整改) — accepted in December 2026, 整改 again in
    2028, revoked; excellent / qualified: recognised centres due in 2028 with a received 2025 report
    (their 第九条 re-check has its data); withdrawing: due in 2028, sends no 2026 report and withdraws;
    on_last_day / late: 2026 reports submitted on 31 December / on 1 January."""

    rectifying: int
    excellent: int
    qualified: int
    withdrawing: int
    on_last_day: int
    late: int
    obliged_2026: tuple[int, ...]

    @property
    def evaluated(self) -> tuple[int, ...]:
        return (self.rectifying, self.excellent, self.qualified, self.withdrawing)


def states(ctx: Any) -> dict[int, str]:
    with reading(ctx) as session:
        return dict(session.execute(select(col(Center.id), col(Center.state))).all())  # type: ignore[arg-type]


def choose_cast(ctx: Any) -> Cast:
    state = states(ctx)
    (rectifying,) = [cid for cid, s in state.items() if s == "rectifying"]
    obliged = tuple(r.center_id for r in dues.year_dues(ctx, year=2026, as_of=dt.date(2027, 1, 1)).rows)
    due_2028 = {c.center_id for c in rounds.due_centres(ctx, year=2028, as_of=dt.date(2028, 3, 1))}
    assert rectifying in obliged and rectifying in due_2028
    report_2026 = {cid: reports.find_report(ctx, center_id=cid, year=2026) for cid in obliged}
    open_2026 = [cid for cid in obliged if report_2026[cid] is None or report_2026[cid].status == "draft"]
    recognised = sorted(cid for cid in obliged if state[cid] == "recognised" and cid in due_2028)

    def received_2025(cid: int) -> bool:
        found = reports.find_report(ctx, center_id=cid, year=2025)
        return found is not None and found.status in RECEIVED

    withdrawing = next(cid for cid in recognised if report_2026[cid] is None)
    good = [cid for cid in recognised if cid != withdrawing and received_2025(cid)]
    excellent, qualified = good[0], good[1]
    others = [cid for cid in open_2026 if cid not in (rectifying, excellent, qualified, withdrawing)]
    return Cast(
        rectifying=rectifying,
        excellent=excellent,
        qualified=qualified,
        withdrawing=withdrawing,
        on_last_day=others[0],
        late=others[1],
        obliged_2026=obliged,
    )


# -- the files the clerk imports -----------------------------------------------------------------------
def report_document(ctx: Any, center_id: int, year: int) -> dict[str, Any]:
    """The example 工作年报 moved to ``year`` and to the centre: its names and host, and — from its
    latest received report, when that has them — its staff, floor area, equipment and director (the
    centre's own, so the evaluation's 第九条 re-check reads what the centre has); projects and outputs
    are the example's, named and numbered for the centre and the year."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8").replace('"2026-', f'"{year}-'))
    data["year"] = year
    centre = centers.get_center(ctx, center_id)
    data["center"]["name_zh"] = centre.row.name
    data["host"] = {"name": centre.row.host, "credit_code": centre.host_credit_code or ""}
    latest = next(
        (
            found.data
            for earlier in range(year - 1, year - 4, -1)
            if (found := reports.find_report(ctx, center_id=center_id, year=earlier)) is not None
            and found.status in RECEIVED
            and found.data
        ),
        {},
    )
    for key in ("staff", "conditions", "equipment"):
        if latest.get(key):
            data[key] = latest[key]
    director = latest.get("director")
    if isinstance(director, dict) and director.get("name"):
        data["director"] = {"name": director["name"], "months_at_center": 12}
    data["projects"][0]["name"] = f"{year}年度{data['projects'][0]['name']}（{center_id}）"
    data["projects"][0]["approved_date"] = f"{year}-03-01"
    for n, output in enumerate(data["outputs"], 1):
        output["title"] = f"{output['title']}（{year}-{center_id}-{n}）"
        if "number" in output:
            output["number"] = f"ZL{year}{n}{center_id:07d}.1"
    return data


def write_report(ctx: Any, folder: Path, center_id: int, year: int) -> Path:
    path = folder / f"年报-{year}-{center_id}.json"
    path.write_text(json.dumps(report_document(ctx, center_id, year), ensure_ascii=False, indent=2), "utf-8")
    return path


# -- the window ------------------------------------------------------------------------------------------
def dated_pages(start: dt.date, dashboard_day: dt.date) -> tuple[PageSpec, ...]:
    """``main_window.PAGES`` with the 年报 and 绩效评估 pages built for the story's first day and the
    概览 for the day after the cycle — the test's seam for the day: in the program each page takes
    the system's date; the pages' own ``today`` (the constructor argument, the attribute of 年报 and
    绩效评估) is what a test sets, as the page tests do."""

    def annual(ctx: Any) -> Any:
        from lzcenter_desktop.ui.annual.page import AnnualPage

        return AnnualPage(ctx, today=start)

    def evaluation(ctx: Any) -> Any:
        from lzcenter_desktop.ui.evaluation.page import EvaluationPage

        return EvaluationPage(ctx, today=start)

    def dashboard(ctx: Any) -> Any:
        from lzcenter_desktop.ui.dashboard.page import DashboardPage

        return DashboardPage(ctx, today=dashboard_day)

    made = {"年报": annual, "绩效评估": evaluation, "概览": dashboard}
    return tuple(PageSpec(s.title, made.get(s.title, s.factory), s.number) for s in main_window.PAGES)


def office_size() -> tuple[int, int]:
    """The main window's first size on a 1366×768 office screen with a 40 px taskbar."""
    return main_window.window_size(1366, 768 - 40)


def go(qtbot: Any, window: Any, section: str) -> Any:
    assert window.show_section(section)
    page = window.page(section)
    if hasattr(page, "busy"):
        settle(qtbot, page)
    return page


# -- 年报: one centre's report through the 报送情况 tab ---------------------------------------------------
def select_centre(page: Any, center_id: int) -> Any:
    assert page.status.select_centre(center_id), f"centre {center_id} not in the table"
    row = page.status.selected()
    assert row is not None
    return row


def report_through_page(
    qtbot: Any,
    page: Any,
    center_id: int,
    path: Path,
    *,
    reviewed_on: dt.date,
    submitted_on: dt.date,
    filed_on: dt.date | None,
) -> None:
    """Import (when nothing was received yet), 依托单位审核, 报送 and 备案 of one centre's report."""
    tab = page.status
    row = select_centre(page, center_id)
    if row.report_status in (None, "draft"):
        tab.choose_open_path = lambda: path
        tab.import_button.click()
        settle(qtbot, page)
        assert "已导入" in tab.message.text(), tab.message.text()
        select_centre(page, center_id)
        tab.review_button.click()
        fill(tab.dialog.reviewer, "覃审核")
        type_date(tab.dialog.on, reviewed_on)
        submit(qtbot, page, tab.dialog)
        select_centre(page, center_id)
        tab.submit_button.click()
        type_date(tab.dialog.on, submitted_on)
        submit(qtbot, page, tab.dialog)
        row = select_centre(page, center_id)
        assert row.report_status == "submitted", tab.message.text()
    if filed_on is not None and row.report_status == "submitted":
        tab.file_button.click()
        type_date(tab.dialog.on, filed_on)
        submit(qtbot, page, tab.dialog)
        assert select_centre(page, center_id).report_status == "filed"


def table_cells(page: Any) -> dict[int, list[str]]:
    """What the 报送情况 table shows, by centre id."""
    proxy = page.status.proxy
    out: dict[int, list[str]] = {}
    for r in range(proxy.rowCount()):
        row = proxy.index(r, 0).data(RowObjectRole)
        cells = [str(proxy.index(r, c).data()) for c in range(proxy.columnCount())]
        out[row.due.center_id] = cells
    return out
