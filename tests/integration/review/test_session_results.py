"""Closing a session (services/review/results.py): exact totals, 59.99 / 59.995 / 60.00 / 60.01 at the
60-point line, ranks with ties, trimmed means with 5 and 4 scores, 原则上 exceptions with a reason,
refused while a score is missing; the centres move through centers.apply_state_change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from scoring_helpers import assignments_of, build_template, clone, points_for, score_all
from sqlmodel import select

from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services import centers, rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import assignments, results, scoring
from lzcenter_desktop.services.review.results import OutcomeException
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Declaration, ReviewResult, ReviewSession
from tests.review_fixtures import REVIEW_ON, ReviewSetup, add_experts

DECIDED = REVIEW_ON + dt.timedelta(days=3)
World = tuple[AppContext, ReviewSetup]


@pytest.fixture(scope="module")
def mean_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReviewSetup]:
    return build_template(tmp_path_factory.mktemp("mean"), declarations=4, expert_count=6, per_declaration=3)


@pytest.fixture(scope="module")
def trimmed_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReviewSetup]:
    return build_template(
        tmp_path_factory.mktemp("trimmed"),
        declarations=2,
        expert_count=6,
        per_declaration=5,
        aggregation="trimmed_mean",
    )


@pytest.fixture
def world(mean_template: tuple[Path, ReviewSetup], tmp_path: Path) -> Iterator[World]:
    ctx = clone(mean_template[0], tmp_path)
    yield ctx, mean_template[1]
    ctx.db.dispose()


@pytest.fixture
def trimmed(trimmed_template: tuple[Path, ReviewSetup], tmp_path: Path) -> Iterator[World]:
    ctx = clone(trimmed_template[0], tmp_path)
    yield ctx, trimmed_template[1]
    ctx.db.dispose()


def center_of(ctx: AppContext, declaration_id: int) -> int:
    with reading(ctx) as s:
        decl = s.get(Declaration, declaration_id)
        assert decl is not None and decl.center_id is not None
        return decl.center_id


def state(ctx: AppContext, declaration_id: int) -> str:
    return centers.get_center(ctx, center_of(ctx, declaration_id)).row.status_code


def stored_results(ctx: AppContext) -> dict[int, ReviewResult]:
    with reading(ctx) as s:
        return {r.declaration_id: r for r in s.execute(select(ReviewResult)).scalars()}


def test_the_sixty_point_line_is_exact(world: World) -> None:
    """59.99 and 59.995 (shown 59.99) are not 拟认定; 60.00 and 60.01 are."""
    ctx, setup = world
    d0, d1, d2, d3 = setup.declaration_ids
    score_all(
        ctx,
        setup,
        {d0: ["59.99"] * 3, d1: ["59.99"] * 3, d2: ["60"] * 3, d3: ["60.01"] * 3},
        {d0: "59.99", d1: "60", d2: "60", d3: "60.01"},
    )
    rows = results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    by_decl = {r.declaration_id: r for r in rows}
    assert [
        (by_decl[d].total_text, by_decl[d].shown_total, by_decl[d].outcome) for d in (d0, d1, d2, d3)
    ] == [
        ("59.99", "59.99", "not_recognised"),
        ("59.995", "59.99", "not_recognised"),
        ("60", "60.00", "proposed"),
        ("60.01", "60.01", "proposed"),
    ]
    assert [r.declaration_id for r in rows] == [d3, d2, d1, d0] and [r.rank for r in rows] == [1, 2, 3, 4]
    assert by_decl[d1].outcome_label == "不予认定" and by_decl[d2].outcome_label == "拟认定"
    assert [state(ctx, d) for d in (d0, d1, d2, d3)] == [
        "not_recognised",
        "not_recognised",
        "proposed",
        "proposed",
    ]
    saved = stored_results(ctx)
    r1 = saved[d1]
    assert (r1.expert_score_text, r1.site_score_text, r1.total_text, r1.rank, r1.expert_count) == (
        "59.99",
        "60",
        "59.995",
        3,
        3,
    )
    assert r1.total_score == pytest.approx(59.995) and r1.aggregation == "mean" and r1.operator == "覃科长"
    history = centers.get_center(ctx, center_of(ctx, d1)).history[-1]
    assert history.reason == "评审总分 59.99 分（专家评审 59.99、现场考察 60.00），低于60分，不予认定"
    assert history.operator == "覃科长" and history.on == DECIDED
    with reading(ctx) as s:
        session = s.get(ReviewSession, setup.session_id)
        assert session is not None and session.status == "closed"
        assert {d.id: d.status for d in s.execute(select(Declaration)).scalars()}[d0] == "decided"
    assert results.session_results(ctx, session_id=setup.session_id) == rows


def test_equal_totals_share_a_rank_and_means_stay_exact(world: World) -> None:
    ctx, setup = world
    d0, d1, d2, d3 = setup.declaration_ids
    score_all(ctx, setup, {d0: ["80"] * 3, d1: ["80"] * 3, d2: ["80", "80", "81"], d3: ["70"] * 3})
    rows = {r.declaration_id: r for r in results.preview_results(ctx, session_id=setup.session_id)}
    assert (rows[d2].expert_score_text, rows[d2].total_text, rows[d2].shown_total) == (
        "241/3",
        "481/6",
        "80.16",
    )
    assert [rows[d].rank for d in (d2, d0, d1, d3)] == [1, 2, 2, 4]
    assert stored_results(ctx) == {}  # a preview stores nothing
    assert state(ctx, d0) == "under_review"


def test_the_pass_score_comes_from_the_rule_settings_of_the_call_year(world: World) -> None:
    ctx, setup = world
    rulesets.save_settings(ctx, year=2026, settings=RuleSettings(pass_score=70), note="本年度提高分数线")
    score_all(ctx, setup, {setup.declaration_ids[0]: ["69.99"] * 3}, {setup.declaration_ids[0]: "70"})
    rows = {
        r.declaration_id: r
        for r in results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    }
    assert rows[setup.declaration_ids[0]].outcome == "not_recognised"  # 69.995 < 70
    assert rows[setup.declaration_ids[1]].outcome == "proposed"  # 80
    assert rows[setup.declaration_ids[0]].pass_score == 70


def test_a_recused_experts_score_no_longer_counts(world: World) -> None:
    ctx, setup = world
    score_all(ctx, setup, {setup.declaration_ids[0]: ["90", "60", "60"]})
    first, _expert = assignments_of(ctx, setup.session_id)[setup.declaration_ids[0]][0]
    assignments.recuse_assignment(ctx, assignment_id=first, reason="回避")
    results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    saved = stored_results(ctx)[setup.declaration_ids[0]]
    assert (saved.expert_count, saved.expert_score_text) == (2, "60")


def test_closing_with_a_missing_expert_score_is_refused_and_changes_nothing(world: World) -> None:
    ctx, setup = world
    score_all(ctx, setup)
    new_expert = add_experts(ctx, 1, first=90)[0]
    assignments.assign_expert(
        ctx, session_id=setup.session_id, declaration_id=setup.declaration_ids[0], expert_id=new_expert
    )
    with pytest.raises(ServiceError, match="不能结束：评分尚未齐全：专家专家90尚未为") as info:
        results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    assert info.value.field == "评审会"
    assert stored_results(ctx) == {} and state(ctx, setup.declaration_ids[0]) == "under_review"
    with pytest.raises(ServiceError, match="评分尚未齐全"):
        results.preview_results(ctx, session_id=setup.session_id)


def test_closing_without_a_site_score_is_refused(world: World) -> None:
    ctx, setup = world
    for rows in assignments_of(ctx, setup.session_id).values():
        for assignment_id, _expert in rows:
            scoring.enter_expert_scores(
                ctx, assignment_id=assignment_id, points=points_for("80"), scored_on=REVIEW_ON
            )
    with pytest.raises(ServiceError, match="尚无现场考察得分"):
        results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    assert stored_results(ctx) == {}


def test_a_principle_exception_needs_a_reason_and_is_recorded(world: World) -> None:
    ctx, setup = world
    d0, d1, d2, _d3 = setup.declaration_ids
    score_all(ctx, setup, {d0: ["59"] * 3, d1: ["90"] * 3}, {d0: "59", d1: "90"})
    with pytest.raises(
        ServiceError, match="不按60分线作出结论（原则上60分及以上拟认定），须填写理由"
    ) as info:
        results.close_session(
            ctx,
            session_id=setup.session_id,
            decided_on=DECIDED,
            exceptions={d0: OutcomeException("proposed", " ")},
        )
    assert info.value.field == "例外理由" and stored_results(ctx) == {}
    with pytest.raises(ServiceError, match="按60分线本就是“拟认定”，无需作为例外处理"):
        results.close_session(
            ctx,
            session_id=setup.session_id,
            decided_on=DECIDED,
            exceptions={d2: OutcomeException("proposed", "x")},
        )
    rows = results.close_session(
        ctx,
        session_id=setup.session_id,
        decided_on=DECIDED,
        exceptions={
            d0: OutcomeException("proposed", "填补我市螺蛳粉产业技术空白，经局务会研究同意"),
            d1: OutcomeException("not_recognised", "现场考察发现研发场地已转租"),
        },
    )
    by_decl = {r.declaration_id: r for r in rows}
    assert (by_decl[d0].computed_outcome, by_decl[d0].outcome, by_decl[d0].is_exception) == (
        "not_recognised",
        "proposed",
        True,
    )
    assert (by_decl[d1].computed_outcome, by_decl[d1].outcome) == ("proposed", "not_recognised")
    assert by_decl[d2].exception_reason is None
    saved = stored_results(ctx)
    assert (
        saved[d0].outcome == "proposed"
        and saved[d0].exception_reason == "填补我市螺蛳粉产业技术空白，经局务会研究同意"
    )
    assert (state(ctx, d0), state(ctx, d1)) == ("proposed", "not_recognised")
    reason = centers.get_center(ctx, center_of(ctx, d0)).history[-1].reason
    assert "低于60分；原则上不予认定，经研究作为例外拟认定：填补我市螺蛳粉产业技术空白" in reason
    with pytest.raises(ServiceError, match="已结束"):
        results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)


def test_trimmed_mean_with_five_scores(trimmed: World) -> None:
    ctx, setup = trimmed
    d0, d1 = setup.declaration_ids
    score_all(ctx, setup, {d0: ["70", "80", "90", "100", "60"], d1: ["61", "61", "61", "61", "99"]})
    rows = {
        r.declaration_id: r
        for r in results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    }
    assert (rows[d0].expert_score_text, rows[d0].expert_count, rows[d0].aggregation_label) == (
        "80",
        5,
        "去掉一个最高分和一个最低分后平均",
    )
    assert rows[d1].expert_score_text == "61"  # 99 dropped as the highest, one 61 as the lowest
    assert stored_results(ctx)[d0].aggregation == "trimmed_mean"


def test_trimmed_mean_with_four_scores_is_refused(trimmed: World) -> None:
    ctx, setup = trimmed
    d0, d1 = setup.declaration_ids
    first, _expert = assignments_of(ctx, setup.session_id)[d1][0]
    assignments.recuse_assignment(ctx, assignment_id=first, reason="本人声明回避")
    score_all(ctx, setup, {d0: ["70", "80", "90", "100", "60"], d1: ["61", "61", "61", "99"]})
    with pytest.raises(ServiceError, match="至少需要5名专家的评分，实际只有4名；请改用算术平均") as info:
        results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED)
    assert "柳州测试2号工程技术研究中心" in str(info.value) and info.value.field == "汇总方式"
    assert stored_results(ctx) == {}
