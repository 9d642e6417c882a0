"""A deterministic, realistic, fictional demo database (``lzcenter-desktop demo``).

About 40 centres in every lifecycle state, hosts spread over Liuzhou's districts and counties and
its key industries, declarations with every part of the interchange format, the recognition
procedure of every call (形式审查, review sessions with panels, drawn experts and scores, ranked
results, public notices and objections, recognitions), directors and committees with meetings,
annual reports 2022–2026 with spot checks and one finished evaluation round (2025), through the
annual-report and evaluation services. Same seed → same data (except each review session's and
the evaluation round's offline-package key, a fresh random secret).

Everything is written through the services layer's unit of work, in one transaction, with audit
entries: a crash half-way leaves no half-built demo. The recognition procedure goes through the
public review services themselves, inside that transaction
(:mod:`~lzcenter_desktop.services.demo_transaction`), so the demo is in a state they accept: the
current call (2026) can be carried on from the 评审 page. The operator of every demo write is one of
three fictional bureau clerks (:data:`demo_data.DEMO_STAFF`: 受理 by 李科员, 评审/认定/评估 by
覃科长, 运行管理 by 韦科员), never the account that happens to build the database.

Consistency with the rules: every host has an English name, so each centre's names follow
第二十六条; each declaration that passed the review (拟认定 and later, and every submitted one)
passes every error-level rule of 第九条 with the rule set of its call year; the committee records
of recognised centres pass M11–M16 as of the demo's "today" (2026-11-26).

Deliberate problem cases, so the checks have something to show (by position in :data:`PLAN`):

* 申报 (2026 drafts, both flagged by the wizard):
  - ``REAPPLICATION_SLOT`` — the host of the centre revoked after the 2025 evaluation drafts a new
    application for the same centre in 2026, under the same Chinese name (the only two centres
    that share a name). 第二十五条 lets it apply again only two years after the revocation
    (D25, error; ``previous_revocation_date`` is filled in).
  - ``SHORT_STAFF_SLOT`` — a draft with only 7 fixed R&D staff (D9.3a, error: 8 required).
* 委员会 (recognised centres, ``COMMITTEE_PROBLEMS``):
  - M14b — at the latest 换届 one member left without a successor: the expert committee has
    8 members, an even number.
  - M12b — the director was seconded elsewhere in 2025 and worked 5 months at the centre.
  - M13c — the management committee met only once in 2025.

This module builds the demo (:func:`build_demo`, :func:`ensure_demo_database`) and re-exports the
plan's constants; the builder is put together from one part per chapter of the Measures:
:mod:`~lzcenter_desktop.services.demo_base` (the plan, the builder's state and helpers),
:mod:`~lzcenter_desktop.services.demo_centres` (organizations, centres, reference data),
:mod:`~lzcenter_desktop.services.demo_declarations` (第三章, declarations),
:mod:`~lzcenter_desktop.services.demo_review` (第十条, review and recognition, through the services),
:mod:`~lzcenter_desktop.services.demo_committees` (第四章, directors and committees) and
:mod:`~lzcenter_desktop.services.demo_reports` (第五章, annual reports and the evaluation: its parts
:mod:`~lzcenter_desktop.services.demo_annual` and :mod:`~lzcenter_desktop.services.demo_evaluation`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlmodel import col, func, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.demo_base import (
    COMMITTEE_PROBLEMS,
    CURRENT_CALL_YEAR,
    DEMO_OPERATOR,
    DEMO_STAFF,
    DEMO_TODAY,
    EVALUATION_NOTICE,
    EVALUATION_YEAR,
    FIRST_CALL_YEAR,
    PLAN,
    REAPPLICATION_SLOT,
    REPORT_YEARS,
    REVOKED_SLOT,
    SHORT_STAFF,
    SHORT_STAFF_SLOT,
    UNIVERSITY_SLOTS,
)
from lzcenter_desktop.services.demo_centres import INDUSTRY_CYCLE, CentresBuilder
from lzcenter_desktop.services.demo_committees import CommitteesBuilder
from lzcenter_desktop.services.demo_declarations import DeclarationsBuilder
from lzcenter_desktop.services.demo_reports import ReportsBuilder
from lzcenter_desktop.services.demo_transaction import one_transaction
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import Center, metadata

__all__ = [
    "COMMITTEE_PROBLEMS",
    "CURRENT_CALL_YEAR",
    "DEMO_OPERATOR",
    "DEMO_STAFF",
    "DEMO_TODAY",
    "EVALUATION_NOTICE",
    "EVALUATION_YEAR",
    "FIRST_CALL_YEAR",
    "INDUSTRY_CYCLE",
    "PLAN",
    "REAPPLICATION_SLOT",
    "REPORT_YEARS",
    "REVOKED_SLOT",
    "SHORT_STAFF",
    "SHORT_STAFF_SLOT",
    "UNIVERSITY_SLOTS",
    "DemoSummary",
    "build_demo",
    "ensure_demo_database",
    "summarize",
]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    counts: dict[str, int]  # rows per table
    states: dict[str, int]  # centres per lifecycle state code
    seed: int
    headline: str = ""


class _Builder(CentresBuilder, DeclarationsBuilder, CommitteesBuilder, ReportsBuilder):
    """The whole demo builder: one base class per chapter, called in order by :func:`build_demo`
    (the review chapter, :class:`~lzcenter_desktop.services.demo_review.ReviewBuilder`, is the base
    of the 第五章 builders, which run the services the same way)."""


def build_demo(ctx: AppContext, *, seed: int = 2026) -> DemoSummary:
    """Fill the (empty) database of ``ctx`` with the demo dataset, in one audited transaction."""
    with one_transaction(ctx) as shared, unit_of_work(replace(ctx, db=shared), "demo.build_demo") as session:
        existing = session.execute(select(func.count()).select_from(Center)).scalar_one()
        if existing:
            from lzcenter_desktop.services.errors import ServiceError

            raise ServiceError("数据库中已有中心数据，演示数据只能生成到空数据库中", field="数据库")
        b = _Builder(session, seed, shared)
        b.as_staff(data.STAFF_REVIEW)  # the calls, the rule set and the expert pool
        b.calls_and_settings(data.STAFF_REVIEW)
        b.people_pool()
        b.as_staff(data.STAFF_INTAKE)  # hosts, CTO filings and the declarations
        centres = b.plan_centres()
        for c in centres:
            b.create_centre(c)
        b.flush()
        b.recognition_procedure(centres)  # 第十条, through the review services
        b.as_staff(data.STAFF_OPERATIONS)  # running the recognised centres
        for c in centres:
            if c.recognized_on is not None:
                b.management(c)
        b.annual_reports(centres)
        b.as_staff(data.STAFF_REVIEW)
        b.evaluation(centres)
        b.flush()
    return summarize(ctx, seed=seed)


def summarize(ctx: AppContext, *, seed: int = 0) -> DemoSummary:
    """Rows per table and centres per state."""
    with reading(ctx) as session:
        counts = {
            name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in sorted(metadata.tables.items())
        }
        states = {
            str(state): int(n)
            for state, n in session.execute(
                select(Center.state, func.count()).group_by(col(Center.state))
            ).all()
        }
    labels = "、".join(f"{lifecycle.label(s)}{states.get(s.value, 0)}" for s in CenterState)
    headline = f"{counts.get('center', 0)} 个中心（{labels}），{counts.get('audit_entry', 0)} 条审计记录"
    return DemoSummary(counts=counts, states=states, seed=seed, headline=headline)


def ensure_demo_database(path: Path) -> Path:
    """Build the demo database at ``path`` if it is absent or has no centre yet; otherwise leave it."""
    ctx = open_app(str(path), operator=DEMO_OPERATOR)
    try:
        with reading(ctx) as session:
            has_centres = session.execute(select(func.count()).select_from(Center)).scalar_one() > 0
        if not has_centres:
            build_demo(ctx)
    finally:
        ctx.db.dispose()
    return Path(path)
