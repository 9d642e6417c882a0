"""Offline score packages of a performance evaluation (绩效评估, issue 14 item 4): the same ``.lzreview``
format as the 第十条 review's (:mod:`lzcenter_desktop.domain.review_package`), marked
``purpose = "evaluation"`` so the review's import refuses it and this one refuses a review's; the
expert opens and scores it in 评审模式 unchanged.

In an evaluation package the "session" is the round (id, title, meeting day ``held_on``, deadline
``score_deadline``) and each "declaration" one centre's evaluation: id = the evaluation id, name =
the centre's name, host, industries and the key figures of its last annual report (工作年报).
One package per expert, blind: only that expert's assignments and their own stored scores.

The packages and returns are signed with the round's key (``evaluation_round.package_key``),
made on the first export in its own audited unit of work (the audit records a fingerprint only,
:data:`lzcenter_desktop.storage.guards.SECRET_COLUMNS`) and never shown.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.domain.scoresheet import decimal_text, points_from_json
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation.experts import get_round_row, is_active, require_round_open
from lzcenter_desktop.services.evaluation.scoring import round_sheet, stored_score
from lzcenter_desktop.services.review.package import expert_names
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    CenterIndustry,
    Evaluation,
    EvaluationAssignment,
    EvaluationRound,
    Organization,
)

KEY_BYTES = 32
REPORT_STATUSES = ("submitted", "filed")


def ensure_package_key(ctx: AppContext, *, round_id: int) -> bool:
    """Give the round its signing key if it has none (audited, as a fingerprint); ``True`` when one
    was made. Refused for a round that ended."""
    with reading(ctx) as session:
        row = get_round_row(session, round_id)
        require_round_open(row, "导出评估包")
        if row.package_key:
            return False
    with unit_of_work(ctx, "evaluation.package.create_key") as session:
        row = get_round_row(session, round_id)
        require_round_open(row, "导出评估包")
        if row.package_key:
            return False
        row.package_key = secrets.token_hex(KEY_BYTES)
        session.add(row)
    return True


def active_assignments(session: Session, round_id: int) -> list[EvaluationAssignment]:
    """The round's active assignments of centres taking part whose outcome is not applied yet."""
    out = []
    for a in session.execute(
        select(EvaluationAssignment)
        .where(col(EvaluationAssignment.round_id) == round_id)
        .order_by(col(EvaluationAssignment.expert_id), col(EvaluationAssignment.evaluation_id))
    ).scalars():
        evaluation = session.get(Evaluation, a.evaluation_id)
        if (
            is_active(a)
            and evaluation is not None
            and evaluation.participated
            and evaluation.outcome_applied_on is None
        ):
            out.append(a)
    return out


def _money(yuan: int | None) -> str:
    if yuan is None:
        return "未填写"
    return f"{decimal_text(Decimal(yuan) / 10000)} 万元"


def _count(value: int | None, unit: str) -> str:
    return "未填写" if value is None else f"{value} {unit}"


def last_report(session: Session, center_id: int) -> AnnualReport | None:
    """The centre's latest submitted or filed annual report."""
    return (
        session.execute(
            select(AnnualReport)
            .where(col(AnnualReport.center_id) == center_id, col(AnnualReport.status).in_(REPORT_STATUSES))
            .order_by(col(AnnualReport.year).desc())
        )
        .scalars()
        .first()
    )


def report_figures(report: AnnualReport | None) -> tuple[tuple[str, str], ...]:
    """The key figures of an annual report, as (label, text)."""
    if report is None:
        return (("最近一期工作年报", "无（尚未提交工作年报）"),)
    return (
        ("最近一期工作年报", f"{report.year}年度"),
        ("研发人员", _count(report.rd_staff, "人")),
        ("研发投入", _money(report.rd_investment_yuan)),
        ("在研项目", _count(report.projects, "项")),
        ("授权专利", _count(report.patents_granted, "件")),
        ("制定标准", _count(report.standards, "项")),
        ("营业收入", _money(report.revenue_yuan)),
        ("中心主任在岗", _count(report.director_months, "个月")),
    )


def evaluation_summary(session: Session, evaluation: Evaluation) -> fmt.DeclarationSummary:
    assert evaluation.id is not None
    center = session.get(Center, evaluation.center_id)
    assert center is not None
    host = session.get(Organization, center.host_id)
    industries = tuple(
        session.execute(
            select(col(CenterIndustry.industry))
            .where(col(CenterIndustry.center_id) == center.id)
            .order_by(col(CenterIndustry.position))
        ).scalars()
    )
    return fmt.DeclarationSummary(
        declaration_id=evaluation.id,
        name=center.name_zh,
        host=host.name if host is not None else "",
        industries=industries,
        figures=report_figures(last_report(session, center.id or 0)),
    )


def _current(session: Session, a: EvaluationAssignment) -> fmt.ScoreSet | None:
    assert a.id is not None
    score = stored_score(session, a.id)
    if score is None:
        return None
    try:
        points = {k: decimal_text(v) for k, v in points_from_json(score.points_json).items()}
    except ValueError:
        points = {}
    return fmt.ScoreSet(points=points, total=score.score_text, comment=score.comment or "")


def build_package(
    session: Session,
    row: EvaluationRound,
    expert_id: int,
    assignments: Sequence[EvaluationAssignment],
    now: dt.datetime,
) -> fmt.ReviewPackage:
    """The package of one expert of the round (their active assignments), read in ``session``."""
    assert row.id is not None and row.package_key is not None
    name, unit = expert_names(session, [expert_id])[expert_id]
    mine = [a for a in assignments if a.expert_id == expert_id]
    evaluations = [session.get(Evaluation, a.evaluation_id) for a in mine]
    return fmt.ReviewPackage(
        session_id=row.id,
        session_title=row.title,
        held_on=row.held_on,
        deadline=row.score_deadline,
        created=now,
        scope=fmt.SCOPE_EXPERT,
        experts=(
            fmt.PackageExpert(
                expert_id=expert_id,
                name=name,
                unit=unit,
                return_key=fmt.return_key(row.package_key, row.id, expert_id),
            ),
        ),
        sheet=round_sheet(session, row),
        declarations=tuple(evaluation_summary(session, e) for e in evaluations if e is not None),
        assignments=tuple(
            fmt.PackageAssignment(
                assignment_id=a.id,
                expert_id=a.expert_id,
                declaration_id=a.evaluation_id,
                score_version=a.score_version,
                current=_current(session, a),
            )
            for a in mine
            if a.id is not None
        ),
        purpose=fmt.PURPOSE_EVALUATION,
    )


def package_file_name(round_title: str, expert_name: str) -> str:
    """``<round>-<expert>.lzreview``."""
    return fmt.safe_file_name(f"{round_title}-{expert_name}") + fmt.SUFFIX


def export_packages(
    ctx: AppContext, *, round_id: int, folder: Path, now: dt.datetime | None = None
) -> list[Path]:
    """One evaluation package per expert of the round with centres to score, into ``folder``
    (``<round>-<expert>.lzreview``; two experts of the same name get their number added). Refused
    (Chinese) for a missing folder, a round that ended or has no expert assigned yet."""
    target = Path(folder)
    if not target.is_dir():
        raise ServiceError(f"文件夹“{target}”不存在，请先建立文件夹或换一个位置", field="文件夹")
    with reading(ctx) as session:
        row = get_round_row(session, round_id)
        require_round_open(row, "导出评估包")
        round_sheet(session, row)  # refuse a missing or changed sheet before making the key
        if not active_assignments(session, round_id):
            raise ServiceError(
                f"绩效评估“{row.title}”还没有分配评估专家，无法导出评估包。请先分配或抽取专家",
                field="绩效评估",
            )
    ensure_package_key(ctx, round_id=round_id)
    moment = now or dt.datetime.now().astimezone()
    files: list[tuple[Path, bytes]] = []
    with reading(ctx) as session:
        row = get_round_row(session, round_id)
        assert row.package_key is not None
        assignments = active_assignments(session, round_id)
        ids = sorted({a.expert_id for a in assignments})
        names = {e: expert_names(session, [e])[e][0] for e in ids}
        homonyms = {n for n in names.values() if sum(1 for x in names.values() if x == n) > 1}
        for expert_id in ids:
            package = build_package(session, row, expert_id, assignments, moment)
            shown = f"{names[expert_id]}{expert_id}" if names[expert_id] in homonyms else names[expert_id]
            path = target / package_file_name(row.title, shown)
            output.check_target(path)
            files.append((path, fmt.package_bytes(package, key=row.package_key)))
    for path, data in files:
        output.write_bytes(path, data)
    return [path for path, _ in files]
