"""No hard delete, no unaudited write, audit trail written in the same transaction."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import delete, text
from sqlmodel import select

from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.guards import AUDIT_KEY, AuditContext, HardDeleteForbidden, UnauditedWrite
from lzcenter_desktop.storage.models import AuditEntry, Organization


def _audited(db: Database, action: str = "test.write"):  # type: ignore[no-untyped-def]
    session_cm = db.write_session()
    session = session_cm.__enter__()
    session.info[AUDIT_KEY] = AuditContext(operator="审计员", action=action)
    return session_cm, session


def _org(name: str = "柳州鑫桥汽车零部件有限公司") -> Organization:
    return Organization.model_validate({"name": name, "kind": "enterprise"})


def test_insert_writes_an_audit_entry_in_the_same_transaction(db: Database) -> None:
    cm, session = _audited(db)
    session.add(_org())
    session.commit()
    cm.__exit__(None, None, None)
    with db.session() as s:
        entries = s.execute(select(AuditEntry)).scalars().all()
    assert len(entries) == 1
    e = entries[0]
    assert (e.operator, e.action, e.operation, e.entity, e.entity_id) == (
        "审计员",
        "test.write",
        "insert",
        "organization",
        "1",
    )
    assert e.before is None
    assert json.loads(e.after or "")["name"] == "柳州鑫桥汽车零部件有限公司"
    assert e.at.tzinfo is not None


def test_update_records_before_and_after(db: Database) -> None:
    cm, session = _audited(db)
    session.add(_org())
    session.commit()
    org = session.execute(select(Organization)).scalar_one()
    org.status = "retired"
    org.retired_on = date(2026, 1, 2)
    session.add(org)
    session.commit()
    cm.__exit__(None, None, None)
    with db.session() as s:
        update = s.execute(select(AuditEntry).where(AuditEntry.operation == "update")).scalar_one()
    before, after = json.loads(update.before or ""), json.loads(update.after or "")
    assert (before["status"], after["status"]) == ("active", "retired")
    assert (before["retired_on"], after["retired_on"]) == (None, "2026-01-02")


def test_rollback_leaves_neither_row_nor_audit_entry(db: Database) -> None:
    cm, session = _audited(db)
    session.add(_org())
    session.flush()
    session.rollback()
    cm.__exit__(None, None, None)
    with db.session() as s:
        assert s.execute(select(Organization)).all() == []
        assert s.execute(select(AuditEntry)).all() == []


def test_write_without_unit_of_work_is_refused(db: Database) -> None:
    with db.session() as session:
        session.add(_org())
        with pytest.raises(UnauditedWrite, match="服务层"):
            session.flush()


def test_session_delete_is_refused(db: Database) -> None:
    cm, session = _audited(db)
    session.add(_org())
    session.commit()
    org = session.execute(select(Organization)).scalar_one()
    session.delete(org)
    with pytest.raises(HardDeleteForbidden, match="organization"):
        session.flush()
    session.rollback()
    cm.__exit__(None, None, None)
    with db.session() as s:
        assert len(s.execute(select(Organization)).all()) == 1


def test_orm_delete_statement_is_refused(db: Database) -> None:
    cm, session = _audited(db)
    with pytest.raises(HardDeleteForbidden):
        session.execute(delete(Organization))
    cm.__exit__(None, None, None)


def test_raw_delete_sql_is_refused(db: Database) -> None:
    with db.engine.connect() as conn, pytest.raises(HardDeleteForbidden):
        conn.execute(text("  delete from organization"))


def test_audit_entries_cannot_be_changed(db: Database) -> None:
    cm, session = _audited(db)
    session.add(_org())
    session.commit()
    entry = session.execute(select(AuditEntry)).scalar_one()
    entry.operator = "冒名"
    session.add(entry)
    with pytest.raises(UnauditedWrite, match="只能追加"):
        session.flush()
    session.rollback()
    cm.__exit__(None, None, None)


def test_an_unchanged_assignment_writes_no_update_entry(db: Database) -> None:
    cm, session = _audited(db)
    session.add(_org())
    session.commit()
    org = session.execute(select(Organization)).scalar_one()
    org.status = "active"  # same value
    session.add(org)
    session.commit()
    cm.__exit__(None, None, None)
    with db.session() as s:
        assert [e.operation for e in s.execute(select(AuditEntry)).scalars()] == ["insert"]
