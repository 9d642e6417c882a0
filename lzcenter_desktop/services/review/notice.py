"""拟认定名单公示 and objections (第十条（四）).

* A notice lists the 拟认定 centres of a call; it runs from its first day for the period of the
  call's rule settings — N working days (weekends and the holiday table's days off not counted,
  make-up working days counted) or N calendar days — and each listed centre moves 拟认定 → 公示中.
* Objections are accepted only in writing: a unit's letter with its stamp (加盖公章), a person's
  with their real signature (签署真实姓名), received within the period. Anonymous, unsigned,
  unstamped or late ones are recorded as not accepted, with the reason.
* An accepted objection is handled with an outcome: 不成立 (dismissed) or 成立 (upheld); an upheld one
  withdraws the centre (公示中 → 已撤回).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.review import notice_rule, parse_exact, shown_score
from lzcenter_desktop.domain.workdays import PeriodRule, count_days, period_end
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declaration_status import change_declaration_status
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import holidays, lookup
from lzcenter_desktop.services.review.guards import PROPOSED, latest_result
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Declaration,
    Objection,
    Organization,
    PublicNotice,
    PublicNoticeItem,
    ReviewResult,
)

TITLE_MAX = 200
DOCUMENT_NO_MAX = 100
SUBMITTER_MAX = 200
CONTENT_MAX = 2000
RESOLUTION_MAX = 2000
SUBMITTER_KIND_LABELS: Mapping[str, str] = {"person": "个人", "unit": "单位", "anonymous": "匿名"}
FORM_LABELS: Mapping[str, str] = {
    "signed": "署名（签字）",
    "stamped": "加盖公章",
    "unsigned": "未署名、未盖章",
}
OUTCOME_LABELS: Mapping[str, str] = {
    "pending": "待处理",
    "dismissed": "异议不成立",
    "upheld": "异议成立",
    "not_accepted": "不予受理",
}
NOTICE_STATUS_LABELS: Mapping[str, str] = {"open": "公示中", "closed": "已结束", "cancelled": "已撤销"}


@dataclass(frozen=True, slots=True)
class NoticePeriod:
    """The period of a notice: first and last day (both included) and how it was counted."""

    start: dt.date
    end: dt.date
    days: int  # the required number of days of ``rule``
    rule: str  # working_days / calendar_days

    @property
    def text(self) -> str:
        """``2026年11月20日至2026年11月26日（5个工作日）``."""
        unit = PeriodRule(self.rule).unit
        return f"{_cn(self.start)}至{_cn(self.end)}（{self.days}{unit}）"


@dataclass(frozen=True, slots=True)
class NoticeItemView:
    center_id: int
    declaration_id: int | None
    center_name: str
    host_name: str
    total_shown: str  # the review total, two decimals cut ("" when unknown)
    rank: int | None
    state: str
    state_label: str


@dataclass(frozen=True, slots=True)
class ObjectionView:
    id: int
    notice_id: int
    center_id: int
    center_name: str
    received_on: dt.date
    submitter: str
    submitter_kind: str
    submitter_kind_label: str
    form: str
    form_label: str
    content: str
    accepted: bool
    not_accepted_reason: str | None
    outcome: str  # pending / dismissed / upheld / not_accepted
    outcome_label: str
    resolution: str | None
    resolved_on: dt.date | None

    @property
    def open(self) -> bool:
        return self.accepted and self.outcome == "pending"


@dataclass(frozen=True, slots=True)
class NoticeView:
    id: int
    call_id: int
    title: str
    document_no: str | None
    published_on: dt.date
    ends_on: dt.date
    period_rule: str
    period_text: str  # e.g. 2026年11月20日至2026年11月26日（5个工作日）
    status: str
    status_label: str
    body: str | None
    items: tuple[NoticeItemView, ...]
    objections: tuple[ObjectionView, ...]


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_of(session: Session, call: AnnualCall, start: dt.date) -> NoticePeriod:
    """Inside a session: the period of a notice of ``call`` starting on ``start``."""
    settings = lookup.call_settings(session, call)
    rule = notice_rule(settings)
    end = period_end(start, settings.public_notice_days, rule, holidays.calendar_of(session))
    return NoticePeriod(start=start, end=end, days=settings.public_notice_days, rule=rule.value)


def notice_period(ctx: AppContext, *, call_id: int, start: dt.date) -> NoticePeriod:
    """When a notice of the call published on ``start`` would end (for the form, before publishing)."""
    with reading(ctx) as session:
        return period_of(session, lookup.get_call(session, call_id), start)


def _proposed(session: Session, call_id: int) -> list[tuple[Center, ReviewResult]]:
    """Centres now 拟认定 whose 拟认定 result is of a declaration of the call, by rank."""
    rows = session.execute(
        select(Center, ReviewResult)
        .join(Declaration, col(Declaration.center_id) == col(Center.id))
        .join(ReviewResult, col(ReviewResult.declaration_id) == col(Declaration.id))
        .where(
            col(Declaration.call_id) == call_id,
            col(ReviewResult.outcome) == PROPOSED,
            col(Center.state) == lifecycle.CenterState.PROPOSED.value,
        )
        .order_by(col(ReviewResult.total_score).desc(), col(Center.id))
    ).all()
    out: list[tuple[Center, ReviewResult]] = []
    for center, result in rows:
        assert center.id is not None
        latest = latest_result(session, center.id)
        if latest is not None and latest.id == result.id:
            out.append((center, result))
    return out


def _item_view(session: Session, center: Center, result: ReviewResult | None) -> NoticeItemView:
    assert center.id is not None
    host = session.get(Organization, center.host_id)
    total = ""
    if result is not None:
        total = shown_score(parse_exact(result.total_text) if result.total_text else result.total_score)
    return NoticeItemView(
        center_id=center.id,
        declaration_id=result.declaration_id if result is not None else None,
        center_name=center.name_zh,
        host_name=host.name if host is not None else "",
        total_shown=total,
        rank=result.rank if result is not None else None,
        state=center.state,
        state_label=lifecycle.label(center.state),
    )


def proposed_centres(ctx: AppContext, *, call_id: int) -> list[NoticeItemView]:
    """The 拟认定 centres of a call not yet on a notice (the list a notice would publish)."""
    with reading(ctx) as session:
        lookup.get_call(session, call_id)
        return [_item_view(session, c, r) for c, r in _proposed(session, call_id)]


def default_body(count: int, period: NoticePeriod) -> str:
    """The usual text of a 拟认定名单公示."""
    return (
        "根据《柳州市工程技术研究中心管理办法》第十条规定，经依托单位申报、县区及主管部门推荐、"
        f"形式审查、专家评审和现场考察，拟认定以下{count}家单位为柳州市工程技术研究中心，现予以公示。\n"
        f"公示期：{period.text}。\n"
        "公示期间，任何单位或个人对公示名单有异议的，请以书面形式向柳州市科学技术局提出。"
        "单位提出异议的，须加盖本单位公章；个人提出异议的，须签署真实姓名并注明联系方式。"
        "匿名异议和逾期提出的异议不予受理。"
    )


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    text = value.strip() if value else ""
    if not text:
        if required:
            raise ServiceError(f"请填写{field}", field=field)
        return None
    if len(text) > limit:
        raise ServiceError(f"{field}过长（{len(text)} 个字），最多 {limit} 个字", field=field)
    return text


def publish_notice(
    ctx: AppContext,
    *,
    call_id: int,
    title: str,
    published_on: dt.date,
    document_no: str | None = None,
    body: str | None = None,
    center_ids: Sequence[int] | None = None,
) -> NoticeView:
    """Publish the 拟认定名单公示 of a call: all its 拟认定 centres (or the ones in ``center_ids``,
    each of which must be one of them); the end is computed from the call's rule settings and the
    holiday table; each centre moves 拟认定 → 公示中. Returns the notice."""
    title_text = _text(title, "公示标题", TITLE_MAX, required=True)
    doc_no = _text(document_no, "公示文号", DOCUMENT_NO_MAX)
    with unit_of_work(ctx, "review.publish_notice") as session:
        call = lookup.get_call(session, call_id)
        candidates = _proposed(session, call_id)
        if center_ids is not None:
            wanted = list(dict.fromkeys(center_ids))
            known = {c.id: (c, r) for c, r in candidates}
            missing = [cid for cid in wanted if cid not in known]
            if missing:
                names = "、".join(_center_name(session, cid) for cid in missing)
                raise ServiceError(
                    f"{names}不是{call.year}年度“拟认定”的中心，不能列入公示名单", field="公示名单"
                )
            candidates = [known[cid] for cid in wanted]
        if not candidates:
            raise ServiceError(f"{call.year}年度没有待公示的“拟认定”中心", field="公示名单")
        period = period_of(session, call, published_on)
        notice = PublicNotice.model_validate(
            {
                "call_id": call_id,
                "title": title_text,
                "document_no": doc_no,
                "published_on": published_on,
                "ends_on": period.end,
                "status": "open",
                "period_rule": period.rule,
                "body": body.strip() if body and body.strip() else default_body(len(candidates), period),
            }
        )
        session.add(notice)
        session.flush()
        for center, result in candidates:
            session.add(
                PublicNoticeItem.model_validate(
                    {"notice_id": notice.id, "center_id": center.id, "declaration_id": result.declaration_id}
                )
            )
        session.flush()
        for center, _result in candidates:
            apply_state_change(
                session,
                center,
                to_state=lifecycle.CenterState.PUBLIC_NOTICE.value,
                on=published_on,
                reason=f"列入拟认定名单，在柳州市科学技术局网站公示，公示期{period.text}",
                document_no=doc_no,
            )
        return _notice_view(session, notice)


def _center_name(session: Session, center_id: int) -> str:
    center = session.get(Center, center_id)
    return f"“{center.name_zh}”" if center is not None else f"编号为 {center_id} 的中心"


def _get_notice(session: Session, notice_id: int) -> PublicNotice:
    notice = session.get(PublicNotice, notice_id)
    if notice is None:
        raise NotFound(f"找不到编号为 {notice_id} 的公示，请刷新后再试", field="公示")
    return notice


def _objection_view(session: Session, o: Objection) -> ObjectionView:
    assert o.id is not None
    center = session.get(Center, o.center_id)
    return ObjectionView(
        id=o.id,
        notice_id=o.notice_id,
        center_id=o.center_id,
        center_name=center.name_zh if center is not None else "",
        received_on=o.received_on,
        submitter=o.submitter,
        submitter_kind=o.submitter_kind,
        submitter_kind_label=SUBMITTER_KIND_LABELS.get(o.submitter_kind, o.submitter_kind),
        form=o.form,
        form_label=FORM_LABELS.get(o.form, o.form),
        content=o.content,
        accepted=o.accepted,
        not_accepted_reason=o.not_accepted_reason,
        outcome=o.outcome,
        outcome_label=OUTCOME_LABELS.get(o.outcome, o.outcome),
        resolution=o.resolution,
        resolved_on=o.resolved_on,
    )


def _notice_view(session: Session, notice: PublicNotice) -> NoticeView:
    assert notice.id is not None
    items = []
    for item in session.execute(
        select(PublicNoticeItem)
        .where(col(PublicNoticeItem.notice_id) == notice.id)
        .order_by(col(PublicNoticeItem.id))
    ).scalars():
        center = session.get(Center, item.center_id)
        assert center is not None
        result = None
        if item.declaration_id is not None:
            result = session.execute(
                select(ReviewResult).where(col(ReviewResult.declaration_id) == item.declaration_id)
            ).scalar_one_or_none()
        items.append(_item_view(session, center, result))
    objections = session.execute(
        select(Objection)
        .where(col(Objection.notice_id) == notice.id)
        .order_by(col(Objection.received_on), col(Objection.id))
    ).scalars()
    rule = notice.period_rule if notice.period_rule in PeriodRule._value2member_map_ else "calendar_days"
    days = count_days(notice.published_on, notice.ends_on, rule, holidays.calendar_of(session))
    return NoticeView(
        id=notice.id,
        call_id=notice.call_id,
        title=notice.title,
        document_no=notice.document_no,
        published_on=notice.published_on,
        ends_on=notice.ends_on,
        period_rule=rule,
        period_text=NoticePeriod(notice.published_on, notice.ends_on, days, rule).text,
        status=notice.status,
        status_label=NOTICE_STATUS_LABELS.get(notice.status, notice.status),
        body=notice.body,
        items=tuple(items),
        objections=tuple(_objection_view(session, o) for o in objections),
    )


def get_notice(ctx: AppContext, notice_id: int) -> NoticeView:
    """One notice with its centres and objections."""
    with reading(ctx) as session:
        return _notice_view(session, _get_notice(session, notice_id))


def list_notices(ctx: AppContext, *, call_id: int | None = None) -> list[NoticeView]:
    """The notices (of one call, or all), newest first."""
    with reading(ctx) as session:
        stmt = select(PublicNotice).order_by(
            col(PublicNotice.published_on).desc(), col(PublicNotice.id).desc()
        )
        if call_id is not None:
            stmt = stmt.where(col(PublicNotice.call_id) == call_id)
        return [_notice_view(session, n) for n in session.execute(stmt).scalars()]


def acceptance(submitter_kind: str, form: str, received_on: dt.date, ends_on: dt.date) -> str | None:
    """Why an objection is not accepted (Chinese), or ``None`` when it is."""
    reasons: list[str] = []
    if submitter_kind == "anonymous":
        reasons.append("匿名提出的异议不予受理")
    elif submitter_kind == "person" and form != "signed":
        reasons.append("个人提出的异议须签署真实姓名，未签名的不予受理")
    elif submitter_kind == "unit" and form != "stamped":
        reasons.append("单位提出的异议须加盖本单位公章，未盖章的不予受理")
    if received_on > ends_on:
        reasons.append(f"公示期已于 {_cn(ends_on)} 结束，逾期提出的异议不予受理")
    return "；".join(reasons) or None


def record_objection(
    ctx: AppContext,
    *,
    notice_id: int,
    center_id: int,
    received_on: dt.date,
    submitter: str,
    submitter_kind: str,
    form: str,
    content: str,
) -> ObjectionView:
    """Record an objection received about a centre of a notice: who (a person's name or a unit's),
    ``submitter_kind`` person / unit / anonymous, ``form`` signed / stamped / unsigned, the date it
    was received and what it says. One that is anonymous, lacks the signature or stamp, or came
    after the notice ended is recorded as not accepted (不予受理) with the reason."""
    if submitter_kind not in SUBMITTER_KIND_LABELS:
        raise ServiceError("异议人类型应为“个人”“单位”或“匿名”", field="异议人类型")
    if form not in FORM_LABELS:
        raise ServiceError("异议形式应为“署名（签字）”“加盖公章”或“未署名、未盖章”", field="异议形式")
    who = _text(submitter, "异议人（姓名或单位名称）", SUBMITTER_MAX, required=submitter_kind != "anonymous")
    text = _text(content, "异议内容", CONTENT_MAX, required=True)
    with unit_of_work(ctx, "review.record_objection") as session:
        notice = _get_notice(session, notice_id)
        listed = session.execute(
            select(PublicNoticeItem).where(
                col(PublicNoticeItem.notice_id) == notice_id, col(PublicNoticeItem.center_id) == center_id
            )
        ).first()
        if listed is None:
            raise ServiceError(
                f"{_center_name(session, center_id)}不在公示“{notice.title}”的名单中", field="中心"
            )
        if received_on < notice.published_on:
            raise ServiceError(
                f"收到日期 {received_on.isoformat()} 早于公示开始日期 "
                f"{notice.published_on.isoformat()}，请核对",
                field="收到日期",
            )
        reason = acceptance(submitter_kind, form, received_on, notice.ends_on)
        row = Objection.model_validate(
            {
                "notice_id": notice_id,
                "center_id": center_id,
                "received_on": received_on,
                "submitter": who or "",
                "submitter_kind": submitter_kind,
                "form": form,
                "content": text,
                "accepted": reason is None,
                "not_accepted_reason": reason,
                "outcome": "pending" if reason is None else "not_accepted",
            }
        )
        session.add(row)
        session.flush()
        return _objection_view(session, row)


def resolve_objection(
    ctx: AppContext,
    *,
    objection_id: int,
    outcome: str,
    resolution: str,
    resolved_on: dt.date,
) -> ObjectionView:
    """Close an accepted objection after verification: ``dismissed`` (异议不成立) or ``upheld``
    (异议成立 — the centre is withdrawn from recognition, 公示中 → 已撤回), with what was found."""
    if outcome not in ("dismissed", "upheld"):
        raise ServiceError("处理结果应为“异议不成立”或“异议成立”", field="处理结果")
    text = _text(resolution, "核查情况和处理意见", RESOLUTION_MAX, required=True)
    assert text is not None
    with unit_of_work(ctx, "review.resolve_objection") as session:
        row = session.get(Objection, objection_id)
        if row is None:
            raise NotFound(f"找不到编号为 {objection_id} 的异议，请刷新后再试", field="异议")
        if not row.accepted:
            raise ServiceError(f"该异议不予受理（{row.not_accepted_reason}），无需处理", field="异议")
        if row.outcome != "pending":
            raise ServiceError(
                f"该异议已于 {row.resolved_on.isoformat() if row.resolved_on else ''} 处理完毕"
                f"（{OUTCOME_LABELS.get(row.outcome, row.outcome)}）",
                field="异议",
            )
        if resolved_on < row.received_on:
            raise ServiceError(
                f"处理日期 {resolved_on.isoformat()} 早于收到日期 {row.received_on.isoformat()}",
                field="处理日期",
            )
        row.outcome = outcome
        row.resolution = text
        row.resolved_on = resolved_on
        session.add(row)
        session.flush()
        if outcome == "upheld":
            _withdraw(session, row, text, resolved_on)
        return _objection_view(session, row)


def _withdraw(session: Session, row: Objection, resolution: str, on: dt.date) -> None:
    center = session.get(Center, row.center_id)
    if center is None or center.state != lifecycle.CenterState.PUBLIC_NOTICE:
        return  # already withdrawn by an earlier upheld objection
    apply_state_change(
        session,
        center,
        to_state=lifecycle.CenterState.WITHDRAWN.value,
        on=on,
        reason=f"公示期间收到异议，经核查异议成立，撤回认定：{resolution}"[:1000],
    )
    item = session.execute(
        select(PublicNoticeItem).where(
            col(PublicNoticeItem.notice_id) == row.notice_id, col(PublicNoticeItem.center_id) == row.center_id
        )
    ).scalar_one_or_none()
    if item is not None and item.declaration_id is not None:
        decl = session.get(Declaration, item.declaration_id)
        if decl is not None:
            change_declaration_status(session, decl, "withdrawn")
