"""The application context: the open database and the operator every audited write is recorded under.

``open_app`` is what the UI's start-up and every CLI command call: it resolves the database
(``--db``, then ``LZCENTER_DB``, then the default file), refuses a database written by a newer
version, and — unless told otherwise — migrates an older one to the current schema after an
automatic backup. Environment failures come out as
:class:`~lzcenter_desktop.storage.errors.EnvironmentProblem` subclasses with Chinese messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from lzcenter_desktop import paths
from lzcenter_desktop.storage.engine import DEFAULT_BUSY_TIMEOUT_MS, Database
from lzcenter_desktop.storage.errors import CannotOpenDatabase, EnvironmentProblem, classify
from lzcenter_desktop.storage.schema import SchemaState, check_not_newer


@dataclass
class AppContext:
    db: Database
    operator: str


FOREIGN_DATABASE_MESSAGE = (
    "该文件是一个数据库，但不是本程序的数据库（缺少版本信息），为避免损坏其中的数据，未打开它。"
    "请检查 --db 或 LZCENTER_DB 指定的路径。"
)


def open_app(
    target: str | None = None,
    *,
    operator: str | None = None,
    migrate: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> AppContext:
    """Open the database named by ``target`` (or the environment / default) and bring it to head."""
    resolved = paths.resolve_db_target(target)
    db = Database.open(resolved, busy_timeout_ms=busy_timeout_ms)
    ctx = AppContext(db=db, operator=operator or paths.operator_name())
    try:
        status = check_not_newer(db.engine)
        if status.state is SchemaState.FOREIGN:
            raise CannotOpenDatabase(FOREIGN_DATABASE_MESSAGE, title="不是本程序的数据库")
        if migrate and status.state is not SchemaState.CURRENT:
            from lzcenter_desktop.services.migrations import migrate as run_migrate

            run_migrate(ctx)
    except EnvironmentProblem:
        db.dispose()
        raise
    except Exception as exc:
        db.dispose()
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    return ctx
