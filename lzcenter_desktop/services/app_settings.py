"""Settings of the program on this computer (not of the bureau's rules): a small JSON file
``settings.json`` in the user data folder. Today it holds how many automatic backups to keep.

A missing or unreadable file means the defaults; a value out of range is refused with a Chinese
message naming the setting. The file is written beside and renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from lzcenter_desktop import paths
from lzcenter_desktop.services.errors import ServiceError

BACKUP_KEEP_KEY = "backup_keep"
DEFAULT_BACKUP_KEEP = 30
MIN_BACKUP_KEEP = 1
MAX_BACKUP_KEEP = 1000
BACKUP_KEEP_LABEL = "自动备份保留份数"


def settings_file() -> Path:
    return paths.user_data_dir() / "settings.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, Any]) -> None:
    target = settings_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def check_backup_keep(value: object) -> int:
    """``value`` as the number of automatic backups to keep; a Chinese error when not allowed."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ServiceError(f"{BACKUP_KEEP_LABEL}应为整数。", field=BACKUP_KEEP_LABEL)
    try:
        number = int(value)
    except ValueError:
        raise ServiceError(
            f"{BACKUP_KEEP_LABEL}“{value}”不是整数，请填写整数。", field=BACKUP_KEEP_LABEL
        ) from None
    if not MIN_BACKUP_KEEP <= number <= MAX_BACKUP_KEEP:
        raise ServiceError(
            f"{BACKUP_KEEP_LABEL}应在 {MIN_BACKUP_KEEP} 到 {MAX_BACKUP_KEEP} 之间，现为 {number}。",
            field=BACKUP_KEEP_LABEL,
        )
    return number


def backup_keep() -> int:
    """How many automatic backups to keep (the default when unset or not valid)."""
    value = _read().get(BACKUP_KEEP_KEY, DEFAULT_BACKUP_KEEP)
    try:
        return check_backup_keep(value)
    except ServiceError:
        return DEFAULT_BACKUP_KEEP


def set_backup_keep(value: object) -> int:
    number = check_backup_keep(value)
    data = _read()
    data[BACKUP_KEEP_KEY] = number
    _write(data)
    return number
