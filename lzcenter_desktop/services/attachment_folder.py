"""Where the attachments of a database are kept.

A SQLite file keeps them beside itself (``<database folder>/attachments/``). A shared database on
a server has no folder of its own: its attachments go to a shared folder every PC of the bureau
reaches (e.g. ``\\\\文件服务器\\中心管理\\附件``), named once by an administrator and kept in the
database (``app_setting`` ``attachments_folder``), so every PC finds the same files. Until it is
named, adding an attachment to a shared database is refused with a message saying how to name it.
A SQLite file may name a folder too (it then wins over the default).
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AppSetting

FOLDER_KEY = "attachments_folder"
MAX_FOLDER_CHARS = 200  # the width of app_setting.value

NOT_SET_MESSAGE = (
    "当前数据库在服务器上（多台电脑共用），附件须保存在各台电脑都能访问的共享文件夹中，"
    "但还没有指定这个文件夹。请管理员先指定附件文件夹："
    "lzcenter-desktop attachments-folder 共享文件夹路径（例如 \\\\文件服务器\\中心管理\\附件）。"
)


def _stored(session: Session) -> str:
    row = session.get(AppSetting, FOLDER_KEY)
    return row.value.strip() if row is not None else ""


def configured_folder(ctx: AppContext) -> Path | None:
    """The folder named for this database; None when none was named."""
    with reading(ctx) as session:
        value = _stored(session)
    return Path(value) if value else None


def attachments_root(ctx: AppContext) -> Path:
    """The folder the attachments of ``ctx``'s database live in (see the module's text)."""
    named = configured_folder(ctx)
    if named is not None:
        return named
    if ctx.db.path is None:
        raise ServiceError(NOT_SET_MESSAGE, field="附件文件夹")
    return ctx.db.path.parent / "attachments"


def set_attachments_folder(ctx: AppContext, folder: str) -> Path:
    """Name the attachments folder of the database (an administrator's step, audited). The folder
    must exist and be a folder; an empty value goes back to the default of a SQLite file."""
    text = (folder or "").strip()
    if len(text) > MAX_FOLDER_CHARS:
        raise ServiceError(
            f"附件文件夹的路径有 {len(text)} 个字符，最多 {MAX_FOLDER_CHARS} 个，请选一个路径较短的文件夹。",
            field="附件文件夹",
        )
    if text:
        path = Path(text).expanduser()
        if not path.exists():
            raise ServiceError(f"找不到文件夹“{text}”：请先建好这个共享文件夹，再指定。", field="附件文件夹")
        if not path.is_dir():
            raise ServiceError(f"“{text}”是一个文件，不是文件夹。", field="附件文件夹")
        text = str(path)
    elif ctx.db.path is None:
        raise ServiceError("服务器上的数据库必须指定附件文件夹，不能清空。", field="附件文件夹")
    with unit_of_work(ctx, "settings.attachments_folder") as session:
        row = session.get(AppSetting, FOLDER_KEY)
        if row is None:
            session.add(AppSetting(key=FOLDER_KEY, value=text))
        else:
            row.value = text
            session.add(row)
    return Path(text) if text else attachments_root(ctx)
