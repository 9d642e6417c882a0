"""Expert pool, review sessions, assignments and scores, results, public notices, objections,
recognitions (第十条)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow


class ExpertBase(SQLModel):
    """A member of the bureau's expert pool (专家库)."""

    person_id: int = Field(foreign_key="person.id", unique=True)
    specialty: str = Field(default="", max_length=200)
    industries: str = Field(default="", max_length=300)  # key industries, separated by 、
    joined_on: date | None = None
    status: str = Field(default="active", max_length=20)  # active / retired
    retired_on: date | None = None


class Expert(ExpertBase, table=True):
    __tablename__ = "expert"
    id: int | None = Field(default=None, primary_key=True)


class ReviewSessionBase(SQLModel):
    call_id: int = Field(foreign_key="annual_call.id", index=True)
    title: str = Field(max_length=200)
    held_on: date
    location: str | None = Field(default=None, max_length=200)
    aggregation: str = Field(default="mean", max_length=20)  # mean / trimmed_mean
    status: str = Field(default="planned", max_length=20)  # planned / finished


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
