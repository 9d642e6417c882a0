"""Read-only values that services hand to the UI and the command line.

They are plain frozen dataclasses: the UI never sees a database row or a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lzcenter_desktop.domain.settings import RuleSettings


@dataclass(frozen=True, slots=True)
class CenterRow:
    """One line of the 中心 list."""

    id: int
    name: str  # 中心名称 (name_zh)
    host: str  # 依托单位
    district: str  # 所在县区, e.g. 柳北区
    industry: str  # 重点产业领域 (first one), e.g. 汽车
    status: str  # Chinese label of the lifecycle state, e.g. 已认定
    status_code: str  # machine code of the state, e.g. "recognised"
    recognized_on: date | None
    director: str | None


@dataclass(frozen=True, slots=True)
class StateChange:
    """One entry of a centre's timeline (状态变更记录)."""

    on: date
    from_state: str | None  # Chinese label, None for the first entry
    to_state: str  # Chinese label
    document_no: str | None  # 文号, e.g. 柳科发〔2023〕12号
    operator: str
    reason: str


@dataclass(frozen=True, slots=True)
class CenterDetail:
    row: CenterRow
    name_en: str
    research_direction: str
    industries: tuple[str, ...]
    host_credit_code: str
    host_kind: str  # Chinese label: 企业 / 高等院校 / 科研院所 / 其他
    competent_department: str
    co_builders: tuple[str, ...]
    plaque_no: str | None
    certificate_no: str | None
    recognition_document_no: str | None
    history: tuple[StateChange, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    at: datetime
    operator: str
    action: str
    entity: str
    entity_id: str
    before: str | None  # JSON text
    after: str | None  # JSON text


@dataclass(frozen=True, slots=True)
class RuleSetVersionView:
    """One saved version of a call year's rule settings (规则参数版本)."""

    year: int
    version_no: int
    created_at: datetime
    operator: str
    note: str
    settings: RuleSettings
