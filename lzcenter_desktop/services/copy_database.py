"""Copying a whole database to another one (``lzcenter-desktop copy-database SRC DST``): how a
bureau moves from its SQLite file to PostgreSQL (any pair of SQLite / PostgreSQL databases works).

1. The source is opened read-only and checked (:mod:`.copy_database_checks`): a database of this
   program, whole, at the current schema; its audit chain must verify (the same walk as
   ``audit verify``). The target must hold no data; it is brought to the current schema with the
   program's migrations.
2. Every table is copied in foreign-key order in **one** transaction on the target, with Core
   inserts that keep every primary key and every value — the audit rows included, exactly as in
   the source: the copy is not a new edit, so no audit entry is made per row and the chain is the
   source's chain. Rows are streamed in batches (a long audit trail is never all in memory). The
   rows a new database already holds from its migrations (the key industries) are set to the
   source's values by key, never deleted. PostgreSQL's sequences are then set so that the next new
   row of each table gets ``max(id) + 1``.
3. Before the commit: the row counts of every table are compared with the source's, and the audit
   chain is walked on the target; its newest hash must be the source's. Any difference rolls
   everything back.
4. After the commit one audit entry (``database.copy``) records the copy — source, counts — through
   a normal unit of work, so the chain continues on the target; the chain is verified once more
   with :func:`~lzcenter_desktop.services.audit_chain.verify_chain` and its anchor reported.

The certificate keys are not in the database (:mod:`.keystore`); the report says which keys this
computer holds for the target and how to bring them to another (``key export`` / ``key import``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from lzcenter_desktop.domain.audit_chain import ChainCheck, find_break
from lzcenter_desktop.services.audit_chain import AuditAnchor, ChainVerification, verify_chain
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.copy_database_checks import (
    CopyError,
    CopyInputError,
    CopyRefused,
    check_source_tables,
    open_source,
    open_target,
    same_database,
    shown,
    source_counts,
    tables_with_data,
)
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.schema_upgrade import bring_to_head
from lzcenter_desktop.services.uow import audit_context, unit_of_work
from lzcenter_desktop.storage.audit_chain import iter_entries
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.errors import EnvironmentProblem
from lzcenter_desktop.storage.models import AuditEntry, metadata

COPY_ACTION = "database.copy"
COPY_OPERATION = "copy"
COPY_ENTITY = "database"
DEFAULT_BATCH = 1000
SHOWN_TABLES = 5  # tables named when a target with data is refused

__all__ = [
    "COPY_ACTION",
    "CopyError",
    "CopyInputError",
    "CopyRefused",
    "CopyReport",
    "TableCount",
    "copy_database",
]

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def equal(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class CopyReport:
    source: str  # as shown (a URL without its password)
    target: str
    tables: list[TableCount]
    chain: ChainVerification  # the target's chain after the copy's own audit entry
    source_anchor: AuditAnchor | None  # the source's newest entry, now also on the target
    key_lines: list[str] = field(default_factory=list)  # what to do about the certificate keys

    @property
    def rows(self) -> int:
        return sum(t.source for t in self.tables)


def _noop(_line: str) -> None:
    return None


def copy_database(
    src: str,
    dst: str,
    *,
    operator: str,
    progress: Progress | None = None,
    batch: int = DEFAULT_BATCH,
) -> CopyReport:
    """Copy the database ``src`` (path or URL) into the empty database ``dst`` (see the module).

    Raises :class:`CopyInputError` (bad arguments) or :class:`CopyRefused` (a refused database,
    a failed check) with a Chinese message; then nothing was committed on the target."""
    say = progress or _noop
    if not src.strip() or not dst.strip():
        raise CopyInputError("请写出源数据库和目标数据库（文件路径或数据库地址）。", field="数据库")
    if same_database(src, dst):
        raise CopyInputError("源数据库和目标数据库是同一个，不能复制到它自己。", field="数据库")
    source = open_source(src)
    try:
        with source.connect() as src_conn:
            check_source_tables(src_conn, source.name)
            say(f"核对源数据库“{source.name}”的审计链 …")
            src_chain = find_break(iter_entries(src_conn))
            if src_chain.first_break is not None:
                raise CopyRefused(
                    f"源数据库“{source.name}”的审计链核对未通过，未复制：{src_chain.first_break.message()}"
                    "请先查明原因（lzcenter-desktop audit verify），从完好的备份恢复后再复制。",
                    field="审计链",
                )
            counts = source_counts(src_conn)
            target = open_target(dst)  # only now: a refused source leaves the target untouched
            try:
                dst_name = shown(dst)
                _refuse_data(target, dst_name)
                try:
                    bring_to_head(target)
                except (EnvironmentProblem, SQLAlchemyError) as exc:
                    reason = exc.message if isinstance(exc, EnvironmentProblem) else str(exc).strip()[:300]
                    raise CopyRefused(
                        f"目标数据库“{dst_name}”无法建立数据表：{reason}", field="目标数据库"
                    ) from exc
                _refuse_data(target, dst_name)  # nothing slipped in meanwhile
                tables = _copy_tables(src_conn, target, counts, src_chain, say, max(1, batch))
                anchor = _anchor(src_chain)
                _record_copy(target, operator, source.name, dst_name, tables, anchor)
                chain = verify_chain(AppContext(db=target, operator=operator))
                if not chain.ok:  # the copy is committed: this would be a fault of the program itself
                    raise CopyRefused(
                        "复制已保存，但随后目标数据库的审计链核对未通过："
                        + "；".join(chain.messages())
                        + "请不要使用目标数据库，并联系系统维护人员。",
                        field="审计链",
                    )
                return CopyReport(source.name, dst_name, tables, chain, anchor, _key_lines(target, operator))
            finally:
                target.dispose()
    finally:
        source.dispose()


def _refuse_data(target: Database, name: str) -> None:
    found = tables_with_data(target)
    if found:
        listed = "、".join(f"{t}（{n} 行）" for t, n in found[:SHOWN_TABLES])
        if len(found) > SHOWN_TABLES:
            listed += f" 等 {len(found)} 张表"
        raise CopyRefused(
            f"目标数据库“{name}”中已有数据：{listed}。为免覆盖，未复制任何内容。请指定一个空数据库。",
            field="目标数据库",
        )


def _anchor(check: ChainCheck) -> AuditAnchor | None:
    if check.last_id is None or check.last_at is None:
        return None
    at = check.last_at if check.last_at.tzinfo is not None else check.last_at.replace(tzinfo=UTC)
    return AuditAnchor(check.last_id, at, check.last_hash)


# --------------------------------------------------------------------------- the transaction


def _copy_tables(
    src_conn: Connection,
    target: Database,
    counts: dict[str, int],
    src_chain: ChainCheck,
    say: Progress,
    batch: int,
) -> list[TableCount]:
    tables = list(metadata.sorted_tables)
    engine = target.engine.execution_options(lz_begin="IMMEDIATE")
    with engine.connect() as conn, conn.begin() as txn:
        for number, table in enumerate(tables, start=1):
            try:
                copied = _copy_table(src_conn, conn, table, batch, say, counts[table.name])
            except SQLAlchemyError as exc:
                reason = getattr(exc, "orig", None) or exc
                raise CopyRefused(
                    f"复制数据表 {table.name} 时目标数据库拒绝了数据（{str(reason).strip()[:300]}），"
                    "未保存任何内容。",
                    field="目标数据库",
                ) from exc
            say(f"[{number}/{len(tables)}] {table.name}：{copied} 行")
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, tables)
        if conn.dialect.name == "sqlite":
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise CopyRefused(f"复制后外键核对未通过（{problems[:3]}），未保存任何内容。", field="外键")
        result = [
            TableCount(
                t.name, counts[t.name], int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            )
            for t in tables
        ]
        unequal = [t for t in result if not t.equal]
        if unequal:
            listed = "、".join(f"{t.table}（源 {t.source}，目标 {t.target}）" for t in unequal)
            raise CopyRefused(f"复制后行数不一致：{listed}。未保存任何内容。", field="行数")
        say("核对目标数据库的审计链 …")
        dst_chain = find_break(iter_entries(conn))
        if dst_chain.first_break is not None:
            raise CopyRefused(
                f"复制后目标数据库的审计链核对未通过：{dst_chain.first_break.message()}未保存任何内容。",
                field="审计链",
            )
        if (dst_chain.entries, dst_chain.last_hash) != (src_chain.entries, src_chain.last_hash):
            raise CopyRefused(
                f"复制后目标数据库的审计链与源不同（源 {src_chain.entries} 条，目标 {dst_chain.entries} 条，"
                "最新哈希不一致）。未保存任何内容。",
                field="审计链",
            )
        txn.commit()
    return result


def _batches(src_conn: Connection, table: Table, batch: int) -> Iterator[Sequence[Any]]:
    """The source rows of ``table`` in primary-key order, ``batch`` at a time (keyset paging: no
    server-side cursor needed and never more than one batch in memory)."""
    pk = list(table.primary_key.columns)
    stmt = select(table).order_by(*pk).limit(batch)
    last: Any = None
    while True:
        query = stmt if last is None else stmt.where(_after(pk, last))
        rows = src_conn.execute(query).all()
        if rows:
            yield rows
        if len(rows) < batch:
            return
        last = tuple(getattr(rows[-1], c.key) for c in pk)


def _after(pk: list[Any], last: tuple[Any, ...]) -> Any:
    if len(pk) == 1:
        return pk[0] > last[0]
    from sqlalchemy import tuple_

    return tuple_(*pk) > tuple_(*last)


def _copy_table(
    src_conn: Connection, conn: Connection, table: Table, batch: int, say: Progress, total: int
) -> int:
    pk = list(table.primary_key.columns)
    present: set[tuple[Any, ...]] = set()
    if int(conn.execute(select(func.count()).select_from(table)).scalar_one()):
        # rows the migrations wrote (checked to be exactly those): set to the source's values
        present = {tuple(r) for r in conn.execute(select(*pk))}
    update = None
    if present:
        update = (
            table.update()
            .where(and_(*(c == bindparam(f"_pk_{c.key}") for c in pk)))
            .values({c.key: bindparam(c.key) for c in table.columns if not c.primary_key})
        )
    copied = 0
    for rows in _batches(src_conn, table, batch):
        values = [dict(row._mapping) for row in rows]
        fresh = values
        if update is not None:
            fresh = []
            for row in values:
                key = tuple(row[c.key] for c in pk)
                if key in present:
                    conn.execute(update, [row | {f"_pk_{c.key}": row[c.key] for c in pk}])
                else:
                    fresh.append(row)
        if fresh:
            conn.execute(table.insert(), fresh)
        copied += len(values)
        if total > batch * 10 and copied % (batch * 10) == 0:
            say(f"  {table.name}：{copied}/{total} 行 …")
    return copied


def _reset_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """Each PostgreSQL sequence behind an integer key: the next value is ``max(id) + 1``."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        ).scalar_one()
        if sequence is None:
            continue
        top = conn.execute(select(func.max(pk[0]))).scalar_one()
        conn.execute(
            text("SELECT setval(CAST(:s AS regclass), :v, false)"), {"s": sequence, "v": int(top or 0) + 1}
        )


# --------------------------------------------------------------------------- after the commit


def _record_copy(
    target: Database,
    operator: str,
    src_name: str,
    dst_name: str,
    tables: list[TableCount],
    anchor: AuditAnchor | None,
) -> None:
    """One audit entry on the target recording the copy, through a normal unit of work."""
    details = {
        "copied_from": src_name,
        "copied_to": dst_name,
        "rows": {t.table: t.source for t in tables if t.source},
        "source_anchor": anchor.entry_hash if anchor is not None else None,
        "by": operator,
    }
    ctx = AppContext(db=target, operator=operator)
    with unit_of_work(ctx, COPY_ACTION) as session:
        session.add(
            AuditEntry(
                operator=operator,
                action=COPY_ACTION,
                operation=COPY_OPERATION,
                entity=COPY_ENTITY,
                entity_id=src_name[-60:],
                before=None,
                after=json.dumps(details, ensure_ascii=False, sort_keys=True),
                txn=audit_context(session).txn,
            )
        )


def _key_lines(target: Database, operator: str) -> list[str]:
    """What to do so that certificates verify on the target (the keys are not in the database)."""
    from lzcenter_desktop.services.documents_key import key_records, missing_key_ids
    from lzcenter_desktop.services.uow import reading

    ctx = AppContext(db=target, operator=operator)
    with reading(ctx) as session:
        records = key_records(session)
    if not records.fingerprints and records.legacy is None:
        return ["证书密钥：源数据库还没有证书密钥，无需处理。"]
    lines: list[str] = []
    if records.legacy is not None:
        lines.append(
            "证书密钥：源数据库仍保存着旧式证书密钥（在数据库中），已随数据复制到目标数据库。"
            "请在目标数据库上执行一次 lzcenter-desktop --db 目标 key status，"
            "密钥会被移入本机密钥库并从数据库中清除，然后导出密钥备份。"
        )
    ids = "、".join(sorted(records.fingerprints)) or "（无）"
    try:
        missing = missing_key_ids(ctx)
    except ServiceError:
        missing = sorted(records.fingerprints)
    held = (
        "本机已持有全部密钥，目标数据库在本机可直接签发和核验证书"
        if not missing
        else (f"本机没有其中的 {'、'.join(missing)}")
    )
    lines.append(f"证书密钥（{ids}）不在数据库中，未随复制转移；目标数据库沿用同一个密钥环：{held}。")
    lines.append(
        "在其他电脑上使用目标数据库前：先在持有密钥的电脑上执行 "
        "lzcenter-desktop --db 源 key export 备份文件，再在每台电脑上执行 "
        "lzcenter-desktop --db 目标 key import 备份文件，证书才能在那里核验和签发。"
    )
    return lines
