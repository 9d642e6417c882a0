"""The backup of the certificate keys: ``key export FILE`` / ``key import FILE``.

A backup file holds every key of this database's ring that this computer has, sealed under a
password (scrypt + HMAC-SHA256 keystream and tag, :mod:`.keystore_crypto`); the ring id and the
key ids are authenticated with it.  Importing checks the password, that the file belongs to this
database (same ring) and that each key's fingerprint is the one the database records, then adds
the keys to this user's store (DPAPI on Windows).  Importing does not write to the database; an
export is recorded in the audit trail (:data:`EXPORT_ACTION`, a 管理员's task once sign-in is on:
the entry names the file and the fingerprints of the keys written, never the keys), in the unit of
work that writes the file — a file whose record cannot be written is removed again.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_key import (
    IMPORT_HINT,
    fingerprint,
    key_records,
    matching_keys,
    prepare_keys,
)
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.keystore import KeyStore, default_store, key_number
from lzcenter_desktop.services.keystore_crypto import SealError, check_password, open_sealed, seal
from lzcenter_desktop.services.uow import reading, record_event, unit_of_work

BACKUP_FORMAT: Final = "lzcenter-certificate-key-backup"
#: The audit trail's action, entity and operation of a key export (``backup.``: a 管理员's).
EXPORT_ACTION: Final = "backup.export_keys"
EXPORT_ENTITY: Final = "certificate_key_backup"
EXPORT_OPERATION: Final = "export"


@dataclass(frozen=True)
class KeyBackupResult:
    """What an export wrote or an import added: key ids, and recorded keys this computer lacks."""

    key_ids: list[str]
    missing: list[str]


def _aad(ring: str, ids: list[str]) -> bytes:
    return json.dumps({"format": BACKUP_FORMAT, "ring": ring, "keys": ids}, sort_keys=True).encode("utf-8")


def export_keys(
    ctx: AppContext, target: Path, password: str, store: KeyStore | None = None
) -> KeyBackupResult:
    """Write this database's keys to ``target`` sealed under ``password`` (at least 8 characters)."""
    store = store or default_store()
    try:
        check_password(password)
    except SealError as exc:
        raise ServiceError(str(exc), field="密码") from exc
    records = prepare_keys(ctx, store, create=False)
    keys = matching_keys(store, records)
    if records.ring is None or not keys:
        raise ServiceError(
            "本机没有本数据库的证书密钥可导出（尚未签发过证书，或密钥不在本机）。", field="证书密钥"
        )
    ids = [k.key_id for k in keys]
    payload = json.dumps(
        [
            {"id": k.key_id, "key": base64.b64encode(k.key).decode("ascii"), "created_at": k.created_at}
            for k in keys
        ]
    ).encode("utf-8")
    document = {
        "format": BACKUP_FORMAT,
        "version": 1,
        "ring": records.ring,
        "keys": ids,
        "sealed": seal(password, payload, _aad(records.ring, ids)),
    }
    details = {
        "file": str(target.resolve()),
        "keys": {kid: records.fingerprints.get(kid, "") for kid in ids},
    }
    written = False
    try:
        with unit_of_work(ctx, EXPORT_ACTION) as session:  # the role is checked before the file
            try:
                target.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
            except OSError as exc:
                raise ServiceError(
                    f"无法写入密钥备份文件 {target}：{exc.strerror or exc}。", field="文件"
                ) from exc
            written = True
            record_event(
                session,
                operation=EXPORT_OPERATION,
                entity=EXPORT_ENTITY,
                entity_id=target.name,
                details=details,
            )
    except BaseException:
        if written:
            target.unlink(missing_ok=True)
        raise
    missing = sorted(set(records.fingerprints) - set(ids), key=key_number)
    return KeyBackupResult(ids, missing)


def _read_backup(source: Path) -> dict[str, Any]:
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ServiceError(f"找不到密钥备份文件 {source}。", field="文件") from exc
    except (OSError, ValueError) as exc:
        raise ServiceError(f"密钥备份文件 {source} 无法读取或不是有效的 JSON。", field="文件") from exc
    if (
        not isinstance(document, dict)
        or document.get("format") != BACKUP_FORMAT
        or not isinstance(document.get("ring"), str)
        or not isinstance(document.get("keys"), list)
        or not isinstance(document.get("sealed"), dict)
    ):
        raise ServiceError(f"{source} 不是本系统导出的证书密钥备份文件。", field="文件")
    return document


def import_keys(
    ctx: AppContext, source: Path, password: str, store: KeyStore | None = None
) -> KeyBackupResult:
    """Add the keys of backup ``source`` to this user's store (after checking the password, the
    database and each key's fingerprint)."""
    store = store or default_store()
    document = _read_backup(source)
    ring, ids = document["ring"], [str(i) for i in document["keys"]]
    try:
        payload = open_sealed(password, document["sealed"], _aad(ring, ids))
    except SealError as exc:
        raise ServiceError(f"无法导入 {source}：{exc}", field="密码") from exc
    with reading(ctx) as session:
        records = key_records(session)
    if records.ring != ring:
        raise ServiceError(
            f"密钥备份 {source} 属于另一个数据库，不是本数据库的证书密钥，未导入。请核对数据库和备份文件。",
            field="文件",
        )
    entries = json.loads(payload.decode("utf-8"))
    added: list[str] = []
    for entry in entries:
        kid, key = str(entry["id"]), base64.b64decode(entry["key"])
        if records.fingerprints.get(kid) != fingerprint(key):
            raise ServiceError(
                f"密钥备份中的密钥 {kid} 与本数据库记录的指纹不符，未导入。请核对备份文件。", field="文件"
            )
        store.add(ring, kid, key)
        added.append(kid)
    held = {k.key_id for k in matching_keys(store, records)}
    missing = sorted(set(records.fingerprints) - held, key=key_number)
    return KeyBackupResult(added, missing)


__all__ = ["BACKUP_FORMAT", "EXPORT_ACTION", "IMPORT_HINT", "KeyBackupResult", "export_keys", "import_keys"]
