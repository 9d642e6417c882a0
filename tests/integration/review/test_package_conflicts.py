"""Two different score sets of the same expert and declaration at the same version (two laptops):
never merged — the second waits as a conflict, shown side by side until the clerk chooses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import package_import, scoring
from tests.review_fixtures import REVIEW_ON, ReviewSetup, open_review_db, review_setup
from tests.review_package_helpers import (
    FULL,
    OTHER,
    assignment,
    assignments_of,
    at,
    export,
    fill_return,
    score_of,
    set_session,
    submissions,
)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


@pytest.fixture
def setup(ctx: AppContext) -> ReviewSetup:
    return review_setup(ctx)


@pytest.fixture
def two_laptops(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> tuple[int, Path, Path]:
    """The same package filled in on two laptops: the first declaration scored differently."""
    expert = assignment(ctx, setup.assignment_ids[0]).expert_id
    pkg = export(ctx, setup.session_id, tmp_path, expert_id=expert)
    first = assignments_of(ctx, setup.session_id, expert)[0].declaration_id
    laptop_a = fill_return(pkg, expert, tmp_path / "笔记本A.lzreview", saved_at=at(REVIEW_ON, 10))
    laptop_b = fill_return(
        pkg, expert, tmp_path / "笔记本B.lzreview", points={first: OTHER}, saved_at=at(REVIEW_ON, 11)
    )
    return expert, laptop_a, laptop_b


def test_second_different_set_is_stored_as_conflict_not_merged(
    ctx: AppContext, setup: ReviewSetup, two_laptops: tuple[int, Path, Path]
) -> None:
    expert, laptop_a, laptop_b = two_laptops
    package_import.import_return(ctx, path=laptop_a, session_id=setup.session_id)
    second = package_import.import_return(ctx, path=laptop_b, session_id=setup.session_id)
    actions = [s.action for s in second.sets]
    assert actions[0] == "conflict" and set(actions[1:]) == {"unchanged"}
    assert second.conflicts == 1 and "请在“评分冲突”中选择" in second.text()
    first = assignments_of(ctx, setup.session_id, expert)[0]
    assert first.id is not None
    score = score_of(ctx, first.id)
    assert score is not None and score.score_text == "84.75"  # laptop A's set stands untouched
    assert first.score_version == 1
    statuses = [(s.assignment_id, s.status) for s in submissions(ctx, setup.session_id)]
    assert statuses.count((first.id, "conflict")) == 1
    assert [st for a, st in statuses if a != first.id].count("superseded") == len(second.sets) - 1

    (conflict,) = package_import.list_conflicts(ctx, session_id=setup.session_id)
    assert (conflict.assignment_id, conflict.expert_id, conflict.version) == (first.id, expert, 0)
    assert conflict.current.total == "84.75" and [o.total for o in conflict.others] == ["82.25"]
    assert conflict.current.status_label == "已采用" and conflict.others[0].status_label == "冲突待选择"
    assert conflict.differing == ("研发队伍",)
    assert dict((k, t) for k, _, t in conflict.current.points)["rd_team"] == "17.5"
    assert dict((k, t) for k, _, t in conflict.others[0].points)["rd_team"] == "15"


def test_choosing_the_waiting_set_applies_it(
    ctx: AppContext, setup: ReviewSetup, two_laptops: tuple[int, Path, Path]
) -> None:
    _, laptop_a, laptop_b = two_laptops
    package_import.import_return(ctx, path=laptop_a, session_id=setup.session_id)
    package_import.import_return(ctx, path=laptop_b, session_id=setup.session_id)
    (conflict,) = package_import.list_conflicts(ctx, session_id=setup.session_id)
    package_import.choose_score_set(
        ctx, submission_id=conflict.others[0].submission_id, reason="专家确认以B为准"
    )
    a = assignment(ctx, conflict.assignment_id)
    score = score_of(ctx, conflict.assignment_id)
    assert score is not None and score.score_text == "82.25"
    assert score.source == f"package:{conflict.others[0].file_sha256}"
    assert a.score_version == 2
    by_id = {s.id: s for s in submissions(ctx, setup.session_id)}
    assert by_id[conflict.others[0].submission_id].status == "applied"
    assert by_id[conflict.current.submission_id].status == "superseded"
    assert "专家确认以B为准" in (by_id[conflict.current.submission_id].note or "")
    assert package_import.list_conflicts(ctx, session_id=setup.session_id) == []
    with pytest.raises(ServiceError, match="没有待选择的冲突"):
        package_import.choose_score_set(ctx, submission_id=conflict.current.submission_id)


def test_keeping_the_applied_set_supersedes_the_other(
    ctx: AppContext, setup: ReviewSetup, two_laptops: tuple[int, Path, Path]
) -> None:
    _, laptop_a, laptop_b = two_laptops
    package_import.import_return(ctx, path=laptop_a, session_id=setup.session_id)
    package_import.import_return(ctx, path=laptop_b, session_id=setup.session_id)
    (conflict,) = package_import.list_conflicts(ctx, session_id=setup.session_id)
    package_import.choose_score_set(ctx, submission_id=conflict.current.submission_id)
    score = score_of(ctx, conflict.assignment_id)
    assert score is not None and score.score_text == "84.75"
    assert assignment(ctx, conflict.assignment_id).score_version == 1
    by_id = {s.id: s for s in submissions(ctx, setup.session_id)}
    assert by_id[conflict.others[0].submission_id].status == "superseded"
    assert package_import.list_conflicts(ctx, session_id=setup.session_id) == []


def test_identical_set_from_another_file_is_unchanged(
    ctx: AppContext, setup: ReviewSetup, tmp_path: Path, two_laptops: tuple[int, Path, Path]
) -> None:
    expert, laptop_a, _ = two_laptops
    pkg = tmp_path / f"expert-{expert}.lzreview"
    copy = fill_return(pkg, expert, tmp_path / "再存一次.lzreview", saved_at=at(REVIEW_ON, 15))
    package_import.import_return(ctx, path=laptop_a, session_id=setup.session_id)
    view = package_import.import_return(ctx, path=copy, session_id=setup.session_id)
    assert not view.duplicate and {s.action for s in view.sets} == {"unchanged"}
    assert package_import.list_conflicts(ctx, session_id=setup.session_id) == []


def test_a_desktop_edit_makes_the_conflict_out_of_date(
    ctx: AppContext, setup: ReviewSetup, two_laptops: tuple[int, Path, Path]
) -> None:
    _, laptop_a, laptop_b = two_laptops
    package_import.import_return(ctx, path=laptop_a, session_id=setup.session_id)
    package_import.import_return(ctx, path=laptop_b, session_id=setup.session_id)
    (conflict,) = package_import.list_conflicts(ctx, session_id=setup.session_id)
    scoring.enter_expert_scores(
        ctx, assignment_id=conflict.assignment_id, points=FULL, scored_on=REVIEW_ON + dt.timedelta(days=1)
    )
    assert package_import.list_conflicts(ctx, session_id=setup.session_id) == []
    with pytest.raises(ServiceError, match="没有待选择的冲突"):
        package_import.choose_score_set(ctx, submission_id=conflict.others[0].submission_id)


def test_choice_refused_once_the_session_is_closed(
    ctx: AppContext, setup: ReviewSetup, two_laptops: tuple[int, Path, Path]
) -> None:
    _, laptop_a, laptop_b = two_laptops
    package_import.import_return(ctx, path=laptop_a, session_id=setup.session_id)
    package_import.import_return(ctx, path=laptop_b, session_id=setup.session_id)
    (conflict,) = package_import.list_conflicts(ctx, session_id=setup.session_id)
    set_session(ctx, setup.session_id, status="closed")
    with pytest.raises(ServiceError, match="已结束"):
        package_import.choose_score_set(ctx, submission_id=conflict.others[0].submission_id)
