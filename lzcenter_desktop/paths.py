"""Where the application keeps its files. Pure Python, no Qt, no database.

The program's own files (``resources/``, ``forms/``) are found through :func:`bundle_dir` — beside
the package in a checkout, in the bundle's folder (``sys._MEIPASS``) when frozen by PyInstaller —
and read as data; modules are always imported, never loaded from a file path (a test scans the
package for that).  The user's files live in :func:`user_data_dir`, worked out by the pure
:func:`data_dir_for` for a given platform and environment so that both platforms are tested on
either; any folder may have Chinese characters and spaces in its name.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

PACKAGE_DIR = Path(__file__).resolve().parent
APP_DIR_NAME = "lzcenter"


def bundle_dir() -> Path:
    """The folder holding ``resources/`` and ``forms/``: the bundle's folder when frozen
    (``sys._MEIPASS``), else the checkout (the package's parent)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else PACKAGE_DIR.parent


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside the bundle when frozen."""
    return bundle_dir() / "resources"


def forms_dir() -> Path:
    return bundle_dir() / "forms"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def _absolute(value: str | None, flavour: type[PurePath]) -> PurePath | None:
    """``value`` as a path of ``flavour`` if it is set and absolute (a relative or blank setting
    would put the data wherever the program was started from)."""
    text = (value or "").strip()
    if not text:
        return None
    path = flavour(text)
    return path if path.is_absolute() else None


def data_dir_for(platform: str, environ: Mapping[str, str], home: PurePath | str) -> PurePath:
    """The data folder on ``platform`` (a ``sys.platform`` value) with ``environ`` and the home folder
    ``home``: ``%LOCALAPPDATA%\\lzcenter`` on Windows (``<home>\\AppData\\Local\\lzcenter`` when
    that is unset or not absolute), ``~/Library/Application Support/lzcenter`` on macOS,
    ``$XDG_DATA_HOME/lzcenter`` (``~/.local/share/lzcenter``) elsewhere."""
    if platform == "win32":
        local = _absolute(environ.get("LOCALAPPDATA"), PureWindowsPath)
        return (local or PureWindowsPath(home) / "AppData" / "Local") / APP_DIR_NAME
    if platform == "darwin":
        return PurePosixPath(home) / "Library" / "Application Support" / APP_DIR_NAME
    xdg = _absolute(environ.get("XDG_DATA_HOME"), PurePosixPath)
    return (xdg or PurePosixPath(home) / ".local" / "share") / APP_DIR_NAME


def user_data_dir() -> Path:
    """%LOCALAPPDATA%\\lzcenter on Windows, $XDG_DATA_HOME/lzcenter (~/.local/share/lzcenter) elsewhere."""
    return Path(data_dir_for(sys.platform, os.environ, Path.home()))


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
