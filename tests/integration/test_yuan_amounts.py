"""Whole-yuan amounts beyond PostgreSQL's INTEGER (migration 0012): a declaration with more than
21 亿元 (2,147,483,647) of sales revenue is submitted and read back exactly on both databases, up to
the largest amount the format accepts (interchange.MAX_AMOUNT_YUAN, 15 digits)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from lzcenter_desktop.domain.interchange import MAX_AMOUNT_YUAN
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.storage.models import DeclarationEquipment, DeclarationFinance, DeclarationInvestment
from lzcenter_desktop.storage.models._common import YUAN

INT32_MAX = 2**31 - 1


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "yuan.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


@pytest.mark.parametrize("amount", [INT32_MAX, INT32_MAX + 1, MAX_AMOUNT_YUAN])
def test_a_large_amount_is_submitted_and_read_back(
    ctx: AppContext, example: dict[str, Any], amount: int
) -> None:
    doc = copy.deepcopy(example)
    doc["investments"][0]["amount_yuan"] = amount
    doc["finances"][0]["sales_revenue_yuan"] = amount
    doc["finances"][0]["rd_expense_yuan"] = amount
    doc["center"]["equipment"][0]["value_yuan"] = amount
    did = d.create_draft(ctx, call_year=2026)
    d.save_draft(ctx, declaration_id=did, data=doc)
    d.submit_declaration(ctx, declaration_id=did, on=date(2026, 6, 12))
    with ctx.db.session() as s:
        investment = s.execute(
            select(col(DeclarationInvestment.amount_yuan)).where(
                col(DeclarationInvestment.declaration_id) == did,
                col(DeclarationInvestment.year) == doc["investments"][0]["year"],
            )
        ).scalar_one()
        finance = s.execute(
            select(DeclarationFinance).where(
                col(DeclarationFinance.declaration_id) == did,
                col(DeclarationFinance.year) == doc["finances"][0]["year"],
            )
        ).scalar_one()
        values = s.execute(
            select(col(DeclarationEquipment.value_yuan)).where(
                col(DeclarationEquipment.declaration_id) == did
            )
        ).scalars()
        assert amount in set(values)
    assert investment == amount
    assert (finance.sales_revenue_yuan, finance.rd_expense_yuan) == (amount, amount)
    assert d.get_declaration(ctx, did).data["finances"][0]["sales_revenue_yuan"] == amount


def test_the_amount_columns_hold_64_bits(ctx: AppContext) -> None:
    """BIGINT on PostgreSQL; SQLite's INTEGER is 64 bits already and its tables are left as they were."""
    columns = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if column.type is YUAN
    }
    assert len(columns) == 6 and ("declaration_finance", "sales_revenue_yuan") in columns
    inspector = sa.inspect(ctx.db.engine)
    wanted = "BIGINT" if ctx.db.engine.dialect.name == "postgresql" else "INTEGER"
    for table, column in columns:
        (found,) = [c for c in inspector.get_columns(table) if c["name"] == column]
        assert str(found["type"]).upper() == wanted, (table, column, found["type"])
