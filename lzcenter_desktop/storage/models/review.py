"""Expert pool, review sessions, assignments and scores, results, public notices, objections,
recognitions (第十条)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow, version_column


class ExpertBase(SQLModel):
    """A member of the bureau's expert pool (专家库)."""

    person_id: int = Field(foreign_key="person.id", unique=True)
    specialty: str = Field(default="", max_length=200)
    industries: str = Field(default="", max_length=300)  # key industries, separated by 、
    joined_on: date | None = None
    status: str = Field(default="active", max_length=20)  # active / retired
    retired_on: date | None = None
    # Migration 0006: the unit (linked to the registry when known), 职称, contact.
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    title: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=100)


_expert_version = version_column()


class Expert(ExpertBase, table=True):
    __tablename__ = "expert"
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_expert_version)
    __mapper_args__ = {"version_id_col": _expert_version}


class ReviewSessionBase(SQLModel):
    call_id: int = Field(foreign_key="annual_call.id", index=True)
    title: str = Field(max_length=200)
    held_on: date
    location: str | None = Field(default=None, max_length=200)
    aggregation: str = Field(default="mean", max_length=20)  # mean / trimmed_mean
    status: str = Field(default="planned", max_length=20)  # planned / open / closed / finished
    # Migration 0006: scoring deadline of offline packages, the per-session HMAC key of the
    # offline review package (hex), the seed of the last random draw and the scoring sheet.
    score_deadline: date | None = None
    package_key: str | None = Field(default=None, max_length=128)
    score_sheet_version: str | None = Field(default=None, max_length=50)


class ReviewSession(ReviewSessionBase, table=True):
    __tablename__ = "review_session"
    id: int | None = Field(default=None, primary_key=True)


class ReviewAssignmentBase(SQLModel):
    session_id: int = Field(foreign_key="review_session.id")
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    expert_id: int = Field(foreign_key="expert.id", index=True)
    recused: bool = False  # 回避 (第十条（三）)
    recusal_reason: str | None = Field(default=None, max_length=300)
    status: str = Field(default="assigned", max_length=20)  # assigned / scored / recused
    # Migration 0006: the panel, how the expert came (drawn / manual / balanced), the version
    # of the expert's score set (offline packages refuse an older one), an override of a
    # computed conflict with its reason.
    panel_id: int | None = Field(default=None, foreign_key="review_panel.id", index=True)
    how: str = Field(default="manual", max_length=20, sa_column_kwargs={"server_default": "manual"})
    score_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    override_reason: str | None = Field(default=None, max_length=500)


class ReviewAssignment(ReviewAssignmentBase, table=True):
    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("session_id", "declaration_id", "expert_id"),)
    id: int | None = Field(default=None, primary_key=True)


class ReviewScoreBase(SQLModel):
    assignment_id: int = Field(foreign_key="review_assignment.id")
    kind: str = Field(max_length=20)  # expert_review (专家评审) / site_inspection (现场考察)
    score: float  # 0–100
    comment: str | None = Field(default=None, max_length=1000)
    scored_on: date
    # Migration 0006: the exact total as decimal text, each indicator's points (JSON object of
    # decimal texts keyed by indicator), the sheet version and where the scores came from
    # (desktop, or the SHA-256 of the offline return file).
    score_text: str | None = Field(default=None, max_length=20)
    points_json: str | None = Field(default=None, sa_type=Text)
    sheet_version: str | None = Field(default=None, max_length=50)
    source: str = Field(default="desktop", max_length=100, sa_column_kwargs={"server_default": "desktop"})


class ReviewScore(ReviewScoreBase, table=True):
    __tablename__ = "review_score"
    __table_args__ = (UniqueConstraint("assignment_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)


class ReviewResultBase(SQLModel):
    """总分 = 50 % 专家评审 + 50 % 现场考察 (第十条（三）), with how it was aggregated."""

    declaration_id: int = Field(foreign_key="declaration.id", unique=True)
    session_id: int = Field(foreign_key="review_session.id", index=True)
    expert_score: float
    site_score: float
    total_score: float
    aggregation: str = Field(max_length=20)
    outcome: str = Field(max_length=20)  # proposed / not_recognised
    decided_on: date
    # Migration 0006: exact decimal texts, rank in the session, the number of expert scores,
    # and a 原则上 exception recorded by the clerk with its reason.
    expert_score_text: str | None = Field(default=None, max_length=30)
    site_score_text: str | None = Field(default=None, max_length=30)
    total_text: str | None = Field(default=None, max_length=30)
    rank: int | None = None
    expert_count: int | None = None
    exception_reason: str | None = Field(default=None, max_length=1000)
    operator: str | None = Field(default=None, max_length=100)


class ReviewResult(ReviewResultBase, table=True):
    __tablename__ = "review_result"
    id: int | None = Field(default=None, primary_key=True)


class PublicNoticeBase(SQLModel):
    """拟认定名单公示 (第十条（四）)."""

    call_id: int = Field(foreign_key="annual_call.id", index=True)
    title: str = Field(max_length=200)
    document_no: str | None = Field(default=None, max_length=100)
    published_on: date
    ends_on: date
    status: str = Field(default="open", max_length=20)  # open / closed
    # Migration 0006: how the period was counted (working_days / calendar_days) and the text.
    period_rule: str = Field(
        default="working_days", max_length=20, sa_column_kwargs={"server_default": "working_days"}
    )
    body: str | None = Field(default=None, sa_type=Text)


class PublicNotice(PublicNoticeBase, table=True):
    __tablename__ = "public_notice"
    id: int | None = Field(default=None, primary_key=True)


class PublicNoticeItemBase(SQLModel):
    notice_id: int = Field(foreign_key="public_notice.id")
    center_id: int = Field(foreign_key="center.id", index=True)
    declaration_id: int | None = Field(default=None, foreign_key="declaration.id")


class PublicNoticeItem(PublicNoticeItemBase, table=True):
    __tablename__ = "public_notice_item"
    __table_args__ = (UniqueConstraint("notice_id", "center_id"),)
    id: int | None = Field(default=None, primary_key=True)


class ObjectionBase(SQLModel):
    notice_id: int = Field(foreign_key="public_notice.id", index=True)
    center_id: int = Field(foreign_key="center.id", index=True)
    received_on: date
    submitter: str = Field(default="", max_length=200)
    content: str = Field(max_length=2000)
    outcome: str = Field(default="pending", max_length=20)  # pending / dismissed / upheld
    resolved_on: date | None = None
    resolution: str | None = Field(default=None, max_length=2000)
    # Migration 0006: objections are accepted only in writing with a real name or a unit's
    # stamp, received within the notice; others are recorded as not accepted.
    submitter_kind: str = Field(
        default="person", max_length=20, sa_column_kwargs={"server_default": "person"}
    )  # person / unit / anonymous
    form: str = Field(
        default="signed", max_length=20, sa_column_kwargs={"server_default": "signed"}
    )  # signed / stamped / unsigned
    accepted: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    not_accepted_reason: str | None = Field(default=None, max_length=500)


class Objection(ObjectionBase, table=True):
    __tablename__ = "objection"
    id: int | None = Field(default=None, primary_key=True)


class RecognitionBase(SQLModel):
    """市科技局发文认定 (第十条（四）（五）): document number, date, plaque and certificate."""

    center_id: int = Field(foreign_key="center.id", index=True)
    declaration_id: int | None = Field(default=None, foreign_key="declaration.id")
    call_id: int | None = Field(default=None, foreign_key="annual_call.id")
    document_no: str = Field(max_length=100)  # e.g. 柳科发〔2023〕12号
    recognized_on: date
    title_awarded: str = Field(max_length=200)  # 柳州市××工程技术研究中心
    plaque_no: str | None = Field(default=None, max_length=50, unique=True)
    certificate_no: str | None = Field(default=None, max_length=50, unique=True)
    status: str = Field(default="valid", max_length=20)  # valid / revoked / forfeited


class Recognition(RecognitionBase, table=True):
    __tablename__ = "recognition"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


# --- migration 0006: formal check, relations and 回避, panels, site inspection, imports -------


class FormalCheckBase(SQLModel):
    """形式审查 of one declaration: 通过 / 退回补正 / 不予受理; a returned declaration is checked
    again after correction (a new row with the next round)."""

    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    round: int = 1
    decision: str = Field(max_length=20)  # passed / returned / rejected
    reasons: str = Field(default="", sa_type=Text)  # one reason per line, printed for the applicant
    violations_json: str | None = Field(default=None, sa_type=Text)  # the rule engine's findings
    decided_on: date
    operator: str = Field(max_length=100)


class FormalCheck(FormalCheckBase, table=True):
    __tablename__ = "formal_check"
    __table_args__ = (UniqueConstraint("declaration_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)


class ExpertRelationBase(SQLModel):
    """A relation between an expert and an organization that may require 回避: worked for or
    advised (任职/顾问), dispute (纠纷), helped prepare the documents, shared legal
    representative, control or investment link, a close relative's such relation, or a conflict
    the expert declared. ``source``: expert (the expert's own declaration) / registry."""

    expert_id: int = Field(foreign_key="expert.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    organization_name: str = Field(max_length=200)
    kind: str = Field(max_length=30)
    relative: bool = False  # the relation is a close relative's
    from_on: date | None = None
    to_on: date | None = None
    note: str | None = Field(default=None, max_length=500)
    source: str = Field(default="expert", max_length=20)
    active: bool = True  # never deleted: a withdrawn declaration is marked inactive


class ExpertRelation(ExpertRelationBase, table=True):
    __tablename__ = "expert_relation"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationAvoidExpertBase(SQLModel):
    """The applicant's list of experts it considers unsuitable (申请回避的专家)."""

    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    expert_id: int | None = Field(default=None, foreign_key="expert.id")
    expert_name: str = Field(max_length=50)
    expert_unit: str | None = Field(default=None, max_length=200)
    reason: str = Field(default="", max_length=500)
    active: bool = True


class DeclarationAvoidExpert(DeclarationAvoidExpertBase, table=True):
    __tablename__ = "declaration_avoid_expert"
    id: int | None = Field(default=None, primary_key=True)


class ReviewPanelBase(SQLModel):
    """专业分组 of a review session: its field, the declarations it reviews and its experts."""

    session_id: int = Field(foreign_key="review_session.id", index=True)
    name: str = Field(max_length=100)
    field: str = Field(default="", max_length=200)
    min_experts: int = 3
    draw_seed: str | None = Field(default=None, max_length=64)  # the recorded seed of the last draw


class ReviewPanel(ReviewPanelBase, table=True):
    __tablename__ = "review_panel"
    __table_args__ = (UniqueConstraint("session_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)


class ReviewPanelMemberBase(SQLModel):
    panel_id: int = Field(foreign_key="review_panel.id", index=True)
    expert_id: int = Field(foreign_key="expert.id", index=True)
    how: str = Field(default="manual", max_length=20)  # drawn / manual
    active: bool = True


class ReviewPanelMember(ReviewPanelMemberBase, table=True):
    __tablename__ = "review_panel_member"
    __table_args__ = (UniqueConstraint("panel_id", "expert_id"),)
    id: int | None = Field(default=None, primary_key=True)


class ReviewPanelDeclarationBase(SQLModel):
    panel_id: int = Field(foreign_key="review_panel.id", index=True)
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    active: bool = True


class ReviewPanelDeclaration(ReviewPanelDeclarationBase, table=True):
    __tablename__ = "review_panel_declaration"
    __table_args__ = (UniqueConstraint("panel_id", "declaration_id"),)
    id: int | None = Field(default=None, primary_key=True)


class SiteInspectionBase(SQLModel):
    """现场考察 of one declaration by an inspection team, with the team's score."""

    session_id: int = Field(foreign_key="review_session.id", index=True)
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    team: str = Field(max_length=100)
    members: str = Field(default="", max_length=500)
    inspected_on: date
    score_text: str = Field(max_length=20)  # exact decimal text, 0–100
    points_json: str | None = Field(default=None, sa_type=Text)
    comment: str | None = Field(default=None, max_length=2000)


class SiteInspection(SiteInspectionBase, table=True):
    __tablename__ = "site_inspection"
    __table_args__ = (UniqueConstraint("session_id", "declaration_id", "team"),)
    id: int | None = Field(default=None, primary_key=True)


class ReviewScoreSubmissionBase(SQLModel):
    """Every score set received from an offline return file (kept as received). A set that differs
    from the stored one for the same expert and declaration waits here as ``conflict`` until the
    clerk chooses; re-importing the same file finds its SHA-256 and changes nothing."""

    session_id: int = Field(foreign_key="review_session.id", index=True)
    assignment_id: int = Field(foreign_key="review_assignment.id", index=True)
    file_sha256: str = Field(max_length=64, index=True)
    version: int
    score_text: str = Field(max_length=20)
    points_json: str = Field(sa_type=Text)
    comment: str | None = Field(default=None, max_length=1000)
    status: str = Field(default="applied", max_length=20)  # applied / conflict / rejected / superseded
    note: str | None = Field(default=None, max_length=500)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ReviewScoreSubmission(ReviewScoreSubmissionBase, table=True):
    __tablename__ = "review_score_submission"
    id: int | None = Field(default=None, primary_key=True)


class HolidayBase(SQLModel):
    """The bureau's table of public holidays and make-up working days (调休上班) that the 公示
    period counts in working days with; editable, one row per day."""

    day: date = Field(unique=True)
    kind: str = Field(max_length=20)  # holiday / workday
    name: str = Field(default="", max_length=50)


class Holiday(HolidayBase, table=True):
    __tablename__ = "holiday"
    id: int | None = Field(default=None, primary_key=True)
