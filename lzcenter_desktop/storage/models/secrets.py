"""Secrets of the bureau kept in the database, e.g. the key of the certificate verification codes.

A secret is written once (with an audit entry that names it but does not reveal it) and never
changed or deleted: certificates already printed stay verifiable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow


class BureauSecretBase(SQLModel):
    value: bytes = Field(sa_type=LargeBinary)


class BureauSecret(BureauSecretBase, table=True):
    __tablename__ = "bureau_secret"
    name: str = Field(primary_key=True, max_length=60)  # e.g. certificate_hmac
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
