"""Centre lifecycle: the states a centre passes through and the transitions between them.

Follows the "Centre lifecycle" diagram of ``docs/rules.md``::

    draft → submitted → under review → proposed (≥ 60) → public notice → recognised
              ↘ not recognised (形式审查不予受理)
    draft / submitted → withdrawn (申报书作废或撤回)
                                   ↘ not recognised (< 60)      ↘ withdrawn (objection upheld)
    recognised → evaluation: 优秀 / 合格 → recognised
                             整改 → rectifying → accepted → recognised
                                                ↘ not accepted → revoked
                             不合格 / second consecutive 整改 → revoked
                             did not take part → forfeited
    revoked → may apply again after 2 years (第二十五条)

A centre that was not recognised, withdrawn or forfeited may apply again in a later call
(→ draft); a revoked one only from the revocation date + 2 years.

Pure Python: only :mod:`dates` of the project, no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from . import dates


class CenterState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    PROPOSED = "proposed"
    PUBLIC_NOTICE = "public_notice"
    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    WITHDRAWN = "withdrawn"
    RECTIFYING = "rectifying"
    REVOKED = "revoked"
    FORFEITED = "forfeited"


STATE_LABELS: Mapping[CenterState, str] = {
    CenterState.DRAFT: "草稿",
    CenterState.SUBMITTED: "已提交",
    CenterState.UNDER_REVIEW: "评审中",
    CenterState.PROPOSED: "拟认定",
    CenterState.PUBLIC_NOTICE: "公示中",
    CenterState.RECOGNISED: "已认定",
    CenterState.NOT_RECOGNISED: "未获认定",
    CenterState.WITHDRAWN: "已撤回",
    CenterState.RECTIFYING: "整改中",
    CenterState.REVOKED: "已撤销",
    CenterState.FORFEITED: "自动放弃",
}

INITIAL_STATE = CenterState.DRAFT

_S = CenterState
TRANSITIONS: Mapping[CenterState, frozenset[CenterState]] = {
    # a declaration 作废 (draft) or 撤回 (submitted) by the applicant before review → 已撤回
    _S.DRAFT: frozenset({_S.SUBMITTED, _S.WITHDRAWN}),
    _S.SUBMITTED: frozenset({_S.UNDER_REVIEW, _S.NOT_RECOGNISED, _S.WITHDRAWN}),  # 形式审查 通过 / 不予受理
    _S.UNDER_REVIEW: frozenset({_S.PROPOSED, _S.NOT_RECOGNISED}),
    _S.PROPOSED: frozenset({_S.PUBLIC_NOTICE}),
    _S.PUBLIC_NOTICE: frozenset({_S.RECOGNISED, _S.WITHDRAWN}),
    _S.RECOGNISED: frozenset({_S.RECTIFYING, _S.REVOKED, _S.FORFEITED}),
    _S.RECTIFYING: frozenset({_S.RECOGNISED, _S.REVOKED}),
    _S.NOT_RECOGNISED: frozenset({_S.DRAFT}),
    _S.WITHDRAWN: frozenset({_S.DRAFT}),
    _S.FORFEITED: frozenset({_S.DRAFT}),
    _S.REVOKED: frozenset({_S.DRAFT}),
}

# States in which the centre holds the title 柳州市××工程技术研究中心.
TITLED_STATES: frozenset[CenterState] = frozenset({_S.RECOGNISED, _S.RECTIFYING})
# States of a declaration still in the recognition procedure.
APPLICATION_STATES: frozenset[CenterState] = frozenset(
    {_S.DRAFT, _S.SUBMITTED, _S.UNDER_REVIEW, _S.PROPOSED, _S.PUBLIC_NOTICE}
)

REAPPLY_WAIT_YEARS = 2  # 第二十五条：两年后……可以重新申请认定


class IllegalTransition(ValueError):
    """A state change the lifecycle does not allow; the message is Chinese and names both states."""


def parse_state(code: str) -> CenterState:
    """The state for a machine code; ``ValueError`` (Chinese) for an unknown one."""
    try:
        return CenterState(code)
    except ValueError:
        known = "、".join(f"{s.value}（{STATE_LABELS[s]}）" for s in CenterState)
        raise ValueError(f"中心状态“{code}”无效，应为以下之一：{known}") from None


def label(state: str | CenterState) -> str:
    """Chinese label of a state code, e.g. ``label("recognised") == "已认定"``."""
    return STATE_LABELS[parse_state(str(state))]


def allowed_targets(state: str | CenterState) -> frozenset[CenterState]:
    return TRANSITIONS[parse_state(str(state))]


def can_transition(from_state: str | CenterState, to_state: str | CenterState) -> bool:
    return parse_state(str(to_state)) in allowed_targets(from_state)


def reapply_allowed_from(revoked_on: date, wait_years: int = REAPPLY_WAIT_YEARS) -> date:
    """First day a revoked centre's host may apply again (第二十五条): :func:`dates.reapply_allowed_from`."""
    return dates.reapply_allowed_from(revoked_on, wait_years)


def check_transition(
    from_state: str | CenterState,
    to_state: str | CenterState,
    *,
    on: date | None = None,
    state_since: date | None = None,
) -> None:
    """Raise :class:`IllegalTransition` unless ``from_state → to_state`` is allowed on ``on``.

    ``state_since`` is the date the centre entered ``from_state``: a change may not be dated
    before it, and for a revoked centre it is the revocation date from which the two-year wait
    of 第二十五条 runs.
    """
    src = parse_state(str(from_state))
    dst = parse_state(str(to_state))
    if dst not in TRANSITIONS[src]:
        allowed = "、".join(STATE_LABELS[s] for s in sorted(TRANSITIONS[src], key=_order))
        raise IllegalTransition(
            f"不能将中心状态从“{STATE_LABELS[src]}”改为“{STATE_LABELS[dst]}”；"
            f"“{STATE_LABELS[src]}”状态只能改为：{allowed}"
        )
    if on is not None and state_since is not None and on < state_since:
        raise IllegalTransition(
            f"状态变更日期 {on.isoformat()} 早于进入“{STATE_LABELS[src]}”状态的日期 {state_since.isoformat()}"
        )
    if src is _S.REVOKED and dst is _S.DRAFT and on is not None and state_since is not None:
        earliest = reapply_allowed_from(state_since)
        if on < earliest:
            raise IllegalTransition(
                f"该中心于 {state_since.isoformat()} 被撤销，按第二十五条须满两年后方可重新申请认定，"
                f"最早 {earliest.isoformat()}"
            )


def _order(state: CenterState) -> int:
    return list(CenterState).index(state)
