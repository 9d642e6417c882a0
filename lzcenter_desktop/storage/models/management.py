"""Running a centre (第四章): directors, management committee, expert guidance committee terms,
meetings and attendance."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import version_column


class DirectorAppointmentBase(SQLModel):
    """中心主任 (第十一条, 第十二条): appointed by the host, filed with the bureau, 3-year term."""

    center_id: int = Field(foreign_key="center.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    appointed_on: date
    filed_on: date | None = None
    term_ends_on: date | None = None
    ended_on: date | None = None  # None while in office
    status: str = Field(default="active", max_length=20)  # active / ended


class DirectorAppointment(DirectorAppointmentBase, table=True):
    __tablename__ = "director_appointment"
    id: int | None = Field(default=None, primary_key=True)


class DirectorWorkMonthsBase(SQLModel):
    """Months the director worked at the centre in a year (第十二条: ≥ 6)."""

    appointment_id: int = Field(foreign_key="director_appointment.id")
    year: int
    months: int


class DirectorWorkMonths(DirectorWorkMonthsBase, table=True):
    __tablename__ = "director_work_months"
    __table_args__ = (UniqueConstraint("appointment_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)


class ManagementCommitteeMemberBase(SQLModel):
    """管理委员会成员 (第十三条)."""

    center_id: int = Field(foreign_key="center.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    role: str = Field(default="member", max_length=20)  # chair / member
    joined_on: date | None = None
    left_on: date | None = None


class ManagementCommitteeMember(ManagementCommitteeMemberBase, table=True):
    __tablename__ = "management_committee_member"
    id: int | None = Field(default=None, primary_key=True)


class ExpertCommitteeTermBase(SQLModel):
    """One term (届) of a centre's 专家指导委员会 (第十四条, 第十五条)."""

    center_id: int = Field(foreign_key="center.id")
    term_no: int
    starts_on: date
    ends_on: date
    chair_person_id: int | None = Field(default=None, foreign_key="person.id")
    recommended_on: date | None = None  # 依托单位推荐
    reviewed_on: date | None = None  # 业务主管部门审核
    filed_on: date | None = None  # 报市科技局备案


_expert_committee_term_version = version_column()


class ExpertCommitteeTerm(ExpertCommitteeTermBase, table=True):
    __tablename__ = "expert_committee_term"
    __table_args__ = (UniqueConstraint("center_id", "term_no"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_expert_committee_term_version)
    __mapper_args__ = {"version_id_col": _expert_committee_term_version}


class ExpertCommitteeMemberBase(SQLModel):
    term_id: int = Field(foreign_key="expert_committee_term.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    # university / institute / association / enterprise_upstream / enterprise_downstream /
    # center_leader / host / co_builder / other
    category: str = Field(max_length=30)
    organization_name: str | None = Field(default=None, max_length=200)
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # order on the roster
    # active / retired: a member taken off the term keeps the row (nothing is deleted)
    status: str = Field(default="active", max_length=20, sa_column_kwargs={"server_default": "active"})
    retired_on: date | None = None
    # the first day in office of a member who joined a running term (届中增补); None: from the
    # term's start (migration 0007)
    joined_on: date | None = None


class ExpertCommitteeMember(ExpertCommitteeMemberBase, table=True):
    __tablename__ = "expert_committee_member"
    __table_args__ = (UniqueConstraint("term_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)


class CommitteeMeetingBase(SQLModel):
    center_id: int = Field(foreign_key="center.id", index=True)
    committee: str = Field(max_length=20)  # management / expert
    term_id: int | None = Field(default=None, foreign_key="expert_committee_term.id")
    held_on: date
    topic: str = Field(default="", max_length=300)
    minutes: str | None = Field(default=None, max_length=5000)
    # active / retired: a meeting whose date or attendance was corrected is kept, retired
    status: str = Field(default="active", max_length=20, sa_column_kwargs={"server_default": "active"})


class CommitteeMeeting(CommitteeMeetingBase, table=True):
    __tablename__ = "committee_meeting"
    id: int | None = Field(default=None, primary_key=True)


class MeetingAttendanceBase(SQLModel):
    meeting_id: int = Field(foreign_key="committee_meeting.id")
    person_id: int = Field(foreign_key="person.id", index=True)


class MeetingAttendance(MeetingAttendanceBase, table=True):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)


class CenterPersonBase(SQLModel):
    """A centre's list of people (the ``people`` array of ``lzcenter.committees/1``), in order.

    It holds everyone the centre's committee record names, including people who hold no role at
    the moment; a person taken off the list keeps the row, retired.
    """

    center_id: int = Field(foreign_key="center.id")
    person_id: int = Field(foreign_key="person.id", index=True)
    category: str = Field(max_length=30)  # PERSON_CATEGORIES, for this centre
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    status: str = Field(default="active", max_length=20, sa_column_kwargs={"server_default": "active"})
    retired_on: date | None = None


class CenterPerson(CenterPersonBase, table=True):
    __tablename__ = "center_person"
    __table_args__ = (UniqueConstraint("center_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
