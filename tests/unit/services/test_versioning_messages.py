"""The texts of a stale save (services/versioning.py): always ``该记录已被他人修改`` first, the
record named in Chinese, what to do; the mapper's StaleDataError names the table it failed on."""

from __future__ import annotations

import pytest
from sqlalchemy.orm.exc import StaleDataError

from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.versioning import RECORD_LABELS, STALE_PREFIX, StaleRecord, stale_from_mapper


@pytest.mark.parametrize("table", sorted(RECORD_LABELS))
def test_the_mapper_failure_of_every_versioned_table_becomes_a_chinese_refusal(table: str) -> None:
    exc = StaleDataError(f"UPDATE statement on table '{table}' expected to update 1 row(s); 0 were matched.")
    stale = stale_from_mapper(None, exc)
    assert isinstance(stale, StaleRecord) and isinstance(stale, ServiceError)
    assert stale.message.startswith(STALE_PREFIX)
    assert RECORD_LABELS[table] in stale.message
    assert "重新载入" in stale.message and "比较" in stale.message and "取消" in stale.message
    assert table not in stale.message  # no table name (an internal code) in the clerk's text
    assert (stale.entity, stale.changed_by, stale.changed_at) == (table, None, None)


def test_an_unknown_table_is_called_the_record() -> None:
    stale = stale_from_mapper(None, StaleDataError("something else"))
    assert stale.message.startswith(f"{STALE_PREFIX}：这份记录在您保存的同时")
    assert stale.field is None
