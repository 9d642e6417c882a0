"""工作年报 due dates (services/annual/dues.py, E21a): who must report for 2025 (recognised during the
year included, recognised 1 January 2026 or revoked by 31 December not), received / late / missing /
overdue around the deadline of the year's rule settings, the reminder list from 1 December."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from annual_helpers import add_report, open_db, titled_centre

from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.annual import dues
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from tests.consequence_records import step_by_evaluation

Y = 2025


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, dict[str, int]]]:
    ctx = open_db(tmp_path_factory.mktemp("dues"))
    ids = {
        "轻量化": titled_centre(ctx, "轻量化", date(2024, 6, 3)),  # filed 31 December
        "智能装备": titled_centre(
            ctx, "智能装备", date(Y, 12, 31)
        ),  # recognised on the last day, filed 1 January
        "螺蛳粉": titled_centre(ctx, "螺蛳粉", date(2026, 1, 1)),  # recognised the next year: not due
        "新材料": titled_centre(ctx, "新材料", date(2023, 5, 8)),  # revoked 31 December: not due
        "电池": titled_centre(ctx, "电池", date(2023, 5, 8)),  # revoked 1 January 2026: due, only a draft
        "柳钢": titled_centre(ctx, "柳钢", date(2023, 5, 8)),  # no report at all
    }
    step_by_evaluation(ctx, ids["新材料"], "revoked", date(Y, 12, 31))  # 评估不合格
    step_by_evaluation(ctx, ids["电池"], "revoked", date(2026, 1, 1))
    add_report(ctx, ids["轻量化"], Y, date(Y, 12, 31))
    add_report(ctx, ids["智能装备"], Y, date(2026, 1, 1), status="submitted")
    add_report(ctx, ids["电池"], Y, date(Y, 12, 20), status="draft")  # a draft has not reached the bureau
    add_report(ctx, ids["轻量化"], Y - 1, date(Y - 1, 12, 1))
    yield ctx, ids
    ctx.db.dispose()


def statuses(ctx: AppContext, as_of: date) -> dict[int, DueStatus]:
    return {row.center_id: row.status for row in dues.year_dues(ctx, year=Y, as_of=as_of).rows}


def test_who_must_report(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    due = statuses(ctx, date(2026, 2, 1))
    assert set(due) == {ids["轻量化"], ids["智能装备"], ids["电池"], ids["柳钢"]}
    next_year = dues.year_dues(ctx, year=Y + 1, as_of=date(2026, 2, 1))
    assert ids["螺蛳粉"] in {row.center_id for row in next_year.rows}
    assert ids["电池"] not in {row.center_id for row in next_year.rows}


def test_filed_31_december_is_received_and_1_january_late(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    due = statuses(ctx, date(2026, 2, 1))
    assert due[ids["轻量化"]] is DueStatus.RECEIVED
    assert due[ids["智能装备"]] is DueStatus.LATE
    assert due[ids["电池"]] is DueStatus.OVERDUE
    assert due[ids["柳钢"]] is DueStatus.OVERDUE


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (
            date(Y, 12, 31),
            {"轻量化": DueStatus.RECEIVED, "智能装备": DueStatus.MISSING, "柳钢": DueStatus.MISSING},
        ),
        (
            date(2026, 1, 1),
            {"轻量化": DueStatus.RECEIVED, "智能装备": DueStatus.LATE, "柳钢": DueStatus.OVERDUE},
        ),
    ],
)
def test_status_as_of_the_deadline_and_the_day_after(
    world: tuple[AppContext, dict[str, int]], as_of: date, expected: dict[str, DueStatus]
) -> None:
    ctx, ids = world
    due = statuses(ctx, as_of)
    assert {name: due[ids[name]] for name in expected} == expected


@pytest.mark.parametrize(
    ("as_of", "reminded"),
    [
        (date(Y, 11, 30), set()),
        (date(Y, 12, 1), {"轻量化", "智能装备", "电池", "柳钢"}),
        (date(2026, 1, 1), {"电池", "柳钢"}),
    ],
)
def test_reminders_from_1_december_to_those_not_received(
    world: tuple[AppContext, dict[str, int]], as_of: date, reminded: set[str]
) -> None:
    ctx, ids = world
    view = dues.year_dues(ctx, year=Y, as_of=as_of)
    names = {name for name, cid in ids.items() if cid in {row.center_id for row in view.reminders}}
    assert names == reminded
    assert view.reminders_from == date(Y, 12, 1)


def test_rows_carry_names_and_chinese_labels(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    view = dues.year_dues(ctx, year=Y, as_of=date(2026, 1, 1))
    row = next(r for r in view.rows if r.center_id == ids["智能装备"])
    assert row.host_name == "柳州智能装备有限公司"
    assert row.status_label == "逾期报送"
    assert row.deadline == date(Y, 12, 31)
    assert [r.center_id for r in view.with_status(DueStatus.RECEIVED)] == [ids["轻量化"]]


def test_the_deadline_comes_from_the_years_rule_settings(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = titled_centre(ctx, "轻量化", date(2024, 6, 3))
        add_report(ctx, cid, Y, date(Y, 12, 21))
        rulesets.save_settings(
            ctx, year=Y, settings=RuleSettings(annual_report_due="12-20"), note="截止日提前"
        )
        view = dues.year_dues(ctx, year=Y, as_of=date(2026, 1, 5))
        assert view.deadline == date(Y, 12, 20)
        assert [r.status for r in view.rows] == [DueStatus.LATE]
    finally:
        ctx.db.dispose()


def test_an_invalid_year_is_refused_in_chinese(world: tuple[AppContext, dict[str, int]]) -> None:
    with pytest.raises(ServiceError, match="年报年度“25”无效"):
        dues.year_dues(world[0], year=25, as_of=date(2026, 1, 1))
