"""Where the application keeps its files. Pure Python, no Qt, no database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return PACKAGE_DIR.parent / "resources"


def forms_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "forms"
    return PACKAGE_DIR.parent / "forms"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def user_data_dir() -> Path:
    """%LOCALAPPDATA%\\lzcenter on Windows, $XDG_DATA_HOME/lzcenter (~/.local/share/lzcenter) elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lzcenter"


def default_db_path() -> Path:
    return user_data_dir() / "lzcenter.sqlite"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.sqlite"


def resolve_db_target(cli_value: str | None) -> str:
    """The database to open: ``--db`` first, then ``LZCENTER_DB``, then the default file.

    The value may be a path to a SQLite file or a SQLAlchemy URL (``postgresql://…``, ``sqlite:///…``).
    A ``--db`` value is returned as given — an empty one is the caller's error to report, never a
    reason to fall back to another database; an empty or blank ``LZCENTER_DB`` counts as unset.
    """
    if cli_value is not None:
        return cli_value
    from_env = os.environ.get("LZCENTER_DB") or ""
    return from_env if from_env.strip() else str(default_db_path())


def is_url(target: str) -> bool:
    return "://" in target


def operator_name() -> str:
    """The OS user, recorded as the operator of every audited write."""
    for key in ("LZCENTER_OPERATOR", "USERNAME", "USER", "LOGNAME"):
        value = os.environ.get(key)
        if value:
            return value
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user name available (service accounts, containers)
        return "unknown"
