"""What the database records about the bureau's certificate keys (table ``bureau_secret``).

The keys themselves are kept outside the database, in the user's key store
(:mod:`lzcenter_desktop.services.keystore`); the rows here name the key ring of this database
(``certificate_keyring``) and each key's fingerprint (``certificate_key:K1``, …).  The row
``certificate_hmac`` held the key itself in older databases: it is blanked (empty value) once
the key has been moved into the key store.  Rows are never deleted.
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
