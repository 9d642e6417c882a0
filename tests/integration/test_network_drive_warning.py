"""A SQLite file on a network share (is_network_path monkeypatched): WAL stays off, the command line
warns in Chinese on stderr pointing to PostgreSQL, a local file and a URL give no warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from lzcenter_desktop import cli
from lzcenter_desktop.services import shared_use
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage import engine


@pytest.fixture
def on_share(monkeypatch: pytest.MonkeyPatch) -> set[Path]:
    """Paths in the returned set count as on a network share."""
    shares: set[Path] = set()
    monkeypatch.setattr(engine, "is_network_path", lambda path: Path(path) in shares)
    return shares


def test_the_warning_names_the_file_and_points_to_postgresql(tmp_path: Path, on_share: set[Path]) -> None:
    db = tmp_path / "shared.sqlite"
    assert shared_use.network_drive_warning(str(db)) is None  # local: nothing to say
    on_share.add(db)
    text = shared_use.network_drive_warning(str(db))
    assert text is not None
    assert str(db) in text and "网络" in text and "PostgreSQL" in text and "copy-database" in text
    assert "WAL" in text
    assert shared_use.network_drive_warning("postgresql+psycopg://u@/x?host=/tmp") is None
    assert shared_use.network_drive_warning_for(None) is None


@pytest.mark.sqlite_only  # PRAGMA journal_mode of the SQLite file
def test_wal_is_kept_off_on_a_share(tmp_path: Path, on_share: set[Path]) -> None:
    local, shared = tmp_path / "local.sqlite", tmp_path / "shared.sqlite"
    on_share.add(shared)
    for path, mode in ((local, "wal"), (shared, "delete")):
        ctx = open_app(str(path), operator="甲")
        try:
            with ctx.db.engine.connect() as conn:
                assert str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == mode
        finally:
            ctx.db.dispose()


def test_the_command_line_warns_on_stderr(
    tmp_path: Path, on_share: set[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "shared.sqlite"
    assert cli.main(["--db", str(db), "migrate"]) == 0
    assert "网络" not in capsys.readouterr().err
    on_share.add(db)
    assert cli.main(["--db", str(db), "migrate"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("警告：数据库文件")
    assert "PostgreSQL" in captured.err and str(db) in captured.err
    assert "PostgreSQL" not in captured.out
