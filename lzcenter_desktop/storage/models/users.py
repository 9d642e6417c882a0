"""Sign-in and four-eyes approvals: the people who may use the program (``app_user``), the
settings of the bureau kept in the database (``app_setting``, e.g. whether sign-in is on) and the
recognitions and revocations waiting for a second person's approval (``approval_request``).

A user is never deleted, only deactivated; the password is kept as an argon2 hash only (and the
audit trail records a fingerprint of it, never the hash itself).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow, version_column


class AppUserBase(SQLModel):
    login: str = Field(max_length=50, unique=True)
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=20)  # admin / clerk / approver / expert / reader
    password_hash: str = Field(max_length=200)
    failed_attempts: int = Field(default=0)  # failures in a row since the last good sign-in
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    active: bool = Field(default=True)


_app_user_version = version_column()


class AppUser(AppUserBase, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    version: int = Field(default=1, sa_column=_app_user_version)
    __mapper_args__ = {"version_id_col": _app_user_version}


class AppSettingBase(SQLModel):
    value: str = Field(max_length=200)


class AppSetting(AppSettingBase, table=True):
    __tablename__ = "app_setting"
    key: str = Field(primary_key=True, max_length=60)  # e.g. sign_in


class ApprovalRequestBase(SQLModel):
    kind: str = Field(max_length=40)  # recognition / revocation / failed_acceptance
    subject: str = Field(max_length=60, index=True)  # e.g. notice:3, evaluation:7
    summary: str = Field(max_length=500)  # what takes effect, in Chinese
    params_json: str = Field(sa_type=Text)  # the service call to run on approval
    status: str = Field(default="pending", max_length=20)  # pending / approved / returned
    proposed_by: str = Field(max_length=100)
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    note: str | None = Field(default=None, max_length=500)


class ApprovalRequest(ApprovalRequestBase, table=True):
    __tablename__ = "approval_request"
    id: int | None = Field(default=None, primary_key=True)
    proposed_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
