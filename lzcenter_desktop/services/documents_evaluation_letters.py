"""The letters of 第五章 to one centre's host, from the records (part of
:mod:`~lzcenter_desktop.services.documents_evaluation`):

* :func:`make_rectification_notice` — 整改通知: the evaluation graded 整改, the one-year period
  as recorded in the rectification (notice day → deadline), 第二十四条（三）, how acceptance is
  asked for and checked; refused for any other grade, for a second consecutive 整改 (revoked, 第二十四条
  （四）) and before the rectification is recorded;
* :func:`make_acceptance_result` — 整改验收结果: passed → 继续保留称号, not passed → 取消称号 (with
  the re-application date); refused while the check is not recorded;
* :func:`make_revocation_notice` — 关于撤销……称号的通知: only for a centre whose state is 已撤销;
  the recorded revocation's date, 文号 and reason with its article, and the first day the host may
  apply again (第二十五条).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.evaluation import Grade, Outcome
from lzcenter_desktop.domain.lifecycle import label as state_label
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_evaluation_base import (
    EvaluationDocument,
    document_no_text,
    write_document,
)
from lzcenter_desktop.services.documents_evaluation_records import (
    article_in,
    cn_day,
    grade_of,
    reapply_date,
    score_text,
    without_article,
)
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    Center,
    CenterStateChange,
    Evaluation,
    EvaluationRound,
    Organization,
    Rectification,
)

__all__ = ["make_acceptance_result", "make_rectification_notice", "make_revocation_notice"]

MEASURES: Final = "《柳州市工程技术研究中心管理办法》"
TITLE_NAME: Final = "柳州市工程技术研究中心"
ART_RECTIFY: Final = "第二十四条（三）"
ART_REVOKE: Final = "第二十四条（四）"
ACCEPTANCE_STEPS: Final = (
    "整改期满之日起，由你单位提出整改验收申请，经业务主管部门审核同意后报市科技局，"
    "由市科技局组织专家或委托第三方专业机构进行整改验收。"
)


@dataclass(frozen=True, slots=True)
class _Centre:
    center: Center
    host: Organization | None

    @property
    def name(self) -> str:
        return self.center.name_zh

    @property
    def host_name(self) -> str:
        return self.host.name if self.host is not None else "依托单位"

    @property
    def department(self) -> str:
        return (self.host.competent_department or "").strip() if self.host is not None else ""


def _centre(session: Session, center_id: int) -> _Centre:
    center = session.get(Center, center_id)
    if center is None:
        raise NotFound(f"找不到编号为 {center_id} 的中心，请刷新后再试", field="中心")
    return _Centre(center, session.get(Organization, center.host_id))


def _state_changes(session: Session, center_id: int, to_state: str) -> list[CenterStateChange]:
    return list(
        session.execute(
            select(CenterStateChange)
            .where(col(CenterStateChange.center_id) == center_id, col(CenterStateChange.to_state) == to_state)
            .order_by(col(CenterStateChange.changed_on), col(CenterStateChange.id))
        ).scalars()
    )


def _rounds_of(session: Session, center_id: int) -> list[tuple[Evaluation, EvaluationRound]]:
    """The centre's evaluations with their rounds, oldest round first."""
    rows = session.execute(
        select(Evaluation, EvaluationRound)
        .join(EvaluationRound, col(EvaluationRound.id) == col(Evaluation.round_id))
        .where(col(Evaluation.center_id) == center_id)
        .order_by(col(EvaluationRound.year), col(Evaluation.id))
    ).all()
    return [(ev, rnd) for ev, rnd in rows]


def _grade_fact(ev: Evaluation) -> str:
    grade = grade_of(ev) or "未评定"
    total = score_text(ev)
    return grade if total == "—" else f"{grade}（总分 {total}）"


# --------------------------------------------------------------------------- 整改通知


def _problems(ev: Evaluation) -> tuple[str, ...]:
    """The 第九条 conditions the evaluation found unmet (E23a), as recorded."""
    import json

    try:
        found = json.loads(ev.violations_json or "[]")
    except ValueError:
        return ()
    out: list[str] = []
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and str(item.get("message", "")).strip():
            out.append(str(item["message"]).strip())
        elif isinstance(item, list | tuple) and item and str(item[-1]).strip():
            out.append(str(item[-1]).strip())
        elif isinstance(item, str) and item.strip():
            out.append(item.strip())
    return tuple(out)


def _rectification_facts(
    ctx: AppContext, evaluation_id: int | None, center_id: int | None
) -> tuple[_Centre, Evaluation, EvaluationRound, Rectification | None, str]:
    """The centre, its evaluation graded 整改, the round, the rectification and the 文号 recorded
    with the change to 整改中 (or "")."""
    if (evaluation_id is None) == (center_id is None):
        raise ServiceError("请指定一条绩效评估记录，或一个中心（取其最近一次评估）", field="绩效评估")
    with reading(ctx) as session:
        if evaluation_id is not None:
            ev = session.get(Evaluation, evaluation_id)
            if ev is None:
                raise NotFound(f"找不到编号为 {evaluation_id} 的评估记录，请刷新后再试", field="绩效评估")
        else:
            assert center_id is not None
            found = _rounds_of(session, center_id)
            if not found:
                name = _centre(session, center_id).name
                raise ServiceError(f"“{name}”还没有参加过绩效评估，无法生成整改通知。", field="中心")
            ev = found[-1][0]
        rnd = session.get(EvaluationRound, ev.round_id)
        assert rnd is not None
        who = _centre(session, ev.center_id)
        rect = session.execute(
            select(Rectification).where(col(Rectification.evaluation_id) == ev.id)
        ).scalar_one_or_none()
        doc_no = ""
        if rect is not None:
            for change in _state_changes(session, ev.center_id, "rectifying"):
                if change.changed_on == rect.notice_date and change.document_no:
                    doc_no = change.document_no
        session.expunge_all()
    return who, ev, rnd, rect, doc_no


def make_rectification_notice(
    ctx: AppContext,
    *,
    path: Path,
    evaluation_id: int | None = None,
    center_id: int | None = None,
    document_no: str | None = None,
) -> EvaluationDocument:
    """整改通知 to the host of a centre graded 整改 (one evaluation, or the centre's latest): the
    grade, the period as recorded (notice day → deadline), 第二十四条（三） and the acceptance
    procedure; dated on the notice day; 文号 ``document_no`` or the one recorded with the change to
    整改中."""
    from lzcenter_desktop.documents.evaluation_notices import NoticeLetter, render_letter

    who, ev, rnd, rect, recorded_no = _rectification_facts(ctx, evaluation_id, center_id)
    grade = grade_of(ev)
    if not ev.participated:
        raise ServiceError(
            f"“{who.name}”没有参加{rnd.title}（视为自动放弃），不能生成整改通知。", field="绩效评估"
        )
    if grade != Grade.RECTIFY.value:
        raise ServiceError(
            f"“{who.name}”在{rnd.title}中的评估结果为“{grade or '尚未评定'}”，不是“整改”，不能生成整改通知。",
            field="绩效评估",
        )
    if ev.outcome == Outcome.REVOKE.value:
        raise ServiceError(
            f"“{who.name}”连续二次评估结果为整改，按{ART_REVOKE}应取消称号，不发整改通知；请生成撤销通知。",
            field="绩效评估",
        )
    if rect is None:
        raise ServiceError(
            f"“{who.name}”的整改还没有记录（通知日期和整改期限），请先在绩效评估中确认“限期整改”的处理，"
            "再生成整改通知。",
            field="绩效评估",
        )
    doc_no = document_no_text(document_no) or recorded_no
    department = f"（{who.department}）" if who.department else ""
    problems = _problems(ev)
    letter = NoticeLetter(
        title=f"关于{who.name}限期整改的通知",
        document_no=doc_no,
        addressee=who.host_name,
        paragraphs=(
            f"根据{MEASURES}第二十二条、第二十三条的规定，我局组织开展了{rnd.title}。"
            f"经评估，你单位依托建设的{who.name}评估结果为“整改”。",
            f"根据{MEASURES}{ART_RECTIFY}的规定，现予以通报，并给予一年的整改期限，"
            f"自{cn_day(rect.notice_date)}起至{cn_day(rect.deadline)}止。"
            f"请你单位在业务主管部门{department}的指导下开展整改。",
        ),
        facts=(
            ("中心名称", who.name),
            ("依托单位", who.host_name),
            ("评估", rnd.title),
            ("评估结果", _grade_fact(ev)),
            ("整改期限", f"{cn_day(rect.notice_date)}至{cn_day(rect.deadline)}"),
            ("依据", f"{MEASURES}{ART_RECTIFY}"),
        ),
        points_intro="评估中发现的主要问题：" if problems else "",
        points=problems,
        closing=(
            ACCEPTANCE_STEPS,
            f"整改期间没有明显进步的，将予以取消工程技术中心称号；连续二次评估结果为整改的，"
            f"按{ART_REVOKE}取消工程技术中心称号。",
            "特此通知。",
        ),
        signed_on=rect.notice_date,
        cc=who.department,
    )
    return write_document(
        ctx,
        "rectification_notice",
        path,
        lambda p: render_letter(letter, p, subject="整改通知"),
        title=letter.title,
        entity=f"e{ev.id}",
        details={
            "evaluation_id": ev.id,
            "center_id": ev.center_id,
            "round_id": rnd.id,
            "grade": grade,
            "rectification_id": rect.id,
            "notice_date": rect.notice_date.isoformat(),
            "deadline": rect.deadline.isoformat(),
            "document_no": doc_no,
        },
        count=1,
    )


# --------------------------------------------------------------------------- 整改验收结果


def _acceptance_facts(
    ctx: AppContext, rectification_id: int | None, center_id: int | None
) -> tuple[_Centre, Rectification, EvaluationRound | None, CenterStateChange | None]:
    if (rectification_id is None) == (center_id is None):
        raise ServiceError("请指定一条整改记录，或一个中心（取其最近一次整改）", field="整改")
    with reading(ctx) as session:
        if rectification_id is not None:
            rect = session.get(Rectification, rectification_id)
            if rect is None:
                raise NotFound(f"找不到编号为 {rectification_id} 的整改记录，请刷新后再试", field="整改")
        else:
            found = session.execute(
                select(Rectification)
                .where(col(Rectification.center_id) == center_id)
                .order_by(col(Rectification.notice_date).desc(), col(Rectification.id).desc())
            ).scalars()
            rect = next(iter(found), None)
            if rect is None:
                name = _centre(session, center_id or 0).name
                raise ServiceError(f"“{name}”没有整改记录，无法生成整改验收结果。", field="中心")
        who = _centre(session, rect.center_id)
        ev = session.get(Evaluation, rect.evaluation_id)
        rnd = session.get(EvaluationRound, ev.round_id) if ev is not None else None
        revoked = None
        if rect.outcome == "not_accepted" and rect.checked_on is not None:
            later = [
                c
                for c in _state_changes(session, rect.center_id, "revoked")
                if c.changed_on >= rect.checked_on
            ]
            revoked = later[0] if later else None
        session.expunge_all()
    return who, rect, rnd, revoked


def make_acceptance_result(
    ctx: AppContext,
    *,
    path: Path,
    rectification_id: int | None = None,
    center_id: int | None = None,
    document_no: str | None = None,
) -> EvaluationDocument:
    """整改验收结果 of a rectification (or the centre's latest): passed → 继续保留称号; not passed
    (no obvious progress) → 取消称号 under 第二十四条（三）, with the first day the host may apply
    again; dated on the check. Refused while no check is recorded."""
    from lzcenter_desktop.documents.evaluation_notices import NoticeLetter, render_letter

    who, rect, rnd, revoked = _acceptance_facts(ctx, rectification_id, center_id)
    if rect.outcome not in ("accepted", "not_accepted") or rect.checked_on is None:
        raise ServiceError(
            f"“{who.name}”的整改验收尚未记录结果（整改期限至{cn_day(rect.deadline)}），无法生成整改验收结果。",
            field="整改",
        )
    passed = rect.outcome == "accepted"
    checked = rect.checked_on
    evaluation = rnd.title if rnd is not None else "绩效评估"
    applied = f"你单位于{cn_day(rect.applied_on)}提出整改验收申请，" if rect.applied_on else ""
    facts: list[tuple[str, str]] = [
        ("中心名称", who.name),
        ("依托单位", who.host_name),
        ("评估结果", f"整改（{evaluation}）"),
        ("整改期限", f"{cn_day(rect.notice_date)}至{cn_day(rect.deadline)}"),
    ]
    if rect.applied_on:
        facts.append(("验收申请日期", cn_day(rect.applied_on)))
    facts += [("验收日期", cn_day(checked)), ("验收结论", "通过" if passed else "未通过")]
    story = [
        f"你单位依托建设的{who.name}在{evaluation}中评估结果为“整改”，我局于{cn_day(rect.notice_date)}"
        f"通知限期整改，整改期限至{cn_day(rect.deadline)}。{applied}我局于{cn_day(checked)}组织了整改验收。"
    ]
    closing: list[str] = []
    revoked_on = revoked.changed_on if revoked is not None else checked
    if passed:
        facts.append(("处理", "继续保留柳州市工程技术研究中心称号"))
        story.append(
            f"经验收，整改合格。根据{MEASURES}第二十四条的规定，{who.name}继续保留{TITLE_NAME}称号。"
            "请你单位继续加强中心的建设和运行管理，按时报送工作年报。"
        )
    else:
        again = reapply_date(ctx, revoked_on)
        facts += [
            ("处理", f"自{cn_day(revoked_on)}起取消{TITLE_NAME}称号（{ART_RECTIFY}）"),
            ("可重新申请认定", f"{cn_day(again)}起（第二十五条）"),
        ]
        story.append(
            f"经验收，整改期间没有明显进步。根据{MEASURES}{ART_RECTIFY}的规定，"
            f"取消{who.name}的{TITLE_NAME}称号。"
        )
        closing.append(
            f"根据{MEASURES}第二十五条的规定，请你单位在业务主管部门的指导下开展整改；"
            f"自{cn_day(again)}起，如自评达到{MEASURES}第九条基本条件的，可以重新申请认定工程技术研究中心。"
        )
    if (rect.note or "").strip():
        facts.append(("验收意见", (rect.note or "").strip()))
    closing.append("特此通知。")
    doc_no = document_no_text(document_no) or (revoked.document_no or "" if revoked is not None else "")
    letter = NoticeLetter(
        title=f"关于{who.name}整改验收结果的通知",
        document_no=doc_no,
        addressee=who.host_name,
        paragraphs=tuple(story),
        facts=tuple(facts),
        closing=tuple(closing),
        signed_on=checked,
        cc=who.department,
    )
    return write_document(
        ctx,
        "acceptance_result",
        path,
        lambda p: render_letter(letter, p, subject="整改验收结果"),
        title=letter.title,
        entity=f"r{rect.id}",
        details={
            "rectification_id": rect.id,
            "center_id": rect.center_id,
            "outcome": rect.outcome,
            "checked_on": checked.isoformat(),
            "document_no": doc_no,
        },
        count=1,
    )


# --------------------------------------------------------------------------- 撤销通知


def _revocation_basis(session: Session, center_id: int, revoked_on: date) -> tuple[str, str] | None:
    """(what happened, article) behind a revocation on ``revoked_on``, from the records: a failed
    acceptance check (第二十四条（三）), or the latest evaluation graded 不合格 or a second 整改
    (第二十四条（四）) — whichever is recorded last before that day."""
    found: list[tuple[date, str, str]] = []
    rects = session.execute(
        select(Rectification).where(
            col(Rectification.center_id) == center_id, col(Rectification.outcome) == "not_accepted"
        )
    ).scalars()
    for rect in rects:
        if rect.checked_on is not None and rect.checked_on <= revoked_on:
            found.append((rect.checked_on, "整改验收未通过，整改期间没有明显进步", ART_RECTIFY))
    for ev, rnd in _rounds_of(session, center_id):
        grade = grade_of(ev)
        on = ev.outcome_applied_on or ev.notice_date or rnd.finished_on
        if on is None or on > revoked_on:
            continue
        if grade == Grade.FAILED.value:
            found.append((on, f"{rnd.title}评估结果为不合格", ART_REVOKE))
        elif grade == Grade.RECTIFY.value and ev.outcome == Outcome.REVOKE.value:
            found.append((on, f"连续二次评估结果为整改（{rnd.title}）", ART_REVOKE))
    if not found:
        return None
    _, what, article = max(found, key=lambda x: x[0])
    return what, article


def make_revocation_notice(
    ctx: AppContext, *, center_id: int, path: Path, document_no: str | None = None
) -> EvaluationDocument:
    """关于撤销……称号的通知 of a centre whose state is 已撤销: the recorded revocation's date and
    文号 (or ``document_no``), the reason with its article, and the first day the host may apply
    again (第二十五条). Refused for a centre in any other state."""
    from lzcenter_desktop.documents.evaluation_notices import NoticeLetter, render_letter

    with reading(ctx) as session:
        who = _centre(session, center_id)
        if who.center.state != "revoked":
            raise ServiceError(
                f"“{who.name}”当前状态为“{state_label(who.center.state)}”，不是“已撤销”，不能生成撤销通知。",
                field="中心",
            )
        changes = _state_changes(session, center_id, "revoked")
        change: CenterStateChange | None = changes[-1] if changes else None
        revoked_on = change.changed_on if change is not None else who.center.state_since
        basis = _revocation_basis(session, center_id, revoked_on)
        session.expunge_all()
    recorded = (change.reason or "").strip() if change is not None else ""
    article = article_in(recorded) or (basis[1] if basis else None)
    reason = recorded or (basis[0] if basis else "")
    if not reason:
        raise ServiceError(
            f"“{who.name}”的撤销没有记录原因，无法生成撤销通知；请在中心的状态记录中补充撤销原因。",
            field="中心",
        )
    reason = reason.rstrip("。；;，,")
    basis_text = f"根据{MEASURES}{article}的规定，" if article else ""
    again = reapply_date(ctx, revoked_on)
    doc_no = document_no_text(document_no) or ((change.document_no or "") if change is not None else "")
    facts: list[tuple[str, str]] = [("中心名称", who.name), ("依托单位", who.host_name)]
    if who.center.recognized_on is not None:
        cert = f"，证书编号 {who.center.certificate_no}" if who.center.certificate_no else ""
        facts.append(("认定日期", cn_day(who.center.recognized_on) + cert))
    facts += [("撤销原因", reason)]
    if article:
        facts.append(("依据", f"{MEASURES}{article}"))
    facts += [("撤销日期", cn_day(revoked_on)), ("可重新申请认定", f"{cn_day(again)}起（第二十五条）")]
    letter = NoticeLetter(
        title=f"关于撤销{who.name}称号的通知",
        document_no=doc_no,
        addressee=who.host_name,
        paragraphs=(
            f"你单位依托建设的{who.name}，{without_article(reason) or reason}。"
            f"{basis_text}经研究，决定自{cn_day(revoked_on)}起撤销{who.name}的{TITLE_NAME}称号。",
        ),
        facts=tuple(facts),
        closing=(
            f"根据{MEASURES}第二十五条的规定，请你单位在业务主管部门的指导下开展整改。"
            f"自{cn_day(again)}起，如自评达到{MEASURES}第九条基本条件的，可以重新申请认定工程技术研究中心。",
            "特此通知。",
        ),
        signed_on=revoked_on,
        cc=who.department,
    )
    return write_document(
        ctx,
        "revocation_notice",
        path,
        lambda p: render_letter(letter, p, subject="撤销称号通知"),
        title=letter.title,
        entity=f"c{center_id}",
        details={
            "center_id": center_id,
            "revoked_on": revoked_on.isoformat(),
            "article": article,
            "reason": reason,
            "reapply_from": again.isoformat(),
            "document_no": doc_no,
        },
        count=1,
    )
