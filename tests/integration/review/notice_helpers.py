"""Centres walked to 拟认定 on fixed dates of 2026 (tests/review_records.py writes the 拟认定 result the
guarded step needs), for the 公示 and 认定 tests: the notice period can then be tested around 国庆
with the built-in holiday table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services import centers, organizations, rulesets
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.review import calls
from tests.review_records import take_steps

PROPOSED_ON = date(2026, 9, 1)
NATIONAL_DAY_START = date(2026, 9, 28)  # Monday before 国庆
NATIONAL_DAY_END = date(2026, 10, 9)  # the 5th working day: 28, 29, 30 September, 8 and 9 October
WORKING = RuleSettings(public_notice_days=5, public_notice_working_days=True)
CORES = ("汽车轻量化", "智能装备", "螺蛳粉")


def open_db(tmp_path: Path) -> AppContext:
    return open_app(str(tmp_path / "notice.sqlite"), operator="覃科长")


def proposed_centre(ctx: AppContext, core: str, *, on: date = PROPOSED_ON) -> int:
    host = organizations.create_organization(ctx, name=f"柳州{core}有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx,
        name_zh=f"柳州{core}工程技术研究中心（柳州{core}有限公司）",
        host_id=host,
        on=date(on.year, 3, 1),
        industries=["汽车"],
    )
    take_steps(
        ctx,
        cid,
        [("submitted", date(on.year, 3, 10)), ("under_review", date(on.year, 5, 1)), ("proposed", on)],
    )
    return cid


def proposed_centres(ctx: AppContext, *, working_days: bool = True) -> tuple[int, list[int]]:
    """The 2026 call's id and three 拟认定 centres; the 2026 rule set counts 5 working days (or keeps
    the default 7 calendar days)."""
    if working_days:
        rulesets.save_settings(ctx, year=2026, settings=WORKING, note="公示期5个工作日")
    ids = [proposed_centre(ctx, core) for core in CORES]
    call = calls.call_for_year(ctx, 2026)
    assert call is not None
    return call.id, ids
