"""Optimistic locking of the 工作年报 editor: two clerks saving the same draft report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from annual_helpers import open_db, titled_centre

from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.services.versioning import STALE_PREFIX, StaleRecord

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"
CORE = "智能网联汽车"


def _document(director: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["center"]["name_zh"] = f"柳州{CORE}工程技术研究中心（柳州{CORE}有限公司）"
    data["host"]["name"] = f"柳州{CORE}有限公司"
    data["director"]["name"] = director
    return data


def test_two_clerks_saving_the_same_report(tmp_path: Path) -> None:
    a = open_db(tmp_path)
    b = open_app(str(tmp_path / "annual.sqlite"), operator="乙科员")
    try:
        cid = titled_centre(a, CORE, date(2024, 6, 3))
        assert reports.find_report(a, center_id=cid, year=2026) is None
        # a new report: expected version 0 ("there was none when I started")
        rid = reports.save_report(a, center_id=cid, year=2026, data=_document("甲一"), expected_version=0)
        with pytest.raises(StaleRecord):  # a second "new" report over the first is refused
            reports.save_report(b, center_id=cid, year=2026, data=_document("乙零"), expected_version=0)
        mine = reports.get_report(a, rid)
        theirs = reports.get_report(b, rid)
        assert mine.version == 1
        reports.save_report(
            b, center_id=cid, year=2026, data=_document("乙二"), expected_version=theirs.version
        )
        assert reports.get_report(a, rid).version == 2
        with pytest.raises(StaleRecord) as caught:
            reports.save_report(
                a, center_id=cid, year=2026, data=_document("甲二"), expected_version=mine.version
            )
        assert str(caught.value).startswith(STALE_PREFIX)
        assert "乙科员" in str(caught.value) and "年度报告" in str(caught.value)
        assert reports.get_report(a, rid).data["director"]["name"] == "乙二"
        reports.save_report(a, center_id=cid, year=2026, data=_document("甲二"), expected_version=2)
        view = reports.get_report(b, rid)
        assert (view.version, view.data["director"]["name"]) == (3, "甲二")
    finally:
        a.db.dispose()
        b.db.dispose()
