"""Grading a round (services/evaluation/results.py): the grade from the round's bands on the exact
experts' score (bounds included), the cap at 整改 when E23a fails, no score → no grade (refused,
naming the centre), withdrawn → forfeit, the proposed outcome with the previous grades oldest
first, the result list, finishing the round and the next due date from its notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import results, rounds
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, Evaluation, EvaluationRound
from tests.evaluation_records import (
    FINISHED_ON,
    GRADED_ON,
    YEAR,
    add_past_evaluation,
    centre_with_history,
    evaluation_of,
    open_db,
    score_evaluation,
    start_round,
)

D = dt.date
RECOGNISED = D(2023, 6, 10)

# centre core → the three experts' totals, the grade and the proposed outcome
BANDS = {
    "满分": (["100", "100", "100"], "优秀", "keep"),
    "九十": (["90", "90", "90"], "优秀", "keep"),
    "均九十": (["90.01", "89.99", "90"], "优秀", "keep"),
    "八九九九": (["89.99", "89.99", "89.99"], "合格", "keep"),
    "均差一点": (["90", "90", "89.99"], "合格", "keep"),  # 89.9966…
    "七十": (["70", "70", "70"], "合格", "keep"),
    "六九九九": (["69.99", "69.99", "69.99"], "整改", "rectify"),
    "六零零一": (["60.01", "60.01", "60.01"], "整改", "rectify"),
    "六十": (["60", "60", "60"], "整改", "rectify"),
    "五九九九": (["59.99", "59.99", "59.99"], "不合格", "revoke"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, int, dict[str, int]]]:
    ctx = open_db(tmp_path_factory.mktemp("grading"))
    ids = {core: centre_with_history(ctx, core, RECOGNISED) for core in BANDS}
    round_id = start_round(ctx)
    for core, (totals, _, _) in BANDS.items():
        score_evaluation(ctx, evaluation_of(ctx, round_id, ids[core]), totals)
    results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
    yield ctx, round_id, ids
    ctx.db.dispose()


@pytest.mark.parametrize("core", list(BANDS))
def test_grade_from_the_bands_on_the_exact_total(
    graded: tuple[AppContext, int, dict[str, int]], core: str
) -> None:
    ctx, round_id, ids = graded
    _, grade, outcome = BANDS[core]
    view = rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, ids[core]))
    assert view.conditions_ok is True, view.violations
    assert (view.grade, view.outcome) == (grade, outcome)
    assert view.total_text == view.expert_score_text


def test_exact_totals_are_kept_as_text(graded: tuple[AppContext, int, dict[str, int]]) -> None:
    ctx, round_id, ids = graded
    assert rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, ids["均九十"])).total_text == "90"
    mean = rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, ids["均差一点"])).total_text
    assert mean is not None and mean.startswith("89.9966")


def test_result_list_by_grade_then_score(graded: tuple[AppContext, int, dict[str, int]]) -> None:
    ctx, round_id, ids = graded
    listed = results.result_list(ctx, round_id=round_id)
    order = [v.center_id for v in listed]
    assert order[0] == ids["满分"]
    assert order[-1] == ids["五九九九"]
    order_of = {"优秀": 0, "合格": 1, "整改": 2, "不合格": 3}
    ranks = [order_of[v.grade or ""] for v in listed]
    assert ranks == sorted(ranks)
    assert order.index(ids["八九九九"]) < order.index(ids["七十"])  # higher score first within 合格
    counts = rounds.get_round(ctx, round_id).counts
    assert counts.by_grade == {"优秀": 3, "合格": 3, "整改": 3, "不合格": 1}


def test_grade_round_is_audited(graded: tuple[AppContext, int, dict[str, int]]) -> None:
    ctx, _, _ = graded
    with reading(ctx) as session:
        entities = set(
            session.execute(
                select(col(AuditEntry.entity)).where(col(AuditEntry.action) == "evaluation.grade_round")
            ).scalars()
        )
    assert entities == {"evaluation"}


@pytest.mark.parametrize(
    ("area", "totals", "ok", "grade"),
    [
        (299.99, ["95", "95", "95"], False, "整改"),  # 优秀 by score, capped
        (300, ["95", "95", "95"], True, "优秀"),  # the bound of D9.5a met: no cap
        (300.01, ["95", "95", "95"], True, "优秀"),
        (299.99, ["75", "75", "75"], False, "整改"),  # 合格 capped
        (299.99, ["50", "50", "50"], False, "不合格"),  # below the cap stays
    ],
)
def test_grade_capped_at_rectify_when_the_conditions_fail(
    tmp_path: Path, area: float, totals: list[str], ok: bool, grade: str
) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = centre_with_history(ctx, "面积", RECOGNISED, floor_area_m2=area)
        round_id = start_round(ctx)
        eid = evaluation_of(ctx, round_id, cid)
        score_evaluation(ctx, eid, totals)
        results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        view = rounds.get_evaluation(ctx, eid)
        assert (view.conditions_ok, view.grade) == (ok, grade)
        assert any("D9.5a" in message for _, message in view.violations) is not ok
    finally:
        ctx.db.dispose()


def test_no_score_no_grade_naming_the_centre(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        scored = centre_with_history(ctx, "已评", RECOGNISED)
        two = centre_with_history(ctx, "两位", RECOGNISED)
        none = centre_with_history(ctx, "未评", RECOGNISED)
        round_id = start_round(ctx)
        score_evaluation(ctx, evaluation_of(ctx, round_id, scored), ["80", "80", "80"])
        score_evaluation(ctx, evaluation_of(ctx, round_id, two), ["80", "80"])  # fewer than 3 experts
        with pytest.raises(ServiceError) as refused:
            results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        assert "柳州两位工程技术研究中心" in str(refused.value)
        assert "柳州未评工程技术研究中心" in str(refused.value)
        assert "柳州已评工程技术研究中心" not in str(refused.value)
        assert "还没有专家评分" in str(refused.value)
        assert (
            rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, scored)).grade is None
        )  # nothing written
        with pytest.raises(ServiceError, match="尚未评定等级，评估结果名单还不能发布"):
            results.result_list(ctx, round_id=round_id)
        with pytest.raises(ServiceError, match="尚未评定等级，不能结束"):
            results.finish_round(ctx, round_id=round_id, on=FINISHED_ON)
        # the ones without a score withdraw: the round can be graded, they forfeit
        rounds.withdraw(
            ctx, evaluation_id=evaluation_of(ctx, round_id, none), on=D(2026, 10, 1), reason="未参加"
        )
        rounds.withdraw(
            ctx, evaluation_id=evaluation_of(ctx, round_id, two), on=D(2026, 10, 1), reason="中途退出"
        )
        results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        listed = results.result_list(ctx, round_id=round_id)
        assert (listed[0].center_id, listed[0].grade, listed[0].outcome) == (scored, "合格", "keep")
        assert {(v.grade, v.outcome) for v in listed[1:]} == {(None, "forfeit")}
    finally:
        ctx.db.dispose()


def test_grade_round_refusals(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = centre_with_history(ctx, "拒绝", RECOGNISED)
        round_id = start_round(ctx)
        eid = evaluation_of(ctx, round_id, cid)
        score_evaluation(ctx, eid, ["80", "80", "80"])
        with pytest.raises(ServiceError, match="评定日期 2026-08-31 早于评估开始日期"):
            results.grade_round(ctx, round_id=round_id, on=D(2026, 8, 31))
        results.grade_round(ctx, round_id=round_id, on=D(2026, 9, 1))  # on the start day
        with unit_of_work(ctx, "test.applied") as session:
            row = session.get(Evaluation, eid)
            assert row is not None
            row.outcome_applied_on = D(2026, 11, 25)
            session.add(row)
        with pytest.raises(ServiceError, match="评估结果已执行，不能重新评定"):
            results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
    finally:
        ctx.db.dispose()


# previous grades (oldest first) → the outcome of a 2026 grade
HISTORY = {
    "连续整改": (["整改"], ["65", "65", "65"], "整改", "revoke"),
    "整改合格整改": (["整改", "合格"], ["65", "65", "65"], "整改", "rectify"),
    "合格后整改": (["合格"], ["65", "65", "65"], "整改", "rectify"),
    "整改后合格": (["整改"], ["80", "80", "80"], "合格", "keep"),
    "整改后不合格": (["整改"], ["50", "50", "50"], "不合格", "revoke"),
}


def test_outcome_with_the_previous_grades_oldest_first(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        ids: dict[str, int] = {}
        for core, (previous, _, _, _) in HISTORY.items():
            cid = centre_with_history(ctx, core, D(2017, 6, 1))
            years = [2023 - 3 * (len(previous) - 1 - i) for i in range(len(previous))]
            for year, grade in zip(years, previous, strict=True):
                add_past_evaluation(ctx, cid, year, grade)
            ids[core] = cid
        # a 整改 of a round before the centre's latest recognition does not count
        fresh = centre_with_history(ctx, "重新认定", D(2023, 6, 10))
        add_past_evaluation(ctx, fresh, 2020, "整改")
        round_id = start_round(ctx, center_ids=[*ids.values(), fresh])
        for core, (_, totals, _, _) in HISTORY.items():
            score_evaluation(ctx, evaluation_of(ctx, round_id, ids[core]), totals)
        score_evaluation(ctx, evaluation_of(ctx, round_id, fresh), ["65", "65", "65"])
        results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        for core, (previous, _, grade, outcome) in HISTORY.items():
            view = rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, ids[core]))
            assert (core, view.grade, view.outcome) == (core, grade, outcome)
            with reading(ctx) as session:
                row = session.get(Evaluation, view.evaluation_id)
                assert row is not None
                rnd = session.get(EvaluationRound, row.round_id)
                assert rnd is not None
                assert results.previous_grades(session, row, rnd) == previous
        assert rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, fresh)).outcome == "rectify"
    finally:
        ctx.db.dispose()


def test_finish_round_dates_the_notice_and_the_next_evaluation(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = centre_with_history(ctx, "结束", RECOGNISED)
        round_id = start_round(ctx)
        score_evaluation(ctx, evaluation_of(ctx, round_id, cid), ["91", "91", "91"])
        results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        with pytest.raises(ServiceError, match="结束日期 2026-08-31 早于评估开始日期"):
            results.finish_round(ctx, round_id=round_id, on=D(2026, 8, 31))
        results.finish_round(ctx, round_id=round_id, on=FINISHED_ON)
        view = rounds.get_round(ctx, round_id)
        assert (view.status, view.status_label, view.finished_on) == ("finished", "已结束", FINISHED_ON)
        with pytest.raises(ServiceError, match="已结束，不能再结束"):
            results.finish_round(ctx, round_id=round_id, on=FINISHED_ON)
        with pytest.raises(ServiceError, match="已结束，不能再评定等级"):
            results.grade_round(ctx, round_id=round_id, on=FINISHED_ON)
        with pytest.raises(ServiceError, match="已结束，不能再登记退出"):
            rounds.withdraw(ctx, evaluation_id=evaluation_of(ctx, round_id, cid), on=FINISHED_ON, reason="x")
        next_due = {d.center_id: d for d in rounds.due_centres(ctx, year=2029, as_of=D(2029, 1, 1))}
        assert next_due[cid].last_evaluated_on == FINISHED_ON
        assert next_due[cid].due_on == D(2029, 12, 1)
        assert cid not in {d.center_id for d in rounds.due_centres(ctx, year=2028, as_of=D(2028, 12, 31))}
    finally:
        ctx.db.dispose()


def test_the_round_grades_with_the_bands_it_snapshotted(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        cid = centre_with_history(ctx, "快照", RECOGNISED)
        round_id = start_round(ctx)
        eid = evaluation_of(ctx, round_id, cid)
        score_evaluation(ctx, eid, ["94.99", "94.99", "94.99"])
        with unit_of_work(ctx, "test.snapshot") as session:  # as if the settings had said 95
            row = session.get(EvaluationRound, round_id)
            assert row is not None and row.settings_json
            row.settings_json = row.settings_json.replace('"excellent": "90"', '"excellent": "95"')
            session.add(row)
        results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        assert rounds.get_evaluation(ctx, eid).grade == "合格"  # 94.99 < 95 of the snapshot
        with unit_of_work(ctx, "test.snapshot") as session:  # a sheet changed after the start
            row = session.get(EvaluationRound, round_id)
            assert row is not None
            row.sheet_version = "2025.9"
            session.add(row)
        with pytest.raises(ServiceError, match=r"使用的评分表为 2025\.9 版，但程序中的评分表为 2026\.1 版"):
            rounds.record_self_evaluation(ctx, evaluation_id=eid, points={})
    finally:
        ctx.db.dispose()


def test_the_round_grades_with_the_bands_of_the_years_rule_settings(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        ids = {core: centre_with_history(ctx, core, RECOGNISED) for core in ("差一点", "八十", "八零零一")}
        settings = replace(DEFAULT_SETTINGS, grade_qualified_min=80)
        rulesets.save_settings(ctx, year=YEAR, settings=settings, note="合格分数线调为80分")
        round_id = start_round(ctx)
        # a change of the settings after the start does not change the round
        rulesets.save_settings(ctx, year=YEAR, settings=DEFAULT_SETTINGS, note="恢复默认")
        totals = {"差一点": "79.99", "八十": "80", "八零零一": "80.01"}
        for core, total in totals.items():
            score_evaluation(ctx, evaluation_of(ctx, round_id, ids[core]), [total] * 3)
        results.grade_round(ctx, round_id=round_id, on=GRADED_ON)
        grades = {
            core: rounds.get_evaluation(ctx, evaluation_of(ctx, round_id, ids[core])).grade for core in ids
        }
        assert grades == {"差一点": "整改", "八十": "合格", "八零零一": "合格"}
    finally:
        ctx.db.dispose()
