"""Scoring (services/review/scoring.py): an expert's points per indicator, refused for a recused or
conflicted assignment, a closed session, a missing or out-of-range value; each save bumps the
version; blind view; site scores; whether a session is complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from scoring_helpers import assignments_of, build_template, clone, points_for, score_all
from sqlmodel import select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import assignments, experts, results, scoring
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import ReviewAssignment, ReviewScore, SiteInspection
from tests.review_fixtures import REVIEW_ON, ReviewSetup

ON = REVIEW_ON


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReviewSetup]:
    return build_template(
        tmp_path_factory.mktemp("scoring"), declarations=2, expert_count=4, per_declaration=3
    )


@pytest.fixture
def world(template: tuple[Path, ReviewSetup], tmp_path: Path) -> Iterator[tuple[AppContext, ReviewSetup]]:
    ctx = clone(template[0], tmp_path)
    yield ctx, template[1]
    ctx.db.dispose()


def first_assignment(ctx: AppContext, setup: ReviewSetup) -> tuple[int, int, int]:
    """(assignment id, declaration id, expert id) of the first active assignment."""
    decl = setup.declaration_ids[0]
    aid, expert = assignments_of(ctx, setup.session_id)[decl][0]
    return aid, decl, expert


def stored(ctx: AppContext, assignment_id: int) -> tuple[ReviewAssignment, ReviewScore | None]:
    with reading(ctx) as s:
        a = s.get(ReviewAssignment, assignment_id)
        assert a is not None
        score = s.execute(
            select(ReviewScore).where(ReviewScore.assignment_id == assignment_id)
        ).scalar_one_or_none()
        return a, score


def test_scores_are_stored_exactly_and_each_save_bumps_the_version(
    world: tuple[AppContext, ReviewSetup],
) -> None:
    ctx, setup = world
    aid, _decl, _expert = first_assignment(ctx, setup)
    points = {
        "rd_conditions": "18",
        "rd_team": "17.5",
        "rd_achievements": "16",
        "cooperation": "12",
        "management": "8",
        "development_plan": "13.25",
    }
    view = scoring.enter_expert_scores(
        ctx, assignment_id=aid, points=points, scored_on=ON, comment=" 材料翔实 "
    )
    assert (view.total_text, view.version, view.sheet_version, view.source) == (
        "84.75",
        1,
        "2026.1",
        "desktop",
    )
    assert dict(view.points)["development_plan"] == "13.25" and view.comment == "材料翔实"
    a, score = stored(ctx, aid)
    assert score is not None and a.status == "scored" and a.score_version == 1
    assert (score.kind, score.score_text, score.score) == ("expert_review", "84.75", 84.75)
    again = scoring.enter_expert_scores(
        ctx, assignment_id=aid, points=dict(points, rd_team="20"), scored_on=ON, expected_version=1
    )
    assert (again.total_text, again.version) == ("87.25", 2)
    with pytest.raises(ServiceError, match="已在别处被修改（第 2 版，您看到的是第 1 版）"):
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points, scored_on=ON, expected_version=1)
    assert stored(ctx, aid)[0].score_version == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rd_team": None}, "请填写指标“研发队伍”的得分（0—20分）"),
        ({"rd_team": "20.01"}, "指标“研发队伍”的得分 20.01 超过该项满分 20 分"),
        ({"management": "-0.01"}, "指标“运行管理”的得分 -0.01 不能为负数"),
        ({"cooperation": "12.125"}, "最多保留2位小数"),
        ({"extra": "1"}, "没有指标“extra”"),
    ],
)
def test_bad_points_are_refused_and_change_nothing(
    world: tuple[AppContext, ReviewSetup], change: dict[str, str | None], message: str
) -> None:
    ctx, setup = world
    aid, _decl, _expert = first_assignment(ctx, setup)
    points: dict[str, str] = {k: v for k, v in {**points_for("80"), **change}.items() if v is not None}
    with pytest.raises(ServiceError, match=message) as info:
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points, scored_on=ON)
    assert info.value.field == "评分" and str(info.value).startswith("专家专家")
    a, score = stored(ctx, aid)
    assert score is None and a.score_version == 0


def test_points_exactly_at_the_maximum_are_accepted(world: tuple[AppContext, ReviewSetup]) -> None:
    ctx, setup = world
    aid, _decl, _expert = first_assignment(ctx, setup)
    assert (
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points_for("100"), scored_on=ON).total_text
        == "100"
    )
    assert (
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points_for("0"), scored_on=ON).total_text
        == "0"
    )


def test_a_recused_assignment_cannot_be_scored(world: tuple[AppContext, ReviewSetup]) -> None:
    ctx, setup = world
    aid, _decl, _expert = first_assignment(ctx, setup)
    assignments.recuse_assignment(ctx, assignment_id=aid, reason="本人声明曾为申报单位提供咨询")
    with pytest.raises(ServiceError, match="已回避该申报（本人声明曾为申报单位提供咨询），不能为其评分"):
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points_for("80"), scored_on=ON)
    assert stored(ctx, aid)[1] is None


def test_a_conflict_found_after_the_assignment_blocks_scoring(world: tuple[AppContext, ReviewSetup]) -> None:
    """The expert declares, after being assigned, that they helped prepare the applicant's documents."""
    ctx, setup = world
    aid, decl, expert = first_assignment(ctx, setup)
    n = setup.declaration_ids.index(decl) + 1
    experts.add_relation(
        ctx, expert_id=expert, kind="prepared_documents", organization_name=f"柳州测试{n}号科技有限公司"
    )
    with pytest.raises(ServiceError, match="应当回避该申报，不能为其评分"):
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points_for("80"), scored_on=ON)
    assert stored(ctx, aid)[1] is None


def test_blind_view_shows_an_expert_only_their_own_scores(world: tuple[AppContext, ReviewSetup]) -> None:
    ctx, setup = world
    rows = assignments_of(ctx, setup.session_id)
    decl = setup.declaration_ids[0]
    (a1, e1), (a2, e2) = rows[decl][:2]
    scoring.enter_expert_scores(ctx, assignment_id=a1, points=points_for("81"), scored_on=ON)
    scoring.enter_expert_scores(ctx, assignment_id=a2, points=points_for("62.5"), scored_on=ON)
    mine = scoring.expert_view(ctx, session_id=setup.session_id, expert_id=e1)
    assert mine.expert_name.startswith("专家") and mine.sheet.version == "2026.1"
    own = {t.assignment_id: t for t in mine.tasks}
    assert a1 in own and a2 not in own
    assert own[a1].score is not None and own[a1].score.total_text == "81"
    assert all(t.score is None or t.score.expert_id == e1 for t in mine.tasks)
    assert "62.5" not in repr(mine)
    other = scoring.expert_view(ctx, session_id=setup.session_id, expert_id=e2)
    assert {t.assignment_id for t in other.tasks if t.score} == {a2}


@pytest.mark.parametrize(
    ("value", "ok"), [("0", True), ("100", True), ("100.01", False), ("-0.01", False), ("99.999", False)]
)
def test_site_score_bounds(world: tuple[AppContext, ReviewSetup], value: str, ok: bool) -> None:
    ctx, setup = world
    call = {
        "session_id": setup.session_id,
        "declaration_id": setup.declaration_ids[0],
        "team": "第一考察组",
        "score": value,
        "inspected_on": ON,
    }
    if ok:
        assert scoring.enter_site_score(ctx, **call).score_text == value  # type: ignore[arg-type]
    else:
        with pytest.raises(ServiceError) as info:
            scoring.enter_site_score(ctx, **call)  # type: ignore[arg-type]
        assert info.value.field == "现场考察得分"
        assert scoring.site_scores(ctx, session_id=setup.session_id) == []


def test_site_score_is_corrected_in_place_and_checked_against_the_session(
    world: tuple[AppContext, ReviewSetup],
) -> None:
    ctx, setup = world
    first = scoring.enter_site_score(
        ctx, session_id=setup.session_id, declaration_id=setup.declaration_ids[0], team="第一考察组",
        score="78.5", inspected_on=ON, members="张工、李工",
    )  # fmt: skip
    again = scoring.enter_site_score(
        ctx, session_id=setup.session_id, declaration_id=setup.declaration_ids[0], team="第一考察组",
        score="79", inspected_on=ON,
    )  # fmt: skip
    assert again.id == first.id and again.score_text == "79"
    with reading(ctx) as s:
        assert len(s.execute(select(SiteInspection)).scalars().all()) == 1
    with pytest.raises(ServiceError, match="请填写考察组名称"):
        scoring.enter_site_score(
            ctx, session_id=setup.session_id, declaration_id=setup.declaration_ids[0], team=" ", score="80",
            inspected_on=ON,
        )  # fmt: skip


def test_completeness_lists_what_is_missing(world: tuple[AppContext, ReviewSetup]) -> None:
    ctx, setup = world
    before = scoring.session_completeness(ctx, session_id=setup.session_id)
    assert not before.complete and before.declarations == 2
    assert [m.kind for m in before.missing].count("expert_review") == 6
    assert [m.kind for m in before.missing].count("site_inspection") == 2
    assert before.summary().startswith("评分尚未齐全：专家") and "等共 8 项" in before.summary()
    score_all(ctx, setup)
    assert scoring.session_completeness(ctx, session_id=setup.session_id).complete


def test_a_closed_session_takes_no_more_scores(world: tuple[AppContext, ReviewSetup]) -> None:
    ctx, setup = world
    score_all(ctx, setup)
    results.close_session(ctx, session_id=setup.session_id, decided_on=ON + dt.timedelta(days=1))
    aid, decl, _expert = first_assignment(ctx, setup)
    with pytest.raises(ServiceError, match="已结束（已关闭并计算结果），不能再录入或修改专家评分"):
        scoring.enter_expert_scores(ctx, assignment_id=aid, points=points_for("90"), scored_on=ON)
    with pytest.raises(ServiceError, match="不能再录入或修改现场考察得分"):
        scoring.enter_site_score(
            ctx,
            session_id=setup.session_id,
            declaration_id=decl,
            team="第一考察组",
            score="90",
            inspected_on=ON,
        )
    assert stored(ctx, aid)[1] is not None and stored(ctx, aid)[1].score_text == "80"  # type: ignore[union-attr]


def test_the_score_sheet_of_a_year(tmp_path: Path) -> None:
    assert scoring.load_score_sheet(2026).version == "2026.1"
    assert scoring.load_score_sheet(2030).year == 2026  # the newest not after the year
    assert scoring.load_score_sheet(2020).year == 2026  # before the first: the first
    (tmp_path / "review-2027.toml").write_text('format = "lzcenter.review-sheet/1"', encoding="utf-8")
    with pytest.raises(ServiceError, match=r"评分表文件 review-2027\.toml 有误"):
        scoring.load_score_sheet(2027, tmp_path)
    with pytest.raises(ServiceError, match="找不到评审评分表文件"):
        scoring.load_score_sheet(2026, tmp_path / "none")
