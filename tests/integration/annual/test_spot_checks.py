"""现场核查 (services/annual/spot_checks.py, E21c): a seeded draw of the year's received reports —
the same seed draws the same list, strata by district or first industry covered when the count
equals their number, proportional one below — written in one unit of work with the seed in the
method; the site findings recorded against a drawn report; Chinese refusals that write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from annual_helpers import add_report, open_db, titled_centre
from sqlmodel import col, func, select

from lzcenter_desktop.services.annual import spot_checks
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AnnualReport, AuditEntry, VerificationDraw

Y = 2025
DRAWN_ON = date(2026, 2, 20)
# core, district (城中区 450202 ×3, 柳北区 450205 ×2, 柳江区 450206 ×1), first industry
CENTRES = (
    ("轻量化", "450202", "汽车"),
    ("智能装备", "450202", "汽车"),
    ("螺蛳粉", "450202", "食品"),
    ("新材料", "450205", "新材料"),
    ("电池", "450205", "汽车"),
    ("柳钢", "450206", "新材料"),
)
DISTRICTS = {"450202", "450205", "450206"}


def build(tmp_path: Path, name: str = "annual.sqlite") -> tuple[AppContext, dict[str, int]]:
    """Six centres with received 2025 reports (one late), one with only a draft."""
    ctx = open_db(tmp_path, name)
    reports: dict[str, int] = {}
    for i, (core, district, industry) in enumerate(CENTRES):
        cid = titled_centre(ctx, core, date(2024, 6, 3), district=district, industry=industry)
        reports[core] = add_report(ctx, cid, Y, date(Y, 12, 10 + i) if i else date(2026, 1, 3))
    draft = titled_centre(ctx, "草稿", date(2024, 6, 3), district="450202")
    reports["草稿"] = add_report(ctx, draft, Y, None, status="draft")
    return ctx, reports


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppContext, dict[str, int]]]:
    ctx, reports = build(tmp_path)
    yield ctx, reports
    ctx.db.dispose()


def draws(ctx: AppContext) -> int:
    with reading(ctx) as session:
        return int(session.execute(select(func.count()).select_from(VerificationDraw)).scalar_one())


def test_the_same_seed_draws_the_same_list(tmp_path: Path) -> None:
    lists = []
    for name in ("a.sqlite", "b.sqlite"):
        ctx, _ = build(tmp_path, name)
        try:
            view = spot_checks.draw_spot_checks(ctx, year=Y, count=3, drawn_on=DRAWN_ON, seed=2025)
            lists.append([r.center_name for r in view.reports])
        finally:
            ctx.db.dispose()
    assert lists[0] == lists[1]
    assert len(set(lists[0])) == 3


def test_the_draw_is_written_with_its_seed_and_linked_reports(
    world: tuple[AppContext, dict[str, int]],
) -> None:
    ctx, reports = world
    view = spot_checks.draw_spot_checks(
        ctx, year=Y, count=2, drawn_on=DRAWN_ON, seed=77, note="  委托第三方机构核查  "
    )
    assert view.method == "随机抽取2家（种子 77）"
    assert view.note == "委托第三方机构核查"
    with reading(ctx) as session:
        linked = session.execute(
            select(col(AnnualReport.id)).where(col(AnnualReport.verification_draw_id) == view.draw_id)
        ).scalars()
        assert sorted(linked) == sorted(r.report_id for r in view.reports)
        actions = set(
            session.execute(
                select(col(AuditEntry.action)).where(col(AuditEntry.entity) == "annual_report")
            ).scalars()
        )
    assert "annual.draw_spot_checks" in actions
    assert reports["草稿"] not in {r.report_id for r in view.reports}
    again = spot_checks.get_draw(ctx, view.draw_id)
    assert [r.report_id for r in again.reports] == [r.report_id for r in view.reports]


def test_a_seed_is_chosen_and_recorded_when_none_is_given(world: tuple[AppContext, dict[str, int]]) -> None:
    view = spot_checks.draw_spot_checks(world[0], year=Y, count=1, drawn_on=DRAWN_ON)
    assert view.method.startswith("随机抽取1家（种子 ")


@pytest.mark.parametrize("seed", [1, 2, 3, 2025])
def test_district_strata_at_the_boundary(tmp_path: Path, seed: int) -> None:
    for count, covered in ((3, 3), (2, 2)):
        ctx, _ = build(tmp_path, f"{seed}-{count}.sqlite")
        try:
            view = spot_checks.draw_spot_checks(
                ctx, year=Y, count=count, drawn_on=DRAWN_ON, seed=seed, stratify="district"
            )
        finally:
            ctx.db.dispose()
        strata = [r.stratum for r in view.reports]
        assert len(set(strata)) == covered
        assert set(strata) <= DISTRICTS
        if count == 2:  # proportional: 2×3/6 = 1 for 城中区, then 柳北区 by the larger remainder (⅔ > ⅓)
            assert set(strata) == {"450202", "450205"}
        assert view.method == f"随机抽取{count}家（种子 {seed}，按所在区县分层）"


def test_industry_strata_cover_every_first_industry(world: tuple[AppContext, dict[str, int]]) -> None:
    view = spot_checks.draw_spot_checks(
        world[0], year=Y, count=3, drawn_on=DRAWN_ON, seed=5, stratify="industry"
    )
    assert sorted(r.stratum or "" for r in view.reports) == ["新材料", "汽车", "食品"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 0}, "抽取数量应为正整数"),
        ({"count": -2}, "抽取数量应为正整数"),
        ({"count": 7}, "抽取数量 7 超过2025年度可抽取的已报送年报数 6"),
        ({"count": 1, "year": 2030}, "2030年度尚无已报送的工作年报"),
        ({"count": 1, "stratify": "city"}, "分层方式“city”无效"),
        ({"count": 1, "seed": -1}, "随机种子“-1”无效"),
    ],
)
def test_refusals_are_chinese_and_write_nothing(
    world: tuple[AppContext, dict[str, int]], kwargs: dict[str, object], message: str
) -> None:
    ctx, _ = world
    args: dict[str, object] = {"year": Y, "drawn_on": DRAWN_ON, "seed": 1, **kwargs}
    with pytest.raises(ServiceError, match=message):
        spot_checks.draw_spot_checks(ctx, **args)  # type: ignore[arg-type]
    assert draws(ctx) == 0


def test_all_received_reports_may_be_drawn_once(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, _ = world
    assert len(spot_checks.draw_spot_checks(ctx, year=Y, count=6, drawn_on=DRAWN_ON, seed=1).reports) == 6
    with pytest.raises(ServiceError, match="2025年度尚无已报送的工作年报"):
        spot_checks.draw_spot_checks(ctx, year=Y, count=1, drawn_on=DRAWN_ON, seed=1)
    assert draws(ctx) == 1


def test_findings_are_recorded_against_a_drawn_report(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, reports = world
    view = spot_checks.draw_spot_checks(ctx, year=Y, count=1, drawn_on=DRAWN_ON, seed=3)
    drawn = view.reports[0].report_id
    with pytest.raises(ServiceError, match="请填写现场核查结果"):
        spot_checks.record_findings(ctx, report_id=drawn, findings="   ")
    with pytest.raises(ServiceError, match="不能超过 1000 字"):
        spot_checks.record_findings(ctx, report_id=drawn, findings="核" * 1001)
    spot_checks.record_findings(ctx, report_id=drawn, findings="核" * 1000)
    spot_checks.record_findings(ctx, report_id=drawn, findings=" 年报数据属实，研发场地与申报一致 ")
    assert spot_checks.get_draw(ctx, view.draw_id).reports[0].findings == "年报数据属实，研发场地与申报一致"
    other = next(rid for rid in reports.values() if rid != drawn)
    with pytest.raises(ServiceError, match="未被抽中现场核查"):
        spot_checks.record_findings(ctx, report_id=other, findings="属实")
    with pytest.raises(ServiceError, match="找不到编号为 9999 的工作年报"):
        spot_checks.record_findings(ctx, report_id=9999, findings="属实")
