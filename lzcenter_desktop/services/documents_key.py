"""The bureau's certificate keys (HMAC), kept off the database file.  Part of
:mod:`lzcenter_desktop.services.documents`.

The keys themselves live in the user's key store (:mod:`lzcenter_desktop.services.keystore`:
DPAPI on Windows, a 0600 file elsewhere).  The database records only, in table ``bureau_secret``:

* ``certificate_keyring`` — the id of this database's key ring (which file of the store);
* ``certificate_key:K1``, ``certificate_key:K2``, … — each key's fingerprint (16 hex digits of
  its SHA-256), so that every computer sharing the database knows which keys exist and that the
  key it holds is the right one.  The newest is the one certificates are signed with.

A copy of the database alone therefore cannot mint a code that verifies: the key is not in it.
Codes do not carry the key id; a code is checked against every key of the ring (newest first)
and the result names the key that made it, so codes made before a rotation still verify.

Older databases kept the key itself in ``certificate_hmac``: on first use it is moved into the
store as ``K1``, the database copy is blanked (an empty value) and a fresh key ``K2`` is made for
new certificates (the old key is in every copy and backup made so far), in one audited unit of
work; a SQLite file is then rebuilt (``VACUUM``) so that the old value leaves the file too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Final

from sqlmodel import Session, select

from lzcenter_desktop.documents.verify import MIN_KEY_BYTES, new_key
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.keystore import KeyStore, StoredKey, default_store, key_id, key_number
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, BureauSecret

#: The row that held the key itself before keys moved out of the database (now blanked).
KEY_NAME: Final = "certificate_hmac"
#: The row naming this database's key ring in the key store.
RING_NAME: Final = "certificate_keyring"
#: Rows ``certificate_key:<id>`` hold each key's fingerprint.
RECORD_PREFIX: Final = "certificate_key:"

IMPORT_HINT: Final = "请用密钥备份导入：lzcenter-desktop key import 备份文件。"


@dataclass(frozen=True)
class SigningKey:
    """A certificate key and its id (``K1``, ``K2``, …)."""

    key_id: str
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class KeyRecords:
    """What the database says about the keys: the ring, each key's fingerprint, and a key still
    kept in the database (an older database not yet moved)."""

    ring: str | None
    fingerprints: dict[str, str]
    legacy: bytes | None

    @property
    def current(self) -> str | None:
        return max(self.fingerprints, key=key_number) if self.fingerprints else None


def fingerprint(key: bytes) -> str:
    """16 hex digits of the key's SHA-256: names a key without revealing it."""
    return hashlib.sha256(key).hexdigest()[:16]


def key_records(session: Session) -> KeyRecords:
    rows = {r.name: bytes(r.value) for r in session.execute(select(BureauSecret)).scalars()}
    legacy = rows.get(KEY_NAME)
    if legacy is not None and 0 < len(legacy) < MIN_KEY_BYTES:
        raise ServiceError(
            "数据库中的证书验证密钥已损坏（长度不足），无法生成或核验证书，请联系系统维护人员。",
            field="证书验证密钥",
        )
    prints: dict[str, str] = {}
    for name, value in rows.items():
        if name.startswith(RECORD_PREFIX):
            kid = name[len(RECORD_PREFIX) :]
            try:
                key_number(kid)
                prints[kid] = value.decode("ascii")
            except ValueError as exc:  # UnicodeDecodeError too
                raise ServiceError(
                    f"数据库中的证书密钥记录“{name}”无效（被程序之外的方式改动过），"
                    "请从备份恢复数据库或联系系统维护人员。",
                    field="证书密钥",
                ) from exc
    ring = rows.get(RING_NAME)
    return KeyRecords(ring.decode("ascii") if ring else None, prints, legacy or None)


def _audit(session: Session, operation: str, entity_id: str, before: str | None, after: str) -> None:
    """An audit entry written by hand: the automatic one would copy the key into the trail."""
    audit = audit_context(session)
    session.add(
        AuditEntry(
            operator=audit.operator,
            action=audit.action,
            operation=operation,
            entity="bureau_secret",
            entity_id=entity_id,
            before=None
            if before is None
            else json.dumps({"name": entity_id, "value": before}, ensure_ascii=False),
            after=json.dumps({"name": entity_id, "value": after}, ensure_ascii=False),
            txn=audit.txn,
            at=audit.at,
        )
    )
    audit.entries += 1


def _record(session: Session, kid: str, key: bytes) -> None:
    """Record key ``kid``'s fingerprint (not a secret: audited as written)."""
    session.add(BureauSecret(name=RECORD_PREFIX + kid, value=fingerprint(key).encode("ascii")))


def _ensure_ring(session: Session, records: KeyRecords) -> str:
    if records.ring is not None:
        return records.ring
    ring = uuid.uuid4().hex
    session.add(BureauSecret(name=RING_NAME, value=ring.encode("ascii")))
    return ring


def _next_id(records: KeyRecords, store: KeyStore, ring: str) -> str:
    used = [key_number(k) for k in records.fingerprints] + [key_number(k.key_id) for k in store.keys(ring)]
    return key_id(max(used, default=0) + 1)


def _move_legacy(session: Session, store: KeyStore, records: KeyRecords) -> None:
    """Move the key kept in the database into the store and blank the database copy."""
    legacy = records.legacy
    assert legacy is not None
    ring = _ensure_ring(session, records)
    kid = next((k for k, fp in records.fingerprints.items() if fp == fingerprint(legacy)), None)
    if kid is None:
        kid = _next_id(records, store, ring)
        _record(session, kid, legacy)
    store.add(ring, kid, legacy)
    session.flush()
    session.connection().execute(
        BureauSecret.__table__.update()  # type: ignore[attr-defined]
        .where(BureauSecret.__table__.c.name == KEY_NAME)  # type: ignore[attr-defined]
        .values(value=b"")
    )
    _audit(
        session,
        "update",
        KEY_NAME,
        f"（已隐藏，指纹 {fingerprint(legacy)}）",
        f"（已移出数据库，存入本机证书密钥库，编号 {kid}）",
    )


def prepare_keys(ctx: AppContext, store: KeyStore, *, create: bool) -> KeyRecords:
    """The key records, after moving a key still in the database into the store and — with
    ``create`` — making the first key of a database that has none."""
    with reading(ctx) as session:
        records = key_records(session)
    if records.legacy is None and (records.fingerprints or not create):
        return records
    moved = False
    with unit_of_work(ctx, "documents.create_key") as session:
        records = key_records(session)  # another user may have done it meanwhile
        if records.legacy is not None:
            _move_legacy(session, store, records)
            moved = True
            session.flush()
            records = key_records(session)
        if moved or (create and not records.fingerprints):
            # A key that was in the file is in every copy and backup made so far: new certificates
            # are signed with a fresh key that never was (the moved key still verifies old codes).
            ring = _ensure_ring(session, records)
            key, kid = new_key(), _next_id(records, store, ring)
            store.add(ring, kid, key)
            _record(session, kid, key)
        session.flush()
        records = key_records(session)
    if moved:
        _scrub_file(ctx)
    return records


def _scrub_file(ctx: AppContext) -> None:
    """Best effort to leave no trace of a moved key in a SQLite file: rebuild it (``VACUUM``, the
    old page and free space go) and empty the write-ahead log.  Skipped silently when another
    connection is busy with the file (the key then stays in its free space until the next
    ``VACUUM``); rotation makes it useless for new certificates either way."""
    path = ctx.db.path
    if path is None:
        return
    connection = sqlite3.connect(path, isolation_level=None, timeout=2.0)
    try:
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass
    finally:
        connection.close()


def matching_keys(store: KeyStore, records: KeyRecords) -> list[StoredKey]:
    """The store's keys of this database whose fingerprints the database records."""
    if records.ring is None:
        return []
    return [k for k in store.keys(records.ring) if records.fingerprints.get(k.key_id) == fingerprint(k.key)]


def signing_key(ctx: AppContext, store: KeyStore | None = None) -> SigningKey:
    """The key new certificates are signed with (the newest), made on first use."""
    store = store or default_store()
    records = prepare_keys(ctx, store, create=True)
    current = records.current
    assert current is not None and records.ring is not None
    held = {k.key_id: k for k in store.keys(records.ring)}
    if current not in held:
        raise ServiceError(
            f"本机的证书密钥库中没有本数据库的证书密钥 {current}，不能签发证书。" + IMPORT_HINT,
            field="证书密钥",
        )
    if fingerprint(held[current].key) != records.fingerprints[current]:
        raise ServiceError(
            f"本机证书密钥库中的密钥 {current} 与数据库记录的不符（属于另一个数据库），不能签发证书。"
            + IMPORT_HINT,
            field="证书密钥",
        )
    return SigningKey(current, held[current].key)


def verification_keys(ctx: AppContext, store: KeyStore | None = None) -> list[SigningKey] | None:
    """The keys codes are checked against, newest first; ``None`` when this database never had a
    key (no certificate was ever issued from it); empty when this computer holds none of them.
    A key still in the database is moved first — or, in a database opened read-only, used as is."""
    store = store or default_store()
    if ctx.read_only:
        with reading(ctx) as session:
            records = key_records(session)
        if records.legacy is not None:
            return [SigningKey("K1", records.legacy)]
    else:
        records = prepare_keys(ctx, store, create=False)
    if records.ring is None and not records.fingerprints:
        return None
    found = matching_keys(store, records)
    return [SigningKey(k.key_id, k.key) for k in reversed(found)]


def rotate_key(ctx: AppContext, store: KeyStore | None = None) -> SigningKey:
    """Make a new key (the next id) that signs certificates from now on; older keys stay and
    still verify the codes they made."""
    store = store or default_store()
    prepare_keys(ctx, store, create=False)
    with unit_of_work(ctx, "documents.rotate_key") as session:
        records = key_records(session)
        ring = _ensure_ring(session, records)
        key, kid = new_key(), _next_id(records, store, ring)
        store.add(ring, kid, key)
        _record(session, kid, key)
    return SigningKey(kid, key)


def bureau_key(ctx: AppContext) -> bytes:
    """The bytes of the current signing key (:func:`signing_key`)."""
    return signing_key(ctx).key


def key_status(ctx: AppContext, store: KeyStore | None = None) -> list[str]:
    """One line per key the database records (oldest first): its fingerprint, whether it signs
    new certificates and whether this computer holds it."""
    store = store or default_store()
    records = prepare_keys(ctx, store, create=False)
    held = {k.key_id for k in matching_keys(store, records)}
    lines = []
    for kid in sorted(records.fingerprints, key=key_number):
        role = "（当前签发用）" if kid == records.current else ""
        where = "本机已有" if kid in held else "本机没有，需导入备份"
        lines.append(f"{kid}{role}：指纹 {records.fingerprints[kid]}，{where}")
    return lines


def missing_key_ids(ctx: AppContext, store: KeyStore | None = None) -> list[str]:
    """The keys the database records that this computer does not hold (e.g. made by a rotation
    on another computer and not imported here yet)."""
    store = store or default_store()
    with reading(ctx) as session:
        records = key_records(session)
    held = {k.key_id for k in matching_keys(store, records)}
    return sorted(set(records.fingerprints) - held, key=key_number)
