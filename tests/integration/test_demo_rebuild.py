"""``demo --rebuild`` builds the new demo database beside the old one and swaps only when complete:
a failure leaves the old demo database intact and no temporary file behind."""

from __future__ import annotations

import errno
import hashlib
import sqlite3
from pathlib import Path

import pytest

from lzcenter_desktop import cli
from lzcenter_desktop.services import demo, demo_file

# The demo database FILE is built beside the old one and swapped in by renaming files (.bak kept).
pytestmark = pytest.mark.sqlite_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _centres(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM center").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database, built once for the module (copied by each test)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert cli.main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture
def old_demo(built: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    path.write_bytes(built.read_bytes())
    return path


def _failing_evaluation(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("演示数据生成到一半失败（测试）")


def test_a_failing_rebuild_leaves_the_old_demo_database_and_no_temp_file(
    old_demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(old_demo)
    monkeypatch.setattr(demo._Builder, "evaluation", _failing_evaluation)  # late in the build
    code = cli.main(["--db", str(old_demo), "demo", "--rebuild"])
    assert code == cli.EXIT_INTERNAL
    assert "生成到一半失败" in capsys.readouterr().err
    assert _digest(old_demo) == before
    assert sorted(p.name for p in old_demo.parent.iterdir()) == ["demo.sqlite"]


def test_a_full_disk_during_the_rebuild_is_a_chinese_message_and_changes_nothing(
    old_demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(old_demo)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(demo._Builder, "annual_reports", disk_full)
    code = cli.main(["--db", str(old_demo), "demo", "--rebuild"])
    assert code == 6
    assert "磁盘空间不足" in capsys.readouterr().err
    assert _digest(old_demo) == before
    assert sorted(p.name for p in old_demo.parent.iterdir()) == ["demo.sqlite"]


def test_a_failing_swap_puts_the_old_demo_database_back(
    old_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _digest(old_demo)
    real_replace = demo_file.os.replace

    def refuse_swap(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == old_demo:  # the new file is complete and the old one renamed aside
            assert any(".bak" in p.name for p in old_demo.parent.iterdir())
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(demo_file.os, "replace", refuse_swap)
    with pytest.raises(Exception) as info:
        demo_file.build_demo_file(old_demo)
    assert getattr(info.value, "title", "") == "数据库只读"
    assert _digest(old_demo) == before
    assert sorted(p.name for p in old_demo.parent.iterdir()) == ["demo.sqlite"]


def test_a_first_build_that_fails_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo._Builder, "evaluation", _failing_evaluation)
    path = tmp_path / "fresh" / "demo.sqlite"
    with pytest.raises(RuntimeError):
        demo_file.build_demo_file(path)
    assert list(path.parent.iterdir()) == []


def test_a_successful_rebuild_swaps_and_keeps_the_old_file(
    old_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(old_demo)
    centres = _centres(old_demo)
    assert cli.main(["--db", str(old_demo), "demo", "--rebuild", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "旧的演示数据库已改名保存为" in out and "已生成演示数据库" in out
    names = sorted(p.name for p in old_demo.parent.iterdir())
    assert len(names) == 2 and "demo.sqlite" in names, names  # no temporary or -wal file left
    [kept] = [old_demo.parent / n for n in names if n != "demo.sqlite"]
    assert ".bak" in kept.name and kept.suffix == ".sqlite"
    assert _digest(kept) == before
    assert _centres(kept) == centres
    con = sqlite3.connect(old_demo)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    assert _centres(old_demo) > 0
