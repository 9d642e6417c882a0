"""Organizations (hosts, co-builders, joint applicants, experts' employers), people, CTO filings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow, version_column

ORG_KINDS = ("enterprise", "university", "institute", "other")
RECORD_STATUSES = ("active", "retired")
PERSON_CATEGORIES = (
    "university",
    "institute",
    "association",
    "enterprise_upstream",
    "enterprise_downstream",
    "center_leader",
    "host",
    "co_builder",
    "other",
)


class OrganizationBase(SQLModel):
    name: str = Field(max_length=200, index=True)
    name_en: str | None = Field(default=None, max_length=300)
    # 统一社会信用代码 (GB 32100-2015), 18 characters; None for an organization known by name only.
    credit_code: str | None = Field(default=None, min_length=18, max_length=18, unique=True)
    kind: str = Field(max_length=20)  # enterprise / university / institute / other
    first_level_legal_person: bool = True  # 一级法人
    competent_department: str | None = Field(default=None, max_length=200)  # 业务主管部门
    district_code: str | None = Field(default=None, max_length=6)  # 行政区划代码, e.g. 450205
    address: str | None = Field(default=None, max_length=300)
    status: str = Field(default="active", max_length=20)  # active / retired
    retired_on: date | None = None


_organization_version = version_column()


class Organization(OrganizationBase, table=True):
    __tablename__ = "organization"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    version: int = Field(default=1, sa_column=_organization_version)
    __mapper_args__ = {"version_id_col": _organization_version}


class UnitAffiliationBase(SQLModel):
    """Whether a unit written on people's records (工作单位) is part of a registered organization — the
    clerk's answer, asked once, where the unit's name only begins with the organization's name (a
    host's own 研究院 or 工程技术研究中心, 第十三条—第十五条). Matched by the normalised name
    (``unit_key``: full-width/half-width, spaces and brackets alike); a changed answer updates the row
    (the audit trail keeps the old one)."""

    organization_id: int = Field(foreign_key="organization.id", index=True)
    unit_name: str = Field(max_length=200)  # as the clerk saw it
    unit_key: str = Field(max_length=200)  # normalised name, what is matched
    belongs: bool
    decided_on: date


class UnitAffiliation(UnitAffiliationBase, table=True):
    __tablename__ = "unit_affiliation"
    __table_args__ = (UniqueConstraint("organization_id", "unit_key"),)
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class CtoFilingBase(SQLModel):
    """首席技术官备案 (第九条（七）, 第十条（二）): an enterprise's CTO filed with the bureau."""

    organization_id: int = Field(foreign_key="organization.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    name: str = Field(max_length=50)
    filing_no: str = Field(max_length=50)
    filing_date: date
    ended_on: date | None = None  # the CTO left or was replaced


class CtoFiling(CtoFilingBase, table=True):
    __tablename__ = "cto_filing"
    id: int | None = Field(default=None, primary_key=True)


class PersonBase(SQLModel):
    """A person with a stable identity across terms and roles (ID number, or name + birth date)."""

    name: str = Field(max_length=50, index=True)
    birth_date: date | None = None
    id_number: str | None = Field(default=None, max_length=18, unique=True)  # 身份证号
    gender: str | None = Field(default=None, max_length=10)  # male / female
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    organization_name: str | None = Field(default=None, max_length=200)  # as written when no record exists
    degree: str | None = Field(default=None, max_length=10)  # 博士 / 硕士 / 本科 / 大专 / 其他
    title: str | None = Field(default=None, max_length=10)  # 正高级 / 副高级 / 中级 / 初级 / 无
    position: str | None = Field(default=None, max_length=100)  # 职务
    specialty: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=100)
    # The person's category on committee rosters (PERSON_CATEGORIES), when known: the one first
    # given; a centre's own list (center_person.category) says what it is for that centre.
    category: str | None = Field(default=None, max_length=30)
    status: str = Field(default="active", max_length=20)
    retired_on: date | None = None


_person_version = version_column()


class Person(PersonBase, table=True):
    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    version: int = Field(default=1, sa_column=_person_version)
    __mapper_args__ = {"version_id_col": _person_version}


class KeyIndustryBase(SQLModel):
    """柳州重点产业: the list applicants choose from; editable by an administrator."""

    name: str = Field(max_length=50, unique=True)
    sort_order: int = 0
    active: bool = True


class KeyIndustry(KeyIndustryBase, table=True):
    __tablename__ = "key_industry"
    id: int | None = Field(default=None, primary_key=True)
