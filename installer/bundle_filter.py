"""Which collected files leave the bundle (stdlib only; used by lzcenter.spec and tested).

Names are PyInstaller destination paths inside the bundle, e.g. ``PySide6/Qt/plugins/tls/…`` on
Linux or ``PySide6/plugins/tls/…`` on Windows; matching is case-insensitive on ``/`` separators.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable


def posix(name: str) -> str:
    return str(name).replace("\\", "/")


def excluded(dest: str, patterns: Iterable[str]) -> bool:
    """Whether ``dest`` matches one of the glob ``patterns`` (case-insensitive)."""
    lowered = posix(dest).lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


def unused_translation(dest: str, kept: Iterable[str]) -> bool:
    """A Qt translation (``…/translations/*.qm``) other than the ``kept`` ones."""
    parts = posix(dest).split("/")
    return "translations" in parts[:-1] and parts[-1].endswith(".qm") and parts[-1] not in set(kept)


def host_library(dest: str, patterns: Iterable[str], platform: str = sys.platform) -> bool:
    """On Linux, a system library at the top of the bundle that the host provides."""
    name = posix(dest)
    return platform.startswith("linux") and "/" not in name and excluded(name, patterns)
