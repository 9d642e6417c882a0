"""The unit of work: one transaction per service call, with its audit entries, or nothing.

Every write of the application runs inside :func:`unit_of_work`. The session it yields carries the
audit context (operator, action, time); the storage guards write one ``audit_entry`` per inserted
or changed row in the same transaction, refuse deletes, and refuse writes made without it.
SQLite's write lock is taken at the start (``BEGIN IMMEDIATE``), so a busy database fails before
any work is done rather than half-way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.permissions import ApprovalNeeded, check_write
from lzcenter_desktop.services.versioning import stale_from_mapper
from lzcenter_desktop.storage.errors import classify
from lzcenter_desktop.storage.guards import AUDIT_KEY, AuditContext

PROPOSE_ACTION = "approvals.propose"


@contextlib.contextmanager
def unit_of_work(ctx: AppContext, action: str) -> Iterator[Session]:
    """A write session: committed when the block ends normally, rolled back on any exception.

    When sign-in is on, the signed-in user's role must allow ``action`` (services/permissions.py),
    checked before anything is written. A four-eyes proposal (:class:`ApprovalNeeded`, raised at
    the point of decision) rolls the work back and is recorded in a unit of work of its own."""
    try:
        with _unit(ctx, action) as session:
            yield session
    except ApprovalNeeded as exc:
        if exc.request_id is None:
            with _unit(ctx, PROPOSE_ACTION) as session:
                session.add(exc.request)
                session.flush()
                exc.request_id = exc.request.id
        raise


@contextlib.contextmanager
def _unit(ctx: AppContext, action: str) -> Iterator[Session]:
    try:
        with ctx.db.write_session() as session:
            session.info[AUDIT_KEY] = AuditContext(operator=ctx.operator, action=action)
            try:
                check_write(session, ctx, action)
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.info.pop(AUDIT_KEY, None)
    except StaleDataError as exc:  # a concurrent save got there first (services/versioning.py)
        with ctx.db.session() as session:
            raise stale_from_mapper(session, exc) from exc
    except Exception as exc:
        problem = classify(exc)
        if problem is not None and problem is not exc:
            raise problem from exc
        raise


@contextlib.contextmanager
def reading(ctx: AppContext) -> Iterator[Session]:
    """A read-only session; environment failures become Chinese messages."""
    try:
        with ctx.db.session() as session:
            yield session
    except Exception as exc:
        problem = classify(exc)
        if problem is not None and problem is not exc:
            raise problem from exc
        raise


def audit_context(session: Session) -> AuditContext:
    """The audit context of the unit of work ``session`` belongs to."""
    ctx = session.info.get(AUDIT_KEY)
    if not isinstance(ctx, AuditContext):
        raise RuntimeError("not inside a unit of work")
    return ctx


def record_event(
    session: Session,
    *,
    operation: str,
    entity: str,
    entity_id: str,
    details: object,
    operator: str | None = None,
) -> None:
    """An audit entry the service writes itself for an event that changes no row of its own (a
    sign-in, an export of the keys, a document issued, a restore, a copy): ``details`` as sorted
    JSON in ``after``, in the unit of work's transaction and chain."""
    _add_entry(session, operation, entity, entity_id, None, details, operator)


def record_change(session: Session, *, entity: str, entity_id: str, before: object, after: object) -> None:
    """The audit entry of an UPDATE a service made with a statement rather than through the ORM
    (which the unit of work's own listener would have recorded): ``before`` and ``after`` as
    sorted JSON."""
    _add_entry(session, "update", entity, entity_id, before, after, None)


def _add_entry(
    session: Session,
    operation: str,
    entity: str,
    entity_id: str,
    before: object,
    after: object,
    operator: str | None,
) -> None:
    import json

    from lzcenter_desktop.storage.models import AuditEntry, utcnow

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    audit = audit_context(session)
    session.add(
        AuditEntry(
            operator=operator if operator is not None else audit.operator,
            action=audit.action,
            operation=operation,
            entity=entity,
            entity_id=entity_id[:60],
            before=None if before is None else dump(before),
            after=dump(after),
            txn=audit.txn,
            at=utcnow(),
        )
    )
    audit.entries += 1
