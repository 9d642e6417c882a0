"""评审结果 (第十条（三）): closing a session, the total of each declaration, the ranking and the
decision 拟认定 / 不予认定.

* Expert score: the experts' totals aggregated with the session's method — 算术平均, or 去掉一个最高分
  和一个最低分后平均 (only with at least 5 expert scores, :data:`domain.review.MIN_TRIMMED_SCORES`);
* site score: the inspection team's score (the mean when several teams inspected);
* total = expert × 50 % + site × 50 % (the weights of the call's rule settings), exact
  (``Fraction``), stored as exact text (``79.5`` or ``182/3``) with float copies; shown with two
  decimals cut, never rounded up: 59.995 is shown 59.99 and is not 拟认定;
* rank by total (equal totals share a rank: 1, 2, 2, 4);
* total ≥ the pass score (60) → 拟认定, else 不予认定; the clerk may decide otherwise for a
  declaration (第十条 says 原则上) only with a recorded reason;
* the centre moves 评审中 → 拟认定 / 未获认定 through ``centers.apply_state_change``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.review import (
    Aggregation,
    ReviewDecision,
    aggregate_expert_scores,
    exact_text,
    parse_exact,
    review_decision,
    shown_score,
    total_score,
)
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declaration_status import change_declaration_status
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import lookup
from lzcenter_desktop.services.review.guards import NOT_RECOGNISED, PROPOSED
from lzcenter_desktop.services.review.scoring import EXPERT_KIND, completeness_of
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Center,
    Declaration,
    ReviewAssignment,
    ReviewResult,
    ReviewScore,
    ReviewSession,
    SiteInspection,
)

OUTCOME_LABELS: Mapping[str, str] = {PROPOSED: "拟认定", NOT_RECOGNISED: "不予认定"}
REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class OutcomeException:
    """A 原则上 exception the clerk records for one declaration: the outcome and why."""

    outcome: str  # proposed / not_recognised
    reason: str


@dataclass(frozen=True, slots=True)
class ResultRow:
    """The result of one declaration in a session (computed, or as stored when the session closed)."""

    declaration_id: int
    center_id: int | None
    center_name: str
    host_name: str
    expert_count: int
    aggregation: str  # mean / trimmed_mean
    aggregation_label: str
    expert_score_text: str  # exact
    site_score_text: str  # exact
    total_text: str  # exact, e.g. "59.995" or "182/3"
    shown_total: str  # two decimals, cut: "59.99"
    shown_expert: str
    shown_site: str
    rank: int
    computed_outcome: str  # by the pass score alone
    outcome: str  # proposed / not_recognised (after an exception)
    outcome_label: str  # 拟认定 / 不予认定
    exception_reason: str | None
    pass_score: int

    @property
    def is_exception(self) -> bool:
        return self.exception_reason is not None


@dataclass(frozen=True, slots=True)
class _Computed:
    declaration_id: int
    center_id: int | None
    center_name: str
    host_name: str
    expert_count: int
    expert: Fraction
    site: Fraction
    total: Fraction
    decision: str


def _outcome(decision: ReviewDecision) -> str:
    return PROPOSED if decision is ReviewDecision.PROPOSED else NOT_RECOGNISED


def _aggregation(review_session: ReviewSession) -> Aggregation:
    try:
        return Aggregation(review_session.aggregation)
    except ValueError:
        raise ServiceError(
            f"评审会“{review_session.title}”的专家评分汇总方式无效，请选择算术平均或去掉最高分和最低分后平均",
            field="汇总方式",
        ) from None


def _compute(session: Session, review_session: ReviewSession, settings: RuleSettings) -> list[_Computed]:
    assert review_session.id is not None
    completeness = completeness_of(session, review_session)
    if not completeness.complete:
        raise ServiceError(
            f"评审会“{review_session.title}”不能结束：{completeness.summary()}", field="评审会"
        )
    method = _aggregation(review_session)
    decl_ids = lookup.session_declaration_ids(session, review_session.id)
    names = lookup.declaration_names(session, decl_ids)
    expert_rows = session.execute(
        select(ReviewAssignment, ReviewScore)
        .join(ReviewScore, col(ReviewScore.assignment_id) == col(ReviewAssignment.id))
        .where(col(ReviewAssignment.session_id) == review_session.id, col(ReviewScore.kind) == EXPERT_KIND)
    ).all()
    site_rows = session.execute(
        select(SiteInspection).where(col(SiteInspection.session_id) == review_session.id)
    ).scalars()
    experts: dict[int, list[Fraction]] = {}
    for assignment, score in expert_rows:
        if lookup.is_active(assignment):
            experts.setdefault(assignment.declaration_id, []).append(_exact(score.score_text, score.score))
    sites: dict[int, list[Fraction]] = {}
    for row in site_rows:
        sites.setdefault(row.declaration_id, []).append(parse_exact(row.score_text))
    out: list[_Computed] = []
    for decl_id in decl_ids:
        center_name, host = names.get(decl_id, ("", ""))
        scores = experts.get(decl_id, [])
        try:
            expert = aggregate_expert_scores(scores, method)
        except ValueError as exc:
            raise ServiceError(f"“{center_name}”：{exc}", field="汇总方式") from exc
        site_values = sites[decl_id]
        site = sum(site_values, Fraction(0)) / len(site_values)
        total = total_score(expert, site, settings)
        decl = session.get(Declaration, decl_id)
        out.append(
            _Computed(
                declaration_id=decl_id,
                center_id=decl.center_id if decl is not None else None,
                center_name=center_name,
                host_name=host,
                expert_count=len(scores),
                expert=expert,
                site=site,
                total=total,
                decision=_outcome(review_decision(total, settings)),
            )
        )
    return out


def _exact(text: str | None, fallback: float) -> Fraction:
    return parse_exact(text) if text else Fraction(repr(fallback))


def _ranks(totals: Mapping[int, Fraction]) -> dict[int, int]:
    """Competition ranking by total, highest first: equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[int, int] = {}
    previous: Fraction | None = None
    rank = 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank = position
            previous = total
        ranks[key] = rank
    return ranks


def _check_exceptions(
    computed: list[_Computed], exceptions: Mapping[int, OutcomeException], pass_score: int
) -> dict[int, OutcomeException]:
    by_id = {c.declaration_id: c for c in computed}
    out: dict[int, OutcomeException] = {}
    for decl_id, exc in exceptions.items():
        item = by_id.get(decl_id)
        if item is None:
            raise ServiceError(f"编号为 {decl_id} 的申报不在本次评审会中，不能记录例外", field="例外")
        if exc.outcome not in OUTCOME_LABELS:
            raise ServiceError("例外的结论应为“拟认定”或“不予认定”", field="例外")
        if exc.outcome == item.decision:
            raise ServiceError(
                f"“{item.center_name}”总分 {shown_score(item.total)} 分，按{pass_score}分线本就是"
                f"“{OUTCOME_LABELS[item.decision]}”，无需作为例外处理",
                field="例外",
            )
        reason = exc.reason.strip()
        if not reason:
            raise ServiceError(
                f"“{item.center_name}”不按{pass_score}分线作出结论（原则上{pass_score}分及以上拟认定），"
                "须填写理由",
                field="例外理由",
            )
        if len(reason) > REASON_MAX:
            raise ServiceError(f"例外理由过长，最多 {REASON_MAX} 个字", field="例外理由")
        out[decl_id] = OutcomeException(exc.outcome, reason)
    return out


def _row(
    c: _Computed,
    rank: int,
    method: str,
    exception: OutcomeException | None,
    pass_score: int,
) -> ResultRow:
    outcome = exception.outcome if exception is not None else c.decision
    return ResultRow(
        declaration_id=c.declaration_id,
        center_id=c.center_id,
        center_name=c.center_name,
        host_name=c.host_name,
        expert_count=c.expert_count,
        aggregation=method,
        aggregation_label=Aggregation(method).label,
        expert_score_text=exact_text(c.expert),
        site_score_text=exact_text(c.site),
        total_text=exact_text(c.total),
        shown_total=shown_score(c.total),
        shown_expert=shown_score(c.expert),
        shown_site=shown_score(c.site),
        rank=rank,
        computed_outcome=c.decision,
        outcome=outcome,
        outcome_label=OUTCOME_LABELS[outcome],
        exception_reason=exception.reason if exception is not None else None,
        pass_score=pass_score,
    )


def _sorted(rows: list[ResultRow]) -> list[ResultRow]:
    return sorted(rows, key=lambda r: (r.rank, r.declaration_id))


def preview_results(ctx: AppContext, *, session_id: int) -> list[ResultRow]:
    """The results a session would have if closed now (nothing is stored), by rank; refused while
    a score is missing or the aggregation cannot be applied."""
    with reading(ctx) as session:
        review_session = lookup.get_review_session(session, session_id)
        settings = lookup.call_settings(session, lookup.get_call(session, review_session.call_id))
        computed = _compute(session, review_session, settings)
        ranks = _ranks({c.declaration_id: c.total for c in computed})
        method = _aggregation(review_session).value
        return _sorted(
            [_row(c, ranks[c.declaration_id], method, None, settings.pass_score) for c in computed]
        )


def _state_reason(row: ResultRow) -> str:
    scores = f"评审总分 {row.shown_total} 分（专家评审 {row.shown_expert}、现场考察 {row.shown_site}）"
    line = f"{row.pass_score}分"
    if row.exception_reason is None:
        if row.outcome == PROPOSED:
            return f"{scores}，达到{line}，拟认定"
        return f"{scores}，低于{line}，不予认定"
    if row.outcome == PROPOSED:
        return f"{scores}，低于{line}；原则上不予认定，经研究作为例外拟认定：{row.exception_reason}"
    return f"{scores}，达到{line}；原则上拟认定，经研究不予认定：{row.exception_reason}"


def close_session(
    ctx: AppContext,
    *,
    session_id: int,
    decided_on: dt.date,
    exceptions: Mapping[int, OutcomeException] | None = None,
) -> list[ResultRow]:
    """Close a review session: compute, rank and store each declaration's result, decide 拟认定 /
    不予认定 (with the clerk's recorded exceptions, keyed by declaration id) and move each centre
    评审中 → 拟认定 / 未获认定. Refused while a score is missing, for a closed session, or when a
    centre is not 评审中. Returns the stored results by rank."""
    with unit_of_work(ctx, "review.close_session") as session:
        review_session = lookup.get_review_session(session, session_id)
        lookup.require_open(review_session, "再次结束")
        settings = lookup.call_settings(session, lookup.get_call(session, review_session.call_id))
        computed = _compute(session, review_session, settings)
        checked = _check_exceptions(computed, exceptions or {}, settings.pass_score)
        ranks = _ranks({c.declaration_id: c.total for c in computed})
        method = _aggregation(review_session).value
        operator = audit_context(session).operator
        rows: list[ResultRow] = []
        for c in computed:
            row = _row(c, ranks[c.declaration_id], method, checked.get(c.declaration_id), settings.pass_score)
            _store(session, review_session, c, row, decided_on, operator)
            rows.append(row)
        review_session.status = "closed"
        session.add(review_session)
        session.flush()
        return _sorted(rows)


def _store(
    session: Session,
    review_session: ReviewSession,
    c: _Computed,
    row: ResultRow,
    decided_on: dt.date,
    operator: str,
) -> None:
    existing = session.execute(
        select(ReviewResult).where(col(ReviewResult.declaration_id) == c.declaration_id)
    ).scalar_one_or_none()
    if existing is not None:
        raise ServiceError(f"“{c.center_name}”已有评审结果，不能重复评审", field="评审会")
    center = session.get(Center, c.center_id) if c.center_id is not None else None
    if center is None:
        raise ServiceError(f"“{c.center_name}”尚未登记为中心，不能确定评审结果", field="评审会")
    if center.state != lifecycle.CenterState.UNDER_REVIEW:
        raise ServiceError(
            f"“{center.name_zh}”当前状态为“{lifecycle.label(center.state)}”，只有“评审中”的中心才能确定评审结果",
            field="评审会",
        )
    session.add(
        ReviewResult.model_validate(
            {
                "declaration_id": c.declaration_id,
                "session_id": review_session.id,
                "expert_score": float(c.expert),
                "site_score": float(c.site),
                "total_score": float(c.total),
                "aggregation": row.aggregation,
                "outcome": row.outcome,
                "decided_on": decided_on,
                "expert_score_text": row.expert_score_text,
                "site_score_text": row.site_score_text,
                "total_text": row.total_text,
                "rank": row.rank,
                "expert_count": row.expert_count,
                "exception_reason": row.exception_reason,
                "operator": operator,
            }
        )
    )
    session.flush()
    apply_state_change(session, center, to_state=row.outcome, on=decided_on, reason=_state_reason(row))
    if row.outcome == NOT_RECOGNISED:
        decl = session.get(Declaration, c.declaration_id)
        if decl is not None:
            change_declaration_status(session, decl, "decided")


def session_results(ctx: AppContext, *, session_id: int) -> list[ResultRow]:
    """The stored results of a closed session, by rank (empty while it is open)."""
    with reading(ctx) as session:
        review_session = lookup.get_review_session(session, session_id)
        settings = lookup.call_settings(session, lookup.get_call(session, review_session.call_id))
        results = list(
            session.execute(select(ReviewResult).where(col(ReviewResult.session_id) == session_id)).scalars()
        )
        names = lookup.declaration_names(session, (r.declaration_id for r in results))
        rows = []
        for r in results:
            decl = session.get(Declaration, r.declaration_id)
            expert = _exact(r.expert_score_text, r.expert_score)
            site = _exact(r.site_score_text, r.site_score)
            total = _exact(r.total_text, r.total_score)
            computed = _outcome(review_decision(total, settings))
            center_name, host = names.get(r.declaration_id, ("", ""))
            method = r.aggregation if r.aggregation in Aggregation._value2member_map_ else "mean"
            rows.append(
                ResultRow(
                    declaration_id=r.declaration_id,
                    center_id=decl.center_id if decl is not None else None,
                    center_name=center_name,
                    host_name=host,
                    expert_count=r.expert_count or 0,
                    aggregation=method,
                    aggregation_label=Aggregation(method).label,
                    expert_score_text=exact_text(expert),
                    site_score_text=exact_text(site),
                    total_text=exact_text(total),
                    shown_total=shown_score(total),
                    shown_expert=shown_score(expert),
                    shown_site=shown_score(site),
                    rank=r.rank or 0,
                    computed_outcome=computed,
                    outcome=r.outcome,
                    outcome_label=OUTCOME_LABELS.get(r.outcome, r.outcome),
                    exception_reason=r.exception_reason,
                    pass_score=settings.pass_score,
                )
            )
        return _sorted(rows)
