"""A kill in the middle of a save leaves the database as it was before or after, never between."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lzcenter_desktop.services.context import open_app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROWS = 400

CHILD = textwrap.dedent(
    """
    import sys, time
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.services.organizations import add_organization
    from lzcenter_desktop.services.uow import unit_of_work

    path, mode, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctx = open_app(path, operator="crash-test")
    with unit_of_work(ctx, "test.bulk") as session:
        for n in range(rows):
            add_organization(session, name=f"测试单位{n:04d}", kind="other")
            if n == rows // 2:
                session.flush()
                if mode == "mid":
                    print("MID", flush=True)  # half the rows are written to the file, uncommitted
                    time.sleep(60)
    print("COMMITTED", flush=True)
    time.sleep(60)
    """
)


def _run_and_kill(path: Path, mode: str, marker: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode, str(ROWS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == marker, proc.stderr.read() if proc.stderr else line
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _check(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orgs = con.execute("select count(*) from organization").fetchone()[0]
        audits = con.execute("select count(*) from audit_entry where action = 'test.bulk'").fetchone()[0]
        return int(orgs), int(audits)
    finally:
        con.close()


def test_kill_in_the_middle_of_a_save_leaves_the_database_as_before(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    open_app(str(path)).db.dispose()
    _run_and_kill(path, "mid", "MID")
    assert _check(path) == (0, 0)
    ctx = open_app(str(path))  # and the database is usable afterwards
    ctx.db.dispose()


def test_kill_after_the_commit_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "crash2.sqlite"
    open_app(str(path)).db.dispose()
    _run_and_kill(path, "end", "COMMITTED")
    assert _check(path) == (ROWS, ROWS)
