"""Submitting the 工作年报 of the year a centre was recognised in: its yearly obligations (M12b,
M13c, M16a) are not judged for an incomplete year (as the committee checks do), those of a
complete year are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from annual_helpers import open_db, titled_centre

from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"


def first_year_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["management_meetings"] = []
    data["expert_meetings"] = []
    data["director"]["months_at_center"] = 2
    return data


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    app = open_db(tmp_path)
    yield app
    app.db.dispose()


def submit(ctx: AppContext, recognised: date) -> str:
    cid = titled_centre(ctx, f"首年{recognised.isoformat()}", recognised)
    rid = reports.save_report(ctx, center_id=cid, year=2026, data=first_year_document())
    reports.record_host_review(ctx, report_id=rid, reviewer="赵六", reviewed_on=date(2026, 12, 15))
    reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    return reports.get_report(ctx, rid).status


def test_the_recognition_years_report_is_submitted_without_meetings(ctx: AppContext) -> None:
    assert submit(ctx, date(2026, 1, 2)) == "submitted"  # the day after the year began


def test_a_complete_year_still_needs_the_meetings_and_months(ctx: AppContext) -> None:
    with pytest.raises(ServiceError, match="中心主任在中心工作 2 个月") as refused:
        submit(ctx, date(2026, 1, 1))  # recognised on its first day: a complete year
    assert "管理委员会召开会议 0 次" in refused.value.message
    assert "专家指导委员会召开会议 0 次" in refused.value.message
