"""Centres taken through the guarded lifecycle to 已认定 on a chosen day (tests/review_records.py
records the review result and the 公示 each step needs), and 工作年报 rows written in a unit of work
as the 年报 section would (no annual-report service exists yet)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import col, select

from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import AnnualReport, Organization
from tests.review_records import NOTICE_DAYS, take_steps


def open_db(tmp_path: Path, name: str = "annual.sqlite") -> AppContext:
    return open_app(str(tmp_path / name), operator="覃科长")


def titled_centre(
    ctx: AppContext, core: str, recognised: date, *, district: str | None = None, industry: str = "汽车"
) -> int:
    """A centre of host 柳州<core>有限公司 recognised on ``recognised`` (the 公示 ends the day before)."""
    host = organizations.create_organization(ctx, name=f"柳州{core}有限公司", kind="enterprise")
    if district is not None:
        with unit_of_work(ctx, "test.annual_helpers") as session:
            org = session.execute(select(Organization).where(col(Organization.id) == host)).scalar_one()
            org.district_code = district
            session.add(org)
    notice_from = recognised - timedelta(days=NOTICE_DAYS + 1)
    cid = centers.create_center(
        ctx,
        name_zh=f"柳州{core}工程技术研究中心（柳州{core}有限公司）",
        host_id=host,
        on=recognised - timedelta(days=100),
        industries=[industry],
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", recognised - timedelta(days=90)),
            ("under_review", recognised - timedelta(days=60)),
            ("proposed", notice_from - timedelta(days=1)),
            ("public_notice", notice_from),
            ("recognised", recognised),
        ],
    )
    return cid


def add_report(
    ctx: AppContext, center_id: int, year: int, submitted_on: date | None, *, status: str = "filed"
) -> int:
    with unit_of_work(ctx, "test.annual_helpers") as session:
        report = AnnualReport.model_validate(
            {
                "center_id": center_id,
                "year": year,
                "status": status,
                "submitted_on": submitted_on,
                "host_assessment": "qualified",
            }
        )
        session.add(report)
        session.flush()
        assert report.id is not None
        return report.id
