"""Declarations (认定申请书) with every part of the interchange format ``lzcenter.declaration/1``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import YUAN, UtcDateTime, utcnow, version_column


class DeclarationBase(SQLModel):
    call_id: int = Field(foreign_key="annual_call.id", index=True)
    # A draft has no centre and no host organization until it is submitted (or imported with a valid
    # host): no placeholder records in the centre list or the organization registry (migration 0004).
    center_id: int | None = Field(default=None, foreign_key="center.id", index=True)
    host_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    application_date: date
    name_zh: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=400)
    research_direction: str = Field(default="", max_length=500)
    rd_org_established: date | None = None  # 研发机构成立日期
    floor_area_m2: float | None = None  # 科研集中用房面积
    competent_department: str | None = Field(default=None, max_length=200)
    first_level_legal_person: bool = True
    cto_name: str | None = Field(default=None, max_length=50)
    cto_filing_no: str | None = Field(default=None, max_length=50)
    cto_filing_date: date | None = None
    signature_name: str | None = Field(default=None, max_length=50)
    signature_role: str | None = Field(default=None, max_length=30)  # cto / legal_representative / other
    signature_date: date | None = None
    previous_revocation_date: date | None = None
    status: str = Field(default="draft", max_length=20)  # draft / submitted / withdrawn / decided
    submitted_on: date | None = None
    source_json: str | None = Field(default=None, sa_type=Text)  # the interchange file as received
    # 县区科技主管部门 / 主管部门推荐 (第十条（二）), recorded per declaration (migration 0006).
    recommended_by: str | None = Field(default=None, max_length=200)
    recommended_on: date | None = None
    recommendation_note: str | None = Field(default=None, max_length=500)


_declaration_version = version_column()


class Declaration(DeclarationBase, table=True):
    __tablename__ = "declaration"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    version: int = Field(default=1, sa_column=_declaration_version)
    __mapper_args__ = {"version_id_col": _declaration_version}


class DeclarationIndustryBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id")
    position: int = 0
    industry: str = Field(max_length=50)


class DeclarationIndustry(DeclarationIndustryBase, table=True):
    __tablename__ = "declaration_industry"
    __table_args__ = (UniqueConstraint("declaration_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)


class DeclarationPartyBase(SQLModel):
    """A co-building unit (共建单位) or joint applicant (联合申报单位) of a declaration."""

    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    role: str = Field(max_length=20)  # co_builder / joint_applicant
    position: int = 0


class DeclarationParty(DeclarationPartyBase, table=True):
    __tablename__ = "declaration_party"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationStaffBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    position: int = 0
    person_id: int | None = Field(default=None, foreign_key="person.id")
    name: str = Field(max_length=50)
    birth_date: date | None = None
    degree: str = Field(max_length=10)  # 博士 / 硕士 / 本科 / 大专 / 其他
    title: str = Field(max_length=10)  # 正高级 / 副高级 / 中级 / 初级 / 无
    tech_leader: bool = False


class DeclarationStaff(DeclarationStaffBase, table=True):
    __tablename__ = "declaration_staff"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationProjectBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    position: int = 0
    name: str = Field(max_length=300)
    level: str = Field(max_length=20)  # national / region / city / county
    role: str = Field(max_length=20)  # lead / participate
    approved_date: date


class DeclarationProject(DeclarationProjectBase, table=True):
    __tablename__ = "declaration_project"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationAchievementBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    position: int = 0
    kind: str = Field(max_length=30)  # new_technology / new_product / standard / award / *_patent
    title: str = Field(max_length=300)
    achieved_on: date
    number: str | None = Field(default=None, max_length=100)
    transferred: bool = False


class DeclarationAchievement(DeclarationAchievementBase, table=True):
    __tablename__ = "declaration_achievement"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationEquipmentBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    position: int = 0
    name: str = Field(max_length=200)
    value_yuan: int | None = Field(default=None, sa_type=YUAN)


class DeclarationEquipment(DeclarationEquipmentBase, table=True):
    __tablename__ = "declaration_equipment"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationInvestmentBase(SQLModel):
    """建设运行经费投入 of one year (第九条（六）)."""

    declaration_id: int = Field(foreign_key="declaration.id")
    year: int
    amount_yuan: int = Field(sa_type=YUAN)


class DeclarationInvestment(DeclarationInvestmentBase, table=True):
    __tablename__ = "declaration_investment"
    __table_args__ = (UniqueConstraint("declaration_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)


class DeclarationFinanceBase(SQLModel):
    """R&D expense and sales revenue of one fiscal year (第九条（七）)."""

    declaration_id: int = Field(foreign_key="declaration.id")
    year: int
    rd_expense_yuan: int = Field(sa_type=YUAN)
    sales_revenue_yuan: int = Field(sa_type=YUAN)


class DeclarationFinance(DeclarationFinanceBase, table=True):
    __tablename__ = "declaration_finance"
    __table_args__ = (UniqueConstraint("declaration_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)


class DeclarationCooperationBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    position: int = 0
    partner: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # project / agreement
    cooperated_on: date
    title: str = Field(default="", max_length=300)


class DeclarationCooperation(DeclarationCooperationBase, table=True):
    __tablename__ = "declaration_cooperation"
    id: int | None = Field(default=None, primary_key=True)


class DeclarationAttachmentBase(SQLModel):
    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    title: str = Field(max_length=200)
    file_name: str = Field(max_length=300)
    sha256: str | None = Field(default=None, max_length=64)
    size_bytes: int | None = None
    stored_path: str | None = Field(default=None, max_length=500)
    status: str = Field(default="active", max_length=20)  # active / retired
    retired_on: date | None = None


class DeclarationAttachment(DeclarationAttachmentBase, table=True):
    __tablename__ = "declaration_attachment"
    id: int | None = Field(default=None, primary_key=True)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class DeclarationAcknowledgementBase(SQLModel):
    """The reason a clerk gave for accepting a warning (提醒的确认理由) of a declaration, saved as it is
    typed. A changed or cleared reason retires the old row (``status`` retired) instead of overwriting it."""

    declaration_id: int = Field(foreign_key="declaration.id", index=True)
    rule: str = Field(max_length=30)  # e.g. D9.5b, DUP
    path: str = Field(max_length=200)  # interchange path the warning is about, e.g. center.equipment
    reason: str = Field(max_length=200)
    operator: str = Field(max_length=100)
    status: str = Field(default="active", max_length=20)  # active / retired


class DeclarationAcknowledgement(DeclarationAcknowledgementBase, table=True):
    __tablename__ = "declaration_acknowledgement"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
