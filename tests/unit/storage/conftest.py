"""Fixtures for storage tests: a migrated database in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.storage import schema
from lzcenter_desktop.storage.engine import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(str(tmp_path / "db" / "t.sqlite"), busy_timeout_ms=200)
    schema.upgrade(database.engine)
    yield database
    database.dispose()
