"""Whole-yuan amounts as 64-bit integers on PostgreSQL: ``declaration_equipment.value_yuan``,
``declaration_investment.amount_yuan``, ``declaration_finance.rd_expense_yuan`` and
``sales_revenue_yuan``, ``annual_report.rd_investment_yuan`` and ``revenue_yuan``.

A declaration accepts amounts up to 999,999,999,999,999 元 (15 digits, domain/interchange.py);
PostgreSQL's INTEGER stops at 2,147,483,647, so submitting a declaration with more than 21 亿元 of
sales revenue crashed on a server database. SQLite's INTEGER already holds 64 bits: nothing changes
in a SQLite file (no table is rebuilt).

Downgrade narrows the columns again on PostgreSQL (refused by the server if a larger amount is
stored — nothing is cut).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

YUAN_COLUMNS: tuple[tuple[str, str, bool], ...] = (  # (table, column, nullable)
    ("declaration_equipment", "value_yuan", True),
    ("declaration_investment", "amount_yuan", False),
    ("declaration_finance", "rd_expense_yuan", False),
    ("declaration_finance", "sales_revenue_yuan", False),
    ("annual_report", "rd_investment_yuan", True),
    ("annual_report", "revenue_yuan", True),
)


def _change(to: sa.types.TypeEngine[int], was: sa.types.TypeEngine[int]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in YUAN_COLUMNS:
        op.alter_column(table, column, type_=to, existing_type=was, existing_nullable=nullable)


def upgrade() -> None:
    _change(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _change(sa.Integer(), sa.BigInteger())
