"""Restore limited by role (issue 15): once the database asks for sign-in only a signed-in, active
管理员 may restore a backup over it — checked in services/restore.py from the file itself, and
through the command line's ``restore --user``; with sign-in off the restore is open as before."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from lzcenter_desktop.cli import main
from lzcenter_desktop.domain.roles import Role, SignedInUser
from lzcenter_desktop.services import organizations, users
from lzcenter_desktop.services.context import open_app, use_credentials
from lzcenter_desktop.services.permissions import PermissionRefused
from lzcenter_desktop.services.restore import RESTORE_ACTION, restore, restore_refusal, sign_in_asked
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from tests.signin_records import PASSWORD, cheap_hashing, with_users

# Every test restores the SQLite file from a backup file of it (backup_sqlite).
pytestmark = pytest.mark.sqlite_only

YESTERDAY = datetime(2026, 11, 30, 9, 0, 0) - timedelta(days=1)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _last_restore_operator(path: Path) -> str | None:
    con = sqlite3.connect(path)
    try:
        row = con.execute(
            "SELECT operator FROM audit_entry WHERE action = ? ORDER BY id DESC LIMIT 1", (RESTORE_ACTION,)
        ).fetchone()
    finally:
        con.close()
    return None if row is None else str(row[0])


@pytest.fixture
def signed_db(tmp_path: Path) -> tuple[Path, Path]:
    """A database with sign-in on (admin, clerk, …) and a backup of it from yesterday."""
    path = tmp_path / "lzcenter.sqlite"
    ctx = open_app(str(path), operator="李科员")
    try:
        signed = with_users(ctx)
        organizations.create_organization(signed["clerk"], name="柳州昨日机械有限公司", kind="enterprise")
        yesterday = backup_sqlite(path, timestamped_backup_path(path, reason="daily", when=YESTERDAY))
        organizations.create_organization(signed["clerk"], name="柳州今日机械有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()
    return path, yesterday


def _user(login: str, role: Role) -> SignedInUser:
    return SignedInUser(login, f"用户{login}", role)


def test_a_signed_in_administrator_may_restore_and_is_the_operator(signed_db: tuple[Path, Path]) -> None:
    path, yesterday = signed_db
    assert sign_in_asked(path)
    report = restore(path, yesterday, operator="张局长（伪）", user=_user("admin", Role.ADMIN))
    assert report.kept_as is not None
    assert _last_restore_operator(path) == "admin"  # the signed-in user, not the typed name


def test_an_open_signed_in_context_of_the_administrator_restores(signed_db: tuple[Path, Path]) -> None:
    path, yesterday = signed_db
    ctx = users.sign_in(open_app(str(path), migrate=False), "admin", PASSWORD)
    restore(ctx, yesterday)
    assert _last_restore_operator(path) == "admin"


@pytest.mark.parametrize(
    ("login", "label"), [("clerk", "经办人"), ("approver", "审核人"), ("reader", "只读")]
)
def test_any_other_role_is_refused_naming_its_role(
    signed_db: tuple[Path, Path], login: str, label: str
) -> None:
    path, yesterday = signed_db
    before = _digest(path)
    with pytest.raises(PermissionRefused) as info:
        restore(path, yesterday, user=_user(login, Role.ADMIN))  # the role is read from the database
    message = str(info.value)
    assert f"“{label}”" in message and "需要“管理员”角色" in message and login in message
    assert _digest(path) == before
    assert not [p for p in path.parent.iterdir() if "before-restore" in p.name]


def test_no_one_signed_in_is_refused(signed_db: tuple[Path, Path]) -> None:
    path, yesterday = signed_db
    with pytest.raises(PermissionRefused, match="只有登录的管理员才能恢复备份"):
        restore(path, yesterday, operator="李管理")
    ctx = open_app(str(path), migrate=False)  # opened, nobody signed in
    try:
        with pytest.raises(PermissionRefused, match="只有登录的管理员才能恢复备份"):
            restore(ctx, yesterday)
    finally:
        ctx.db.dispose()


def test_a_deactivated_administrator_is_refused(signed_db: tuple[Path, Path]) -> None:
    path, _yesterday = signed_db
    ctx = open_app(str(path), migrate=False)
    try:
        admin = users.sign_in(ctx, "admin", PASSWORD)
        users.create_user(admin, login="admin2", display_name="二管理", role="管理员", password=PASSWORD)
        users.deactivate(admin, login="admin2")
    finally:
        ctx.db.dispose()
    assert restore_refusal(path, _user("admin2", Role.ADMIN)) is not None
    assert "已停用或不存在" in (restore_refusal(path, _user("nobody", Role.ADMIN)) or "")
    assert restore_refusal(path, _user("admin", Role.ADMIN)) is None


def test_with_sign_in_off_the_restore_is_open_as_before(tmp_path: Path) -> None:
    path = tmp_path / "lzcenter.sqlite"
    ctx = open_app(str(path), operator="李科员")
    users.create_user(ctx, login="clerk", display_name="李经办", role="经办人", password=PASSWORD)
    ctx.db.dispose()  # a clerk alone: sign-in stays off
    yesterday = backup_sqlite(path, timestamped_backup_path(path, reason="daily", when=YESTERDAY))
    assert not sign_in_asked(path)
    assert restore_refusal(path, None) is None
    restore(path, yesterday, operator="李科员", user=_user("clerk", Role.CLERK))
    assert _last_restore_operator(path) == "李科员"


# ---------------------------------------------------------------- the command line


def _cli(path: Path, *args: str) -> int:
    try:
        return main(["--db", str(path), *args])
    finally:
        use_credentials(None, None)


def test_cli_restore_needs_an_administrator(
    signed_db: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, yesterday = signed_db
    before = _digest(path)
    monkeypatch.setenv("LZCENTER_PASSWORD", PASSWORD)
    assert _cli(path, "restore", str(yesterday), "--yes") == 2
    assert "只有登录的管理员才能恢复备份" in capsys.readouterr().err
    assert _digest(path) == before  # no one signed in: the file untouched
    assert _cli(path, "--user", "clerk", "restore", str(yesterday), "--yes") == 2
    err = capsys.readouterr().err
    assert "“经办人”" in err and "需要“管理员”角色" in err
    assert _last_restore_operator(path) is None  # not restored (the clerk's sign-in is audited)
    assert not [p for p in path.parent.iterdir() if "before-restore" in p.name]
    assert _cli(path, "--user", "admin", "restore", str(yesterday), "--yes") == 0
    assert "已用备份" in capsys.readouterr().out
    assert _last_restore_operator(path) == "admin"
