"""Sign-in switched off again and the audit of sign-ins and key exports (issue 15 loose ends):

* a signed-in 管理员 switches sign-in off on a SQLite file (audited) and back on; refused for any
  other role, for no one signed in, and on a shared (PostgreSQL) database, where it is always on;
* every successful sign-in is an audit entry (login, name, role; no password material) — a
  refused one is not;
* ``key export`` writes an audit entry 导出证书密钥备份 naming the file and the key fingerprints;
  a clerk is refused before any file is written;
* ``user add`` / ``user passwd`` without a terminal end in Chinese (exit 2), or take the new
  password from ``LZCENTER_NEW_PASSWORD``; ``user sign-in off|on`` on the command line.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.cli import main
from lzcenter_desktop.services import documents, users
from lzcenter_desktop.services.context import AppContext, open_app, use_credentials
from lzcenter_desktop.services.documents_key import key_status
from lzcenter_desktop.services.documents_key_backup import EXPORT_ACTION, export_keys
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.keystore import STORE_ENV
from lzcenter_desktop.services.permissions import PermissionRefused
from lzcenter_desktop.storage.models import AuditEntry
from tests import db_backend
from tests.integration.test_document_services import recognised
from tests.signin_records import PASSWORD, cheap_hashing, with_users

KEY_PASSWORD = "柳州科技局2026备份"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "s.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


def _entries(ctx: AppContext, **where: str) -> list[AuditEntry]:
    with ctx.db.session() as session:
        stmt = select(AuditEntry).order_by(col(AuditEntry.id))
        for name, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, name) == value)
        return list(session.execute(stmt).scalars())


# ---------------------------------------------------------------- switching sign-in off


def test_an_administrator_switches_sign_in_off_and_on_again_audited(ctx: AppContext) -> None:
    admin = with_users(ctx)["admin"]
    users.set_sign_in(admin, on=False)
    assert not users.sign_in_required(ctx)
    [off] = _entries(ctx, action="users.set_sign_in")
    assert (off.operator, off.entity, off.entity_id, off.operation) == (
        "admin",
        "app_setting",
        "sign_in",
        "update",
    )
    assert json.loads(off.before or "{}")["value"] == "on" and json.loads(off.after or "{}")["value"] == "off"
    with pytest.raises(ServiceError, match="本数据库未启用登录，无需关闭"):
        users.set_sign_in(admin, on=False)
    users.set_sign_in(ctx, on=True)  # off: the single-user install may switch it back on
    assert users.sign_in_required(ctx)
    assert len(_entries(ctx, action="users.set_sign_in")) == 2
    with pytest.raises(ServiceError, match="已启用登录，无需再次启用"):
        users.set_sign_in(admin, on=True)


@pytest.mark.parametrize(
    ("login", "label"), [("clerk", "经办人"), ("approver", "审核人"), ("reader", "只读")]
)
def test_other_roles_may_not_switch_sign_in_off(ctx: AppContext, login: str, label: str) -> None:
    signed = with_users(ctx)
    with pytest.raises(PermissionRefused, match=f"“{label}”") as info:
        users.set_sign_in(signed[login], on=False)
    assert "管理员" in str(info.value)
    assert users.sign_in_required(ctx)
    assert _entries(ctx, action="users.set_sign_in") == []


def test_no_one_signed_in_may_switch_it_off(ctx: AppContext) -> None:
    with_users(ctx)
    with pytest.raises(PermissionRefused, match="请先用本人的账号登录"):
        users.set_sign_in(ctx, on=False)
    assert users.sign_in_required(ctx)


def test_sign_in_cannot_be_switched_on_without_an_active_administrator(ctx: AppContext) -> None:
    users.create_user(ctx, login="clerk", display_name="李经办", role="经办人", password=PASSWORD)
    with pytest.raises(ServiceError, match="还没有可用的管理员"):
        users.set_sign_in(ctx, on=True)
    assert not users.sign_in_required(ctx)


@pytest.mark.server_sign_in
def test_a_shared_database_always_asks_for_sign_in() -> None:
    with db_backend.server_database("ends") as url:
        shared = open_app(url)
        try:
            assert shared.sign_in_required
            users.create_user(shared, login="admin", display_name="王管理", role="管理员", password=PASSWORD)
            admin = users.sign_in(shared, "admin", PASSWORD)
            with pytest.raises(ServiceError, match="共享数据库（服务器数据库）始终要求登录，不能关闭登录"):
                users.set_sign_in(admin, on=False)
            with pytest.raises(ServiceError, match="始终要求登录，无需再次启用"):
                users.set_sign_in(admin, on=True)
            assert users.sign_in_required(shared)
        finally:
            shared.db.dispose()


# ---------------------------------------------------------------- sign-ins in the audit trail


def test_each_successful_sign_in_is_audited_without_password_material(ctx: AppContext) -> None:
    with_users(ctx)  # signs in admin and each of the six others once
    before = len(_entries(ctx, entity="sign_in"))
    assert before == 7
    users.sign_in(ctx, "clerk", PASSWORD)
    users.sign_in(ctx, "clerk", PASSWORD)
    with pytest.raises(ServiceError, match="登录名或密码不正确"):
        users.sign_in(ctx, "clerk", "wrong-password")
    with pytest.raises(ServiceError, match="登录名或密码不正确"):
        users.sign_in(ctx, "nobody", PASSWORD)
    entries = _entries(ctx, entity="sign_in")
    assert len(entries) == before + 2  # the refused ones write no sign-in entry
    last = entries[-1]
    assert (last.operator, last.action, last.operation, last.entity_id) == (
        "clerk",
        "users.sign_in",
        "sign_in",
        "clerk",
    )
    assert json.loads(last.after or "{}") == {"login": "clerk", "display_name": "用户clerk", "role": "经办人"}
    text = " ".join(e.after or "" for e in _entries(ctx, action="users.sign_in"))
    assert PASSWORD not in text and "argon2" not in text


# ---------------------------------------------------------------- key export in the audit trail


@pytest.fixture
def keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "bureau-keys"))
    context = open_app(str(tmp_path / "k.sqlite"), operator="李科员")
    recognised(context, "汽车轻量化", "LZGC-2026-001")
    documents.bureau_key(context)  # the first certificate's key K1
    yield context
    context.db.dispose()


def test_a_key_export_is_audited_with_the_file_and_fingerprints(keyed: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "密钥备份.lzkeys"
    assert export_keys(keyed, target, KEY_PASSWORD).key_ids == ["K1"]
    [entry] = _entries(keyed, action=EXPORT_ACTION)
    details = json.loads(entry.after or "{}")
    assert entry.operator == "李科员" and entry.entity_id == "密钥备份.lzkeys" and entry.operation == "export"
    assert details["file"] == str(target.resolve())
    [status] = key_status(keyed)
    assert list(details["keys"]) == ["K1"] and details["keys"]["K1"] and details["keys"]["K1"] in str(status)
    assert target.read_text(encoding="utf-8")[:1] == "{"


def test_with_sign_in_on_only_an_administrator_exports_the_keys(keyed: AppContext, tmp_path: Path) -> None:
    signed = with_users(keyed)
    refused = tmp_path / "clerk.lzkeys"
    with pytest.raises(PermissionRefused, match="需要“管理员”角色"):
        export_keys(signed["clerk"], refused, KEY_PASSWORD)
    assert not refused.exists()
    assert _entries(keyed, action=EXPORT_ACTION) == []
    export_keys(signed["admin"], tmp_path / "admin.lzkeys", KEY_PASSWORD)
    assert [e.operator for e in _entries(keyed, action=EXPORT_ACTION)] == ["admin"]


def test_a_file_that_cannot_be_written_leaves_no_entry(keyed: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="无法写入密钥备份文件"):
        export_keys(keyed, tmp_path / "no-such-folder" / "k.lzkeys", KEY_PASSWORD)
    assert _entries(keyed, action=EXPORT_ACTION) == []


# ---------------------------------------------------------------- the command line


def _cli(*args: str) -> int:
    try:
        return main(list(args))
    finally:
        use_credentials(None, None)


def _closed_stdin(prompt: str = "") -> str:
    raise EOFError


def test_user_add_with_a_closed_stdin_ends_in_chinese_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.sqlite")
    monkeypatch.delenv("LZCENTER_NEW_PASSWORD", raising=False)
    monkeypatch.delenv("LZCENTER_PASSWORD", raising=False)
    monkeypatch.setattr(getpass, "getpass", _closed_stdin)
    assert _cli("--db", db, "user", "add", "admin", "--name", "王管理", "--role", "管理员") == 2
    err = capsys.readouterr().err
    assert "标准输入已关闭" in err and "LZCENTER_NEW_PASSWORD" in err and "内部错误" not in err
    assert _cli("--db", db, "--user", "admin", "user", "list") == 2
    err = capsys.readouterr().err
    assert "标准输入已关闭" in err and "LZCENTER_PASSWORD" in err and "内部错误" not in err
    monkeypatch.setenv("LZCENTER_NEW_PASSWORD", PASSWORD)
    assert _cli("--db", db, "user", "add", "admin", "--name", "王管理", "--role", "管理员") == 0
    monkeypatch.setenv("LZCENTER_PASSWORD", PASSWORD)
    monkeypatch.setenv("LZCENTER_NEW_PASSWORD", "another-password-1")
    assert _cli("--db", db, "--user", "admin", "user", "passwd", "admin") == 0
    ctx = open_app(db, migrate=False)
    try:
        assert users.sign_in(ctx, "admin", "another-password-1").user is not None
    finally:
        ctx.db.dispose()


def test_user_sign_in_off_and_on_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.sqlite")
    ctx = open_app(db, operator="李科员")
    try:
        with_users(ctx)
    finally:
        ctx.db.dispose()
    monkeypatch.setenv("LZCENTER_PASSWORD", PASSWORD)
    assert _cli("--db", db, "--user", "clerk", "user", "sign-in", "off") == 2
    assert "需要“管理员”角色" in capsys.readouterr().err
    assert _cli("--db", db, "--user", "admin", "user", "sign-in", "off") == 0
    assert "已关闭登录" in capsys.readouterr().out
    assert _cli("--db", db, "user", "list") == 0
    assert "登录：未启用" in capsys.readouterr().out
    assert _cli("--db", db, "user", "sign-in", "on") == 0
    assert "已启用登录" in capsys.readouterr().out
    assert _cli("--db", db, "user", "list") == 0
    assert "登录：已启用" in capsys.readouterr().out
