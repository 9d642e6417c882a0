"""Shared test set-up.

Qt runs offscreen, and no test ever touches the user's real data folder: the
data home and the default database point into a per-session temporary folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from lzcenter_desktop.ui.qt_refcount import guard_singletons

guard_singletons()  # as the application does at start: PySide6 6.12.0 leaks references to None
_SANDBOX = Path(tempfile.mkdtemp(prefix="lzcenter-tests-"))
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["LOCALAPPDATA"] = str(_SANDBOX / "data")
os.environ.pop("LZCENTER_DB", None)
os.environ.setdefault("LZCENTER_OPERATOR", "测试员")

import pytest  # noqa: E402

from tests import db_backend, qt_waits  # noqa: E402

db_backend.check_configuration()
db_backend.install()
qt_waits.install()

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


@pytest.fixture
def example() -> dict[str, Any]:
    """A fresh copy of the complete enterprise declaration (declaration-enterprise.json) for a test
    to change as it likes."""
    data: dict[str, Any] = json.loads((EXAMPLES / "declaration-enterprise.json").read_text(encoding="utf-8"))
    return data


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only: about the SQLite file itself (its bytes, file backups, PRAGMAs, raw sqlite3 "
        "edits); not run on PostgreSQL (tests/db_backend.py)",
    )
    config.addinivalue_line(
        "markers",
        "server_sign_in: keeps the server databases' always-on sign-in in the PostgreSQL run",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not db_backend.ON_POSTGRESQL:
        return
    kept = [i for i in items if i.get_closest_marker("sqlite_only") is None]
    left = [i for i in items if i.get_closest_marker("sqlite_only") is not None]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str:
    if db_backend.ON_POSTGRESQL:
        return "database: PostgreSQL (LZCENTER_TEST_PG_URL); tests marked sqlite_only are deselected"
    return "database: SQLite files"


@pytest.fixture(autouse=True)
def _database_backend(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """On PostgreSQL: sign-in follows the database's setting unless the test is about the server
    policy; the databases the test made are dropped after it."""
    if not db_backend.ON_POSTGRESQL:
        yield
        return
    if request.node.get_closest_marker("server_sign_in") is not None:
        from lzcenter_desktop.domain import roles

        monkeypatch.setattr(roles, "sign_in_always_on", db_backend.SERVER_SIGN_IN_POLICY)
    yield
    db_backend.drop_under(tmp_path)


@pytest.fixture(scope="session", autouse=True)
def _drop_server_databases() -> Iterator[None]:
    yield
    db_backend.drop_all()
