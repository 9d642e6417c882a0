"""The audit viewer's read of the trail (审计日志查询, issue 15 item 2).

:func:`query_audit` returns one page of the entries matching an :class:`AuditFilter` (kind of
record, record number, operator, a range of local days, text in the action or the record's
content), newest first, with the number of matching entries; the page itself is one query whatever
its size, so paging through 100,000 entries stays quick. :func:`filter_choices` lists the kinds of
record and the operators found in the trail for the viewer's filters.

Once sign-in is on, reading the audit trail is allowed to every signed-in role except 评审专家
(checked here, :func:`check_may_read`), also for the export (:mod:`.audit_export`) and the chain
check the viewer runs (:func:`verify`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from lzcenter_desktop.domain import audit_labels as labels
from lzcenter_desktop.domain.roles import Role
from lzcenter_desktop.services.audit_chain import ChainVerification, verify_chain
from lzcenter_desktop.services.audit_values import value_label, value_labels
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.permissions import PermissionRefused, current_role, sign_in_on
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AuditEntry

PAGE_SIZE = 200
MAX_PAGE_SIZE = 5000


def entity_label(entity: str) -> str:
    """The Chinese kind of record (the raw table name when unknown)."""
    return labels.entity_label(entity) or entity


def operation_label(operation: str) -> str:
    return labels.operation_label(operation) or operation


def field_text(entity: str, field: str) -> str:
    """The Chinese name of a field (the raw name when unknown)."""
    return labels.field_label(entity, field) or field


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the viewer asks for; every part is optional (``None`` or empty: no limit)."""

    entity: str | None = None  # the kind of record (table name)
    entity_id: str | None = None  # the record's number
    operator: str | None = None
    date_from: dt.date | None = None  # local days, both included
    date_to: dt.date | None = None
    text: str | None = None  # in the action or the record's content (before/after)

    def describe(self) -> str:
        """The filter in Chinese for a caption (``全部记录`` when there is none)."""
        parts: list[str] = []
        if self.entity:
            parts.append(f"记录类别：{entity_label(self.entity)}")
        if self.entity_id:
            parts.append(f"记录编号：{self.entity_id}")
        if self.operator:
            parts.append(f"操作人：{self.operator}")
        if self.date_from or self.date_to:
            since = self.date_from.isoformat() if self.date_from else "最早"
            until = self.date_to.isoformat() if self.date_to else "最新"
            parts.append(f"日期：{since} 至 {until}")
        if self.text:
            parts.append(f"包含文字：{self.text}")
        return "；".join(parts) if parts else "全部记录"


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry as the viewer shows it."""

    entry_id: int
    at: dt.datetime  # aware, UTC
    operator: str
    action: str
    operation: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None

    @property
    def local_time(self) -> str:
        return self.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")

    @property
    def entity_text(self) -> str:
        return entity_label(self.entity)

    @property
    def operation_text(self) -> str:
        return operation_label(self.operation)

    @property
    def action_known(self) -> bool:
        """Whether the catalogue (domain/audit_labels.py) names the action in Chinese."""
        return labels.action_label(self.action) is not None

    @property
    def action_text(self) -> str:
        """The action in Chinese (``认定（发布认定通知）``); the stored code when unknown."""
        return labels.action_label(self.action) or self.action

    def _field(self, key: str) -> str:
        return field_text(self.entity, key)

    def _value(self, key: str, value: object) -> str:
        return _short(shown_value(self.entity, key, value))

    def details(self) -> str:
        """What changed: ``字段：旧 → 新`` for a change, the content for a new record; the fields
        by their Chinese names (the stored name when unknown)."""
        before, after = content_of(self.before), content_of(self.after)
        if before is not None and after is not None:
            value = self._value
            changed = [
                f"{self._field(key)}：{value(key, before.get(key))} → {value(key, after.get(key))}"
                for key in sorted(set(before) | set(after))
                if before.get(key) != after.get(key)
            ]
            return "；".join(changed) if changed else "（内容未变）"
        shown = after if after is not None else before
        if shown is None:
            return self.after or self.before or ""
        return "；".join(
            f"{self._field(key)}：{self._value(key, value)}"
            for key, value in sorted(shown.items())
            if value not in (None, "")
        )

    def unknown_codes(self) -> list[str]:
        """The codes of this entry the catalogue does not name (shown as a grey hint)."""
        found = [] if self.action_known else [labels.split_action(self.action)[0]]
        if labels.entity_label(self.entity) is None:
            found.append(self.entity)
        keys: set[str] = set()
        for text in (self.before, self.after):
            keys |= set(content_of(text) or {})
        found += sorted(k for k in keys if labels.field_label(self.entity, k) is None)
        return found


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int  # entries matching the filter
    offset: int
    limit: int

    @property
    def page_no(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1


@dataclass(frozen=True, slots=True)
class FilterChoices:
    entities: tuple[tuple[str, str], ...]  # (table name, Chinese label), by label
    operators: tuple[str, ...]


def content_of(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def value_text(value: object) -> str:
    """A stored value as the viewer shows it: 空 for nothing, 是 / 否 for a yes-or-no field."""
    if value is None or value == "":
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def shown_value(entity: str, field: str, value: object) -> str:
    """A stored value as the viewer shows it: a code by its Chinese label (``recognised`` →
    已认定, :mod:`~lzcenter_desktop.services.audit_values`), anything else by :func:`value_text`."""
    label = value_label(entity, field, value)
    if label is not None:
        return label
    if isinstance(value, str) and _STAMP.match(value):
        return _local_stamp(value)
    return value_text(value)


#: a moment stored by the audit trail (ISO 8601 with a time): shown like the 时间 column
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _local_stamp(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:  # a moment with its zone: in this computer's time
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S")  # one without: as stored, to the second


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- permission ------------------------------------------------------------------------------------
EXPERT_REFUSAL = (
    "当前账号的角色是“评审专家”，不能查看审计日志：审计日志只对管理员、经办人、审核人和只读角色开放。"
    "请用有这些角色的账号登录。"
)


def check_may_read(session: Session, ctx: AppContext) -> None:
    """Refuse (Chinese) a 评审专家 or no one signed in, once sign-in is on."""
    if not sign_in_on(session):
        return
    if current_role(session, ctx) is Role.EXPERT:
        raise PermissionRefused(EXPERT_REFUSAL, field="权限")


# -- the query ---------------------------------------------------------------------------------------
def _local_midnight_utc(day: dt.date) -> dt.datetime:
    """The start of the local ``day`` as naive UTC (how ``at`` is stored)."""
    local = dt.datetime.combine(day, dt.time.min).astimezone()
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
        raise ServiceError(
            f"结束日期 {flt.date_to.isoformat()} 早于开始日期 {flt.date_from.isoformat()}：请改正日期范围。",
            field="日期",
        )
    found: list[ColumnElement[bool]] = []
    if flt.entity:
        found.append(col(AuditEntry.entity) == flt.entity)
    if flt.entity_id and flt.entity_id.strip():
        found.append(col(AuditEntry.entity_id) == flt.entity_id.strip())
    if flt.operator:
        found.append(col(AuditEntry.operator) == flt.operator)
    if flt.date_from:
        found.append(col(AuditEntry.at) >= _local_midnight_utc(flt.date_from))
    if flt.date_to:
        found.append(col(AuditEntry.at) < _local_midnight_utc(flt.date_to + dt.timedelta(days=1)))
    if flt.text and flt.text.strip():
        wanted = flt.text.strip()
        pattern = _like(wanted)
        in_json = _like(json.dumps(wanted, ensure_ascii=False)[1:-1])  # quotes are \" in the content
        named = [code for code, label in labels.ACTION_LABELS.items() if wanted in label]
        found.append(
            or_(
                *(col(AuditEntry.action).like(_like(code)[1:], escape="\\") for code in named),
                *_coded_values_named(wanted),
                col(AuditEntry.action).like(pattern, escape="\\"),
                col(AuditEntry.entity_id).like(pattern, escape="\\"),
                *(
                    col(c).like(p, escape="\\")
                    for c in (AuditEntry.before, AuditEntry.after)
                    for p in dict.fromkeys((pattern, in_json))
                ),
            )
        )
    return found


def _coded_values_named(wanted: str) -> list[ColumnElement[bool]]:
    """The entries holding a code whose Chinese label contains ``wanted`` (自动放弃 finds a
    recognition's ``"forfeited"``): the record's table and the quoted code in its content."""
    coded = sorted(
        {
            (table, code)
            for (table, _field), names in value_labels().items()
            for code, label in names.items()
            if wanted in label
        }
    )
    content = (AuditEntry.before, AuditEntry.after)
    return [
        and_(
            col(AuditEntry.entity) == table,
            or_(*(col(c).like(_like(f'"{code}"'), escape="\\") for c in content)),
        )
        for table, code in coded
    ]


def _row(e: AuditEntry) -> AuditRow:
    assert e.id is not None
    at = e.at if e.at.tzinfo is not None else e.at.replace(tzinfo=dt.UTC)
    return AuditRow(e.id, at, e.operator, e.action, e.operation, e.entity, e.entity_id, e.before, e.after)


def query_audit(
    ctx: AppContext, flt: AuditFilter = AuditFilter(), *, offset: int = 0, limit: int = PAGE_SIZE
) -> AuditPage:
    """One page of the matching entries, newest first, and how many match in all."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    offset = max(0, int(offset))
    where = _conditions(flt)
    with reading(ctx) as session:
        check_may_read(session, ctx)
        count = select(func.count()).select_from(AuditEntry)
        if where:
            count = count.where(and_(*where))
        total = int(session.execute(count).scalar_one())
        page = (
            select(AuditEntry).where(*where).order_by(col(AuditEntry.id).desc()).offset(offset).limit(limit)
        )
        rows = tuple(_row(e) for e in session.execute(page).scalars())
    return AuditPage(rows, total, offset, limit)


def iter_matching(
    ctx: AppContext, flt: AuditFilter, *, below: int | None = None, batch: int = 2000
) -> Iterator[AuditRow]:
    """Every matching entry numbered below ``below`` (all when None), newest first, read ``batch``
    at a time by entry number, so entries written meanwhile neither repeat nor shift the rest."""
    where = _conditions(flt)
    while True:
        with reading(ctx) as session:
            check_may_read(session, ctx)
            stmt = select(AuditEntry).where(*where)
            if below is not None:
                stmt = stmt.where(col(AuditEntry.id) < below)
            chunk = [
                _row(e)
                for e in session.execute(stmt.order_by(col(AuditEntry.id).desc()).limit(batch)).scalars()
            ]
        yield from chunk
        if len(chunk) < batch:
            return
        below = chunk[-1].entry_id


def filter_choices(ctx: AppContext) -> FilterChoices:
    """The kinds of record and the operators found in the trail."""
    with reading(ctx) as session:
        check_may_read(session, ctx)
        entities = [str(e) for e in session.execute(select(AuditEntry.entity).distinct()).scalars()]
        operators = sorted(str(o) for o in session.execute(select(AuditEntry.operator).distinct()).scalars())
    labelled = sorted(((e, entity_label(e)) for e in entities), key=lambda pair: pair[1])
    return FilterChoices(tuple(labelled), tuple(operators))


def verify(ctx: AppContext) -> ChainVerification:
    """The viewer's 校验: :func:`verify_chain` for a reader allowed to see the trail."""
    with reading(ctx) as session:
        check_may_read(session, ctx)
    return verify_chain(ctx)


def verification_text(result: ChainVerification) -> str:
    """The result of :func:`verify` in Chinese for the viewer."""
    if result.ok:
        if result.anchor is None:
            return "审计日志还没有记录，无需校验。"
        return (
            f"审计链完整：共 {result.entries} 条记录，均未在程序之外被修改、插入或删除。"
            f"最新一条为第 {result.anchor.entry_id} 条。"
        )
    return "审计链校验未通过：" + "".join(result.messages())
