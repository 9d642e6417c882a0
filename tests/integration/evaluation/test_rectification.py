"""整改 (第二十四条（三）): the acceptance request only from the deadline day (“整改到期后”: refused the
day before, accepted on the day and after), the check after the request, passed → 已认定, not passed
→ 已撤销, each once; the dashboard's list of deadlines within 90 days (day 90 in, day 91 out)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from consequence_helpers import last_change, open_db, rectifications, state, titled

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import consequences, rectification
from tests.consequence_records import accept, evaluate, rectification_of

NOTICE = date(2025, 12, 15)
DEADLINE = date(2026, 12, 15)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_db(tmp_path)
    yield context
    context.db.dispose()


@pytest.fixture
def rect(ctx: AppContext) -> tuple[int, int]:
    """(centre id, rectification id) of a centre 整改中 since 2025-12-15, due 2026-12-15."""
    cid = titled(ctx, "轻量化")
    return cid, rectification_of(ctx, evaluate(ctx, cid, Grade.RECTIFY, NOTICE))


@pytest.mark.parametrize(
    ("applied", "ok"),
    [(DEADLINE - timedelta(days=1), False), (DEADLINE, True), (DEADLINE + timedelta(days=1), True)],
)
def test_the_request_comes_after_the_period_ends(
    ctx: AppContext, rect: tuple[int, int], applied: date, ok: bool
) -> None:
    _cid, rid = rect
    if ok:
        rectification.request_acceptance(ctx, rectification_id=rid, applied_on=applied)
        assert rectification.get_rectification(ctx, rid).applied_on == applied
    else:
        with pytest.raises(ServiceError, match="整改期限至 2026-12-15，整改到期后方可提出验收申请"):
            rectification.request_acceptance(ctx, rectification_id=rid, applied_on=applied)
        assert rectification.get_rectification(ctx, rid).applied_on is None


def test_the_request_is_made_once(ctx: AppContext, rect: tuple[int, int]) -> None:
    _cid, rid = rect
    rectification.request_acceptance(ctx, rectification_id=rid, applied_on=DEADLINE)
    with pytest.raises(ServiceError, match="已于 2026-12-15 提出整改验收申请"):
        rectification.request_acceptance(ctx, rectification_id=rid, applied_on=DEADLINE)


def test_no_check_without_a_request_nor_before_it(ctx: AppContext, rect: tuple[int, int]) -> None:
    _cid, rid = rect
    with pytest.raises(ServiceError, match="尚未提出整改验收申请"):
        rectification.record_acceptance(
            ctx, rectification_id=rid, checked_on=DEADLINE, passed=True, note="通过"
        )
    rectification.request_acceptance(ctx, rectification_id=rid, applied_on=DEADLINE)
    with pytest.raises(ServiceError, match="早于整改验收申请日期"):
        rectification.record_acceptance(
            ctx, rectification_id=rid, checked_on=DEADLINE - timedelta(days=1), passed=True, note="通过"
        )
    with pytest.raises(ServiceError, match="请填写验收意见"):
        rectification.record_acceptance(
            ctx, rectification_id=rid, checked_on=DEADLINE, passed=True, note="  "
        )


def test_passed_keeps_the_title(ctx: AppContext, rect: tuple[int, int]) -> None:
    cid, rid = rect
    accept(ctx, rid, DEADLINE, passed=True)
    assert state(ctx, cid) == "recognised"
    change = last_change(ctx, cid)
    assert (change.from_state, change.changed_on) == ("rectifying", DEADLINE)
    assert "整改验收通过" in change.reason and "第二十四条（三）" in change.reason
    view = rectification.get_rectification(ctx, rid)
    assert (view.outcome, view.outcome_label, view.checked_on) == ("accepted", "验收通过", DEADLINE)
    with pytest.raises(ServiceError, match="不能再次记录"):
        rectification.record_acceptance(
            ctx, rectification_id=rid, checked_on=DEADLINE, passed=False, note="复核"
        )
    with pytest.raises(ServiceError, match="不能再提出验收申请"):
        rectification.request_acceptance(ctx, rectification_id=rid, applied_on=DEADLINE)


def test_no_clear_progress_revokes(ctx: AppContext, rect: tuple[int, int]) -> None:
    cid, rid = rect
    accept(ctx, rid, DEADLINE + timedelta(days=20), passed=False)
    assert state(ctx, cid) == "revoked"
    change = last_change(ctx, cid)
    assert "没有明显进步" in change.reason and "第二十四条（三）" in change.reason
    assert rectification.get_rectification(ctx, rid).outcome == "not_accepted"
    assert consequences.reapply_from(ctx, center_id=cid) == date(2029, 1, 4)  # 2027-01-04 + 2 years


# ---------------------------------------------------------------- the dashboard's list


def test_deadlines_within_90_days_day_90_in_day_91_out(ctx: AppContext, rect: tuple[int, int]) -> None:
    _cid, rid = rect

    def due(as_of: date) -> list[int]:
        return [
            r.rectification_id
            for r in rectification.list_rectifications(ctx, due_within_days=90, as_of=as_of)
        ]

    assert due(DEADLINE - timedelta(days=91)) == []
    assert due(DEADLINE - timedelta(days=90)) == [rid]
    assert due(DEADLINE - timedelta(days=89)) == [rid]
    overdue = rectification.list_rectifications(ctx, due_within_days=90, as_of=DEADLINE + timedelta(days=1))
    assert [(r.rectification_id, r.days_left) for r in overdue] == [(rid, -1)]  # still open: stays listed
    assert (
        rectification.list_rectifications(ctx, due_within_days=90, as_of=DEADLINE - timedelta(days=90))[
            0
        ].days_left
        == 90
    )
    accept(ctx, rid, DEADLINE)
    assert due(DEADLINE) == []  # checked: no longer due
    assert [r.rectification_id for r in rectification.list_rectifications(ctx)] == [rid]  # all, any outcome


def test_the_list_is_ordered_by_deadline(ctx: AppContext) -> None:
    later = titled(ctx, "智能装备")
    evaluate(ctx, later, Grade.RECTIFY, date(2025, 12, 20))
    earlier = titled(ctx, "新材料")
    evaluate(ctx, earlier, Grade.RECTIFY, date(2025, 12, 1))
    rows = rectification.list_rectifications(ctx, due_within_days=365, as_of=date(2026, 1, 1))
    assert [r.center_id for r in rows] == [earlier, later]
    assert [r.deadline for r in rows] == [date(2026, 12, 1), date(2026, 12, 20)]
    assert rows[0].round_year == 2025 and rows[0].outcome_label == "整改中"
    assert len(rectifications(ctx, later)) == 1
    with pytest.raises(ServiceError, match="不能为负数"):
        rectification.list_rectifications(ctx, due_within_days=-1, as_of=date(2026, 1, 1))
