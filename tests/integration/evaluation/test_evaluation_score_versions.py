"""Optimistic locking of an evaluation's expert scores (services/evaluation/scoring.py): each
expert's points carry their own version; a score form opened before another clerk saved *the same
expert's* points is refused with StaleRecord and writes nothing, while another expert's points of
the same centre, saved meanwhile, do not refuse it (two clerks enter a panel's sheets side by
side). The expected version is checked exactly (one below / one above refused, the stored one
saved); the evaluation's own version rises with every save (its mean changed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from expert_helpers import eval_setup, points_for, scores

from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.evaluation import experts as ev
from lzcenter_desktop.services.evaluation import scoring
from lzcenter_desktop.services.versioning import STALE_PREFIX, StaleRecord
from lzcenter_desktop.storage.models import Evaluation, EvaluationAssignment

ON = dt.date(2026, 4, 15)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppContext, AppContext, list[int]]]:
    a, setup = eval_setup(tmp_path, centres=1, name="shared.sqlite")
    b = open_app(str(tmp_path / "shared.sqlite"), operator="乙科员")
    aids = [
        ev.assign_expert(a, evaluation_id=setup.evaluation_ids[0], expert_id=e) for e in setup.expert_ids[:2]
    ]
    yield a, b, aids
    a.db.dispose()
    b.db.dispose()


def _enter(ctx: AppContext, aid: int, total: str, version: int | None) -> None:
    scoring.enter_expert_scores(
        ctx, assignment_id=aid, points=points_for(total), scored_on=ON, expected_version=version
    )


def _totals(ctx: AppContext) -> dict[int, str]:
    return {s.assignment_id: s.score_text for s in scores(ctx)}


def test_the_form_opens_with_the_evaluations_version(world: tuple[AppContext, AppContext, list[int]]) -> None:
    a, _b, (first, _second) = world
    stored, version = scoring.expert_score_form(a, assignment_id=first)
    assert stored is None
    _enter(a, first, "80", version)
    stored, after = scoring.expert_score_form(a, assignment_id=first)
    assert stored is not None and stored.total_text == "80"
    assert after == version + 1


def test_a_opens_b_saves_the_same_experts_scores_a_is_refused(
    world: tuple[AppContext, AppContext, list[int]],
) -> None:
    a, b, (first, _second) = world
    _stored, seen = scoring.expert_score_form(a, assignment_id=first)
    _enter(b, first, "70", seen)
    with pytest.raises(StaleRecord) as caught:
        _enter(a, first, "80", seen)
    assert caught.value.message.startswith(STALE_PREFIX) and "专家评分" in caught.value.message
    assert caught.value.changed_by == "乙科员"
    assert _totals(a) == {first: "70"}  # 甲's points not written
    _stored, now = scoring.expert_score_form(a, assignment_id=first)
    _enter(a, first, "80", now)
    assert _totals(a) == {first: "80"}


def test_another_experts_scores_saved_meanwhile_do_not_refuse(
    world: tuple[AppContext, AppContext, list[int]],
) -> None:
    a, b, (first, second) = world
    _stored, seen = scoring.expert_score_form(a, assignment_id=first)
    evaluation_before = _evaluation_version(a, first)
    _enter(b, second, "70", scoring.expert_score_form(b, assignment_id=second)[1])
    _enter(a, first, "80", seen)
    assert _totals(a) == {first: "80", second: "70"}
    assert _evaluation_version(a, first) == evaluation_before + 2  # the mean changed twice


def _evaluation_version(ctx: AppContext, aid: int) -> int:
    with ctx.db.session() as session:
        assignment = session.get(EvaluationAssignment, aid)
        assert assignment is not None
        evaluation = session.get(Evaluation, assignment.evaluation_id)
        assert evaluation is not None
        return evaluation.version


@pytest.mark.parametrize(("offset", "saved"), [(-1, False), (0, True), (1, False)])
def test_expected_version_boundaries(
    world: tuple[AppContext, AppContext, list[int]], offset: int, saved: bool
) -> None:
    a, b, (first, second) = world
    _enter(b, second, "70", None)
    _stored, current = scoring.expert_score_form(a, assignment_id=first)
    if saved:
        _enter(a, first, "80", current + offset)
        assert _totals(a)[first] == "80"
        assert scoring.expert_score_form(a, assignment_id=first)[1] == current + 1
    else:
        with pytest.raises(StaleRecord):
            _enter(a, first, "80", current + offset)
        assert first not in _totals(a)
        assert scoring.expert_score_form(a, assignment_id=first)[1] == current


def test_without_an_expected_version_the_save_is_not_checked(
    world: tuple[AppContext, AppContext, list[int]],
) -> None:
    a, b, (first, second) = world
    _stored, seen = scoring.expert_score_form(a, assignment_id=first)
    _enter(b, second, "70", seen)
    _enter(a, first, "80", None)  # the package import and the command line: no check
    assert _totals(a) == {first: "80", second: "70"}
    assert scoring.expert_score_form(a, assignment_id=first)[1] == seen + 1
