"""Domain objects of the two interchange formats (interchange.md).

Frozen dataclasses with tuples, so two parses of the same file compare equal.  Optional keys
that may be absent in the JSON (``number``, ``transferred``, ``organization_credit_code``,
``projects[].end_date``) are ``None`` when absent, which keeps the JSON round trip lossless.

The ``*_LABELS`` mappings give the Chinese word a clerk sees for each enumeration value; user
text (violation messages, ``actual``/``required``) uses them, never the English codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DECLARATION_FORMAT = "lzcenter.declaration/1"
COMMITTEES_FORMAT = "lzcenter.committees/1"


class OrgKind(StrEnum):
    ENTERPRISE = "enterprise"
    UNIVERSITY = "university"
    INSTITUTE = "institute"
    OTHER = "other"


class Degree(StrEnum):
    DOCTOR = "博士"
    MASTER = "硕士"
    BACHELOR = "本科"
    COLLEGE = "大专"
    OTHER = "其他"


class Title(StrEnum):
    SENIOR = "正高级"
    ASSOCIATE_SENIOR = "副高级"
    INTERMEDIATE = "中级"
    JUNIOR = "初级"
    NONE = "无"


class ProjectLevel(StrEnum):
    NATIONAL = "national"
    REGION = "region"
    CITY = "city"
    COUNTY = "county"


class ProjectRole(StrEnum):
    LEAD = "lead"
    PARTICIPATE = "participate"


class AchievementKind(StrEnum):
    NEW_TECHNOLOGY = "new_technology"
    NEW_PRODUCT = "new_product"
    STANDARD = "standard"
    AWARD = "award"
    INVENTION_PATENT = "invention_patent"
    UTILITY_PATENT = "utility_patent"
    DESIGN_PATENT = "design_patent"


class CooperationKind(StrEnum):
    PROJECT = "project"
    AGREEMENT = "agreement"


class SignatureRole(StrEnum):
    CTO = "cto"
    LEGAL_REPRESENTATIVE = "legal_representative"
    OTHER = "other"


class PersonCategory(StrEnum):
    UNIVERSITY = "university"
    INSTITUTE = "institute"
    ASSOCIATION = "association"
    ENTERPRISE_UPSTREAM = "enterprise_upstream"
    ENTERPRISE_DOWNSTREAM = "enterprise_downstream"
    CENTER_LEADER = "center_leader"
    HOST = "host"
    CO_BUILDER = "co_builder"
    OTHER = "other"


ORG_KIND_LABELS = {
    OrgKind.ENTERPRISE: "企业",
    OrgKind.UNIVERSITY: "高等院校",
    OrgKind.INSTITUTE: "科研院所",
    OrgKind.OTHER: "其他",
}
PROJECT_LEVEL_LABELS = {
    ProjectLevel.NATIONAL: "国家级",
    ProjectLevel.REGION: "自治区级",
    ProjectLevel.CITY: "市级",
    ProjectLevel.COUNTY: "县级",
}
PROJECT_ROLE_LABELS = {ProjectRole.LEAD: "主持", ProjectRole.PARTICIPATE: "参与"}
ACHIEVEMENT_KIND_LABELS = {
    AchievementKind.NEW_TECHNOLOGY: "新技术",
    AchievementKind.NEW_PRODUCT: "新产品",
    AchievementKind.STANDARD: "行业（地方）标准",
    AchievementKind.AWARD: "自治区科学技术奖",
    AchievementKind.INVENTION_PATENT: "发明专利",
    AchievementKind.UTILITY_PATENT: "实用新型专利",
    AchievementKind.DESIGN_PATENT: "外观设计专利",
}
COOPERATION_KIND_LABELS = {CooperationKind.PROJECT: "合作项目", CooperationKind.AGREEMENT: "合作协议"}
SIGNATURE_ROLE_LABELS = {
    SignatureRole.CTO: "首席技术官",
    SignatureRole.LEGAL_REPRESENTATIVE: "法定代表人",
    SignatureRole.OTHER: "其他",
}

# ---------------------------------------------------------------- declaration


@dataclass(frozen=True, slots=True)
class Equipment:
    name: str
    value_yuan: int


@dataclass(frozen=True, slots=True)
class Center:
    name_zh: str
    name_en: str
    research_direction: str
    industry_fields: tuple[str, ...]
    rd_org_established: date
    floor_area_m2: int | float
    equipment: tuple[Equipment, ...]


@dataclass(frozen=True, slots=True)
class Cto:
    name: str
    filing_no: str | None
    filing_date: date | None


@dataclass(frozen=True, slots=True)
class Host:
    name: str
    credit_code: str
    kind: OrgKind
    first_level_legal_person: bool
    competent_department: str
    cto: Cto | None


@dataclass(frozen=True, slots=True)
class Organization:
    """A co-building unit or a joint applicant."""

    name: str
    credit_code: str
    kind: OrgKind


@dataclass(frozen=True, slots=True)
class Staff:
    name: str
    birth_date: date
    degree: Degree
    title: Title
    tech_leader: bool


@dataclass(frozen=True, slots=True)
class Project:
    """A science and technology plan project; ``end_date`` is when it ended (验收 or the end of its
    执行期, planned end for a project still running), ``None`` when not given (then only
    ``approved_date`` places it in 近三年)."""

    name: str
    level: ProjectLevel
    role: ProjectRole
    approved_date: date
    end_date: date | None = None


@dataclass(frozen=True, slots=True)
class Achievement:
    kind: AchievementKind
    title: str
    date: date
    number: str | None = None
    transferred: bool | None = None


@dataclass(frozen=True, slots=True)
class Investment:
    year: int
    amount_yuan: int


@dataclass(frozen=True, slots=True)
class Finance:
    year: int
    rd_expense_yuan: int
    sales_revenue_yuan: int


@dataclass(frozen=True, slots=True)
class Cooperation:
    partner: str
    kind: CooperationKind
    date: date
    title: str


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    role: SignatureRole
    date: date


@dataclass(frozen=True, slots=True)
class Declaration:
    call_year: int
    application_date: date
    center: Center
    host: Host
    co_builders: tuple[Organization, ...]
    joint_applicants: tuple[Organization, ...]
    staff: tuple[Staff, ...]
    projects: tuple[Project, ...]
    achievements: tuple[Achievement, ...]
    investments: tuple[Investment, ...]
    finances: tuple[Finance, ...]
    cooperation: tuple[Cooperation, ...]
    signature: Signature
    previous_revocation_date: date | None = None


# ---------------------------------------------------------------- committees


@dataclass(frozen=True, slots=True)
class CommitteeCenter:
    name_zh: str
    recognized: date


@dataclass(frozen=True, slots=True)
class Unit:
    """Host or co-building unit as named in a committees file."""

    name: str
    credit_code: str | None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    birth_date: date
    organization: str
    category: PersonCategory
    organization_credit_code: str | None = None


@dataclass(frozen=True, slots=True)
class Director:
    person: str
    appointed: date
    filed: date | None
    months_worked: tuple[tuple[int, int], ...]  # (year, months), in file order

    def months_in(self, year: int) -> int | None:
        for y, months in self.months_worked:
            if y == year:
                return months
        return None


@dataclass(frozen=True, slots=True)
class Meeting:
    date: date
    attendees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ManagementCommittee:
    members: tuple[str, ...]
    meetings: tuple[Meeting, ...]


@dataclass(frozen=True, slots=True)
class ExpertTerm:
    start: date
    end: date
    chair: str
    members: tuple[str, ...]
    filed: date | None
    meetings: tuple[Meeting, ...]
    # members who joined after the term began (届中增补): (person id, the first day in office);
    # every other member is in office from ``start`` (M16b counts a meeting against those in office)
    joined: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True, slots=True)
class UnitConfirmation:
    """The clerk's decision whether a member's unit as written (``unit``) is part of the host or a
    co-building unit (``of``, its name) — asked once where the name only begins with that unit's
    name.  Kept in the organization registry, not in committees files."""

    unit: str
    of: str
    belongs: bool


@dataclass(frozen=True, slots=True)
class Committees:
    center: CommitteeCenter
    host: Unit
    co_builders: tuple[Unit, ...]
    people: tuple[Person, ...]
    directors: tuple[Director, ...]
    management_committee: ManagementCommittee | None
    expert_committee_terms: tuple[ExpertTerm, ...]
    unit_confirmations: tuple[UnitConfirmation, ...] = ()

    def person(self, person_id: str) -> Person:
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(person_id)
