"""评审打分 (第十条（三）): experts' scores per indicator of the score sheet, the site inspection
teams' scores, and whether a session has every score it needs.

* An expert's scores are entered for one assignment (expert × declaration of a session), one value
  per indicator of the sheet ``forms/review-<year>.toml`` (:mod:`domain.scoresheet`); the exact
  total is stored as text with the points as JSON; each save bumps the assignment's
  ``score_version`` (an offline package with an older version is refused, G3).
* Refused: a recused (回避) or conflicted assignment, a closed session, a missing, unknown,
  negative, above-maximum or more-than-two-decimals value.
* Blind while open: :func:`expert_view` shows one expert only their own scores.
* 现场考察: one score (0–100, exact) per inspection team and declaration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, col, select

from lzcenter_desktop import paths
from lzcenter_desktop.domain.formdef import pick_year
from lzcenter_desktop.domain.scoresheet import (
    PointsInput,
    ScoreSheet,
    check_points,
    decimal_text,
    parse_decimal,
    parse_sheet,
    points_from_json,
    points_to_json,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import lookup
from lzcenter_desktop.services.review.conflicts import Facts
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    Expert,
    Person,
    ReviewAssignment,
    ReviewScore,
    ReviewSession,
    SiteInspection,
)

EXPERT_KIND = "expert_review"
SITE_KIND = "site_inspection"
DESKTOP_SOURCE = "desktop"
COMMENT_MAX = 1000
TEAM_MAX = 100
MEMBERS_MAX = 500
SITE_MAX = Decimal(100)


# --- score sheets ----------------------------------------------------------------------------------


def load_score_sheet(year: int, forms_dir: Path | None = None) -> ScoreSheet:
    """The score sheet of ``year``: the newest ``forms/review-<year>.toml`` not after it; for a year
    before the first sheet, the first one."""
    folder = forms_dir or paths.forms_dir()
    available: dict[int, str] = {}
    for file in folder.glob("review-*.toml"):
        suffix = file.stem.rsplit("-", 1)[-1]
        if suffix.isdigit():
            available[int(suffix)] = str(file)
    if not available:
        raise ServiceError("找不到评审评分表文件 forms/review-<年度>.toml", field="评分表")
    chosen = available[pick_year(available, year) if year >= min(available) else min(available)]
    try:
        return parse_sheet(Path(chosen).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ServiceError(f"评分表文件 {Path(chosen).name} 有误：{exc}", field="评分表") from exc
    except OSError as exc:
        raise ServiceError(f"无法读取评分表文件 {Path(chosen).name}：{exc.strerror}", field="评分表") from exc


def sheet_of(session: Session, review_session: ReviewSession, forms_dir: Path | None = None) -> ScoreSheet:
    """The sheet a session scores with: the sheet of its call's year, which must be the version the
    session (or its call) recorded, if any."""
    call = lookup.get_call(session, review_session.call_id)
    sheet = load_score_sheet(call.year, forms_dir)
    recorded = review_session.score_sheet_version or call.score_sheet_version
    if recorded and recorded != sheet.version:
        raise ServiceError(
            f"评审会“{review_session.title}”使用的评分表为 {recorded} 版，但程序中的评分表为 "
            f"{sheet.version} 版；请核对 forms/review-{call.year}.toml",
            field="评分表",
        )
    return sheet


def session_score_sheet(ctx: AppContext, session_id: int, forms_dir: Path | None = None) -> ScoreSheet:
    """The score sheet of a review session (for the score entry screen and the printed sheet)."""
    with reading(ctx) as session:
        return sheet_of(session, lookup.get_review_session(session, session_id), forms_dir)


# --- views -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpertScoreView:
    """One expert's scores of one declaration (their own; never another expert's)."""

    assignment_id: int
    session_id: int
    declaration_id: int
    expert_id: int
    points: tuple[tuple[str, str], ...]  # (indicator key, exact decimal text), the sheet's order
    total_text: str  # exact sum, e.g. "78.5"
    version: int  # the assignment's score_version after the save
    scored_on: dt.date
    source: str  # desktop / package:<sha256>
    sheet_version: str
    comment: str | None


@dataclass(frozen=True, slots=True)
class ExpertTask:
    """A declaration an expert is assigned in a session, with their own scores if entered."""

    assignment_id: int
    declaration_id: int
    center_name: str
    host_name: str
    recused: bool
    recusal_reason: str | None
    version: int
    score: ExpertScoreView | None


@dataclass(frozen=True, slots=True)
class ExpertSheet:
    """What one expert sees of a session: the sheet and their own tasks only (blind review)."""

    session_id: int
    session_title: str
    expert_id: int
    expert_name: str
    sheet: ScoreSheet
    tasks: tuple[ExpertTask, ...]


@dataclass(frozen=True, slots=True)
class SiteScoreView:
    id: int
    session_id: int
    declaration_id: int
    team: str
    members: str
    inspected_on: dt.date
    score_text: str
    comment: str | None


@dataclass(frozen=True, slots=True)
class MissingScore:
    """A score a session still needs: an expert's (``expert_name`` set) or the site score."""

    declaration_id: int
    center_name: str
    kind: str  # expert_review / site_inspection / no_expert
    assignment_id: int | None
    expert_name: str | None

    @property
    def message(self) -> str:
        if self.kind == EXPERT_KIND:
            return f"专家{self.expert_name}尚未为“{self.center_name}”评分"
        if self.kind == SITE_KIND:
            return f"“{self.center_name}”尚无现场考察得分"
        return f"“{self.center_name}”没有（未回避的）评审专家"


@dataclass(frozen=True, slots=True)
class Completeness:
    """Whether every active assignment of a session is scored and every declaration has a site score."""

    session_id: int
    declarations: int
    missing: tuple[MissingScore, ...]

    @property
    def complete(self) -> bool:
        return self.declarations > 0 and not self.missing

    def summary(self, limit: int = 5) -> str:
        if self.declarations == 0:
            return "该评审会还没有安排任何申报"
        if not self.missing:
            return "评分已齐全"
        shown = "；".join(m.message for m in self.missing[:limit])
        more = f"等共 {len(self.missing)} 项" if len(self.missing) > limit else ""
        return f"评分尚未齐全：{shown}{more}"


# --- expert scores --------------------------------------------------------------------------------


def _expert_name(session: Session, expert: Expert) -> str:
    person = session.get(Person, expert.person_id)
    return person.name if person is not None else f"（专家 {expert.id}）"


def _check_conflict(
    session: Session, review_session: ReviewSession, assignment: ReviewAssignment, name: str
) -> None:
    """Refuse a recused or removed assignment, and one with a 回避 conflict on the review date
    (:mod:`services.review.conflicts`) — unless an administrator overrode that *computed* conflict
    with a recorded reason; a declared conflict is never overridden."""
    if assignment.recused or assignment.status == "recused":
        why = f"（{assignment.recusal_reason}）" if assignment.recusal_reason else ""
        raise ServiceError(f"专家{name}已回避该申报{why}，不能为其评分", field="专家")
    if not lookup.is_active(assignment):
        raise ServiceError(f"专家{name}已不在该申报的评审名单中，不能为其评分", field="专家")
    found = Facts(session).conflicts(assignment.expert_id, assignment.declaration_id, review_session.held_on)
    blocking = [c for c in found if c.declared or not assignment.override_reason]
    if blocking:
        reasons = "；".join(c.reason for c in blocking)
        raise ServiceError(f"专家{name}应当回避该申报，不能为其评分：{reasons}", field="专家")


def _score_view(score: ReviewScore, assignment: ReviewAssignment) -> ExpertScoreView:
    assert score.id is not None and assignment.id is not None
    points = points_from_json(score.points_json) if score.points_json else {}
    return ExpertScoreView(
        assignment_id=assignment.id,
        session_id=assignment.session_id,
        declaration_id=assignment.declaration_id,
        expert_id=assignment.expert_id,
        points=tuple((k, decimal_text(v)) for k, v in points.items()),
        total_text=score.score_text or decimal_text(Decimal(repr(score.score))),
        version=assignment.score_version,
        scored_on=score.scored_on,
        source=score.source,
        sheet_version=score.sheet_version or "",
        comment=score.comment,
    )


def _existing(session: Session, assignment_id: int, kind: str) -> ReviewScore | None:
    return session.execute(
        select(ReviewScore).where(
            col(ReviewScore.assignment_id) == assignment_id, col(ReviewScore.kind) == kind
        )
    ).scalar_one_or_none()


def record_expert_scores(
    session: Session,
    assignment: ReviewAssignment,
    points: PointsInput,
    *,
    scored_on: dt.date,
    comment: str | None = None,
    source: str = DESKTOP_SOURCE,
    forms_dir: Path | None = None,
) -> ReviewScore:
    """Store one expert's scores for one assignment inside a unit of work (also used by the offline
    package import): every rule of this module is checked; the assignment's ``score_version`` is
    bumped and its status becomes ``scored``."""
    review_session = lookup.get_review_session(session, assignment.session_id)
    lookup.require_open(review_session, "录入或修改专家评分")
    expert = session.get(Expert, assignment.expert_id)
    if expert is None:
        raise NotFound(f"找不到编号为 {assignment.expert_id} 的专家", field="专家")
    name = _expert_name(session, expert)
    _check_conflict(session, review_session, assignment, name)
    sheet = sheet_of(session, review_session, forms_dir)
    try:
        checked = check_points(sheet, points)
    except ValueError as exc:
        raise ServiceError(f"专家{name}的评分：{exc}", field="评分") from exc
    note = _comment(comment)
    total = sum(checked.values(), Decimal(0))
    assert assignment.id is not None
    score = _existing(session, assignment.id, EXPERT_KIND)
    values = {
        "score": float(total),
        "score_text": decimal_text(total),
        "points_json": points_to_json(checked),
        "sheet_version": sheet.version,
        "source": source,
        "scored_on": scored_on,
        "comment": note,
    }
    if score is None:
        score = ReviewScore.model_validate({"assignment_id": assignment.id, "kind": EXPERT_KIND, **values})
    else:
        for key, value in values.items():
            setattr(score, key, value)
    if review_session.score_sheet_version is None:
        review_session.score_sheet_version = sheet.version
        session.add(review_session)
    assignment.score_version += 1
    assignment.status = "scored"
    session.add(score)
    session.add(assignment)
    session.flush()
    return score


def _comment(comment: str | None) -> str | None:
    text = comment.strip() if comment else ""
    if len(text) > COMMENT_MAX:
        raise ServiceError(f"评分意见过长（{len(text)} 个字），最多 {COMMENT_MAX} 个字", field="评分意见")
    return text or None


def enter_expert_scores(
    ctx: AppContext,
    *,
    assignment_id: int,
    points: Mapping[str, Decimal | str | int],
    scored_on: dt.date,
    comment: str | None = None,
    expected_version: int | None = None,
) -> ExpertScoreView:
    """Enter (or correct) one expert's points per indicator for one assignment, on the desktop.

    ``expected_version`` is the ``version`` the screen showed: when someone saved in between (or a
    package was imported) the save is refused instead of overwriting it."""
    with unit_of_work(ctx, "review.enter_expert_scores") as session:
        assignment = session.get(ReviewAssignment, assignment_id)
        if assignment is None:
            raise NotFound(f"找不到编号为 {assignment_id} 的评审安排，请刷新后再试", field="评审安排")
        if expected_version is not None and expected_version != assignment.score_version:
            raise ServiceError(
                "该专家的评分已在别处被修改（第 "
                f"{assignment.score_version} 版，您看到的是第 {expected_version} 版），请刷新后重新录入",
                field="评分",
            )
        score = record_expert_scores(session, assignment, points, scored_on=scored_on, comment=comment)
        return _score_view(score, assignment)


def expert_view(ctx: AppContext, *, session_id: int, expert_id: int) -> ExpertSheet:
    """Blind review: the declarations one expert is assigned in a session and their own scores only."""
    with reading(ctx) as session:
        review_session = lookup.get_review_session(session, session_id)
        expert = session.get(Expert, expert_id)
        if expert is None:
            raise NotFound(f"找不到编号为 {expert_id} 的专家", field="专家")
        sheet = sheet_of(session, review_session)
        assignments = list(
            session.execute(
                select(ReviewAssignment)
                .where(
                    col(ReviewAssignment.session_id) == session_id,
                    col(ReviewAssignment.expert_id) == expert_id,
                )
                .order_by(col(ReviewAssignment.declaration_id))
            ).scalars()
        )
        names = lookup.declaration_names(session, (a.declaration_id for a in assignments))
        tasks = []
        for a in assignments:
            assert a.id is not None
            score = _existing(session, a.id, EXPERT_KIND)
            center, host = names.get(a.declaration_id, ("", ""))
            tasks.append(
                ExpertTask(
                    assignment_id=a.id,
                    declaration_id=a.declaration_id,
                    center_name=center,
                    host_name=host,
                    recused=a.recused or a.status == "recused",
                    recusal_reason=a.recusal_reason,
                    version=a.score_version,
                    score=_score_view(score, a) if score is not None else None,
                )
            )
        return ExpertSheet(
            session_id=session_id,
            session_title=review_session.title,
            expert_id=expert_id,
            expert_name=_expert_name(session, expert),
            sheet=sheet,
            tasks=tuple(tasks),
        )


# --- site inspection -------------------------------------------------------------------------------


def _site_view(row: SiteInspection) -> SiteScoreView:
    assert row.id is not None
    return SiteScoreView(
        id=row.id,
        session_id=row.session_id,
        declaration_id=row.declaration_id,
        team=row.team,
        members=row.members,
        inspected_on=row.inspected_on,
        score_text=row.score_text,
        comment=row.comment,
    )


def enter_site_score(
    ctx: AppContext,
    *,
    session_id: int,
    declaration_id: int,
    team: str,
    score: Decimal | str | int,
    inspected_on: dt.date,
    members: str = "",
    comment: str | None = None,
) -> SiteScoreView:
    """Enter (or correct) the 现场考察 score of one inspection team for one declaration: 0–100, exact,
    at most two decimals. A declaration inspected by several teams gets their mean."""
    team_name = team.strip()
    if not team_name:
        raise ServiceError("请填写考察组名称（如“第一考察组”）", field="考察组")
    if len(team_name) > TEAM_MAX:
        raise ServiceError(f"考察组名称过长，最多 {TEAM_MAX} 个字", field="考察组")
    if len(members.strip()) > MEMBERS_MAX:
        raise ServiceError(f"考察组成员过长，最多 {MEMBERS_MAX} 个字", field="考察组成员")
    try:
        value = parse_decimal(score, "现场考察得分")
    except ValueError as exc:
        raise ServiceError(str(exc), field="现场考察得分") from exc
    if not 0 <= value <= SITE_MAX:
        raise ServiceError(f"现场考察得分 {decimal_text(value)} 不在 0—100 分之间", field="现场考察得分")
    note = _comment(comment)
    with unit_of_work(ctx, "review.enter_site_score") as session:
        review_session = lookup.get_review_session(session, session_id)
        lookup.require_open(review_session, "录入或修改现场考察得分")
        decl = lookup.get_declaration(session, declaration_id)
        if declaration_id not in lookup.session_declaration_ids(session, session_id):
            raise ServiceError(
                f"“{decl.name_zh}”不在评审会“{review_session.title}”的评审范围内", field="申报书"
            )
        row = session.execute(
            select(SiteInspection).where(
                col(SiteInspection.session_id) == session_id,
                col(SiteInspection.declaration_id) == declaration_id,
                col(SiteInspection.team) == team_name,
            )
        ).scalar_one_or_none()
        values = {
            "members": members.strip(),
            "inspected_on": inspected_on,
            "score_text": decimal_text(value),
            "comment": note,
        }
        if row is None:
            row = SiteInspection.model_validate(
                {"session_id": session_id, "declaration_id": declaration_id, "team": team_name, **values}
            )
        else:
            for key, v in values.items():
                setattr(row, key, v)
        session.add(row)
        session.flush()
        return _site_view(row)


def site_scores(ctx: AppContext, *, session_id: int) -> list[SiteScoreView]:
    """Every inspection team's score in a session, by declaration then team."""
    with reading(ctx) as session:
        lookup.get_review_session(session, session_id)
        rows = session.execute(
            select(SiteInspection)
            .where(col(SiteInspection.session_id) == session_id)
            .order_by(col(SiteInspection.declaration_id), col(SiteInspection.team))
        ).scalars()
        return [_site_view(r) for r in rows]


# --- completeness ----------------------------------------------------------------------------------


def completeness_of(session: Session, review_session: ReviewSession) -> Completeness:
    """Inside a session: the scores a review session still needs."""
    assert review_session.id is not None
    sid = review_session.id
    decl_ids = lookup.session_declaration_ids(session, sid)
    names = lookup.declaration_names(session, decl_ids)
    assignments = list(
        session.execute(
            select(ReviewAssignment)
            .where(col(ReviewAssignment.session_id) == sid)
            .order_by(col(ReviewAssignment.declaration_id), col(ReviewAssignment.id))
        ).scalars()
    )
    scored = set(
        session.execute(
            select(col(ReviewScore.assignment_id))
            .join(ReviewAssignment, col(ReviewAssignment.id) == col(ReviewScore.assignment_id))
            .where(col(ReviewAssignment.session_id) == sid, col(ReviewScore.kind) == EXPERT_KIND)
        ).scalars()
    )
    with_site = set(
        session.execute(
            select(col(SiteInspection.declaration_id)).where(col(SiteInspection.session_id) == sid)
        ).scalars()
    )
    missing: list[MissingScore] = []
    for decl_id in decl_ids:
        center = names.get(decl_id, ("", ""))[0]
        active = [a for a in assignments if a.declaration_id == decl_id and lookup.is_active(a)]
        if not active:
            missing.append(MissingScore(decl_id, center, "no_expert", None, None))
        for a in active:
            if a.id not in scored:
                expert = session.get(Expert, a.expert_id)
                name = _expert_name(session, expert) if expert is not None else str(a.expert_id)
                missing.append(MissingScore(decl_id, center, EXPERT_KIND, a.id, name))
        if decl_id not in with_site:
            missing.append(MissingScore(decl_id, center, SITE_KIND, None, None))
    return Completeness(session_id=sid, declarations=len(decl_ids), missing=tuple(missing))


def session_completeness(ctx: AppContext, *, session_id: int) -> Completeness:
    """Whether a session is ready to close: every active assignment scored, every declaration with
    a site score (and at least one expert who scores it)."""
    with reading(ctx) as session:
        return completeness_of(session, lookup.get_review_session(session, session_id))
