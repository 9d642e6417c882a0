"""E23a on the centre's current data (services/evaluation/conditions.py via results.recheck): the
recognition declaration with the received 工作年报 laid over it — staff (7 vs 8 fixed staff), area
and equipment from the latest received report (a draft does not count), projects and outputs of
every report in the 近三年 window (counted once), funds received per year (D9.6c/d), R&D intensity
only where the report's revenue is recorded; a centre without a declaration is flagged, not failed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import results, rounds
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AuditEntry
from tests.evaluation_records import (
    GRADED_ON,
    add_annual_report,
    add_report_history,
    evaluation_of,
    open_db,
    recognised_centre,
    report_document,
    score_evaluation,
    start_round,
)

D = dt.date
RECOGNISED = D(2023, 6, 10)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_db(tmp_path)
    yield c
    c.db.dispose()


def recheck(ctx: AppContext, center_id: int) -> tuple[list[Violation], rounds.EvaluationView]:
    round_id = start_round(ctx, center_ids=[center_id])
    eid = evaluation_of(ctx, round_id, center_id)
    found = results.recheck(ctx, evaluation_id=eid, as_of=GRADED_ON)
    return found, rounds.get_evaluation(ctx, eid)


def failing(found: list[Violation]) -> set[str]:
    """The D9 rules named by the error-level E23a violations."""
    return {v.message.split("（", 1)[1].split(" ", 1)[0] for v in found if v.severity is Severity.ERROR}


def test_full_history_meets_the_conditions_and_is_stored(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "齐全", RECOGNISED)
    add_report_history(ctx, cid, (2023, 2024, 2025))
    found, view = recheck(ctx, cid)
    assert failing(found) == set()
    assert view.conditions_ok is True and view.conditions_label == "满足"
    with reading(ctx) as session:
        actions = set(session.execute(select(col(AuditEntry.action))).scalars())
    assert "evaluation.recheck" in actions


@pytest.mark.parametrize(("staff", "fails"), [(7, True), (8, False), (9, False)])
def test_fixed_staff_from_the_latest_report(ctx: AppContext, staff: int, fails: bool) -> None:
    cid = recognised_centre(ctx, "人员", RECOGNISED)
    add_report_history(ctx, cid, (2023, 2024))
    add_annual_report(ctx, cid, 2025, staff=staff)
    found, view = recheck(ctx, cid)
    assert ("D9.3a" in failing(found)) is fails
    assert view.conditions_ok is (not fails)
    assert all(v.rule == "E23a" and v.article == "第二十三条" for v in found)


def test_a_draft_report_is_not_current_data(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "草稿", RECOGNISED)
    add_report_history(ctx, cid, (2023, 2024, 2025))
    add_annual_report(ctx, cid, 2026, status="draft", staff=3, floor_area_m2=10)
    found, _ = recheck(ctx, cid)
    assert failing(found) == set()


def test_part_time_staff_are_not_fixed_staff(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "兼职", RECOGNISED)
    add_report_history(ctx, cid, (2023, 2024))
    doc = report_document(2025, staff=10)
    for row in doc["staff"][:3]:
        row["full_time"] = False
    add_annual_report(ctx, cid, 2025, data=doc)
    found, _ = recheck(ctx, cid)
    assert "D9.3a" in failing(found)  # 7 full-time


def test_projects_and_outputs_in_the_three_year_window(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "窗口", RECOGNISED)
    add_report_history(ctx, cid, (2023, 2025))  # the 2023 project (April) is before 2023-11-20
    found, _ = recheck(ctx, cid)
    assert "D9.4a" in failing(found)  # one project in 近三年
    assert "D9.4b" in failing(found)  # 3 outputs of 2025 only
    assert "D9.6d" in failing(found)  # nothing received in 2024


def test_the_same_patent_in_a_report_and_the_declaration_counts_once(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "重复", RECOGNISED)
    add_report_history(ctx, cid, (2023, 2024))
    doc = report_document(2025)
    doc["outputs"][0]["number"] = "ZL202410000001.1"  # the 2024 report's patent again
    add_annual_report(ctx, cid, 2025, data=doc)
    found, _ = recheck(ctx, cid)
    assert not any("重复" in v.message for v in found)
    assert failing(found) == set()  # 2 + 3 … still 5 or more counted in the window


def test_rd_intensity_only_where_revenue_is_recorded(ctx: AppContext) -> None:
    unknown = recognised_centre(ctx, "收入", RECOGNISED)
    add_report_history(ctx, unknown, (2023, 2024, 2025), revenue_yuan=None)
    low = recognised_centre(ctx, "低强度", RECOGNISED)
    add_report_history(ctx, low, (2023, 2024, 2025), revenue_yuan=1_000_000_000)  # 0.5%
    round_id = start_round(ctx, center_ids=[unknown, low])
    found = results.recheck(ctx, evaluation_id=evaluation_of(ctx, round_id, unknown), as_of=GRADED_ON)
    assert any("D9.7b" in v.message and v.severity is Severity.WARNING for v in found)
    assert rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, unknown)).conditions_ok is True
    found = results.recheck(ctx, evaluation_id=evaluation_of(ctx, round_id, low), as_of=GRADED_ON)
    # D9.7b (第九条（七）“有一定强度”) is a warning: shown beside the score, not a failure
    assert any("D9.7b" in v.message and "0.50%" in v.message for v in found)
    assert failing(found) == set()
    assert rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, low)).conditions_ok is True


def test_without_a_declaration_the_conditions_are_flagged_not_failed(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "旧中心", D(2022, 3, 1), declaration=False)
    add_report_history(ctx, cid, (2023, 2024, 2025))
    round_id = start_round(ctx, center_ids=[cid])
    eid = evaluation_of(ctx, round_id, cid)
    score_evaluation(ctx, eid, ["95", "95", "95"])
    results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
    view = rounds.get_evaluation(ctx, eid)
    assert view.conditions_ok is None and view.conditions_label == "未复核"
    assert view.grade == "优秀"  # no cap without a failure
    assert len(view.violations) == 1 and "没有认定申报书" in view.violations[0][1]


def test_recheck_refused_for_a_withdrawn_centre(ctx: AppContext) -> None:
    cid = recognised_centre(ctx, "退出", RECOGNISED)
    round_id = start_round(ctx, center_ids=[cid])
    eid = evaluation_of(ctx, round_id, cid)
    rounds.withdraw(ctx, evaluation_id=eid, on=D(2026, 9, 2), reason="退出")
    with pytest.raises(ServiceError, match="无需复核"):
        results.recheck(ctx, evaluation_id=eid, as_of=GRADED_ON)
