"""Several clerks on one database: the warning for a SQLite file on a network share.

A SQLite file on a network drive (a UNC path ``\\\\server\\share\\…`` or a mapped drive on Windows;
an NFS/SMB mount elsewhere) is opened without WAL (storage/engine.py: WAL needs shared memory the
network file systems do not give) — and even so, the file systems' locking is not reliable enough
for several computers writing at once. The program still opens it, and says once what to do
instead: a PostgreSQL server (docs/operations.md, “多人同时使用”; ``copy-database`` moves the data).
The command line prints it on stderr; the main window shows it in its status bar — never a modal.
"""

from __future__ import annotations

from pathlib import Path

from lzcenter_desktop import paths
from lzcenter_desktop.storage import engine


def network_drive_warning_for(path: Path | None) -> str | None:
    """The Chinese warning when the SQLite file ``path`` is on a network share, else ``None``
    (a PostgreSQL URL has no path: ``None``)."""
    if path is None or not engine.is_network_path(path):
        return None
    return (
        f"数据库文件“{path}”位于网络共享文件夹（网络驱动器）上。"
        "多台电脑通过网络共享同时使用同一个 SQLite 文件可能损坏数据，程序已为此关闭 WAL 模式，"
        "但仍只适合一人使用。多人同时使用请改用 PostgreSQL 数据库服务器："
        "用 lzcenter-desktop copy-database 把现有数据复制过去，再以 --db postgresql+psycopg://… 打开"
        "（见操作手册“多人同时使用”）。"
    )


def network_drive_warning(target: str | None) -> str | None:
    """:func:`network_drive_warning_for` of the database ``--db`` (or the environment / default)
    names, before it is opened; ``None`` for a URL."""
    resolved = paths.resolve_db_target(target)
    if not resolved.strip() or paths.is_url(resolved):
        return None
    return network_drive_warning_for(Path(resolved))
