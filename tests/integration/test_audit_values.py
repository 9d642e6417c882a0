"""The audit viewer shows stored codes by the labels the pages use (services/audit_values.py):
a declaration's status, a centre's state, a user's role; free text and unknown codes as stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import lzcenter_desktop.storage.models  # noqa: F401  (the tables in the metadata)
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.audit_query import AuditFilter, query_audit, shown_value
from lzcenter_desktop.services.audit_values import value_label, value_labels
from lzcenter_desktop.services.context import AppContext, open_app


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "v.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


def test_every_labelled_field_is_a_column_of_its_table() -> None:
    """A renamed column would silently lose its labels."""
    tables = SQLModel.metadata.tables
    for table, column in value_labels():
        assert table in tables, table
        assert column in tables[table].columns, (table, column)


def test_every_centre_state_has_a_label() -> None:
    labels = value_labels()[("center", "state")]
    assert set(labels) == {s.value for s in CenterState}
    assert labels["recognised"] == "已认定"


@pytest.mark.parametrize(
    ("entity", "field", "value", "shown"),
    [
        ("center", "state", "recognised", "已认定"),
        ("center_state_change", "to_state", "revoked", "已撤销"),
        ("app_user", "role", "admin", "管理员"),
        ("declaration", "status", "returned", "退回补正"),
        ("recognition", "status", "forfeited", "视为自动放弃"),
        ("review_assignment", "status", "recused", "已回避"),
        ("declaration", "status", "archived_later", "archived_later"),  # an unknown code as stored
        ("organization", "name", "recognised", "recognised"),  # free text is never translated
        ("declaration", "status", None, "空"),
        ("expert", "active", True, "是"),
    ],
)
def test_shown_value(entity: str, field: str, value: object, shown: str) -> None:
    assert shown_value(entity, field, value) == shown


def test_a_moment_reads_like_the_time_column() -> None:
    aware = dt.datetime(2026, 12, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)
    assert shown_value("center", "created_at", aware.isoformat()) == aware.astimezone().strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert shown_value("center", "created_at", "2026-12-02T03:04:05.5") == "2026-12-02 03:04:05"
    assert shown_value("center", "recognized_on", "2026-12-02") == "2026-12-02"  # a day stays a day
    assert shown_value("center", "note", "2026-12-02T99:99 见附件") == "2026-12-02T99:99 见附件"


def test_a_number_is_not_a_code() -> None:
    assert value_label("center", "state", 1) is None


def test_a_withdrawn_declaration_reads_in_chinese(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    d.discard_draft(ctx, declaration_id=did, reason="误建")
    page = query_audit(ctx, AuditFilter(entity="declaration"))
    texts = [row.details() for row in page.rows if row.action == d.closing.DISCARD_ACTION]
    assert len(texts) == 1
    assert "状态：草稿 → 已作废" in texts[0]
    assert "discarded" not in texts[0]


def test_a_new_organization_shows_its_kind_in_chinese(ctx: AppContext) -> None:
    organizations.create_organization(ctx, name="柳州乙单位", kind="university")
    page = query_audit(ctx, AuditFilter(entity="organization"))
    (created,) = [row for row in page.rows if row.operation == "insert"]
    assert "高等院校" in created.details() and "university" not in created.details()


def test_the_text_filter_finds_a_code_by_its_chinese_name(ctx: AppContext) -> None:
    university = organizations.create_organization(ctx, name="柳州丙学院", kind="university")
    organizations.create_organization(ctx, name="柳州丁公司", kind="enterprise")
    found = query_audit(ctx, AuditFilter(text="高等院校"))
    assert {(row.entity, row.entity_id) for row in found.rows} == {("organization", str(university))}
    assert query_audit(ctx, AuditFilter(text="university")).total == 1  # the stored code still finds it
    assert query_audit(ctx, AuditFilter(text="科研院所")).total == 0  # a label no entry holds
