"""Centre lifecycle: states, Chinese labels, allowed transitions (rules.md "Centre lifecycle")."""

from __future__ import annotations

from datetime import date

import pytest

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.lifecycle import CenterState as S
from lzcenter_desktop.domain.lifecycle import IllegalTransition

ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.UNDER_REVIEW),
    (S.SUBMITTED, S.NOT_RECOGNISED),  # 形式审查不予受理
    (S.DRAFT, S.WITHDRAWN),  # 申报书作废
    (S.SUBMITTED, S.WITHDRAWN),  # 申报书撤回
    (S.UNDER_REVIEW, S.PROPOSED),
    (S.UNDER_REVIEW, S.NOT_RECOGNISED),
    (S.PROPOSED, S.PUBLIC_NOTICE),
    (S.PUBLIC_NOTICE, S.RECOGNISED),
    (S.PUBLIC_NOTICE, S.WITHDRAWN),
    (S.RECOGNISED, S.RECTIFYING),
    (S.RECOGNISED, S.REVOKED),
    (S.RECOGNISED, S.FORFEITED),
    (S.RECTIFYING, S.RECOGNISED),
    (S.RECTIFYING, S.REVOKED),
    (S.NOT_RECOGNISED, S.DRAFT),
    (S.WITHDRAWN, S.DRAFT),
    (S.FORFEITED, S.DRAFT),
    (S.REVOKED, S.DRAFT),
}


def test_eleven_states_with_the_briefs_codes_and_labels() -> None:
    assert [s.value for s in S] == [
        "draft",
        "submitted",
        "under_review",
        "proposed",
        "public_notice",
        "recognised",
        "not_recognised",
        "withdrawn",
        "rectifying",
        "revoked",
        "forfeited",
    ]
    assert [lifecycle.STATE_LABELS[s] for s in S] == [
        "草稿",
        "已提交",
        "评审中",
        "拟认定",
        "公示中",
        "已认定",
        "未获认定",
        "已撤回",
        "整改中",
        "已撤销",
        "自动放弃",
    ]
    assert lifecycle.label("recognised") == "已认定"


@pytest.mark.parametrize("src", list(S))
@pytest.mark.parametrize("dst", list(S))
def test_transition_table_is_exactly_the_diagram(src: S, dst: S) -> None:
    expected = (src, dst) in ALLOWED
    assert lifecycle.can_transition(src, dst) is expected
    if expected:
        lifecycle.check_transition(src, dst)
    else:
        with pytest.raises(IllegalTransition) as info:
            lifecycle.check_transition(src, dst)
        assert lifecycle.STATE_LABELS[src] in str(info.value)
        assert lifecycle.STATE_LABELS[dst] in str(info.value)


def test_every_state_is_reachable_from_draft() -> None:
    seen = {S.DRAFT}
    todo = [S.DRAFT]
    while todo:
        for nxt in lifecycle.allowed_targets(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(S)


def test_unknown_state_code_is_a_chinese_error() -> None:
    with pytest.raises(ValueError, match="中心状态“cultivating”无效"):
        lifecycle.parse_state("cultivating")


@pytest.mark.parametrize(
    ("on", "ok"),
    [(date(2026, 3, 31), False), (date(2026, 4, 1), True), (date(2026, 4, 2), True)],
)
def test_revoked_centre_may_apply_again_only_after_two_years(on: date, ok: bool) -> None:
    revoked = date(2024, 4, 1)
    if ok:
        lifecycle.check_transition(S.REVOKED, S.DRAFT, on=on, state_since=revoked)
    else:
        with pytest.raises(IllegalTransition, match=r"第二十五条.*最早 2026-04-01"):
            lifecycle.check_transition(S.REVOKED, S.DRAFT, on=on, state_since=revoked)


@pytest.mark.parametrize(
    ("on", "ok"), [(date(2026, 2, 27), False), (date(2026, 2, 28), True), (date(2026, 3, 1), True)]
)
def test_two_years_from_29_february_end_on_28_february(on: date, ok: bool) -> None:
    """The same first allowed date as eligibility (D25) and evaluation (E25): 民法典 第二百零二条."""
    assert lifecycle.reapply_allowed_from(date(2024, 2, 29)) == date(2026, 2, 28)
    if ok:
        lifecycle.check_transition(S.REVOKED, S.DRAFT, on=on, state_since=date(2024, 2, 29))
    else:
        with pytest.raises(IllegalTransition, match="最早 2026-02-28"):
            lifecycle.check_transition(S.REVOKED, S.DRAFT, on=on, state_since=date(2024, 2, 29))
    lifecycle.check_transition(S.REVOKED, S.DRAFT, on=date(2026, 3, 1), state_since=date(2024, 2, 29))


@pytest.mark.parametrize(
    ("on", "ok"), [(date(2025, 5, 31), False), (date(2025, 6, 1), True), (date(2025, 6, 2), True)]
)
def test_a_change_cannot_be_dated_before_the_current_state_began(on: date, ok: bool) -> None:
    since = date(2025, 6, 1)
    if ok:
        lifecycle.check_transition(S.DRAFT, S.SUBMITTED, on=on, state_since=since)
    else:
        with pytest.raises(IllegalTransition, match="早于"):
            lifecycle.check_transition(S.DRAFT, S.SUBMITTED, on=on, state_since=since)


def test_titled_states() -> None:
    assert {S.RECOGNISED, S.RECTIFYING} == lifecycle.TITLED_STATES
