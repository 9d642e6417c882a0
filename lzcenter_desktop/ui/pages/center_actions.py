"""What the 中心 page offers for a centre in a given state: where each step of the lifecycle is done.

Every transition of :data:`lzcenter_desktop.domain.lifecycle.TRANSITIONS` has its place
(:data:`STEP_PLACES`): the 申报 page (提交, 作废, 撤回, a new application), the 评审 page (形式审查,
results, 公示, 认定 — 第十条), or the 绩效评估 page (the steps of 第五章: 整改, 整改验收, 撤销, 自动放弃
follow from an evaluation's result and are applied there — 第二十四条; ``services.centers`` refuses
them by hand). The detail pane shows one button per place reachable from the centre's state
(:func:`actions_for`); each goes to its section with the centre — the services there decide
whether a step is allowed, not this table.

Plain Python (the lifecycle of ``domain``), so the first screen imports nothing more for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.lifecycle import TITLED_STATES, TRANSITIONS, CenterState

# Places (the titles of the main window's sections).
DECLARATIONS = "申报"
REVIEW = "评审"
DOCUMENTS = "文档"
EVALUATION = "绩效评估"

_S = CenterState

#: Where each transition of the lifecycle is done.
STEP_PLACES: Mapping[tuple[CenterState, CenterState], str] = {
    (_S.DRAFT, _S.SUBMITTED): DECLARATIONS,  # 提交申报书
    (_S.DRAFT, _S.WITHDRAWN): DECLARATIONS,  # 作废草稿
    (_S.SUBMITTED, _S.WITHDRAWN): DECLARATIONS,  # 撤回申报书
    (_S.SUBMITTED, _S.UNDER_REVIEW): REVIEW,  # 形式审查 通过
    (_S.SUBMITTED, _S.NOT_RECOGNISED): REVIEW,  # 形式审查 不予受理
    (_S.UNDER_REVIEW, _S.PROPOSED): REVIEW,  # 评审结果 ≥ 分数线
    (_S.UNDER_REVIEW, _S.NOT_RECOGNISED): REVIEW,  # 评审结果 < 分数线
    (_S.PROPOSED, _S.PUBLIC_NOTICE): REVIEW,  # 发布拟认定名单公示
    (_S.PUBLIC_NOTICE, _S.RECOGNISED): REVIEW,  # 发文认定
    (_S.PUBLIC_NOTICE, _S.WITHDRAWN): REVIEW,  # 异议成立
    (_S.RECOGNISED, _S.RECTIFYING): EVALUATION,  # 第二十四条（三）
    (_S.RECOGNISED, _S.REVOKED): EVALUATION,  # 第二十四条（四）
    (_S.RECOGNISED, _S.FORFEITED): EVALUATION,  # 第二十四条（五）
    (_S.RECTIFYING, _S.RECOGNISED): EVALUATION,  # 整改验收通过
    (_S.RECTIFYING, _S.REVOKED): EVALUATION,  # 整改期间没有明显进步
    (_S.NOT_RECOGNISED, _S.DRAFT): DECLARATIONS,  # 重新申请
    (_S.WITHDRAWN, _S.DRAFT): DECLARATIONS,
    (_S.FORFEITED, _S.DRAFT): DECLARATIONS,
    (_S.REVOKED, _S.DRAFT): DECLARATIONS,  # 满两年后（第二十五条）
}

#: The order of the buttons: where the next steps are done, then 生成证书/牌匾.
_SECTION_ORDER = (REVIEW, DECLARATIONS, EVALUATION, DOCUMENTS)

SECTION_TEXTS: Mapping[str, str] = {
    REVIEW: "在评审页办理(&P)",
    DECLARATIONS: "在申报页办理(&B)",
    EVALUATION: "在绩效评估页办理(&J)",
    DOCUMENTS: "生成证书/牌匾(&D)",
}

#: One line under the buttons: what comes next for a centre in this state.
STATE_NOTES: Mapping[CenterState, str] = {
    _S.DRAFT: "申报书草稿：在“申报”页填写并提交，或作废。",
    _S.SUBMITTED: "等待形式审查（“评审”页）；依托单位也可在“申报”页撤回申报书。",
    _S.UNDER_REVIEW: "专家评审和现场考察在“评审”页进行，总分达到分数线方可拟认定（第十条（三））。",
    _S.PROPOSED: "拟认定：在“评审”页发布拟认定名单公示。",
    _S.PUBLIC_NOTICE: "公示期满且异议处理完毕后，在“评审”页发文认定（第十条（四））。",
    _S.RECOGNISED: "绩效评估结果为整改、不合格或不参加评估时，在“绩效评估”页的“处理结果”中执行"
    "（第二十四条）。",
    _S.RECTIFYING: "整改期限一年；到期后在“绩效评估”页的“处理结果”中登记整改验收，通过恢复“已认定”，"
    "没有明显进步则撤销资格（第二十四条（三））。",
    _S.NOT_RECOGNISED: "未获认定：可在以后年度的申报通知中重新申请（“申报”页）。",
    _S.WITHDRAWN: "申报已撤回或作废：可在以后年度重新申请（“申报”页）。",
    _S.FORFEITED: "视为自动放弃资格（第二十四条（五））：可在以后年度重新申请（“申报”页）。",
    _S.REVOKED: "资格已撤销：依托单位整改两年后，自评达到第九条条件的可重新申请认定（第二十五条）。",
}


@dataclass(frozen=True, slots=True)
class CenterAction:
    """A button of the detail pane: go to ``section`` with the centre."""

    key: str  # "section:评审", "section:文档"
    text: str  # with its Alt letter
    tip: str
    section: str


def section_action(section: str) -> CenterAction:
    tips = {
        REVIEW: "切换到“评审”页：形式审查、专家评审、公示和认定在那里办理",
        DECLARATIONS: "切换到“申报”页：申报书的填写、提交、作废、撤回和重新申请在那里办理",
        DOCUMENTS: "切换到“文档”页，选中该中心，生成认定证书或牌匾",
        EVALUATION: "切换到“绩效评估”页，选中该中心最近一次评估：整改、整改验收、撤销资格和自动放弃"
        "由评估结果决定，在“处理结果”中执行（第二十四条）",
    }
    return CenterAction(f"section:{section}", SECTION_TEXTS[section], tips[section], section=section)


def all_actions() -> tuple[CenterAction, ...]:
    """Every button the detail pane may show, in the order :func:`actions_for` shows them."""
    used = {action.section for state in CenterState for action in actions_for(state)}
    return tuple(section_action(s) for s in _SECTION_ORDER if s in used)


def actions_for(state: str | CenterState) -> tuple[CenterAction, ...]:
    """The buttons for a centre in ``state``: the pages where its next steps are done (评审, 申报,
    绩效评估), then 生成证书/牌匾 while it holds the title."""
    source = lifecycle.parse_state(str(state))
    places = {STEP_PLACES[(source, target)] for target in TRANSITIONS[source]}
    if source in TITLED_STATES:
        places.add(DOCUMENTS)
    return tuple(section_action(s) for s in _SECTION_ORDER if s in places)


def state_note(state: str | CenterState, state_since: dt.date | None = None) -> str:
    """What comes next for a centre in ``state``; for a revoked one with its date, the first day
    its host may apply again (第二十五条)."""
    source = lifecycle.parse_state(str(state))
    note = STATE_NOTES[source]
    if source is _S.REVOKED and state_since is not None:
        earliest = lifecycle.reapply_allowed_from(state_since)
        note += f"最早可于 {earliest.isoformat()} 起重新申请。"
    return note
