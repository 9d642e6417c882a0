"""形式审查 (第十条（二）): the queue of a call's submitted declarations with the rule engine's
findings, the clerk's decision, re-submission after 退回补正, and the published result list.

Decisions, one per round (``formal_check``, a new row for each round; the rule engine's findings at
the time are stored with it as JSON):

* **通过** (``passed``) — the centre moves 已提交 → 评审中 (``services.centers.apply_state_change``);
  the declaration stays 已提交 and may be put on a review panel;
* **退回补正** (``returned``) — reasons required, one per line (printed for the applicant); the
  declaration's status becomes ``returned`` (退回补正) and it leaves the queue until it is
  corrected and submitted again with :func:`resubmit_returned`, which opens the next round; the
  centre stays 已提交;
* **不予受理** (``rejected``) — reasons required; the centre moves 已提交 → 未获认定 and the
  declaration is 已办结 (``decided``).

A decision is refused for a declaration that is not 已提交 or was already decided in its round.

Re-submission keeps the declaration (its id, its call, its centre, its rounds). The corrected
document replaces the stored one (``source_json``, the declaration of record that every reader
uses); the child tables written at the first submission (staff, projects, …) are not rewritten —
rows are never deleted, and those tables have no state to retire a row with.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.draft_checks import rule_reference
from lzcenter_desktop.domain.interchange import FormatError, declaration_to_json, parse_declaration
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declaration_status import change_declaration_status
from lzcenter_desktop.services.declarations.acknowledgements import _store_ack
from lzcenter_desktop.services.declarations.drafts import _column_values
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review.dto import Finding, FormalCheckView, FormalQueueRow, FormalResultRow
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    AuditEntry,
    Center,
    Declaration,
    FormalCheck,
    Organization,
    utcnow,
)

PASSED = "passed"
RETURNED = "returned"
REJECTED = "rejected"
DECISION_LABELS: Mapping[str, str] = {PASSED: "通过", RETURNED: "退回补正", REJECTED: "不予受理"}
RETURNED_STATUS = "returned"  # the declaration's status while it is being corrected
DECIDED_STATUS = "decided"
REASON_LINE_MAX = 300
REASONS_MAX = 3000
_STATE_REASON_MAX = 1000
_RESULT_ORDER = {PASSED: 0, RETURNED: 1, REJECTED: 2}


# --- helpers ----------------------------------------------------------------------------------------


def _reason_lines(reasons: str | Sequence[str]) -> tuple[str, ...]:
    parts = reasons.splitlines() if isinstance(reasons, str) else [str(r) for r in reasons]
    lines = tuple(p.strip() for p in parts if p.strip())
    for i, line in enumerate(lines, start=1):
        if len(line) > REASON_LINE_MAX:
            raise ServiceError(
                f"第 {i} 条原因过长（{len(line)} 个字），每条最多 {REASON_LINE_MAX} 个字", field="原因"
            )
    if sum(len(line) + 1 for line in lines) > REASONS_MAX:
        raise ServiceError(f"原因合计过长，最多 {REASONS_MAX} 个字", field="原因")
    return lines


def _findings(violations: Sequence[Violation]) -> tuple[Finding, ...]:
    return tuple(
        Finding(rule=v.rule, severity=v.severity.value, path=v.path, message=v.message) for v in violations
    )


def _findings_json(violations: Sequence[Violation]) -> str:
    rows = [
        {
            "rule": v.rule,
            "article": v.article,
            "severity": v.severity.value,
            "path": v.path,
            "message": v.message,
            "actual": v.actual,
            "required": v.required,
        }
        for v in violations
    ]
    return json.dumps(rows, ensure_ascii=False)


def _stored_findings(text: str | None) -> tuple[Finding, ...]:
    try:
        rows = json.loads(text or "[]")
    except ValueError:
        return ()
    if not isinstance(rows, list):
        return ()
    return tuple(
        Finding(
            rule=str(r.get("rule", "")),
            severity=str(r.get("severity", "")),
            path=str(r.get("path", "")),
            message=str(r.get("message", "")),
        )
        for r in rows
        if isinstance(r, dict)
    )


def _check_view(row: FormalCheck) -> FormalCheckView:
    assert row.id is not None
    return FormalCheckView(
        id=row.id,
        declaration_id=row.declaration_id,
        round=row.round,
        decision=row.decision,
        decision_label=DECISION_LABELS.get(row.decision, row.decision),
        reasons=tuple(line for line in row.reasons.splitlines() if line.strip()),
        findings=_stored_findings(row.violations_json),
        decided_on=row.decided_on,
        operator=row.operator,
    )


def _checks(session: Session, declaration_id: int) -> list[FormalCheck]:
    return list(
        session.execute(
            select(FormalCheck)
            .where(col(FormalCheck.declaration_id) == declaration_id)
            .order_by(col(FormalCheck.round))
        ).scalars()
    )


def _get_declaration(session: Session, declaration_id: int) -> Declaration:
    decl = session.get(Declaration, declaration_id)
    if decl is None:
        raise NotFound(f"找不到编号为 {declaration_id} 的申报书，请刷新后再试", field="申报书")
    return decl


def _host_name(session: Session, decl: Declaration) -> str:
    org = session.get(Organization, decl.host_id) if decl.host_id is not None else None
    if org is not None:
        return org.name
    host = d.stored_document(session, decl).get("host")
    return str(host.get("name") or "") if isinstance(host, dict) else ""


def _label(decl: Declaration) -> str:
    return d.STATUS_LABELS.get(decl.status, decl.status)


def _not_in_queue(decl: Declaration, last: FormalCheck | None) -> str | None:
    """Why ``decl`` cannot be decided now, or None."""
    if decl.status == RETURNED_STATUS:
        return f"第 {decl.id} 号申报书已退回补正，须由申报单位改正并重新提交后才能再次审查"
    if decl.status != d.SUBMITTED:
        return f"第 {decl.id} 号申报书{_label(decl)}，不在形式审查队列中（只有已提交的申报书可以审查）"
    if last is not None and last.decision != RETURNED:
        return (
            f"第 {decl.id} 号申报书第 {last.round} 轮形式审查已于 {last.decided_on.isoformat()} 作出结论"
            f"“{DECISION_LABELS.get(last.decision, last.decision)}”，同一轮不能再次审查"
        )
    return None


# --- the queue --------------------------------------------------------------------------------------


def formal_queue(ctx: AppContext, *, call_id: int, include_decided: bool = True) -> list[FormalQueueRow]:
    """The declarations of a call that were submitted — waiting for a decision first, then (with
    ``include_decided``) the returned and decided ones — each with the rule engine's findings now
    (the rule set of the call year, as at submission)."""
    with reading(ctx) as session:
        if session.get(AnnualCall, call_id) is None:
            raise NotFound(f"找不到编号为 {call_id} 的年度申报通知", field="申报通知")
        decls = (
            session.execute(
                select(Declaration)
                .where(
                    col(Declaration.call_id) == call_id,
                    col(Declaration.status).in_((d.SUBMITTED, RETURNED_STATUS, DECIDED_STATUS)),
                )
                .order_by(col(Declaration.submitted_on), col(Declaration.id))
            )
            .scalars()
            .all()
        )
        rows = []
        for decl in decls:
            checks = _checks(session, decl.id or 0)
            last = checks[-1] if checks else None
            pending = _not_in_queue(decl, last) is None
            rows.append((decl, _host_name(session, decl), last, pending))
    out: list[FormalQueueRow] = []
    for decl, host, last, pending in rows:
        if not pending and not include_decided:
            continue
        assert decl.id is not None
        violations = d.check_declaration_draft(ctx, declaration_id=decl.id).violations
        errors = sum(1 for v in violations if v.severity is Severity.ERROR)
        if pending:
            status_label = "待审查" if last is None else f"已重新提交，待第 {last.round + 1} 轮审查"
        elif decl.status == RETURNED_STATUS:
            status_label = "退回补正（待重新提交）"
        else:
            status_label = DECISION_LABELS.get(last.decision, _label(decl)) if last else _label(decl)
        out.append(
            FormalQueueRow(
                declaration_id=decl.id,
                center_name=decl.name_zh,
                host_name=host,
                submitted_on=decl.submitted_on,
                recommended_by=decl.recommended_by,
                recommended_on=decl.recommended_on,
                round=(last.round + 1 if last is not None and pending else (last.round if last else 1)),
                pending=pending,
                status=decl.status,
                status_label=status_label,
                findings=_findings(violations),
                errors=errors,
                warnings=len(violations) - errors,
                last=_check_view(last) if last is not None else None,
            )
        )
    out.sort(key=lambda r: (not r.pending,))
    return out


def formal_history(ctx: AppContext, *, declaration_id: int) -> list[FormalCheckView]:
    """Every 形式审查 decision of a declaration, first round first."""
    with reading(ctx) as session:
        _get_declaration(session, declaration_id)
        return [_check_view(r) for r in _checks(session, declaration_id)]


# --- decisions --------------------------------------------------------------------------------------


def decide_formal(
    ctx: AppContext,
    *,
    declaration_id: int,
    decision: str,
    on: dt.date,
    reasons: str | Sequence[str] = "",
) -> int:
    """Record the 形式审查 decision of the declaration's current round; returns the ``formal_check``
    id. ``decision``: ``passed`` (通过), ``returned`` (退回补正) or ``rejected`` (不予受理); the last
    two need ``reasons`` (one per line, or a list). See the module docstring for what each does."""
    if decision not in DECISION_LABELS:
        allowed = "、".join(DECISION_LABELS.values())
        raise ServiceError(f"形式审查结论无效，应为：{allowed}", field="审查结论")
    lines = _reason_lines(reasons)
    label = DECISION_LABELS[decision]
    if decision != PASSED and not lines:
        raise ServiceError(f"请填写{label}的原因（每行一条），原因将以书面通知告知申报单位", field="原因")
    if not isinstance(on, dt.date):
        raise ServiceError("请填写审查日期", field="审查日期")
    violations = d.check_declaration_draft(ctx, declaration_id=declaration_id).violations
    with unit_of_work(ctx, f"review.formal_{decision}") as session:
        decl = _get_declaration(session, declaration_id)
        checks = _checks(session, declaration_id)
        last = checks[-1] if checks else None
        refused = _not_in_queue(decl, last)
        if refused is not None:
            raise ServiceError(refused, field="申报书")
        if decl.submitted_on is not None and on < decl.submitted_on:
            raise ServiceError(
                f"审查日期 {on.isoformat()} 早于申报书提交日期 {decl.submitted_on.isoformat()}",
                field="审查日期",
            )
        round_no = last.round + 1 if last is not None else 1
        center = session.get(Center, decl.center_id) if decl.center_id is not None else None
        if center is None:
            raise ServiceError(f"第 {declaration_id} 号申报书没有关联的中心记录，无法审查", field="申报书")
        why = "；".join(lines)
        if decision == PASSED:
            apply_state_change(
                session, center, to_state="under_review", on=on, reason=f"形式审查通过（第 {round_no} 轮）"
            )
        elif decision == REJECTED:
            text = f"形式审查不予受理（第 {round_no} 轮）：{why}"
            if len(text) > _STATE_REASON_MAX:
                text = text[: _STATE_REASON_MAX - 1] + "…"
            apply_state_change(session, center, to_state="not_recognised", on=on, reason=text)
            change_declaration_status(session, decl, DECIDED_STATUS)
        else:
            change_declaration_status(session, decl, RETURNED_STATUS)
        row = FormalCheck.model_validate(
            {
                "declaration_id": declaration_id,
                "round": round_no,
                "decision": decision,
                "reasons": "\n".join(lines),
                "violations_json": _findings_json(violations),
                "decided_on": on,
                "operator": audit_context(session).operator,
            }
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def _audit(session: Session, declaration_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
    audit = audit_context(session)
    session.add(
        AuditEntry.model_validate(
            {
                "operator": audit.operator,
                "action": audit.action,
                "operation": "update",
                "entity": "declaration",
                "entity_id": str(declaration_id),
                "before": json.dumps(before, ensure_ascii=False, sort_keys=True),
                "after": json.dumps(after, ensure_ascii=False, sort_keys=True),
                "txn": audit.txn,
                "at": utcnow(),
            }
        )
    )
    audit.entries += 1


def resubmit_returned(
    ctx: AppContext,
    *,
    declaration_id: int,
    data: Mapping[str, Any] | None = None,
    acknowledgements: Mapping[str, str] | None = None,
    on: dt.date | None = None,
) -> None:
    """Submit a declaration that was 退回补正 again, corrected: ``data`` is the corrected document
    (``None``: the stored one, e.g. when only paper attachments were missing). It is checked as a
    submission is — refused while an error remains or a warning has no acknowledgement reason
    (stored, or given in ``acknowledgements``: :func:`~lzcenter_desktop.services.declarations.violation_key`
    → reason) — and goes back to the 形式审查 queue for the next round."""
    day = on or dt.date.today()
    with reading(ctx) as session:
        decl = _get_declaration(session, declaration_id)
        if decl.status != RETURNED_STATUS:
            raise ServiceError(
                f"第 {declaration_id} 号申报书{_label(decl)}，只有退回补正的申报书可以重新提交",
                field="申报书",
            )
        call = session.get(AnnualCall, decl.call_id)
        assert call is not None
        year = call.year
        document = dict(data) if data is not None else d.stored_document(session, decl)
    if data is not None:
        if document.get("call_year") != year:
            raise ServiceError(
                f"改正后的申报书年度（{document.get('call_year')}）与原申报书的 {year} 年度不一致",
                field="申报年度",
            )
        d.fullwidth_name(document)
    revocation = d.recorded_revocation(ctx, document=document)
    violations = d.check_data(ctx, document, call_year=year, revocation=revocation)
    violations += d.duplicate_violations(ctx, declaration_id=declaration_id, document=document)
    errors = [v for v in violations if v.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        raise ServiceError(
            f"还有 {len(errors)} 项错误，改正后才能重新提交。第一项：{first.path}：{first.message}",
            field=first.path,
        )
    reasons = d.list_acknowledgements(ctx, declaration_id=declaration_id)
    given = {k: r.strip() for k, r in (acknowledgements or {}).items() if isinstance(r, str) and r.strip()}
    reasons.update(given)
    missing = [
        v for v in violations if v.severity is Severity.WARNING and not reasons.get(d.violation_key(v))
    ]
    if missing:
        first = missing[0]
        raise ServiceError(
            f"还有 {len(missing)} 项警告未填写确认理由。"
            f"第一项：{rule_reference(first.rule)}：{first.message}",
            field=first.path,
        )
    try:
        canonical = declaration_to_json(parse_declaration(document))
    except FormatError as exc:  # pragma: no cover - check_data reports it first
        raise ServiceError(f"申报书格式不正确：{exc.detail}", field=exc.path) from None
    with unit_of_work(ctx, "review.resubmit_returned") as session:
        decl = _get_declaration(session, declaration_id)
        if decl.status != RETURNED_STATUS:
            raise ServiceError(f"第 {declaration_id} 号申报书{_label(decl)}，不能重新提交", field="申报书")
        for v in violations:
            if v.severity is Severity.WARNING and d.violation_key(v) in given:
                _store_ack(session, declaration_id, v.rule, v.path, given[d.violation_key(v)])
        if data is not None:
            decl.source_json = json.dumps(canonical, ensure_ascii=False)
            for key, value in _column_values(canonical).items():
                setattr(decl, key, value)
        decl.status = d.SUBMITTED
        decl.submitted_on = day
        session.add(decl)


# --- the published result ---------------------------------------------------------------------------


def formal_results(ctx: AppContext, *, call_id: int) -> list[FormalResultRow]:
    """The 形式审查 result of a call as published: each decided declaration's latest decision
    (通过 first, then 退回补正, then 不予受理; by centre name within each)."""
    with reading(ctx) as session:
        if session.get(AnnualCall, call_id) is None:
            raise NotFound(f"找不到编号为 {call_id} 的年度申报通知", field="申报通知")
        decls = (
            session.execute(select(Declaration).where(col(Declaration.call_id) == call_id)).scalars().all()
        )
        out: list[FormalResultRow] = []
        for decl in decls:
            assert decl.id is not None
            checks = _checks(session, decl.id)
            if not checks:
                continue
            last = checks[-1]
            out.append(
                FormalResultRow(
                    declaration_id=decl.id,
                    center_name=decl.name_zh,
                    host_name=_host_name(session, decl),
                    conclusion=DECISION_LABELS.get(last.decision, last.decision),
                    reasons=last.reasons,
                    round=last.round,
                    decided_on=last.decided_on,
                )
            )
    out.sort(key=lambda r: (_RESULT_ORDER.get(_code(r.conclusion), 9), r.center_name, r.declaration_id))
    return out


def _code(label: str) -> str:
    return next((k for k, v in DECISION_LABELS.items() if v == label), label)
