"""paths.resolve_db_target: --db, then LZCENTER_DB, then the default file — an empty --db is never
silently replaced by another database."""

from __future__ import annotations

import pytest

from lzcenter_desktop import paths


def test_db_option_wins_even_when_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LZCENTER_DB", "/srv/env.sqlite")
    assert paths.resolve_db_target("/data/x.sqlite") == "/data/x.sqlite"
    assert paths.resolve_db_target("") == ""  # open_app reports it; no fallback to the environment


def test_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LZCENTER_DB", "/srv/env.sqlite")
    assert paths.resolve_db_target(None) == "/srv/env.sqlite"
    for blank in ("", "   "):
        monkeypatch.setenv("LZCENTER_DB", blank)
        assert paths.resolve_db_target(None) == str(paths.default_db_path())
    monkeypatch.delenv("LZCENTER_DB")
    assert paths.resolve_db_target(None) == str(paths.default_db_path())
