"""The command line of users (issue 15): ``user add --role 管理员`` creates the first administrator
and switches sign-in on; after that ``--operator`` is refused (the probe: ``--operator 张局长（伪）``
was recorded as given) and a write needs ``--user`` with the right password and role."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop import cli
from lzcenter_desktop.services import context, users
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.models import AuditEntry
from tests.signin_records import PASSWORD, cheap_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())
    monkeypatch.setenv("LZCENTER_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("LZCENTER_PASSWORD", PASSWORD)
    monkeypatch.setenv("LZCENTER_OPERATOR", "系统用户")  # cli.main sets it for --operator
    yield
    context.use_credentials(None, None)


def _add(db: Path, login: str, role: str, *extra: str) -> int:
    return cli.main(["--db", str(db), *extra, "user", "add", login, "--name", f"用户{login}", "--role", role])


def test_the_first_administrator_switches_sign_in_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.sqlite"
    assert cli.main(["--db", str(db), "--operator", "张局长（伪）", "user", "list"]) == 0  # off: accepted
    assert "登录：未启用" in capsys.readouterr().out
    monkeypatch.setenv("LZCENTER_OPERATOR", "系统用户")  # a new process of the command line
    assert _add(db, "admin", "管理员") == 0
    assert "已启用登录" in capsys.readouterr().out

    assert cli.main(["--db", str(db), "--operator", "张局长（伪）", "user", "list"]) == 2
    assert "不能用 --operator 指定操作人" in capsys.readouterr().err
    assert _add(db, "clerk", "经办人") == 2  # nobody signed in
    assert "请先用本人的账号登录" in capsys.readouterr().err

    assert _add(db, "clerk", "经办人", "--user", "admin") == 0
    assert _add(db, "reader", "只读", "--user", "clerk") == 2  # a clerk manages no users
    assert "需要“管理员”角色" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "--user", "admin", "user", "list"]) == 0
    out = capsys.readouterr().out
    assert "登录：已启用" in out and "clerk\t用户clerk\t经办人" in out

    ctx = open_app(str(db))
    try:
        with ctx.db.session() as session:
            operators = set(
                session.execute(
                    select(col(AuditEntry.operator)).where(col(AuditEntry.entity) == "app_user")
                ).scalars()
            )
    finally:
        ctx.db.dispose()
    assert operators == {"系统用户", "admin"}  # the first administrator by the OS user, then signed in


def test_a_wrong_password_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.sqlite"
    assert _add(db, "admin", "管理员") == 0
    monkeypatch.setenv("LZCENTER_PASSWORD", "not-the-password")
    assert cli.main(["--db", str(db), "--user", "admin", "user", "list"]) == 2


def test_deactivate_and_new_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.sqlite"
    assert _add(db, "admin", "管理员") == 0
    assert _add(db, "clerk", "经办人", "--user", "admin") == 0
    assert cli.main(["--db", str(db), "--user", "admin", "user", "passwd", "clerk"]) == 0
    assert cli.main(["--db", str(db), "--user", "admin", "user", "deactivate", "clerk"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(db), "--user", "admin", "user", "list"]) == 0
    assert "clerk\t用户clerk\t经办人（已停用）" in capsys.readouterr().out
