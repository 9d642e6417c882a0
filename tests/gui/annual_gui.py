"""Helpers for the 年报 page tests: a small database of titled centres with their 2025 工作年报 made
through the services, the page shown at office size and waited for, and the example report moved
to another year and centre."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.annual.page import AnnualPage
from lzcenter_desktop.ui.tasks import running_tasks
from tests.integration.annual.annual_helpers import titled_centre

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "annual-report-2026.json"
Y = 2025
NEW_YEAR = dt.date(Y + 1, 1, 1)


def document(year: int = Y, *, name: str | None = None) -> dict[str, Any]:
    """The example report moved to ``year`` (its dates of 2026 into that year)."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('"2026-', f'"{year}-')
    data: dict[str, Any] = json.loads(text)
    data["year"] = year
    if name is not None:
        data["center"]["name_zh"] = name
    return data


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def submitted_report(ctx: AppContext, center_id: int, on: dt.date, *, year: int = Y) -> int:
    """A complete report of ``year`` reviewed by the host and submitted on ``on``."""
    rid = reports.save_report(ctx, center_id=center_id, year=year, data=document(year))
    reports.record_host_review(ctx, report_id=rid, reviewer="赵六", reviewed_on=dt.date(year, 12, 15))
    reports.submit_report(ctx, report_id=rid, submitted_on=on)
    return rid


def three_centres(ctx: AppContext) -> dict[str, int]:
    """轻量化 (report submitted 31 December), 智能装备 (submitted 1 January), 电池 (no report)."""
    ids = {
        "轻量化": titled_centre(ctx, "轻量化", dt.date(2024, 6, 3)),
        "智能装备": titled_centre(ctx, "智能装备", dt.date(2024, 6, 3)),
        "电池": titled_centre(ctx, "电池", dt.date(2024, 6, 3)),
    }
    submitted_report(ctx, ids["轻量化"], dt.date(Y, 12, 31))
    submitted_report(ctx, ids["智能装备"], dt.date(Y + 1, 1, 1))
    return ids


def received_centres(ctx: AppContext, cores: list[str]) -> dict[str, int]:
    """Centres whose 2025 reports all arrived on 20 December, hosts in alternating districts."""
    ids: dict[str, int] = {}
    for n, core in enumerate(cores):
        district = "450202" if n % 2 == 0 else "450203"
        ids[core] = titled_centre(ctx, core, dt.date(2024, 6, 3), district=district)
        submitted_report(ctx, ids[core], dt.date(Y, 12, 20))
    return ids


def settle(qtbot: Any, page: AnnualPage) -> None:
    """Every read and write the page started has answered (and the reads they caused too)."""
    for _ in range(3):
        assert ops.wait_for_writes()
        qtbot.waitUntil(lambda: running_tasks() == 0 and not page.busy, timeout=30000)
        QCoreApplication.processEvents()


def shown_page(qtbot: Any, ctx: AppContext, *, today: dt.date = NEW_YEAR) -> AnnualPage:
    page = AnnualPage(ctx, today=today)
    qtbot.addWidget(page)
    page.resize(1366 - 130, 700)
    page.show()
    page.on_shown(True)
    settle(qtbot, page)
    return page
