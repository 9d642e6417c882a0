"""The bureau's certificate key (HMAC): made once, kept in the database (table ``bureau_secret``),
never shown — its audit entry names it by a fingerprint.  Part of
:mod:`lzcenter_desktop.services.documents`."""

from __future__ import annotations

import hashlib
import json
from typing import Final

from sqlmodel import Session

from lzcenter_desktop.documents.verify import MIN_KEY_BYTES, new_key
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, BureauSecret, utcnow

#: The name of the certificate key in table ``bureau_secret``.
KEY_NAME: Final = "certificate_hmac"


def load_key(session: Session) -> bytes | None:
    """The stored key, or ``None`` when none has been made yet."""
    row = session.get(BureauSecret, KEY_NAME)
    if row is None:
        return None
    value = bytes(row.value)
    if len(value) < MIN_KEY_BYTES:
        raise ServiceError(
            "数据库中的证书验证密钥已损坏（长度不足），无法生成或核验证书，请联系系统维护人员。",
            field="证书验证密钥",
        )
    return value


def _store_new_key(session: Session) -> bytes:
    """Write a fresh key and an audit entry that names it without revealing it."""
    key = new_key()
    now = utcnow()
    # Core insert: the ORM's automatic audit would copy the secret into the audit trail.
    session.connection().execute(
        BureauSecret.__table__.insert(),  # type: ignore[attr-defined]
        {"name": KEY_NAME, "value": key, "created_at": now.replace(tzinfo=None)},
    )
    audit = audit_context(session)
    fingerprint = hashlib.sha256(key).hexdigest()[:12]
    session.add(
        AuditEntry(
            operator=audit.operator,
            action=audit.action,
            operation="insert",
            entity="bureau_secret",
            entity_id=KEY_NAME,
            before=None,
            after=json.dumps(
                {"name": KEY_NAME, "value": f"（已隐藏，指纹 {fingerprint}）"}, ensure_ascii=False
            ),
            txn=audit.txn,
            at=audit.at,
        )
    )
    audit.entries += 1
    return key


def bureau_key(ctx: AppContext) -> bytes:
    """The bureau's certificate key, made on first use and kept in the database."""
    with reading(ctx) as session:
        key = load_key(session)
    if key is not None:
        return key
    with unit_of_work(ctx, "documents.create_key") as session:
        key = load_key(session)  # another user may have made it meanwhile
        return key if key is not None else _store_new_key(session)
