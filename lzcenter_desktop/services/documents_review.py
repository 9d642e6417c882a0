"""The review's documents from the records (issue 13 item 10): what the clerk prints at each step of
第十条.

* :func:`make_score_sheets` — 专家评分表 to sign, per expert (or every expert) of a session: the
  score sheet's indicators with the points entered (blank boxes when none are);
* :func:`make_session_summary` — 评审会汇总表: call, session, date, the aggregation with its label,
  the experts, per declaration each expert's score, the expert and site scores, the total, the
  result (an open session's complete scores as a marked preview);
* :func:`make_ranking_workbook` — 排名表 (xlsx) of a closed session: exact totals next to the
  two-decimal ones, outcomes and exception reasons;
* :func:`make_formal_result`, :func:`make_return_notices`, :func:`make_public_notice`,
  :func:`make_recognition_notice` — in :mod:`~lzcenter_desktop.services.documents_review_notices`,
  re-exported here.

Numbers agree with the record: the totals are the stored exact texts shown with two decimals cut,
never rounded up (``domain.review.shown_score``: 59.995 → 59.99).  Each document is written
completely or not at all (:mod:`~lzcenter_desktop.services.output`) and recorded in the audit
trail (entity ``document``, operation ``issue``); a document whose record cannot be written is
removed again.  Every refusal is a :class:`~lzcenter_desktop.services.errors.ServiceError` in
Chinese; characters the fonts lack are reported before printing as :class:`GlyphProblem` (a
``ServiceError`` naming each field and character).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain.review import Aggregation, parse_exact, shown_score
from lzcenter_desktop.domain.scoresheet import decimal_text, points_from_json
from lzcenter_desktop.domain.text import percent
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_review_base import (
    KINDS,
    PREVIEW_LABEL,
    SUFFIXES,
    GlyphProblem,
    ReviewDocument,
    file_name,
    write_document,
)
from lzcenter_desktop.services.documents_review_notices import (
    make_formal_result,
    make_public_notice,
    make_recognition_notice,
    make_return_notices,
)
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import lookup, results, scoring
from lzcenter_desktop.services.review.experts import expert_view
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Expert, ReviewAssignment, ReviewResult, ReviewScore

__all__ = [
    "KINDS",
    "SUFFIXES",
    "GlyphProblem",
    "ReviewDocument",
    "file_name",
    "make_formal_result",
    "make_public_notice",
    "make_ranking_workbook",
    "make_recognition_notice",
    "make_return_notices",
    "make_score_sheets",
    "make_session_summary",
]

# --------------------------------------------------------------------------- reading helpers


def _exact(text: str | None, fallback: float) -> Fraction:
    return parse_exact(text) if text else Fraction(repr(fallback))


def _session_experts(session: Session, session_id: int) -> dict[int, tuple[str, str]]:
    """Expert id → (name, unit) of the experts with an active assignment in the session."""
    ids = sorted(
        {
            a.expert_id
            for a in session.execute(
                select(ReviewAssignment).where(col(ReviewAssignment.session_id) == session_id)
            ).scalars()
            if lookup.is_active(a)
        }
    )
    out: dict[int, tuple[str, str]] = {}
    for expert_id in ids:
        expert = session.get(Expert, expert_id)
        if expert is not None:
            view = expert_view(session, expert)
            out[expert_id] = (view.name, view.unit)
    return out


def _expert_scores(session: Session, session_id: int) -> dict[int, list[tuple[int, Fraction]]]:
    """Declaration id → [(expert id, the expert's total)] of the active assignments, by expert."""
    rows = session.execute(
        select(ReviewAssignment, ReviewScore)
        .join(ReviewScore, col(ReviewScore.assignment_id) == col(ReviewAssignment.id))
        .where(col(ReviewAssignment.session_id) == session_id, col(ReviewScore.kind) == scoring.EXPERT_KIND)
        .order_by(col(ReviewAssignment.expert_id))
    ).all()
    out: dict[int, list[tuple[int, Fraction]]] = {}
    for assignment, score in rows:
        if lookup.is_active(assignment):
            out.setdefault(assignment.declaration_id, []).append(
                (assignment.expert_id, _exact(score.score_text, score.score))
            )
    return out


# --------------------------------------------------------------------------- 专家评分表


def _sheet_entry(
    session: Session, sheet: Any, assignment: ReviewAssignment, names: dict[int, tuple[str, str]]
) -> Any:
    from lzcenter_desktop.documents.review_sheets import SheetEntry

    assert assignment.id is not None
    score = session.execute(
        select(ReviewScore).where(
            col(ReviewScore.assignment_id) == assignment.id, col(ReviewScore.kind) == scoring.EXPERT_KIND
        )
    ).scalar_one_or_none()
    center, host = names.get(assignment.declaration_id, ("", ""))
    blank: tuple[str | None, ...] = (None,) * len(sheet.indicators)
    if score is None:
        return SheetEntry(assignment.declaration_id, center, host, blank, None)
    total = shown_score(_exact(score.score_text, score.score))
    note = ""
    points = blank
    if score.points_json:
        stored = points_from_json(score.points_json)
        points = tuple(decimal_text(stored[k]) if k in stored else None for k in sheet.keys)
        if any(p is None for p in points) or len(stored) != len(sheet.keys):
            version = score.sheet_version or "版本不详"
            note = f"注：本评分录入时所用评分表（{version}）的指标与本表不完全一致，空白项未录入。"
    else:
        note = "注：本评分只记录了合计分，未记录逐项得分。"
    return SheetEntry(assignment.declaration_id, center, host, points, total, score.comment, note)


def _score_sheets_spec(ctx: AppContext, session_id: int, expert_id: int | None) -> Any:
    from lzcenter_desktop.documents.review_sheets import ExpertSheets, ScoreSheetsSpec, SheetIndicator

    with reading(ctx) as session:
        review = lookup.get_review_session(session, session_id)
        sheet = scoring.sheet_of(session, review)
        query = select(ReviewAssignment).where(col(ReviewAssignment.session_id) == session_id)
        expert_name = ""
        if expert_id is not None:
            expert = session.get(Expert, expert_id)
            if expert is None:
                raise NotFound(f"找不到编号为 {expert_id} 的专家，请刷新后再试", field="专家")
            expert_name = expert_view(session, expert).name
            query = query.where(col(ReviewAssignment.expert_id) == expert_id)
        assignments = [
            a
            for a in session.execute(query.order_by(col(ReviewAssignment.declaration_id))).scalars()
            if lookup.is_active(a)
        ]
        experts = _session_experts(session, session_id)
        if expert_id is not None and expert_id not in experts:
            raise ServiceError(
                f"专家{expert_name}在评审会“{review.title}”中没有需要评分的申报书（未分配或已回避），无法生成评分表。",
                field="专家",
            )
        if not assignments:
            raise ServiceError(
                f"评审会“{review.title}”还没有给专家分配申报书，无法生成专家评分表。", field="评审会"
            )
        names = lookup.declaration_names(session, (a.declaration_id for a in assignments))
        by_expert: dict[int, list[Any]] = {}
        for a in assignments:
            by_expert.setdefault(a.expert_id, []).append(_sheet_entry(session, sheet, a, names))
        return ScoreSheetsSpec(
            title=sheet.title,
            sheet_version=sheet.version,
            session_title=review.title,
            held_on=review.held_on,
            indicators=tuple(
                SheetIndicator(i.name, decimal_text(i.max_points), i.guidance) for i in sheet.indicators
            ),
            experts=tuple(
                ExpertSheets(experts[eid][0], experts[eid][1], tuple(entries))
                for eid, entries in sorted(by_expert.items())
                if eid in experts
            ),
        )


def make_score_sheets(
    ctx: AppContext, *, session_id: int, path: Path, expert_id: int | None = None
) -> ReviewDocument:
    """专家评分表 of a session: one page per expert and assigned declaration (回避 and taken-off
    assignments left out) — only the expert ``expert_id`` when given — with each expert's own
    points where entered and blank boxes where not, the total, the opinion, signature and date
    lines. Refused for a session without assignments or an expert without any there."""
    from lzcenter_desktop.documents.review_sheets import render_score_sheets

    spec = _score_sheets_spec(ctx, session_id, expert_id)
    pages = sum(len(e.entries) for e in spec.experts)
    label = spec.session_title + (f"（{spec.experts[0].expert_name}）" if expert_id is not None else "")
    return write_document(
        ctx,
        "score_sheets",
        path,
        lambda p: render_score_sheets(spec, p),
        title=f"{label}专家评分表",
        entity=f"{session_id}" + (f"-{expert_id}" if expert_id else ""),
        details={
            "session_id": session_id,
            "expert_id": expert_id,
            "sheet_version": spec.sheet_version,
            "experts": [e.expert_name for e in spec.experts],
            "sheets": pages,
        },
        count=pages,
    )


# --------------------------------------------------------------------------- 汇总表 and 排名表


def _ranked(rows: list[results.ResultRow]) -> list[tuple[int, results.ResultRow]]:
    """(rank, row) by rank: the stored ranks, or — for results recorded without one — the
    competition ranking by the exact totals (equal totals share a rank: 1, 2, 2, 4)."""
    if all(r.rank > 0 for r in rows):
        return [(r.rank, r) for r in sorted(rows, key=lambda r: (r.rank, r.declaration_id))]
    ordered = sorted(rows, key=lambda r: (-parse_exact(r.total_text), r.declaration_id))
    out: list[tuple[int, results.ResultRow]] = []
    for position, row in enumerate(ordered, start=1):
        same = bool(out) and parse_exact(out[-1][1].total_text) == parse_exact(row.total_text)
        out.append((out[-1][0] if same else position, row))
    return out


def _summary_spec(ctx: AppContext, session_id: int) -> Any:
    from lzcenter_desktop.documents.review_summary import RankingRow, SessionSummarySpec

    with reading(ctx) as session:
        review = lookup.get_review_session(session, session_id)
        closed = review.status in lookup.CLOSED_SESSION_STATUSES
        title = review.title
    if closed:
        found = results.session_results(ctx, session_id=session_id)
    else:
        completeness = scoring.session_completeness(ctx, session_id=session_id)
        if not completeness.complete:
            raise ServiceError(
                f"评审会“{title}”尚未结束，且{completeness.summary()}，还不能生成汇总表。", field="评审会"
            )
        found = results.preview_results(ctx, session_id=session_id)
    rows = _ranked(found)
    with reading(ctx) as session:
        review = lookup.get_review_session(session, session_id)
        call = lookup.get_call(session, review.call_id)
        settings = lookup.call_settings(session, call)
        experts = _session_experts(session, session_id)
        scores = _expert_scores(session, session_id)
        decided = [
            r.decided_on
            for r in session.execute(
                select(ReviewResult).where(col(ReviewResult.session_id) == session_id)
            ).scalars()
        ]
    try:
        aggregation = Aggregation(review.aggregation).label
    except ValueError:
        aggregation = review.aggregation
    formula = (
        f"总分 = 专家评审得分 × {percent(settings.expert_score_weight)} + 现场考察得分 × "
        f"{percent(settings.site_score_weight)}；原则上{settings.pass_score}分及以上拟认定，以下不予认定"
    )
    return SessionSummarySpec(
        call_title=call.title,
        call_document_no=call.document_no or "",
        session_title=review.title,
        status_label=lookup.SESSION_STATUS_LABELS.get(review.status, review.status),
        held_on=review.held_on,
        location=review.location or "",
        aggregation_label=aggregation,
        formula=formula,
        experts=tuple(f"{name}（{unit}）" if unit else name for name, unit in experts.values()),
        rows=tuple(
            RankingRow(
                rank=rank,
                declaration_id=r.declaration_id,
                center_name=r.center_name,
                host_name=r.host_name,
                expert_count=r.expert_count,
                expert_scores=tuple(shown_score(v) for _, v in scores.get(r.declaration_id, [])),
                expert_score=r.shown_expert,
                site_score=r.shown_site,
                total=r.shown_total,
                expert_exact=r.expert_score_text,
                site_exact=r.site_score_text,
                total_exact=r.total_text,
                outcome=r.outcome_label,
                computed_outcome=results.OUTCOME_LABELS.get(r.computed_outcome, r.computed_outcome),
                exception_reason=r.exception_reason,
            )
            for rank, r in rows
        ),
        decided_on=max(decided) if closed and decided else None,
    )


def _result_details(spec: Any, session_id: int) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "decided_on": spec.decided_on.isoformat() if spec.decided_on is not None else None,
        "declaration_ids": [r.declaration_id for r in spec.rows],
        "ranks": {str(r.declaration_id): r.rank for r in spec.rows},
        "totals": {str(r.declaration_id): r.total_exact for r in spec.rows},
    }


def make_session_summary(ctx: AppContext, *, session_id: int, path: Path) -> ReviewDocument:
    """评审会汇总表 of a session (A4 landscape): the stored results of a closed session; for an open
    one whose scores are complete, the results it would have, marked as a preview. Refused while
    scores are missing."""
    from lzcenter_desktop.documents.review_summary import render_session_summary

    spec = _summary_spec(ctx, session_id)
    preview = spec.decided_on is None
    return write_document(
        ctx,
        "session_summary",
        path,
        lambda p: render_session_summary(spec, p),
        title=f"{spec.session_title}汇总表" + (PREVIEW_LABEL if preview else ""),
        entity=str(session_id),
        details={**_result_details(spec, session_id), "preview": preview},
        count=len(spec.rows),
    )


def make_ranking_workbook(ctx: AppContext, *, session_id: int, path: Path) -> ReviewDocument:
    """排名表 (xlsx) of a closed session: rank, names, the scores with two decimals (cut) as numbers
    and their exact values as text, the outcome, the outcome by the pass score, the exception's
    reason. Refused for an open session."""
    from lzcenter_desktop.documents.review_summary import write_ranking_workbook

    with reading(ctx) as session:
        review = lookup.get_review_session(session, session_id)
        if review.status not in lookup.CLOSED_SESSION_STATUSES:
            raise ServiceError(
                f"评审会“{review.title}”尚未结束，排名表只能在“结束评审并确定结果”后生成。", field="评审会"
            )
    spec = _summary_spec(ctx, session_id)
    notes: list[str] = []

    def render(p: Path) -> Path:
        written, removed = write_ranking_workbook(spec, p)
        notes.extend(removed)
        return written

    document = write_document(
        ctx,
        "ranking",
        path,
        render,
        title=f"{spec.session_title}排名表",
        entity=str(session_id),
        details=_result_details(spec, session_id),
        count=len(spec.rows),
    )
    return ReviewDocument(document.path, document.kind, document.title, document.count, tuple(notes))
