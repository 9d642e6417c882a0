"""绩效评估批次 (第二十二条): which centres are due, the round and its centres, the self-evaluation,
withdrawal.

* **Due (E22)**: a titled centre (已认定 or 整改中) is due on
  ``domain.evaluation.evaluation_due(recognised_on, last_evaluated_on)`` — three years (the rule
  settings' interval) after its recognition or its last evaluation. ``recognised_on`` is the day of
  its latest recognition in its state history (→ 已认定, except from 整改中; the centre's
  ``recognized_on`` when the history has none); ``last_evaluated_on`` is the result day of its
  latest evaluation in a round started on or after that recognition — the evaluation's
  ``notice_date`` (set when the round is finished), else the round's ``finished_on``; an evaluation
  of a round not yet finished does not count. :func:`due_centres` lists those due in or before
  the year asked and not yet in that year's round; ``overdue`` is E22's flag (the due day is before
  ``as_of``: due on 10 June is not overdue on 10 June, overdue on 11 June).
* **Round**: one per year; started with the centres chosen (default: every due centre as of the
  start day), each titled and recognised by then; it snapshots the sheet of its year
  (``forms/evaluation-<year>.toml``: version, group weights, the cap) with the grade bands of the
  year's rule settings (设置 page, ``rulesets.settings_for_year``) so a later change of either does
  not change a round under way.
* **Self-evaluation** (自评): points per indicator of the round's sheet, checked like an expert's
  (within each maximum, at most two decimals), exact total stored as text; the basis shown beside
  it is the centre's 工作年报 of the three years before the round.
* **Withdrawal** (第二十四条（五）): did not take part / withdrew → ``participated`` False, any grade
  cleared and the proposed outcome ``forfeit``, with the reason and day in the note.

Every write is one audited unit of work; nothing is deleted; every message is Chinese.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, col, select

from lzcenter_desktop.domain import lifecycle, text
from lzcenter_desktop.domain.evaluation import Grade, Outcome, evaluation_due
from lzcenter_desktop.domain.evaluation_sheet import EvaluationSheet
from lzcenter_desktop.domain.scoresheet import check_points, decimal_text, points_to_json
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.evaluation.conditions import (
    RECEIVED,
    report_data,
    settings_in,
    violations_from_json,
)
from lzcenter_desktop.services.evaluation.sheet import load_evaluation_sheet
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    CenterStateChange,
    Evaluation,
    EvaluationRound,
    Organization,
)

IN_PROGRESS, FINISHED = "in_progress", "finished"
ROUND_STATUS_LABELS: Mapping[str, str] = {"planned": "计划中", IN_PROGRESS: "进行中", FINISHED: "已结束"}
TITLE_MAX, DOCUMENT_NO_MAX, REASON_MAX = 200, 100, 500
REPORT_STATUS_LABELS: Mapping[str, str] = {"draft": "草稿", "submitted": "已提交", "filed": "已备案"}
BASIS_YEARS = 3


# --- views -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueCentre:
    center_id: int
    center_name: str
    host_name: str
    recognised_on: dt.date
    last_evaluated_on: dt.date | None
    due_on: dt.date
    overdue: bool = False  # E22: due before ``as_of``


@dataclass(frozen=True, slots=True)
class RoundCounts:
    centres: int
    participating: int
    withdrawn: int
    graded: int
    by_grade: Mapping[str, int]  # 优秀 / 合格 / 整改 / 不合格 → count

    def text(self) -> str:
        grades = "，".join(f"{g.value} {self.by_grade.get(g.value, 0)}" for g in Grade)
        return (
            f"共 {self.centres} 个中心，参加 {self.participating} 个，未参加或退出 {self.withdrawn} 个，"
            f"已评定 {self.graded} 个（{grades}）"
        )


@dataclass(frozen=True, slots=True)
class RoundView:
    round_id: int
    year: int
    title: str
    document_no: str | None
    started_on: dt.date
    held_on: dt.date | None
    score_deadline: dt.date | None
    finished_on: dt.date | None
    status: str
    status_label: str
    sheet_version: str | None
    counts: RoundCounts


@dataclass(frozen=True, slots=True)
class EvaluationView:
    evaluation_id: int
    round_id: int
    center_id: int
    center_name: str
    host_name: str
    participated: bool
    self_score_text: str | None
    expert_score_text: str | None
    total_text: str | None
    grade: str | None  # 优秀 / 合格 / 整改 / 不合格
    conditions_ok: bool | None
    violations: list[tuple[str, str]]  # (rule, message) of E23a
    outcome: str | None  # keep / rectify / revoke / forfeit
    outcome_label: str
    outcome_applied_on: dt.date | None
    note: str | None

    @property
    def conditions_label(self) -> str:
        return {True: "满足", False: "不满足", None: "未复核"}[self.conditions_ok]


@dataclass(frozen=True, slots=True)
class BasisRow:
    """One year of the self-evaluation's basis: the centre's 工作年报 key figures (None: not given)."""

    year: int
    report_id: int | None
    status_label: str  # 已提交 / 已备案 / 草稿 / 未报送
    submitted_on: dt.date | None
    rd_staff: int | None
    floor_area_m2: float | None
    equipment: int | None
    projects: int | None
    outputs: int | None
    invention_patents: int | None
    rd_spent_yuan: int | None
    open_topics: int | None
    shared_instruments: int | None
    host_assessment: str | None


# --- lookups ---------------------------------------------------------------------------------------


def get_round_row(session: Session, round_id: int) -> EvaluationRound:
    row = session.get(EvaluationRound, round_id)
    if row is None:
        raise NotFound(f"找不到编号为 {round_id} 的绩效评估，请刷新后再试", field="绩效评估")
    return row


def get_evaluation_row(session: Session, evaluation_id: int) -> Evaluation:
    row = session.get(Evaluation, evaluation_id)
    if row is None:
        raise NotFound(f"找不到编号为 {evaluation_id} 的中心评估记录，请刷新后再试", field="评估记录")
    return row


def require_open(row: EvaluationRound, doing: str) -> None:
    if row.status == FINISHED or row.finished_on is not None:
        raise ServiceError(f"绩效评估“{row.title}”已结束，不能再{doing}", field="绩效评估")


def names(session: Session, center_id: int) -> tuple[str, str]:
    """(centre name, host name)."""
    found = session.execute(
        select(col(Center.name_zh), col(Organization.name))
        .join(Organization, col(Organization.id) == col(Center.host_id))
        .where(col(Center.id) == center_id)
    ).first()
    return (str(found[0]), str(found[1])) if found else (f"中心 {center_id}", "")


def round_sheet(row: EvaluationRound) -> EvaluationSheet:
    """The sheet of the round's year, which must be the version the round started with."""
    sheet = load_evaluation_sheet(row.year)
    if row.sheet_version and row.sheet_version != sheet.version:
        raise ServiceError(
            f"绩效评估“{row.title}”使用的评分表为 {row.sheet_version} 版，但程序中的评分表为 "
            f"{sheet.version} 版；请核对 forms/evaluation-{row.year}.toml",
            field="评分表",
        )
    return sheet


def recognised_on(session: Session, center: Center) -> dt.date | None:
    """The day of the centre's latest recognition in its history (→ 已认定 from any state but 整改中:
    passing a rectification is not a new recognition); the centre's ``recognized_on`` without one."""
    assert center.id is not None
    found = session.execute(
        select(col(CenterStateChange.changed_on))
        .where(
            col(CenterStateChange.center_id) == center.id,
            col(CenterStateChange.to_state) == lifecycle.CenterState.RECOGNISED.value,
            or_(
                col(CenterStateChange.from_state).is_(None),
                col(CenterStateChange.from_state).not_in(
                    # back from 整改, or a 保留称号 line of an evaluation: not a new recognition
                    (lifecycle.CenterState.RECTIFYING.value, lifecycle.CenterState.RECOGNISED.value)
                ),
            ),
        )
        .order_by(col(CenterStateChange.changed_on).desc(), col(CenterStateChange.id).desc())
        .limit(1)
    ).scalar_one_or_none()
    return found if found is not None else center.recognized_on


def last_evaluated_on(session: Session, center_id: int, since: dt.date) -> dt.date | None:
    """The result day of the centre's latest evaluation in a round started on or after ``since``."""
    rows = session.execute(
        select(Evaluation, EvaluationRound)
        .join(EvaluationRound, col(EvaluationRound.id) == col(Evaluation.round_id))
        .where(col(Evaluation.center_id) == center_id, col(EvaluationRound.started_on) >= since)
    ).all()
    days = [e.notice_date or r.finished_on for e, r in rows]
    known = [d for d in days if d is not None]
    return max(known) if known else None


def counts_of(session: Session, round_id: int) -> RoundCounts:
    rows = list(session.execute(select(Evaluation).where(col(Evaluation.round_id) == round_id)).scalars())
    by_grade: dict[str, int] = {g.value: 0 for g in Grade}
    for e in rows:
        if e.participated and e.grade in by_grade:
            by_grade[e.grade] += 1
    participating = sum(1 for e in rows if e.participated)
    return RoundCounts(
        centres=len(rows),
        participating=participating,
        withdrawn=len(rows) - participating,
        graded=sum(by_grade.values()),
        by_grade=by_grade,
    )


def round_view(session: Session, row: EvaluationRound) -> RoundView:
    assert row.id is not None
    return RoundView(
        round_id=row.id,
        year=row.year,
        title=row.title,
        document_no=row.document_no,
        started_on=row.started_on,
        held_on=row.held_on,
        score_deadline=row.score_deadline,
        finished_on=row.finished_on,
        status=row.status,
        status_label=ROUND_STATUS_LABELS.get(row.status, row.status),
        sheet_version=row.sheet_version,
        counts=counts_of(session, row.id),
    )


def outcome_label(outcome: str | None, participated: bool) -> str:
    if outcome is None:
        return "尚未评定等级" if participated else ""
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome


def evaluation_view(session: Session, e: Evaluation) -> EvaluationView:
    assert e.id is not None
    center_name, host_name = names(session, e.center_id)
    return EvaluationView(
        evaluation_id=e.id,
        round_id=e.round_id,
        center_id=e.center_id,
        center_name=center_name,
        host_name=host_name,
        participated=e.participated,
        self_score_text=e.self_score_text,
        expert_score_text=e.expert_score_text,
        total_text=e.total_text,
        grade=e.grade,
        conditions_ok=e.conditions_ok,
        violations=violations_from_json(e.violations_json),
        outcome=e.outcome,
        outcome_label=outcome_label(e.outcome, e.participated),
        outcome_applied_on=e.outcome_applied_on,
        note=e.note,
    )


# --- due centres -----------------------------------------------------------------------------------


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ServiceError(f"评估年度“{year}”无效，应为四位数年份", field="评估年度")
    return year


def _due_rows(session: Session, year: int, as_of: dt.date) -> list[DueCentre]:
    settings = settings_in(session, year)
    in_round = set(
        session.execute(
            select(col(Evaluation.center_id))
            .join(EvaluationRound, col(EvaluationRound.id) == col(Evaluation.round_id))
            .where(col(EvaluationRound.year) == year)
        ).scalars()
    )
    titled = [s.value for s in lifecycle.TITLED_STATES]
    rows = session.execute(
        select(Center, col(Organization.name))
        .join(Organization, col(Organization.id) == col(Center.host_id))
        .where(col(Center.state).in_(titled))
        .order_by(col(Center.name_zh), col(Center.id))
    ).all()
    out: list[DueCentre] = []
    for center, host_name in rows:
        assert center.id is not None
        recognised = recognised_on(session, center)
        if center.id in in_round or recognised is None or recognised > as_of:
            continue
        last = last_evaluated_on(session, center.id, recognised)
        due = evaluation_due(recognised, last, settings)
        if due.year > year:
            continue
        out.append(
            DueCentre(
                center_id=center.id,
                center_name=center.name_zh,
                host_name=str(host_name),
                recognised_on=recognised,
                last_evaluated_on=last,
                due_on=due,
                overdue=as_of > due,
            )
        )
    return sorted(out, key=lambda d: (d.due_on, d.center_name, d.center_id))


def due_centres(ctx: AppContext, *, year: int, as_of: dt.date) -> list[DueCentre]:
    """E22: the titled centres (recognised by ``as_of``) whose next evaluation falls in or before
    ``year`` and which are not in the round of ``year`` yet, earliest due first."""
    _check_year(year)
    with reading(ctx) as session:
        return _due_rows(session, year, as_of)


# --- rounds ----------------------------------------------------------------------------------------


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    cleaned = value.strip() if isinstance(value, str) else ""
    if not cleaned:
        if required:
            raise ServiceError(f"请填写{field}", field=field)
        return None
    if len(cleaned) > limit:
        raise ServiceError(f"{field}过长（{len(cleaned)} 个字），最多 {limit} 个字，请精简", field=field)
    return cleaned


def _check_dates(started_on: dt.date, held_on: dt.date | None, score_deadline: dt.date | None) -> None:
    if held_on is not None and held_on < started_on:
        raise ServiceError(
            f"专家评估会日期 {text.day(held_on)} 早于评估开始日期 {text.day(started_on)}，请检查",
            field="评估会日期",
        )
    if score_deadline is not None and score_deadline < started_on:
        raise ServiceError(
            f"评分截止日期 {text.day(score_deadline)} 早于评估开始日期 {text.day(started_on)}，请检查",
            field="评分截止日期",
        )


def _chosen(session: Session, year: int, started_on: dt.date, center_ids: Sequence[int]) -> list[int]:
    if len(set(center_ids)) != len(center_ids):
        raise ServiceError("所选中心有重复，请检查", field="参评中心")
    titled = {s.value for s in lifecycle.TITLED_STATES}
    for cid in center_ids:
        center = session.get(Center, cid)
        if center is None:
            raise NotFound(f"找不到编号为 {cid} 的中心，请刷新后再试", field="参评中心")
        if center.state not in titled:
            raise ServiceError(
                f"“{center.name_zh}”当前状态为“{lifecycle.label(center.state)}”，只有已认定或整改中的中心参加绩效评估",
                field="参评中心",
            )
        recognised = recognised_on(session, center)
        if recognised is None or recognised > started_on:
            raise ServiceError(
                f"“{center.name_zh}”在评估开始日期 {text.day(started_on)} 尚未认定，"
                f"不能参加 {year} 年度绩效评估",
                field="参评中心",
            )
    return list(center_ids)


def create_round(
    ctx: AppContext,
    *,
    year: int,
    title: str,
    started_on: dt.date,
    document_no: str | None = None,
    held_on: dt.date | None = None,
    score_deadline: dt.date | None = None,
    center_ids: Sequence[int] | None = None,
) -> int:
    """Start the evaluation round of ``year`` with the chosen centres (``None``: every centre due in
    or before ``year`` as of ``started_on``); snapshots the sheet's version, group weights and cap
    with the bands of the year's rule settings. Refused: a second round of a year, no centre, a
    centre not titled or recognised after the start day, dates before the start. Returns the round
    id."""
    _check_year(year)
    title_text = _text(title, "评估名称", TITLE_MAX, required=True)
    assert title_text is not None
    doc_no = _text(document_no, "评估通知文号", DOCUMENT_NO_MAX)
    _check_dates(started_on, held_on, score_deadline)
    sheet = load_evaluation_sheet(year).with_settings(rulesets.settings_for_year(ctx, year))
    with unit_of_work(ctx, "evaluation.create_round") as session:
        existing = session.execute(select(EvaluationRound).where(col(EvaluationRound.year) == year)).scalar()
        if existing is not None:
            raise ServiceError(
                f"{year} 年度已有绩效评估“{existing.title}”，每年度只能有一次", field="评估年度"
            )
        if center_ids is None:
            chosen = [d.center_id for d in _due_rows(session, year, started_on)]
        else:
            chosen = _chosen(session, year, started_on, center_ids)
        if not chosen:
            raise ServiceError(
                f"{year} 年度没有需要参加绩效评估的中心（认定或上次评估满三年的已认定中心），请选择参评中心",
                field="参评中心",
            )
        row = EvaluationRound.model_validate(
            {
                "year": year,
                "title": title_text,
                "document_no": doc_no,
                "started_on": started_on,
                "held_on": held_on,
                "score_deadline": score_deadline,
                "status": IN_PROGRESS,
                "sheet_version": sheet.version,
                "settings_json": sheet.settings_json(),
                "package_key": secrets.token_hex(32),
            }
        )
        session.add(row)
        session.flush()
        for cid in chosen:
            session.add(
                Evaluation.model_validate({"round_id": row.id, "center_id": cid, "participated": True})
            )
        session.flush()
        assert row.id is not None
        return row.id


def list_rounds(ctx: AppContext) -> list[RoundView]:
    """Every round, the latest year first."""
    with reading(ctx) as session:
        rows = session.execute(select(EvaluationRound).order_by(col(EvaluationRound.year).desc())).scalars()
        return [round_view(session, r) for r in rows]


def get_round(ctx: AppContext, round_id: int) -> RoundView:
    with reading(ctx) as session:
        return round_view(session, get_round_row(session, round_id))


def list_evaluations(ctx: AppContext, *, round_id: int) -> list[EvaluationView]:
    """The round's centres, by centre name."""
    with reading(ctx) as session:
        get_round_row(session, round_id)
        rows = session.execute(select(Evaluation).where(col(Evaluation.round_id) == round_id)).scalars()
        views = [evaluation_view(session, e) for e in rows]
    return sorted(views, key=lambda v: (v.center_name, v.evaluation_id))


def get_evaluation(ctx: AppContext, evaluation_id: int) -> EvaluationView:
    with reading(ctx) as session:
        return evaluation_view(session, get_evaluation_row(session, evaluation_id))


# --- self-evaluation -------------------------------------------------------------------------------


def _open_evaluation(session: Session, evaluation_id: int, doing: str) -> tuple[Evaluation, EvaluationRound]:
    e = get_evaluation_row(session, evaluation_id)
    row = get_round_row(session, e.round_id)
    require_open(row, doing)
    name = names(session, e.center_id)[0]
    if e.outcome_applied_on is not None:
        raise ServiceError(
            f"“{name}”的评估结果已于 {text.day(e.outcome_applied_on)} 执行，不能再{doing}", field="评估记录"
        )
    return e, row


def record_self_evaluation(ctx: AppContext, *, evaluation_id: int, points: Mapping[str, str]) -> None:
    """The centre's self-evaluation: one value per indicator of the round's sheet (0 to its maximum,
    at most two decimals); the exact total is stored as text. Refused for a centre that did not take
    part, a finished round or an applied outcome."""
    with unit_of_work(ctx, "evaluation.record_self_evaluation") as session:
        e, row = _open_evaluation(session, evaluation_id, "填写自评")
        name = names(session, e.center_id)[0]
        if not e.participated:
            raise ServiceError(f"“{name}”未参加（或已退出）本次绩效评估，不能填写自评", field="自评")
        sheet = round_sheet(row)
        try:
            checked = check_points(sheet.score_sheet, points)
        except ValueError as exc:
            raise ServiceError(f"“{name}”的自评：{exc}", field="自评") from exc
        e.self_points_json = points_to_json(checked)
        e.self_score_text = decimal_text(sum(checked.values(), Decimal(0)))
        session.add(e)


def _count(rows: object) -> int | None:
    return len(rows) if isinstance(rows, list) else None


def _basis_row(year: int, report: AnnualReport | None) -> BasisRow:
    if report is None:
        return BasisRow(
            year, None, "未报送", None, None, None, None, None, None, None, None, None, None, None
        )
    data = report_data(report)
    staff = data.get("staff")
    outputs = data.get("outputs") if isinstance(data.get("outputs"), list) else None
    funding = data.get("funding") if isinstance(data.get("funding"), dict) else {}
    conditions = data.get("conditions") if isinstance(data.get("conditions"), dict) else {}
    assessment = data.get("host_assessment") if isinstance(data.get("host_assessment"), dict) else {}
    area = conditions.get("floor_area_m2") if isinstance(conditions, dict) else None
    spent = funding.get("rd_spent_yuan") if isinstance(funding, dict) else None
    inventions = (
        sum(1 for r in outputs if isinstance(r, dict) and r.get("kind") == "invention_patent")
        if outputs is not None
        else report.patents_granted
    )
    result = assessment.get("result") if isinstance(assessment, dict) else None
    return BasisRow(
        year=year,
        report_id=report.id,
        status_label=REPORT_STATUS_LABELS.get(report.status, report.status),
        submitted_on=report.submitted_on,
        rd_staff=_count(staff) if isinstance(staff, list) else report.rd_staff,
        floor_area_m2=float(area) if isinstance(area, int | float) and not isinstance(area, bool) else None,
        equipment=_count(data.get("equipment")),
        projects=_count(data.get("projects")) if "projects" in data else report.projects,
        outputs=_count(outputs),
        invention_patents=inventions,
        rd_spent_yuan=spent if isinstance(spent, int) else report.rd_investment_yuan,
        open_topics=_count(data.get("open_topics")),
        shared_instruments=_count(data.get("shared_instruments")),
        host_assessment=str(result) if result else report.host_assessment,
    )


def self_evaluation_basis(ctx: AppContext, *, evaluation_id: int) -> list[BasisRow]:
    """The centre's 工作年报 of the three years before the round (oldest first), with their key
    figures; a year without a report (or with only a draft) shows 未报送 or 草稿 with no figures."""
    with reading(ctx) as session:
        e = get_evaluation_row(session, evaluation_id)
        row = get_round_row(session, e.round_id)
        years = list(range(row.year - BASIS_YEARS, row.year))
        reports = {
            r.year: r
            for r in session.execute(
                select(AnnualReport).where(
                    col(AnnualReport.center_id) == e.center_id, col(AnnualReport.year).in_(years)
                )
            ).scalars()
        }
    out: list[BasisRow] = []
    for year in years:
        report = reports.get(year)
        if report is not None and report.status not in RECEIVED:
            draft = _basis_row(year, None)
            label = REPORT_STATUS_LABELS.get(report.status, report.status)
            out.append(replace(draft, report_id=report.id, status_label=label))
            continue
        out.append(_basis_row(year, report))
    return out


# --- withdrawal ------------------------------------------------------------------------------------


def withdraw(ctx: AppContext, *, evaluation_id: int, on: dt.date, reason: str) -> None:
    """The centre did not take part or withdrew (第二十四条（五）): ``participated`` False, grade and
    scores cleared, proposed outcome ``forfeit``; the day and reason go into the note. Refused
    twice, in a finished round, after the outcome was applied, before the round started."""
    why = _text(reason, "未参加或退出的原因", REASON_MAX, required=True)
    with unit_of_work(ctx, "evaluation.withdraw") as session:
        e, row = _open_evaluation(session, evaluation_id, "登记退出")
        name = names(session, e.center_id)[0]
        if not e.participated:
            raise ServiceError(f"“{name}”已登记为未参加或退出本次绩效评估", field="评估记录")
        if on < row.started_on:
            raise ServiceError(
                f"退出日期 {text.day(on)} 早于评估开始日期 {text.day(row.started_on)}，请检查",
                field="退出日期",
            )
        e.participated = False
        e.grade = None
        e.total_score = None
        e.total_text = None
        e.outcome = Outcome.FORFEIT.value
        e.note = f"{text.day(on)} 未参加或退出评估：{why}"[:1000]
        session.add(e)
