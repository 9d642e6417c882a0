"""``lzcenter-desktop restore FILE``: asks first (unless --yes), keeps the current file aside,
audits the restore; exit 0 restored, 1 not confirmed, 2 a backup that cannot be used."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from lzcenter_desktop import cli
from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.backup import backup_sqlite, timestamped_backup_path
from tests.integration.test_cli import REPO, run_cli

YESTERDAY = datetime(2026, 11, 29, 17, 30, 0)


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [str(r[0]) for r in con.execute("SELECT name FROM organization ORDER BY id")]
    finally:
        con.close()


def _last_audit(path: Path) -> tuple[str, str]:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT operator, action FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        return str(row[0]), str(row[1])
    finally:
        con.close()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "lzcenter.sqlite"
    ctx = open_app(str(db))
    try:
        organizations.create_organization(ctx, name="柳州昨日机械有限公司", kind="enterprise")
        yesterday = backup_sqlite(db, timestamped_backup_path(db, reason="daily", when=YESTERDAY))
        organizations.create_organization(ctx, name="柳州今日机械有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()
    return db, yesterday


@pytest.mark.sqlite_only  # restores the SQLite file from a file backup
def test_restore_with_yes_in_a_real_process_exits_0(setup: tuple[Path, Path]) -> None:
    db, yesterday = setup
    result = run_cli("--db", str(db), "--operator", "李管理", "restore", str(yesterday), "--yes")
    assert result.returncode == 0, result.stderr
    assert "已用备份" in result.stdout and "before-restore" in result.stdout
    assert _names(db) == ["柳州昨日机械有限公司"]
    assert _last_audit(db) == ("李管理", "backup.restore")
    kept = [p for p in db.parent.iterdir() if ".before-restore-" in p.name and p.suffix == ".sqlite"]
    assert len(kept) == 1 and _names(kept[0]) == ["柳州昨日机械有限公司", "柳州今日机械有限公司"]


@pytest.mark.sqlite_only  # restores the SQLite file from a file backup
def test_the_prompt_answered_y_restores(setup: tuple[Path, Path], monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    db, yesterday = setup
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "y")
    assert cli.main(["--db", str(db), "restore", str(yesterday)]) == 0
    out = capsys.readouterr().out
    assert "每日自动备份" in out and "2026-11-29 17:30:00" in out
    assert asked and "确定恢复吗" in asked[0]
    assert _names(db) == ["柳州昨日机械有限公司"]


@pytest.mark.sqlite_only  # restores the SQLite file from a file backup
@pytest.mark.parametrize("answer", ["", "n", "no", "yy"])
def test_any_other_answer_leaves_the_database_and_exits_1(
    setup: tuple[Path, Path], monkeypatch, capsys, answer: str
) -> None:  # type: ignore[no-untyped-def]
    db, yesterday = setup
    before = db.read_bytes()
    monkeypatch.setattr("builtins.input", lambda _prompt: answer)
    assert cli.main(["--db", str(db), "restore", str(yesterday)]) == 1
    assert "已取消，数据库未改动" in capsys.readouterr().err
    assert db.read_bytes() == before


@pytest.mark.sqlite_only  # restores the SQLite file from a file backup
def test_no_terminal_to_ask_means_no(setup: tuple[Path, Path]) -> None:
    db, yesterday = setup
    result = subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", "--db", str(db), "restore", str(yesterday)],
        input="",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 1
    assert _names(db) == ["柳州昨日机械有限公司", "柳州今日机械有限公司"]


@pytest.mark.sqlite_only  # restores the SQLite file from a file backup
def test_a_foreign_file_exits_2_with_a_chinese_message(
    setup: tuple[Path, Path], tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    db, _yesterday = setup
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    assert cli.main(["--db", str(db), "restore", str(other), "--yes"]) == 2
    assert "不是本系统的数据库" in capsys.readouterr().err
    assert _names(db) == ["柳州昨日机械有限公司", "柳州今日机械有限公司"]


def test_a_server_database_is_refused(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["--db", "postgresql+psycopg://u@localhost/x", "restore", "a.sqlite", "--yes"]) == 2
    assert "服务器数据库" in capsys.readouterr().err


@pytest.mark.sqlite_only  # restores the SQLite file from a file backup
def test_the_file_given_is_restored_not_the_newest(setup: tuple[Path, Path], tmp_path: Path) -> None:
    """An older backup named on the command line is the one restored, not the newest in the folder."""
    db, _yesterday = setup
    older = tmp_path / "older.sqlite"
    ctx = open_app(str(older))
    try:
        organizations.create_organization(ctx, name="柳州前年机械有限公司", kind="enterprise")
    finally:
        ctx.db.dispose()
    assert cli.main(["--db", str(db), "restore", str(older), "--yes"]) == 0
    assert _names(db) == ["柳州前年机械有限公司"]
