"""The annual call (年度申报通知, 第十条（一）) and the 县区/主管部门 recommendation of each declaration
(第十条（二）).

A call is one per year: its title, document number, publication date and deadline, the rule-set
version (``rule_set_version.version_no`` of that year) and the scoring-sheet version it was
published with. Declarations belong to the call of their year. Every write is one audited unit of
work; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import func
from sqlmodel import Session, col, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations import CLOSED_STATUSES, DRAFT, STATUS_LABELS, check_call_year
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review.dto import CallView, RecommendationView
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AnnualCall, Declaration, RuleSetVersion

CALL_STATUS_LABELS: Mapping[str, str] = {"draft": "草稿", "open": "受理中", "closed": "已截止"}
TITLE_MAX = 200
DOCUMENT_NO_MAX = 100
SHEET_VERSION_MAX = 50
RECOMMENDED_BY_MAX = 200
NOTE_MAX = 500

_UNSET: object = object()


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        if required:
            raise ServiceError(f"请填写{field}", field=field)
        return None
    if len(text) > limit:
        raise ServiceError(f"{field}过长（{len(text)} 个字），最多 {limit} 个字，请精简", field=field)
    return text


def _check_status(status: str) -> str:
    if status not in CALL_STATUS_LABELS:
        allowed = "、".join(CALL_STATUS_LABELS.values())
        raise ServiceError(f"申报通知状态无效，应为：{allowed}", field="状态")
    return status


def _check_ruleset(session: Session, year: int, version_no: int | None) -> int | None:
    if version_no is None:
        return None
    if isinstance(version_no, bool) or not isinstance(version_no, int):
        raise ServiceError("规则版本号应为整数", field="规则版本")
    found = session.execute(
        select(func.count()).where(
            col(RuleSetVersion.year) == year, col(RuleSetVersion.version_no) == version_no
        )
    ).scalar_one()
    if not found:
        versions = sorted(
            session.execute(
                select(col(RuleSetVersion.version_no)).where(col(RuleSetVersion.year) == year)
            ).scalars()
        )
        have = "、".join(f"第 {v} 版" for v in versions) if versions else "没有保存任何版本"
        raise ServiceError(
            f"{year} 年度的规则参数没有第 {version_no} 版（该年度{have}）；请先在“规则参数”页保存，"
            "或选择已有的版本",
            field="规则版本",
        )
    return version_no


def _check_dates(published_on: dt.date | None, deadline: dt.date | None) -> None:
    if published_on is not None and deadline is not None and deadline < published_on:
        raise ServiceError(
            f"申报截止日期 {deadline.isoformat()} 早于发布日期 {published_on.isoformat()}，请检查",
            field="截止日期",
        )


def _get_call(session: Session, call_id: int) -> AnnualCall:
    call = session.get(AnnualCall, call_id)
    if call is None:
        raise NotFound(f"找不到编号为 {call_id} 的年度申报通知，请刷新后再试", field="申报通知")
    return call


def _count_declarations(session: Session, call_id: int) -> int:
    return int(
        session.execute(
            select(func.count()).where(
                col(Declaration.call_id) == call_id,
                col(Declaration.status).not_in({DRAFT, *CLOSED_STATUSES}),
            )
        ).scalar_one()
    )


def _view(session: Session, call: AnnualCall) -> CallView:
    assert call.id is not None
    return CallView(
        id=call.id,
        year=call.year,
        title=call.title,
        document_no=call.document_no,
        published_on=call.published_on,
        deadline=call.deadline,
        status=call.status,
        status_label=CALL_STATUS_LABELS.get(call.status, call.status),
        ruleset_version_no=call.ruleset_version_no,
        score_sheet_version=call.score_sheet_version,
        declarations=_count_declarations(session, call.id),
    )


def create_call(
    ctx: AppContext,
    *,
    year: int,
    title: str,
    document_no: str | None = None,
    published_on: dt.date | None = None,
    deadline: dt.date | None = None,
    ruleset_version_no: int | None = None,
    score_sheet_version: str | None = None,
    status: str = "open",
) -> int:
    """Create the call of ``year`` (one per year); returns its id. The rule-set version, when given,
    must be a saved version of that year. A year that already has a call (for instance one made
    when a declaration of that year was imported) is refused: edit it with :func:`update_call`."""
    year = check_call_year(year)
    title_text = _text(title, "通知标题", TITLE_MAX, required=True)
    doc_no = _text(document_no, "通知文号", DOCUMENT_NO_MAX)
    sheet = _text(score_sheet_version, "评分表版本", SHEET_VERSION_MAX)
    _check_dates(published_on, deadline)
    with unit_of_work(ctx, "review.create_call") as session:
        existing = session.execute(
            select(AnnualCall).where(col(AnnualCall.year) == year)
        ).scalar_one_or_none()
        if existing is not None:
            raise ServiceError(
                f"{year} 年度已有申报通知“{existing.title}”，每年只有一个申报通知；请修改已有的通知",
                field="年度",
            )
        call = AnnualCall.model_validate(
            {
                "year": year,
                "title": title_text,
                "document_no": doc_no,
                "published_on": published_on,
                "deadline": deadline,
                "status": _check_status(status),
                "ruleset_version_no": _check_ruleset(session, year, ruleset_version_no),
                "score_sheet_version": sheet,
            }
        )
        session.add(call)
        session.flush()
        assert call.id is not None
        return call.id


def update_call(
    ctx: AppContext,
    *,
    call_id: int,
    title: str | None = None,
    document_no: str | object | None = _UNSET,
    published_on: dt.date | object | None = _UNSET,
    deadline: dt.date | object | None = _UNSET,
    ruleset_version_no: int | object | None = _UNSET,
    score_sheet_version: str | object | None = _UNSET,
    status: str | None = None,
) -> None:
    """Change a call: only the arguments given (``None`` clears an optional field). The year of a
    call never changes (its declarations belong to it)."""
    with unit_of_work(ctx, "review.update_call") as session:
        call = _get_call(session, call_id)
        if title is not None:
            call.title = _text(title, "通知标题", TITLE_MAX, required=True) or call.title
        if document_no is not _UNSET:
            call.document_no = _text(_opt_str(document_no), "通知文号", DOCUMENT_NO_MAX)
        if published_on is not _UNSET:
            call.published_on = _opt_date(published_on, "发布日期")
        if deadline is not _UNSET:
            call.deadline = _opt_date(deadline, "截止日期")
        _check_dates(call.published_on, call.deadline)
        if ruleset_version_no is not _UNSET:
            value = ruleset_version_no if isinstance(ruleset_version_no, int) else None
            if ruleset_version_no is not None and value is None:
                raise ServiceError("规则版本号应为整数", field="规则版本")
            call.ruleset_version_no = _check_ruleset(session, call.year, value)
        if score_sheet_version is not _UNSET:
            call.score_sheet_version = _text(_opt_str(score_sheet_version), "评分表版本", SHEET_VERSION_MAX)
        if status is not None:
            call.status = _check_status(status)
        session.add(call)


def _opt_str(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ServiceError("应填写文字", field="文字")


def _opt_date(value: object, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise ServiceError(f"{field}应为日期", field=field)


def get_call(ctx: AppContext, call_id: int) -> CallView:
    with reading(ctx) as session:
        return _view(session, _get_call(session, call_id))


def call_for_year(ctx: AppContext, year: int) -> CallView | None:
    """The call of ``year``, or None."""
    with reading(ctx) as session:
        call = session.execute(select(AnnualCall).where(col(AnnualCall.year) == year)).scalar_one_or_none()
        return _view(session, call) if call is not None else None


def list_calls(ctx: AppContext) -> list[CallView]:
    """Every call, newest year first."""
    with reading(ctx) as session:
        calls = session.execute(select(AnnualCall).order_by(col(AnnualCall.year).desc())).scalars().all()
        return [_view(session, c) for c in calls]


# --- 县区/主管部门推荐 ------------------------------------------------------------------------------


def record_recommendation(
    ctx: AppContext,
    *,
    declaration_id: int,
    recommended_by: str,
    recommended_on: dt.date,
    note: str | None = None,
) -> None:
    """Record (or correct) the 县区科技主管部门 / 主管部门 recommendation of a declaration: who
    recommended it, on which day, and a note. A discarded or withdrawn declaration is refused."""
    by = _text(recommended_by, "推荐单位", RECOMMENDED_BY_MAX, required=True)
    if not isinstance(recommended_on, dt.date):
        raise ServiceError("请填写推荐日期", field="推荐日期")
    text = _text(note, "推荐意见", NOTE_MAX)
    with unit_of_work(ctx, "review.record_recommendation") as session:
        decl = session.get(Declaration, declaration_id)
        if decl is None:
            raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
        if decl.status in CLOSED_STATUSES:
            label = STATUS_LABELS.get(decl.status, decl.status)
            raise ServiceError(f"第 {declaration_id} 号申报书{label}，不能再记录推荐意见", field="申报书")
        decl.recommended_by = by
        decl.recommended_on = recommended_on
        decl.recommendation_note = text
        session.add(decl)


def get_recommendation(ctx: AppContext, declaration_id: int) -> RecommendationView:
    with reading(ctx) as session:
        decl = session.get(Declaration, declaration_id)
        if decl is None:
            raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
        return RecommendationView(
            declaration_id=declaration_id,
            recommended_by=decl.recommended_by,
            recommended_on=decl.recommended_on,
            note=decl.recommendation_note,
        )
