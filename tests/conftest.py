"""Shared test set-up.

Qt runs offscreen, and no test ever touches the user's real data folder: the
data home and the default database point into a per-session temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from lzcenter_desktop.ui.qt_refcount import guard_singletons

guard_singletons()  # as the application does at start: PySide6 6.12.0 leaks references to None
_SANDBOX = Path(tempfile.mkdtemp(prefix="lzcenter-tests-"))
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["LOCALAPPDATA"] = str(_SANDBOX / "data")
os.environ.pop("LZCENTER_DB", None)
os.environ.setdefault("LZCENTER_OPERATOR", "测试员")

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EXAMPLES = REPO_ROOT.parent / "shared" / "examples"
EXAMPLES = REPO_ROOT / "tests" / "data" / "examples"


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def examples_dir() -> Path:
    """The public examples of the interchange format (a copy is kept in tests/data/examples)."""
    return EXAMPLES
