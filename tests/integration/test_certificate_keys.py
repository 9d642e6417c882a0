"""The certificate keys off the database file (issue 15, item 3): a copy of the database alone
cannot make a code that verifies; an older database's key is moved into the key store (audited);
rotation keeps old codes verifiable and names their key; the key backup round-trips."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lzcenter_desktop.cli.key_commands import PASSWORD_ENV
from lzcenter_desktop.documents.verify import make_code, new_key
from lzcenter_desktop.services import documents
from lzcenter_desktop.services.audit_chain import verify_chain
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.documents_key import key_status, missing_key_ids, rotate_key, signing_key
from lzcenter_desktop.services.documents_key_backup import export_keys, import_keys
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.keystore import STORE_ENV, default_store
from tests import db_backend, db_sql
from tests.integration.test_document_services import recognised

PASSWORD = "柳州科技局2026备份"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "bureau-keys"))
    context = open_app(str(tmp_path / "d.sqlite"))
    yield context
    context.db.dispose()


def code_of(ctx: AppContext, cid: int) -> str:
    spec = documents.certificate_spec(ctx, cid)
    return make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(ctx))


def db_path(ctx: AppContext) -> Path:
    return db_sql.test_path(ctx)


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as a copy of the folder would have them; on a
    server database, what a copy of it holds of keys: the key records and the audit trail."""
    if db_backend.is_server_database(path):
        with db_backend.connect(path) as conn:
            values = [bytes(v) for (v,) in conn.execute("SELECT value FROM bureau_secret")]
            texts = [f"{b}{a}" for b, a in conn.execute("SELECT before, after FROM audit_entry")]
        return b"".join(values) + "".join(texts).encode()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def secret_rows(path: Path) -> dict[str, bytes]:
    with db_backend.connect(path) as conn:
        return {name: bytes(value) for name, value in conn.execute("SELECT name, value FROM bureau_secret")}


def audit_after(path: Path) -> list[tuple[str, str, str | None, str]]:
    with db_backend.connect(path) as conn:
        return conn.execute(
            "SELECT action, operation, before, after FROM audit_entry "
            "WHERE entity = 'bureau_secret' ORDER BY id"
        ).fetchall()


def test_a_copy_of_the_database_alone_cannot_make_a_code_that_verifies(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    genuine = documents.verify_certificate(ctx, code_of(ctx, cid))
    assert genuine.genuine and genuine.key_id == "K1" and "证书密钥 K1" in genuine.message
    key = documents.bureau_key(ctx)
    assert key not in file_bytes(db_path(ctx))
    # The hostile user copies the file to a computer of their own (an empty key store) …
    copy = tmp_path / "copy.sqlite"
    db_backend.copy_database(db_path(ctx), copy)  # the whole database, write-ahead log included
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "thief-keys"))
    stolen = open_app(str(copy))
    try:
        # … enters a made-up centre in the register …
        fake = recognised(stolen, "虚构", "LZGC-2026-099")
        spec = documents.certificate_spec(stolen, fake)
        # … cannot have the program sign its certificate …
        with pytest.raises(ServiceError, match="本机的证书密钥库中没有本数据库的证书密钥 K1"):
            documents.bureau_key(stolen)
        # … and signs it with whatever the file holds: never genuine, on their copy or the bureau's.
        forged = [
            make_code(spec.number, spec.center_name, spec.date, v.ljust(16, b"\0"))
            for v in secret_rows(copy).values()
        ]
        for code in forged:
            here = documents.verify_certificate(stolen, code)
            assert not here.genuine and here.status == "unknown" and "本机的证书密钥库中没有" in here.message
        monkeypatch.setenv(STORE_ENV, str(tmp_path / "bureau-keys"))  # the bureau checks the copy
        for code in forged:
            there = documents.verify_certificate(stolen, code)
            assert not there.genuine and there.status == "forged" and there.key_id is None
    finally:
        stolen.db.dispose()
    assert not (tmp_path / "thief-keys").exists() or not list((tmp_path / "thief-keys").iterdir())


def test_an_older_databases_key_is_moved_into_the_store_and_blanked_audited(ctx: AppContext) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    old_key = new_key()
    with db_backend.connect(db_path(ctx)) as conn:  # as every database made before the key store
        conn.execute(
            "INSERT INTO bureau_secret (name, value, created_at) "
            "VALUES ('certificate_hmac', ?, '2026-01-01 00:00:00')",
            (old_key,),
        )
    spec = documents.certificate_spec(ctx, cid)
    old_code = make_code(spec.number, spec.center_name, spec.date, old_key)
    result = documents.verify_certificate(ctx, old_code)  # first use: the key moves
    assert result.genuine and result.key_id == "K1"
    rows = secret_rows(db_path(ctx))
    assert rows["certificate_hmac"] == b"" and old_key not in file_bytes(db_path(ctx))
    stored = default_store().keys(rows["certificate_keyring"].decode())
    assert [k.key_id for k in stored] == ["K1", "K2"] and stored[0].key == old_key
    moved = [a for a in audit_after(db_path(ctx)) if a[1] == "update"]
    assert len(moved) == 1
    action, _, before, after = moved[0]
    assert action == "documents.create_key" and "已隐藏" in (before or "") and "已移出数据库" in after
    assert all(old_key.hex() not in str(a) for a in audit_after(db_path(ctx)))
    entries = len(audit_after(db_path(ctx)))
    # new certificates are signed with K2, a key that never was in the file (nor in its backups)
    assert documents.bureau_key(ctx) == stored[1].key != old_key
    assert documents.verify_certificate(ctx, code_of(ctx, cid)).key_id == "K2"
    assert documents.verify_certificate(ctx, old_code).key_id == "K1"
    assert len(audit_after(db_path(ctx))) == entries  # moved once
    assert [line[:2] for line in key_status(ctx)] == ["K1", "K2"]
    assert verify_chain(ctx).ok  # the hand-written audit entries are in the tamper-evident chain


def test_codes_made_before_a_rotation_still_verify_and_name_their_key(ctx: AppContext) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    first = code_of(ctx, cid)
    made = rotate_key(ctx)
    assert made.key_id == "K2" and documents.bureau_key(ctx) == made.key
    second = code_of(ctx, cid)
    assert first != second
    old, new = documents.verify_certificate(ctx, first), documents.verify_certificate(ctx, second)
    assert (old.genuine, old.key_id, new.genuine, new.key_id) == (True, "K1", True, "K2")
    assert "证书密钥 K1" in old.message and "证书密钥 K2" in new.message
    spec = documents.certificate_spec(ctx, cid)
    other = documents.verify_certificate(ctx, make_code(spec.number, spec.center_name, spec.date, new_key()))
    assert other.status == "forged" and other.key_id is None
    assert rotate_key(ctx).key_id == "K3"
    lines = key_status(ctx)
    assert [line[:2] for line in lines] == ["K1", "K2", "K3"] and "当前签发用" in lines[2]


def test_a_computer_without_the_newest_key_refuses_to_sign_and_says_which_is_missing(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    first = code_of(ctx, cid)
    backup = tmp_path / "k1.lzkeys"
    export_keys(ctx, backup, PASSWORD)
    rotate_key(ctx)  # on the bureau's first computer
    second = code_of(ctx, cid)
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "second-pc"))
    assert import_keys(ctx, backup, PASSWORD).missing == ["K2"]
    assert missing_key_ids(ctx) == ["K2"]
    with pytest.raises(ServiceError, match="没有本数据库的证书密钥 K2"):
        documents.bureau_key(ctx)
    assert documents.verify_certificate(ctx, first).key_id == "K1"
    unknown = documents.verify_certificate(ctx, second)
    assert not unknown.genuine and "本机没有本数据库的证书密钥 K2" in unknown.message


def test_the_key_backup_round_trips_and_a_wrong_password_is_refused_in_chinese(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    first = code_of(ctx, cid)
    rotate_key(ctx)
    second = code_of(ctx, cid)
    keys = [k.key for k in default_store().keys(secret_rows(db_path(ctx))["certificate_keyring"].decode())]
    backup = tmp_path / "keys.lzkeys"
    assert export_keys(ctx, backup, PASSWORD).key_ids == ["K1", "K2"]
    text = backup.read_text(encoding="utf-8")
    assert all(k.hex() not in text and base64.b64encode(k).decode() not in text for k in keys)
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "new-pc"))  # a new computer, the same database
    assert documents.verify_certificate(ctx, first).status == "unknown"
    with pytest.raises(ServiceError, match="密码错误") as wrong:
        import_keys(ctx, backup, PASSWORD + "x")
    assert wrong.value.field == "密码"
    assert default_store().keys(secret_rows(db_path(ctx))["certificate_keyring"].decode()) == []
    assert import_keys(ctx, backup, PASSWORD).key_ids == ["K1", "K2"]
    assert documents.verify_certificate(ctx, first).key_id == "K1"
    assert documents.verify_certificate(ctx, second).key_id == "K2"
    assert import_keys(ctx, backup, PASSWORD).key_ids == ["K1", "K2"]  # again: nothing changes


@pytest.mark.parametrize(("length", "accepted"), [(7, False), (8, True)])
def test_the_backup_password_has_at_least_eight_characters(
    ctx: AppContext, tmp_path: Path, length: int, accepted: bool
) -> None:
    documents.bureau_key(ctx)
    target = tmp_path / "keys.lzkeys"
    if accepted:
        assert export_keys(ctx, target, "密" * length).key_ids == ["K1"]
    else:
        with pytest.raises(ServiceError, match="至少需要 8 个字符"):
            export_keys(ctx, target, "密" * length)
        assert not target.exists()


def test_a_backup_of_another_database_or_an_altered_one_is_not_imported(
    ctx: AppContext, tmp_path: Path
) -> None:
    documents.bureau_key(ctx)
    backup = tmp_path / "keys.lzkeys"
    export_keys(ctx, backup, PASSWORD)
    other = open_app(str(tmp_path / "other.sqlite"))
    try:
        documents.bureau_key(other)
        with pytest.raises(ServiceError, match="属于另一个数据库"):
            import_keys(other, backup, PASSWORD)
    finally:
        other.db.dispose()
    altered = tmp_path / "altered.lzkeys"
    altered.write_text(backup.read_text(encoding="utf-8").replace('"K1"', '"K2"', 1), encoding="utf-8")
    with pytest.raises(ServiceError, match="密码错误，或文件已被改动"):
        import_keys(ctx, altered, PASSWORD)
    (tmp_path / "junk.lzkeys").write_text("{}", encoding="utf-8")
    with pytest.raises(ServiceError, match="不是本系统导出的证书密钥备份"):
        import_keys(ctx, tmp_path / "junk.lzkeys", PASSWORD)
    with pytest.raises(ServiceError, match="找不到密钥备份文件"):
        import_keys(ctx, tmp_path / "none.lzkeys", PASSWORD)


def test_nothing_to_export_before_the_first_certificate(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="没有本数据库的证书密钥可导出"):
        export_keys(ctx, tmp_path / "k.lzkeys", PASSWORD)
    assert key_status(ctx) == [] and missing_key_ids(ctx) == []


def test_the_store_key_must_be_the_one_the_database_records(ctx: AppContext) -> None:
    documents.bureau_key(ctx)
    with db_backend.connect(db_path(ctx)) as conn:
        conn.execute(
            "UPDATE bureau_secret SET value = ? WHERE name = 'certificate_key:K1'",
            (b"0000000000000000",),
        )
    with pytest.raises(ServiceError, match="与数据库记录的不符"):
        signing_key(ctx)


def test_signing_on_a_fresh_database_makes_one_key_once(ctx: AppContext) -> None:
    assert signing_key(ctx).key_id == "K1" and signing_key(ctx).key_id == "K1"
    assert [line[:2] for line in key_status(ctx)] == ["K1"]
    assert len(audit_after(db_path(ctx))) == 2  # the ring's id and K1's fingerprint, once


def run_cli(
    *args: str, db: Path, keys: Path, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **{STORE_ENV: str(keys)})
    env.pop(PASSWORD_ENV, None)
    if password is not None:
        env[PASSWORD_ENV] = password
    return subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


@pytest.mark.sqlite_only  # the commands run in a child process given the file's path (no harness)
def test_key_commands_rotate_export_and_import(ctx: AppContext, tmp_path: Path) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    first = code_of(ctx, cid)
    db, keys = db_path(ctx), tmp_path / "bureau-keys"
    rotated = run_cli("key", "rotate", db=db, keys=keys)
    assert rotated.returncode == 0, rotated.stderr
    assert "已生成新的证书密钥 K2" in rotated.stdout
    backup = tmp_path / "备份.lzkeys"
    short = run_cli("key", "export", str(backup), db=db, keys=keys, password="1234567")
    assert short.returncode == 2 and "至少需要 8 个字符" in short.stderr and not backup.exists()
    exported = run_cli("key", "export", str(backup), db=db, keys=keys, password=PASSWORD)
    assert exported.returncode == 0, exported.stderr
    assert "K1、K2" in exported.stdout
    new_pc = tmp_path / "new-pc"
    before = run_cli("verify", first, db=db, keys=new_pc)
    assert before.returncode == 1 and "本机的证书密钥库中没有" in before.stdout
    wrong = run_cli("key", "import", str(backup), db=db, keys=new_pc, password=PASSWORD + "?")
    assert wrong.returncode == 2 and "密码错误" in wrong.stderr
    imported = run_cli("key", "import", str(backup), db=db, keys=new_pc, password=PASSWORD)
    assert imported.returncode == 0 and "已导入证书密钥 K1、K2" in imported.stdout
    after = run_cli("verify", first, db=db, keys=new_pc)
    assert after.returncode == 0 and "证书密钥 K1" in after.stdout
    status = run_cli("key", "status", db=db, keys=new_pc)
    assert status.returncode == 0 and "K2（当前签发用）" in status.stdout and "本机已有" in status.stdout


def test_the_selftest_signs_with_a_throw_away_key_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from lzcenter_desktop.cli.selftest import _temporary_keystore

    monkeypatch.setenv(STORE_ENV, str(tmp_path / "users-keys"))
    with _temporary_keystore(tmp_path / "selftest"):
        assert os.environ[STORE_ENV] == str(tmp_path / "selftest" / "keys")
    assert os.environ[STORE_ENV] == str(tmp_path / "users-keys")
    monkeypatch.delenv(STORE_ENV)
    with _temporary_keystore(tmp_path / "selftest"):
        assert default_store().root == tmp_path / "selftest" / "keys"
    assert STORE_ENV not in os.environ


def test_a_database_opened_read_only_checks_with_its_old_key_and_writes_nothing(ctx: AppContext) -> None:
    from lzcenter_desktop.services.errors import DatabaseCorrupt

    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    old_key = new_key()
    with db_backend.connect(db_path(ctx)) as conn:
        conn.execute(
            "INSERT INTO bureau_secret (name, value, created_at) "
            "VALUES ('certificate_hmac', ?, '2026-01-01 00:00:00')",
            (old_key,),
        )
    spec = documents.certificate_spec(ctx, cid)
    code = make_code(spec.number, spec.center_name, spec.date, old_key)
    entries = len(audit_after(db_path(ctx)))
    damaged = AppContext(db=ctx.db, operator=ctx.operator, damage=DatabaseCorrupt("已损坏"))
    result = documents.verify_certificate(damaged, code)
    assert result.genuine and result.key_id == "K1"
    assert secret_rows(db_path(ctx))["certificate_hmac"] == old_key  # not moved: nothing is written
    assert len(audit_after(db_path(ctx))) == entries


@pytest.mark.parametrize(
    ("name", "value"), [("certificate_key:X1", b"00"), ("certificate_key:K2", b"\xff\xfe")]
)
def test_a_key_record_altered_outside_the_program_is_refused_in_chinese(
    ctx: AppContext, name: str, value: bytes
) -> None:
    documents.bureau_key(ctx)
    with db_backend.connect(db_path(ctx)) as conn:
        conn.execute(
            "INSERT INTO bureau_secret (name, value, created_at) VALUES (?, ?, '2026-01-01 00:00:00')",
            (name, value),
        )
    with pytest.raises(ServiceError, match=f"证书密钥记录“{name}”无效"):
        documents.bureau_key(ctx)
