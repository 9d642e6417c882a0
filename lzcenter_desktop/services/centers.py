"""Centres: the list, one centre's detail with its timeline, and lifecycle changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.review import awarded_title
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.approvals import four_eyes
from lzcenter_desktop.services.center_list import center_row
from lzcenter_desktop.services.center_list import list_centers as list_centers
from lzcenter_desktop.services.center_list_statement import fetch_list_rows as fetch_list_rows
from lzcenter_desktop.services.center_list_statement import list_statement as _list_statement
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import CenterDetail, StateChange
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.evaluation import guards as evaluation_guards
from lzcenter_desktop.services.labels import ORG_KIND_LABELS, label_of
from lzcenter_desktop.services.review import guards
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.services.versioning import bump, check_version
from lzcenter_desktop.storage.models import (
    Center,
    CenterIndustry,
    CenterParty,
    CenterStateChange,
    Declaration,
    Organization,
    Recognition,
)

NAME_PREFIX = "柳州"
NAME_CORE = "工程技术研究中心"


def get_center(ctx: AppContext, center_id: int) -> CenterDetail:
    """One centre with its host, co-builders, recognition and state history (oldest first)."""
    with reading(ctx) as session:
        found = session.execute(_list_statement().where(col(Center.id) == center_id)).first()
        center = session.get(Center, center_id)
        if found is None or center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心，它可能已被其他用户更改，请刷新列表。")
        host = session.get(Organization, center.host_id)
        assert host is not None
        industries = _industries(session, center_id)
        co_builders = tuple(
            session.execute(
                select(col(Organization.name))
                .join(CenterParty, col(CenterParty.organization_id) == col(Organization.id))
                .where(col(CenterParty.center_id) == center_id, col(CenterParty.left_on).is_(None))
                .order_by(col(CenterParty.position), col(CenterParty.id))
            ).scalars()
        )
        recognition = session.execute(
            select(Recognition)
            .where(col(Recognition.center_id) == center_id)
            .order_by(col(Recognition.recognized_on).desc(), col(Recognition.id).desc())
            .limit(1)
        ).scalar_one_or_none()
        history = _history(session, center_id)
    return CenterDetail(
        row=center_row(found),
        name_en=center.name_en,
        research_direction=center.research_direction,
        industries=industries,
        host_credit_code=host.credit_code or "",
        host_kind=label_of(ORG_KIND_LABELS, host.kind),
        competent_department=host.competent_department or "",
        co_builders=co_builders,
        plaque_no=center.plaque_no,
        certificate_no=center.certificate_no,
        recognition_document_no=recognition.document_no if recognition else None,
        history=history,
    )


def _history(session: Session, center_id: int) -> tuple[StateChange, ...]:
    rows = session.execute(
        select(CenterStateChange)
        .where(col(CenterStateChange.center_id) == center_id)
        .order_by(col(CenterStateChange.changed_on), col(CenterStateChange.id))
    ).scalars()
    return tuple(
        StateChange(
            on=r.changed_on,
            from_state=lifecycle.label(r.from_state) if r.from_state else None,
            to_state=lifecycle.label(r.to_state),
            document_no=r.document_no,
            operator=r.operator,
            reason=r.reason,
        )
        for r in rows
    )


# --- writes -------------------------------------------------------------------------------------


def check_center_name(name_zh: str) -> str:
    """第二十六条: ``柳州××工程技术研究中心`` optionally followed by ``（依托单位名称）``."""
    name = name_zh.strip()
    if not name:
        raise ServiceError("请填写中心名称", field="中心名称")
    base = name.split("（", 1)[0] if "（" in name else name
    if (
        not base.startswith(NAME_PREFIX)
        or not base.endswith(NAME_CORE)
        or len(base) <= len(NAME_PREFIX + NAME_CORE)
    ):
        raise ServiceError(
            f"中心名称“{name}”不符合第二十六条：应为“柳州××工程技术研究中心（依托单位名称）”的形式",
            field="中心名称",
        )
    if "（" in name and not name.endswith("）"):
        raise ServiceError(f"中心名称“{name}”的括号不完整", field="中心名称")
    return name


def _clean_industries(industries: Sequence[str]) -> list[str]:
    cleaned = [i.strip() for i in industries if i.strip()]
    if not cleaned:
        raise ServiceError("请至少选择一个重点产业领域", field="重点产业领域")
    if len(set(cleaned)) != len(cleaned):
        raise ServiceError("重点产业领域有重复项", field="重点产业领域")
    return cleaned


def add_center(
    session: Session,
    *,
    name_zh: str,
    host_id: int,
    on: date,
    industries: Sequence[str],
    name_en: str = "",
    research_direction: str = "",
    co_builder_ids: Sequence[int] = (),
    reason: str = "新建申报",
) -> Center:
    """Insert a centre in the initial state (草稿) with its first timeline entry, inside a unit of work."""
    name = check_center_name(name_zh)
    if session.get(Organization, host_id) is None:
        raise ServiceError(f"依托单位（编号 {host_id}）不存在", field="依托单位")
    fields = _clean_industries(industries)
    center = Center.model_validate(
        {
            "name_zh": name,
            "name_en": name_en.strip(),
            "research_direction": research_direction.strip(),
            "host_id": host_id,
            "state": lifecycle.INITIAL_STATE.value,
            "state_since": on,
        }
    )
    session.add(center)
    session.flush()
    assert center.id is not None
    for pos, industry in enumerate(fields):
        session.add(
            CenterIndustry.model_validate({"center_id": center.id, "position": pos, "industry": industry})
        )
    for pos, org_id in enumerate(dict.fromkeys(co_builder_ids)):
        if org_id == host_id:
            raise ServiceError("共建单位不能与依托单位相同", field="共建单位")
        if session.get(Organization, org_id) is None:
            raise ServiceError(f"共建单位（编号 {org_id}）不存在", field="共建单位")
        session.add(
            CenterParty.model_validate(
                {
                    "center_id": center.id,
                    "organization_id": org_id,
                    "role": "co_builder",
                    "position": pos,
                    "joined_on": on,
                }
            )
        )
    session.add(
        CenterStateChange.model_validate(
            {
                "center_id": center.id,
                "changed_on": on,
                "from_state": None,
                "to_state": lifecycle.INITIAL_STATE.value,
                "operator": audit_context(session).operator,
                "reason": reason,
            }
        )
    )
    session.flush()
    return center


def create_center(
    ctx: AppContext,
    *,
    name_zh: str,
    host_id: int,
    on: date,
    industries: Sequence[str],
    name_en: str = "",
    research_direction: str = "",
    co_builder_ids: Sequence[int] = (),
) -> int:
    """Create a centre (state 草稿) for a host; returns its id."""
    with unit_of_work(ctx, "centers.create_center") as session:
        center = add_center(
            session,
            name_zh=name_zh,
            host_id=host_id,
            on=on,
            industries=industries,
            name_en=name_en,
            research_direction=research_direction,
            co_builder_ids=co_builder_ids,
        )
        assert center.id is not None
        return center.id


def apply_state_change(
    session: Session,
    center: Center,
    *,
    to_state: str,
    on: date,
    reason: str,
    document_no: str | None = None,
) -> CenterStateChange:
    """Validate and apply one lifecycle step inside a unit of work; records the timeline entry.

    The one place every state change goes through: the lifecycle's transitions, then the rules of
    第十条 (:func:`lzcenter_desktop.services.review.guards.check_step`: no 拟认定 review result, no
    拟认定; no published notice, no 公示中; no ended notice with its objections closed, no 认定) and
    of 第二十四条 (:func:`lzcenter_desktop.services.evaluation.guards.check_evaluation_step`: 整改中,
    已撤销, 自动放弃 and 整改中 → 已认定 only with the evaluation outcome or acceptance that decides them)."""
    if not reason or not reason.strip():
        raise ServiceError("请填写状态变更的原因", field="变更原因")
    try:
        target = lifecycle.parse_state(to_state)
        lifecycle.check_transition(center.state, target, on=on, state_since=center.state_since)
    except ValueError as exc:  # IllegalTransition is a ValueError
        raise ServiceError(str(exc), field="目标状态") from exc
    guards.check_step(session, center, target, on)
    evaluation_guards.check_evaluation_step(session, center, target, on)
    doc = document_no.strip() if document_no and document_no.strip() else None
    change = CenterStateChange.model_validate(
        {
            "center_id": center.id,
            "changed_on": on,
            "from_state": center.state,
            "to_state": target.value,
            "document_no": doc,
            "operator": audit_context(session).operator,
            "reason": reason.strip(),
        }
    )
    if target is lifecycle.CenterState.RECOGNISED and center.state == lifecycle.CenterState.PUBLIC_NOTICE:
        center.recognized_on = on
    center.state = target.value
    center.state_since = on
    session.add(center)
    session.add(change)
    session.flush()
    return change


def change_state(
    ctx: AppContext,
    *,
    center_id: int,
    to_state: str,
    on: date,
    reason: str,
    document_no: str | None = None,
) -> None:
    """Move a centre to ``to_state`` (validated with ``domain.lifecycle``), audited."""
    with unit_of_work(ctx, "centers.change_state") as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
        apply_state_change(session, center, to_state=to_state, on=on, reason=reason, document_no=document_no)


#: 修改原因 is kept whole in the audit entry's action (``centers.update_center：<reason>``, at most
#: 100 characters); a longer reason is refused rather than cut.
UPDATE_ACTION = "centers.update_center"
UPDATE_REASON_MAX = 70
#: States whose record is closed for renaming: the title ended (第二十四条（四）（五）), the name is the
#: one recognised, printed on the certificate and published; it changes only with a new application.
NAME_LOCKED_STATES = frozenset({lifecycle.CenterState.REVOKED, lifecycle.CenterState.FORFEITED})

#: The field names of :func:`update_center`'s result, in the order of the form.
EDIT_FIELDS = ("中心名称", "英文名称", "研发方向", "重点产业领域")


@dataclass(frozen=True, slots=True)
class CenterEdit:
    """What the 修改中心信息 form starts from: the centre's master data as stored now, the list of
    重点产业 to choose from, and what the service would refuse (so the form can say it first)."""

    center_id: int
    state: str  # Chinese label, e.g. 已认定
    state_code: str
    name_zh: str
    name_en: str
    research_direction: str
    industries: tuple[str, ...]
    industry_choices: tuple[str, ...]  # the rule settings' 重点产业 of the current year
    locked: str | None  # why nothing can be edited here (a draft), else None
    name_locked: str | None  # why the names cannot change (revoked / forfeited), else None
    version: int = 1  # the centre's version when loaded: pass it back as ``expected_version``


def _edit_refusal(center: Center) -> str | None:
    if center.state == lifecycle.CenterState.DRAFT:
        return (
            f"“{center.name_zh}”还是申报书草稿：中心名称、研发方向和产业领域随申报书保存，"
            "请在“申报”页修改申报书"
        )
    return None


def _name_refusal(center: Center) -> str | None:
    if center.state in NAME_LOCKED_STATES:
        return (
            f"“{center.name_zh}”的状态为“{lifecycle.label(center.state)}”，不再具有工程技术中心资格"
            "（第二十四条），其名称是认定和证书上的名称，不能更改；依托单位重新申请认定时再填写新名称"
        )
    return None


def center_for_edit(ctx: AppContext, center_id: int, *, year: int | None = None) -> CenterEdit:
    """The master data of one centre for the 修改中心信息 form, with the 重点产业 list of the rule
    settings of ``year`` (default: this year; see :func:`rulesets.settings_for_year`)."""
    with reading(ctx) as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心，它可能已被其他用户更改，请刷新列表。")
        edit = CenterEdit(
            center_id=center_id,
            state=lifecycle.label(center.state),
            state_code=center.state,
            name_zh=center.name_zh,
            name_en=center.name_en,
            research_direction=center.research_direction,
            industries=_industries(session, center_id),
            industry_choices=(),
            locked=_edit_refusal(center),
            name_locked=_name_refusal(center),
            version=center.version,
        )
    choices = rulesets.settings_for_year(ctx, year if year is not None else date.today().year).key_industries
    return replace(edit, industry_choices=tuple(choices))


def _industries(session: Session, center_id: int) -> tuple[str, ...]:
    """The centre's 重点产业领域 in order (positions blanked by an earlier edit left out)."""
    return tuple(
        session.execute(
            select(col(CenterIndustry.industry))
            .where(col(CenterIndustry.center_id) == center_id, col(CenterIndustry.industry) != "")
            .order_by(col(CenterIndustry.position))
        ).scalars()
    )


def _clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ServiceError("请填写修改原因：它与本次修改一起记入审计日志", field="修改原因")
    if len(text) > UPDATE_REASON_MAX:
        raise ServiceError(
            f"修改原因过长（{len(text)} 个字），最多 {UPDATE_REASON_MAX} 个字，请精简", field="修改原因"
        )
    return text


def update_center(
    ctx: AppContext,
    *,
    center_id: int,
    reason: str,
    name_zh: str | None = None,
    name_en: str | None = None,
    research_direction: str | None = None,
    industries: Sequence[str] | None = None,
    expected_version: int | None = None,
) -> tuple[str, ...]:
    """修改中心信息: change a centre's names, research direction or industries, with the reason
    recorded in the audit entry (action ``centers.update_center：<reason>``).

    Only the fields given *and* different from what is stored are checked and written (an
    unchanged field writes nothing, and nothing changed writes nothing at all); returns the names
    of the changed fields (:data:`EDIT_FIELDS`). Refused: no reason, or one longer than
    :data:`UPDATE_REASON_MAX`; a centre still in 草稿 (its draft declaration is the record); a new
    name for a centre 已撤销 or 自动放弃; a name not of the form of 第二十六条; an empty research
    direction; no industry, or one twice; a centre saved by someone else since the form loaded
    ``expected_version`` (:class:`~lzcenter_desktop.services.versioning.StaleRecord`). A save that
    changes anything raises the centre's version by one."""
    text = _clean_reason(reason)
    with unit_of_work(ctx, f"{UPDATE_ACTION}：{text}") as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
        refusal = _edit_refusal(center)
        if refusal is not None:
            raise ServiceError(refusal, field="中心")
        check_version(session, center, expected_version)
        changed: list[str] = []
        new_zh = name_zh.strip() if name_zh is not None else center.name_zh
        new_en = name_en.strip() if name_en is not None else center.name_en
        if new_zh != center.name_zh or new_en != center.name_en:
            refusal = _name_refusal(center)
            if refusal is not None:
                raise ServiceError(refusal, field="中心名称" if new_zh != center.name_zh else "英文名称")
        if new_zh != center.name_zh:
            center.name_zh = check_center_name(new_zh)
            changed.append("中心名称")
        if new_en != center.name_en:
            center.name_en = new_en
            changed.append("英文名称")
        if research_direction is not None and research_direction.strip() != center.research_direction:
            if not research_direction.strip():
                raise ServiceError("请填写研发方向", field="研发方向")
            center.research_direction = research_direction.strip()
            changed.append("研发方向")
        if industries is not None:
            fields = _clean_industries(industries)
            if tuple(fields) != _industries(session, center_id):
                _replace_industries(session, center_id, fields)
                changed.append("重点产业领域")
        if changed:
            bump(center)
            session.add(center)
            session.flush()
        return tuple(f for f in EDIT_FIELDS if f in changed)


def _replace_industries(session: Session, center_id: int, fields: list[str]) -> None:
    """Rewrite the industry list in place (rows are updated or added, never deleted; extra ones are
    blanked to keep positions stable)."""
    existing = {
        r.position: r
        for r in session.execute(
            select(CenterIndustry).where(col(CenterIndustry.center_id) == center_id)
        ).scalars()
    }
    for pos, industry in enumerate(fields):
        row = existing.get(pos)
        if row is None:
            session.add(
                CenterIndustry.model_validate({"center_id": center_id, "position": pos, "industry": industry})
            )
        elif row.industry != industry:
            row.industry = industry
            session.add(row)
    for pos, row in existing.items():
        if pos >= len(fields) and row.industry:
            row.industry = ""
            session.add(row)


def recognise(
    ctx: AppContext,
    *,
    center_id: int,
    on: date,
    document_no: str,
    plaque_no: str | None = None,
    certificate_no: str | None = None,
) -> int:
    """发文认定 (第十条（四）（五）): records the recognition and moves the centre 公示中 → 已认定."""
    with unit_of_work(ctx, "centers.recognise") as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心", field="中心")
        four_eyes(
            session,
            kind="centre_recognition",
            subject=f"center:{center_id}",
            summary=f"认定“{center.name_zh}”（{document_no}，{on.isoformat()}）",
            params={
                "center_id": center_id,
                "on": on,
                "document_no": document_no,
                "plaque_no": plaque_no,
                "certificate_no": certificate_no,
            },
        )
        recognition = add_recognition(
            session,
            center,
            on=on,
            document_no=document_no,
            plaque_no=plaque_no,
            certificate_no=certificate_no,
        )
        assert recognition.id is not None
        return recognition.id


def add_recognition(
    session: Session,
    center: Center,
    *,
    on: date,
    document_no: str,
    plaque_no: str | None,
    certificate_no: str | None,
    call_id: int | None = None,
    declaration_id: int | None = None,
    reason: str = "公示无异议，发文认定",
) -> Recognition:
    """发文认定 of one centre inside a unit of work: the step 公示中 → 已认定 (with its rules, see
    :func:`apply_state_change`) and the recognition with the title of 第十条（五） for the name of
    第二十六条; the call and declaration default to those of the centre's 拟认定 review result."""
    if not document_no or not document_no.strip():
        raise ServiceError("请填写认定文号，例如 柳科发〔2026〕12号", field="认定文号")
    for field_name, value, column in (
        ("牌匾编号", plaque_no, col(Recognition.plaque_no)),
        ("证书编号", certificate_no, col(Recognition.certificate_no)),
    ):
        if value:
            taken = session.execute(select(func.count()).where(column == value)).scalar_one()
            if taken:
                raise ServiceError(f"{field_name}“{value}”已被其他中心使用", field=field_name)
    apply_state_change(
        session,
        center,
        to_state=lifecycle.CenterState.RECOGNISED.value,
        on=on,
        reason=reason,
        document_no=document_no,
    )
    assert center.id is not None
    result = guards.latest_result(session, center.id)
    if result is not None and declaration_id is None:
        declaration_id = result.declaration_id
        decl = session.get(Declaration, declaration_id)
        call_id = call_id if call_id is not None else (decl.call_id if decl is not None else None)
    title = awarded_title(center.name_zh.split("（", 1)[0].removeprefix(NAME_PREFIX).removesuffix(NAME_CORE))
    recognition = Recognition.model_validate(
        {
            "center_id": center.id,
            "call_id": call_id,
            "declaration_id": declaration_id,
            "document_no": document_no.strip(),
            "recognized_on": on,
            "title_awarded": title,
            "plaque_no": plaque_no or None,
            "certificate_no": certificate_no or None,
        }
    )
    center.plaque_no = plaque_no or None
    center.certificate_no = certificate_no or None
    session.add(center)
    session.add(recognition)
    session.flush()
    return recognition
