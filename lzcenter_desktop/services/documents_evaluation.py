"""The documents of 第五章 from the records (issue 14 item 7):

* :func:`make_annual_summary` — 年报汇总表 of a year (PDF, or xlsx when the path ends so): every
  centre obliged to report, the report's status on a day, its key figures, the 现场核查 result;
* :func:`make_result_list` — 绩效评估结果名单 of a round (PDF publishable: centre, host, grade,
  ordered by grade then score; the xlsx adds the scores and the outcome) — only once every centre
  that took part is graded;
* :func:`make_rectification_notice` — 整改通知 to one centre: grade 整改, the one-year period as
  recorded, 第二十四条（三）, the acceptance procedure;
* :func:`make_acceptance_result` — 整改验收结果: passed → 继续保留称号, not passed → 取消称号;
* :func:`make_revocation_notice` — 关于撤销……称号的通知: the centre, the reason with its article,
  the date, and from when the host may apply again (第二十五条, ``domain.evaluation.reapply_allowed_from``).

The records are read directly from the storage models inside :func:`~lzcenter_desktop.services.uow.reading`;
what a document says is what is stored (status, numbers, dates).  A document the record does not
support is refused with a Chinese :class:`~lzcenter_desktop.services.errors.ServiceError` before
anything is written.  Each document is written completely or not at all and recorded in the audit
trail (entity ``document``, operation ``issue``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from sqlmodel import Session, col, select

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_evaluation_base import (
    KINDS,
    SUFFIXES,
    EvaluationDocument,
    document_no_text,
    write_document,
)
from lzcenter_desktop.services.documents_evaluation_letters import (
    make_acceptance_result,
    make_rectification_notice,
    make_revocation_notice,
)
from lzcenter_desktop.services.documents_evaluation_records import (
    GRADE_ORDER,
    NOT_TAKEN_PART,
    cn_day,
    grade_of,
    outcome_label,
    score_text,
)
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    Evaluation,
    EvaluationRound,
    Organization,
    Rectification,
    VerificationDraw,
)

__all__ = [
    "KINDS",
    "SUFFIXES",
    "EvaluationDocument",
    "Subjects",
    "document_subjects",
    "make_acceptance_result",
    "make_annual_summary",
    "make_rectification_notice",
    "make_result_list",
    "make_revocation_notice",
]

MEASURES: Final = "《柳州市工程技术研究中心管理办法》"
HOST_ASSESSMENT_LABELS: Final = {
    "excellent": "优秀",
    "qualified": "合格",
    "basic": "基本合格",
    "fail": "不合格",
}
RECORD_STATUS_LABELS: Final = {"draft": "草稿", "submitted": "已提交", "filed": "已备案"}
DASH: Final = "—"


# --------------------------------------------------------------------------- 年报汇总表


def _count(value: int | None) -> str:
    return DASH if value is None else str(value)


def _wan(yuan: int | None) -> str:
    """Yuan as 万元, exact (3 580 000 → ``358``, 1 234 567 → ``123.4567``)."""
    if yuan is None:
        return DASH
    text = format(Decimal(yuan).scaleb(-4), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _status_text(due_label: str, received: bool, report: AnnualReport | None) -> str:
    """The status on the day asked, with the record's own status once received (已提交 / 已备案);
    a draft is not received."""
    if report is None:
        return due_label
    if received:
        return f"{due_label}（{RECORD_STATUS_LABELS.get(report.status, report.status)}）"
    return f"{due_label}（草稿未提交）" if report.status == "draft" else due_label


def _spot_check(report: AnnualReport | None, any_draw: bool) -> str:
    if report is None or report.verification_draw_id is None:
        return "未抽取" if any_draw else DASH
    found = (report.verification_result or "").strip()
    return found or "已抽取，待核查"


def _is_workbook(path: Path, what: str) -> bool:
    """Whether ``path`` asks for the workbook (``.xlsx``) rather than the PDF; anything else refused."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ServiceError(
            f"{what}应保存为 .pdf 或 .xlsx 文件，收到“{Path(path).name}”。"
            "请改用 .pdf 或 .xlsx 结尾的文件名。",
            field="文件",
        )
    return suffix == ".xlsx"


def _annual_spec(ctx: AppContext, year: int, as_of: date) -> tuple[Any, dict[str, Any]]:
    from lzcenter_desktop.documents.evaluation_lists import AnnualRow, AnnualSummarySpec
    from lzcenter_desktop.domain.report_dues import DueStatus
    from lzcenter_desktop.services.annual.dues import year_dues

    dues = year_dues(ctx, year=year, as_of=as_of)
    if not dues.rows:
        raise ServiceError(
            f"{year}年度没有应报送工作年报的中心（年底前未取得称号），无法生成年报汇总表。", field="年报年度"
        )
    with reading(ctx) as session:
        reports = {
            r.center_id: r
            for r in session.execute(select(AnnualReport).where(col(AnnualReport.year) == year)).scalars()
        }
        draws = list(
            session.execute(
                select(VerificationDraw)
                .where(col(VerificationDraw.year) == year)
                .order_by(col(VerificationDraw.drawn_on), col(VerificationDraw.id))
            ).scalars()
        )
        session.expunge_all()
    drawn: dict[int, int] = {}
    for report in reports.values():
        if report.verification_draw_id is not None:
            drawn[report.verification_draw_id] = drawn.get(report.verification_draw_id, 0) + 1
    draw_lines = tuple(
        f"{cn_day(d.drawn_on)}，{d.method}，抽取 {drawn.get(d.id or 0, 0)} 家"
        + (f"（{d.note}）" if d.note else "")
        for d in draws
    )
    rows = []
    for due in dues.rows:
        report = reports.get(due.center_id)
        assessment = (report.host_assessment or "").strip() if report is not None else ""
        rows.append(
            AnnualRow(
                center_name=due.center_name,
                host_name=due.host_name,
                status=_status_text(due.status_label, due.status.received, report),
                submitted_on=cn_day(due.submitted_on) if due.submitted_on and due.status.received else DASH,
                host_assessment=HOST_ASSESSMENT_LABELS.get(assessment, assessment) or DASH,
                rd_staff=_count(report.rd_staff) if report else DASH,
                rd_investment_wan=_wan(report.rd_investment_yuan) if report else DASH,
                projects=_count(report.projects) if report else DASH,
                patents=_count(report.patents_granted) if report else DASH,
                standards=_count(report.standards) if report else DASH,
                spot_check=_spot_check(report, bool(draws)),
            )
        )
    counts = (("应报送", len(dues.rows)), *((s.label, len(dues.with_status(s))) for s in DueStatus))
    spec = AnnualSummarySpec(
        year=year, deadline=dues.deadline, as_of=as_of, counts=counts, draws=draw_lines, rows=tuple(rows)
    )
    details = {
        "year": year,
        "as_of": as_of.isoformat(),
        "center_ids": [d.center_id for d in dues.rows],
        "statuses": {str(d.center_id): d.status.value for d in dues.rows},
        "draw_ids": [d.id for d in draws],
    }
    return spec, details


def make_annual_summary(ctx: AppContext, *, year: int, as_of: date, path: Path) -> EvaluationDocument:
    """年报汇总表 of ``year`` as of ``as_of``: a PDF (A4 landscape) or, for a ``.xlsx`` path, a
    workbook with the same rows. Refused for a year without any centre obliged to report."""
    from lzcenter_desktop.documents.evaluation_lists import render_annual_summary, write_annual_workbook

    workbook = _is_workbook(path, "年报汇总表")
    spec, details = _annual_spec(ctx, year, as_of)
    if workbook:
        notes: list[str] = []

        def render(p: Path) -> Path:
            written, removed = write_annual_workbook(spec, p)
            notes.extend(removed)
            return written

        made = write_document(
            ctx, "annual_workbook", path, render, title=spec.title, entity=str(year),
            details=details, count=len(spec.rows),
        )  # fmt: skip
        return EvaluationDocument(made.path, made.kind, made.title, made.count, tuple(notes))
    return write_document(
        ctx, "annual_summary", path, lambda p: render_annual_summary(spec, p), title=spec.title,
        entity=str(year), details=details, count=len(spec.rows),
    )  # fmt: skip


# --------------------------------------------------------------------------- 评估结果名单


@dataclass(frozen=True, slots=True)
class _Graded:
    evaluation: Evaluation
    center_name: str
    host_name: str
    grade: str | None


def _round(session: Session, round_id: int) -> EvaluationRound:
    found = session.get(EvaluationRound, round_id)
    if found is None:
        raise NotFound(f"找不到编号为 {round_id} 的绩效评估，请刷新后再试", field="绩效评估")
    return found


def _graded(session: Session, round_id: int) -> list[_Graded]:
    rows = session.execute(
        select(Evaluation, Center, col(Organization.name))
        .join(Center, col(Center.id) == col(Evaluation.center_id))
        .join(Organization, col(Organization.id) == col(Center.host_id), isouter=True)
        .where(col(Evaluation.round_id) == round_id)
        .order_by(col(Center.name_zh), col(Evaluation.id))
    ).all()
    return [_Graded(ev, center.name_zh, str(host or ""), grade_of(ev)) for ev, center, host in rows]


def _sort_key(item: _Graded) -> tuple[int, Decimal, str, int]:
    order = GRADE_ORDER.get(item.grade or "", len(GRADE_ORDER)) if item.evaluation.participated else 99
    try:
        score = -Decimal(score_text(item.evaluation))
    except InvalidOperation:
        score = Decimal(0)
    return order, score, item.center_name, item.evaluation.id or 0


def _conditions(ev: Evaluation) -> str:
    if ev.conditions_ok is None:
        return "未复核"
    if ev.conditions_ok:
        return "满足"
    try:
        found = json.loads(ev.violations_json or "[]")
    except ValueError:
        found = []
    return f"不满足（{len(found)} 项）" if isinstance(found, list) and found else "不满足"


def _result_spec(
    ctx: AppContext, round_id: int, document_no: str, published_on: date | None
) -> tuple[Any, dict[str, Any]]:
    from lzcenter_desktop.documents.evaluation_lists import ResultListSpec, ResultRow

    with reading(ctx) as session:
        rnd = _round(session, round_id)
        items = _graded(session, round_id)
        session.expunge_all()
    if not items:
        raise ServiceError(f"“{rnd.title}”还没有列入任何中心，无法生成评估结果名单。", field="绩效评估")
    ungraded = [i.center_name for i in items if i.evaluation.participated and i.grade is None]
    if ungraded:
        shown = "、".join(ungraded[:3]) + (f"等 {len(ungraded)} 家" if len(ungraded) > 3 else "")
        raise ServiceError(
            f"“{rnd.title}”尚未评定全部等级（{shown}还没有评估等级），"
            "评估结果名单只能在全部参评中心评定等级后生成。",
            field="绩效评估",
        )
    items.sort(key=_sort_key)
    rows = tuple(
        ResultRow(
            center_name=i.center_name,
            host_name=i.host_name,
            grade=(i.grade or DASH) if i.evaluation.participated else NOT_TAKEN_PART,
            participated=i.evaluation.participated,
            total=score_text(i.evaluation) if i.evaluation.participated else DASH,
            self_score=i.evaluation.self_score_text or DASH,
            expert_score=i.evaluation.expert_score_text or DASH,
            conditions=_conditions(i.evaluation) if i.evaluation.participated else DASH,
            outcome=outcome_label(i.evaluation),
            outcome_on=cn_day(i.evaluation.outcome_applied_on) if i.evaluation.outcome_applied_on else DASH,
        )
        for i in items
    )
    tally: dict[str, int] = {}
    for row in rows:
        tally[row.grade] = tally.get(row.grade, 0) + 1
    parts = [f"{g} {tally[g]} 家" for g in GRADE_ORDER if g in tally]
    if NOT_TAKEN_PART in tally:
        parts.append(f"不参加或中途退出评估、{NOT_TAKEN_PART}资格的 {tally[NOT_TAKEN_PART]} 家")
    source = f"（{rnd.document_no}）" if rnd.document_no else ""
    title = rnd.title.strip()
    spec = ResultListSpec(
        title=title if title.endswith("名单") else f"{title}结果名单",
        document_no=document_no,
        intro=(
            f"根据{MEASURES}第二十二条至第二十四条的规定，我局组织开展了{title}{source}。"
            f"经中心自评、专家评估和第九条基本条件复核，共有 {len(rows)} 家工程技术研究中心列入本次评估，"
            "现将评估结果予以公布（名单附后，按评估结果排列）。"
        ),
        counts="其中：" + "，".join(parts) + "。",
        rows=rows,
        signed_on=published_on if published_on is not None else rnd.finished_on,
    )
    details = {
        "round_id": round_id,
        "year": rnd.year,
        "document_no": document_no,
        "signed_on": spec.signed_on.isoformat() if spec.signed_on else None,
        "grades": {str(i.evaluation.center_id): i.grade for i in items},
    }
    return spec, details


def make_result_list(
    ctx: AppContext,
    *,
    round_id: int,
    path: Path,
    document_no: str = "",
    published_on: date | None = None,
) -> EvaluationDocument:
    """绩效评估结果名单 of a round: a publishable PDF (centre, host, grade, ordered by grade then
    score, signed on ``published_on`` — default: the day the round finished, none while it has
    not) or, for a ``.xlsx`` path, a workbook with the scores and the outcome. Refused before every
    centre that took part is graded."""
    from lzcenter_desktop.documents.evaluation_lists import render_result_list, write_result_workbook

    workbook = _is_workbook(path, "评估结果名单")
    spec, details = _result_spec(ctx, round_id, document_no_text(document_no), published_on)
    if workbook:
        notes: list[str] = []

        def render(p: Path) -> Path:
            written, removed = write_result_workbook(spec, p)
            notes.extend(removed)
            return written

        made = write_document(
            ctx, "result_workbook", path, render, title=spec.title, entity=str(round_id),
            details=details, count=len(spec.rows),
        )  # fmt: skip
        return EvaluationDocument(made.path, made.kind, made.title, made.count, tuple(notes))
    return write_document(
        ctx, "result_list", path, lambda p: render_result_list(spec, p), title=spec.title,
        entity=str(round_id), details=details, count=len(spec.rows),
    )  # fmt: skip


# --------------------------------------------------------------------------- what there is to print


@dataclass(frozen=True, slots=True)
class Subjects:
    """One record of each kind a document of 第五章 can be made from (``None``: there is none) —
    for the self-test and for offering the documents: the latest year with reports, the latest
    round whose participants are all graded, the latest evaluation graded 整改 with its recorded
    rectification, the latest rectification with its acceptance checked (and the latest still
    pending), the latest revoked centre."""

    report_year: int | None
    graded_round_id: int | None
    rectify_evaluation_id: int | None
    checked_rectification_id: int | None
    pending_rectification_id: int | None
    revoked_center_id: int | None


def document_subjects(ctx: AppContext) -> Subjects:
    with reading(ctx) as session:
        year = session.execute(
            select(col(AnnualReport.year)).order_by(col(AnnualReport.year).desc()).limit(1)
        ).scalar_one_or_none()
        graded: int | None = None
        for rnd in session.execute(
            select(EvaluationRound).order_by(col(EvaluationRound.year).desc())
        ).scalars():
            items = _graded(session, int(rnd.id or 0))
            if items and all(i.grade is not None for i in items if i.evaluation.participated):
                graded = rnd.id
                break
        rects = list(
            session.execute(
                select(Rectification).order_by(
                    col(Rectification.notice_date).desc(), col(Rectification.id).desc()
                )
            ).scalars()
        )
        rectify = next(
            (
                r.evaluation_id
                for r in rects
                if (ev := session.get(Evaluation, r.evaluation_id)) is not None
                and grade_of(ev) == "整改"
                and ev.outcome != "revoke"
            ),
            None,
        )
        revoked = session.execute(
            select(col(Center.id))
            .where(col(Center.state) == "revoked")
            .order_by(col(Center.state_since).desc(), col(Center.id))
            .limit(1)
        ).scalar_one_or_none()
        return Subjects(
            report_year=year,
            graded_round_id=graded,
            rectify_evaluation_id=rectify,
            checked_rectification_id=next((r.id for r in rects if r.outcome != "pending"), None),
            pending_rectification_id=next((r.id for r in rects if r.outcome == "pending"), None),
            revoked_center_id=revoked,
        )
