"""Read-only values the review services (call, 形式审查, expert pool, 回避, panels) hand to the UI.

Plain frozen dataclasses: the UI never sees a database row. Dates are ``datetime.date``; labels
are Chinese, codes are kept next to them for the program.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# --- annual call ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallView:
    """One 年度申报通知."""

    id: int
    year: int
    title: str
    document_no: str | None
    published_on: dt.date | None
    deadline: dt.date | None
    status: str  # draft / open / closed
    status_label: str  # 草稿 / 受理中 / 已截止
    ruleset_version_no: int | None
    score_sheet_version: str | None
    declarations: int  # declarations of the call that are not drafts, discarded or withdrawn


@dataclass(frozen=True, slots=True)
class RecommendationView:
    """县区科技主管部门 / 主管部门推荐 of one declaration."""

    declaration_id: int
    recommended_by: str | None
    recommended_on: dt.date | None
    note: str | None


# --- 形式审查 -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding of the rule engine on a declaration (a stored copy of a violation)."""

    rule: str
    severity: str  # error / warning
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class FormalCheckView:
    """One decision of 形式审查 (one round)."""

    id: int
    declaration_id: int
    round: int
    decision: str  # passed / returned / rejected
    decision_label: str  # 通过 / 退回补正 / 不予受理
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]
    decided_on: dt.date
    operator: str


@dataclass(frozen=True, slots=True)
class FormalQueueRow:
    """A declaration of the call in the 形式审查 queue."""

    declaration_id: int
    center_name: str
    host_name: str
    submitted_on: dt.date | None
    recommended_by: str | None
    recommended_on: dt.date | None
    round: int  # the round a decision now would be (1 for the first check)
    pending: bool  # waiting for a decision in this round
    status: str  # the declaration's status: submitted / returned / decided
    status_label: str  # 待审查 / 退回补正（待重新提交）/ 通过 / 不予受理
    findings: tuple[Finding, ...]  # the rule engine's findings now
    errors: int
    warnings: int
    last: FormalCheckView | None  # the latest decision, if any


@dataclass(frozen=True, slots=True)
class FormalResultRow:
    """One line of the published 形式审查 result."""

    declaration_id: int
    center_name: str  # 中心名称
    host_name: str  # 依托单位
    conclusion: str  # 通过 / 退回补正 / 不予受理
    reasons: str  # 原因, one per line ("" when passed)
    round: int
    decided_on: dt.date


# --- expert pool ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpertView:
    """A member of the expert pool (专家库)."""

    id: int
    person_id: int
    name: str
    organization_id: int | None
    unit: str  # 单位 as registered ("" when unknown)
    credit_code: str | None
    specialty: str  # 专业领域
    title: str | None  # 职称
    phone: str | None
    email: str | None
    industries: str
    status: str  # active / retired
    status_label: str  # 在库 / 已停用
    joined_on: dt.date | None
    retired_on: dt.date | None
    version: int = 1  # the expert's version when read: pass it back as ``expected_version``


@dataclass(frozen=True, slots=True)
class RelationView:
    """A declared or recorded relation of an expert with an organization (for 回避)."""

    id: int
    expert_id: int
    kind: str
    kind_label: str
    organization_id: int | None
    organization_name: str
    relative: bool  # a close relative's relation
    from_on: dt.date | None
    to_on: dt.date | None
    note: str | None
    source: str  # expert / registry
    source_label: str  # 专家本人申报 / 登记信息
    active: bool


@dataclass(frozen=True, slots=True)
class AvoidView:
    """One line of an applicant's list of experts to avoid."""

    id: int
    declaration_id: int
    expert_id: int | None
    expert_name: str
    expert_unit: str | None
    reason: str
    active: bool


@dataclass(frozen=True, slots=True)
class ConflictView:
    """One reason an expert must step aside from a declaration."""

    cause: str  # machine code, e.g. same_unit
    cause_label: str  # e.g. 同一单位
    reason: str  # the Chinese sentence naming the expert and unit
    declared: bool  # declared conflicts can never be overridden

    @property
    def overridable(self) -> bool:
        return not self.declared


@dataclass(frozen=True, slots=True)
class ExpertImportResult:
    """What an Excel import of experts did (nothing when any row was bad: an error is raised)."""

    created: int
    updated: int
    rows: int
    expert_ids: tuple[int, ...]


# --- sessions, panels, assignments -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionView:
    id: int
    call_id: int
    title: str
    held_on: dt.date
    location: str | None
    aggregation: str  # mean / trimmed_mean
    aggregation_label: str
    status: str
    score_deadline: dt.date | None
    score_sheet_version: str | None


@dataclass(frozen=True, slots=True)
class PanelMemberView:
    expert_id: int
    name: str
    unit: str
    how: str  # drawn / manual
    how_label: str  # 随机抽取 / 人工指定


@dataclass(frozen=True, slots=True)
class PanelView:
    """A 专业分组 of a session with its experts and declarations (active ones)."""

    id: int
    session_id: int
    name: str
    field: str
    min_experts: int
    draw_seed: str | None
    members: tuple[PanelMemberView, ...]
    declaration_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DrawResult:
    """A random draw of experts for a panel: reproducible from ``seed`` over the same pool."""

    panel_id: int
    seed: str
    expert_ids: tuple[int, ...]  # in the order drawn
    eligible: int  # how many experts could have been drawn


@dataclass(frozen=True, slots=True)
class CandidateView:
    """An active expert as a candidate for a panel, with the conflicts per declaration of the panel."""

    expert_id: int
    name: str
    unit: str
    specialty: str
    on_panel: bool
    conflicts: tuple[tuple[int, ConflictView], ...]  # (declaration id, conflict)

    @property
    def eligible(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An expert assigned to score a declaration in a session."""

    id: int
    session_id: int
    panel_id: int | None
    declaration_id: int
    center_name: str
    expert_id: int
    expert_name: str
    how: str  # drawn / manual / balanced
    status: str  # assigned / scored / recused
    recused: bool
    recusal_reason: str | None  # why recused, or the overridden conflicts
    override_reason: str | None
