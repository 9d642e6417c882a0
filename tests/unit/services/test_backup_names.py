"""What a backup's name says: its reason (kind) and its time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from lzcenter_desktop.services.backup import kind_label, reason_of, stamp_or_mtime
from lzcenter_desktop.services.backup_auto import is_automatic

DB = Path("/data/lzcenter.sqlite")


@pytest.mark.parametrize(
    ("name", "reason", "kind"),
    [
        ("lzcenter-backup-20261130-090000.sqlite", "backup", "手动备份"),
        ("lzcenter-daily-20261130-090000.sqlite", "daily", "每日自动备份"),
        ("lzcenter-exit-20261130-090000-2.sqlite", "exit", "退出时自动备份"),
        (
            "lzcenter-before-migration-0008_evaluation_process-20261130-090000.sqlite",
            "before-migration-0008_evaluation_process",
            "升级前自动备份",
        ),
        ("lzcenter-20261130-090000.sqlite", "", "其他备份"),  # no reason between name and time
        ("lzcenter-daily.sqlite", "", "其他备份"),  # no time
        ("other-daily-20261130-090000.sqlite", "", "其他备份"),  # another database's
    ],
)
def test_reason_and_kind_from_the_name(name: str, reason: str, kind: str) -> None:
    assert reason_of(DB, DB.parent / "backups" / name) == reason
    assert kind_label(reason) == kind


@pytest.mark.parametrize(
    ("reason", "automatic"),
    [
        ("daily", True),
        ("exit", True),
        ("before-migration-0001_initial", True),
        ("backup", False),
        ("", False),
        ("dailyx", False),
        ("before-migration", False),
    ],
)
def test_which_backups_rotation_may_delete(reason: str, automatic: bool) -> None:
    assert is_automatic(reason) is automatic


def test_the_time_is_the_one_in_the_name(tmp_path: Path) -> None:
    named = tmp_path / "lzcenter-daily-20261129-173000-3.sqlite"
    named.write_bytes(b"")
    assert stamp_or_mtime(named) == datetime(2026, 11, 29, 17, 30, 0)
    impossible = tmp_path / "lzcenter-daily-20261340-173000.sqlite"  # month 13: the file's time
    impossible.write_bytes(b"")
    assert stamp_or_mtime(impossible) == datetime.fromtimestamp(impossible.stat().st_mtime)
