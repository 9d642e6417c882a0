"""The audit trail: one row per inserted or changed row, written in the same transaction, each
chained to the one before by its hash (``prev_hash``, ``entry_hash``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import UtcDateTime, utcnow


class AuditEntryBase(SQLModel):
    operator: str = Field(max_length=100)
    action: str = Field(max_length=100)  # the service operation, e.g. centers.change_state
    operation: str = Field(max_length=10)  # insert / update
    entity: str = Field(max_length=60)  # table name
    entity_id: str = Field(max_length=60)
    before: str | None = Field(default=None, sa_type=Text)  # JSON of the row before
    after: str | None = Field(default=None, sa_type=Text)  # JSON of the row after
    txn: str = Field(max_length=32, index=True)  # groups the entries of one transaction
    # The hash chain (domain/audit_chain.py): the previous entry's hash and this entry's own,
    # hex SHA-256, set by the storage guards when the entry is written. A row written by another
    # tool gets the empty text, which never verifies. (text("''"): Alembic compares "" as no default.)
    prev_hash: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": text("''")})
    entry_hash: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": text("''")})


class AuditEntry(AuditEntryBase, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_entry_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
