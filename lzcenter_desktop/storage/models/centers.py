"""Centres, their industries and co-builders, the state history, calls and rule-set versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow, version_column


class CenterBase(SQLModel):
    name_zh: str = Field(max_length=200, index=True)  # 柳州××工程技术研究中心（依托单位名称）
    name_en: str = Field(default="", max_length=400)
    research_direction: str = Field(default="", max_length=500)
    host_id: int = Field(foreign_key="organization.id", index=True)
    state: str = Field(default="draft", max_length=20, index=True)  # domain.lifecycle.CenterState
    state_since: date
    recognized_on: date | None = None  # date of the recognition document (kept when rectifying)
    plaque_no: str | None = Field(default=None, max_length=50)
    certificate_no: str | None = Field(default=None, max_length=50)


_center_version = version_column()


class Center(CenterBase, table=True):
    __tablename__ = "center"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    version: int = Field(default=1, sa_column=_center_version)
    __mapper_args__ = {"version_id_col": _center_version}


class CenterIndustryBase(SQLModel):
    center_id: int = Field(foreign_key="center.id")
    position: int = 0  # 0 = the main field
    industry: str = Field(max_length=50)


class CenterIndustry(CenterIndustryBase, table=True):
    __tablename__ = "center_industry"
    __table_args__ = (UniqueConstraint("center_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)


class CenterPartyBase(SQLModel):
    """An organization taking part in a centre: a 共建单位 (co-builder)."""

    center_id: int = Field(foreign_key="center.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    role: str = Field(default="co_builder", max_length=20)
    position: int = 0
    joined_on: date | None = None
    left_on: date | None = None


class CenterParty(CenterPartyBase, table=True):
    __tablename__ = "center_party"
    id: int | None = Field(default=None, primary_key=True)


class CenterStateChangeBase(SQLModel):
    """One step of a centre's lifecycle: when, by which document, who recorded it and why."""

    center_id: int = Field(foreign_key="center.id")
    changed_on: date
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    document_no: str | None = Field(default=None, max_length=100)  # 文号
    operator: str = Field(max_length=100)
    reason: str = Field(default="", max_length=1000)


class CenterStateChange(CenterStateChangeBase, table=True):
    __tablename__ = "center_state_change"
    __table_args__ = (Index("ix_center_state_change_center_id_changed_on", "center_id", "changed_on"),)
    id: int | None = Field(default=None, primary_key=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AnnualCallBase(SQLModel):
    """《柳州市工程技术研究中心建设年度申报通知》 of one year (第十条（一）)."""

    year: int = Field(unique=True)
    title: str = Field(max_length=200)
    document_no: str | None = Field(default=None, max_length=100)
    published_on: date | None = None
    deadline: date | None = None
    status: str = Field(default="open", max_length=20)  # draft / open / closed
    # The rule-set version (rule_set_version.version_no of this year) and the scoring sheet
    # (forms/review-<year>.toml, its ``version``) the call was published with (migration 0006).
    ruleset_version_no: int | None = None
    score_sheet_version: str | None = Field(default=None, max_length=50)


class AnnualCall(AnnualCallBase, table=True):
    __tablename__ = "annual_call"
    id: int | None = Field(default=None, primary_key=True)


class RuleSetVersionBase(SQLModel):
    """A version of the configurable rule settings for one call year; versions are never overwritten."""

    year: int = Field(index=True)
    version_no: int
    operator: str = Field(max_length=100)
    note: str = Field(default="", max_length=1000)
    settings_json: str = Field(sa_type=Text)


class RuleSetVersion(RuleSetVersionBase, table=True):
    __tablename__ = "rule_set_version"
    __table_args__ = (UniqueConstraint("year", "version_no"),)
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
