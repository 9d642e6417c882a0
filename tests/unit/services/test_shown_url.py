"""A server URL is never shown or written into a crash report with its password."""

from __future__ import annotations

from pathlib import Path

import pytest

from lzcenter_desktop.services.schema_upgrade import database_location, database_name, shown_url
from lzcenter_desktop.storage.engine import Database


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://lz:秘密 p@ss@db.bureau/lzcenter",
            "postgresql+psycopg://lz:***@db.bureau/lzcenter",
        ),
        ("postgresql+psycopg://lz@db.bureau/lzcenter", "postgresql+psycopg://lz@db.bureau/lzcenter"),
        (
            "postgresql+psycopg://postgres@/x?host=/tmp/s&port=5",
            "postgresql+psycopg://postgres@/x?host=/tmp/s&port=5",
        ),
    ],
)
def test_the_password_is_replaced(url: str, shown: str) -> None:
    assert shown_url(url) == shown


def test_names_of_a_file_and_of_a_server_database(tmp_path: Path) -> None:
    file_db = Database(None, f"sqlite:///{tmp_path / 'a.sqlite'}", tmp_path / "a.sqlite")
    assert database_name(file_db) == "a.sqlite"
    assert database_location(file_db) == str(tmp_path / "a.sqlite")
    server = Database(None, "postgresql+psycopg://lz:topsecret@db/lz", None)
    assert "topsecret" not in database_name(server) + database_location(server)
    assert database_location(server) == "postgresql+psycopg://lz:***@db/lz"
