"""Writing a file the clerk chose: complete or not at all, and a message that says why not.

Every export, template, PDF and backup copy the application writes goes through :func:`writing`:
the content goes to a temporary file in the same folder, which is renamed over the chosen name
only when it is complete — a full disk, a killed process or a drawing error never leaves a
truncated file under the real name, nor a temporary file behind. What goes wrong is said in
Chinese with the file's name, the reason and what to do; never "数据库只读" (the database is not
involved) and never the crash dialog.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lzcenter_desktop.services.errors import ServiceError


class OutputError(ServiceError):
    """The chosen file cannot be written; ``str(exc)`` names the file, the reason and what to do."""


def _reason(exc: OSError, target: Path) -> str:
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return f"无法保存“{target}”：磁盘空间已满。请清理磁盘或换一个位置保存"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        if target.exists() and not os.access(target, os.W_OK):
            return f"无法保存“{target}”：该文件是只读的（或正被其他程序打开）。请换一个文件名或位置"
        return f"无法保存“{target}”：没有写入文件夹“{target.parent}”的权限（只读）。请换一个位置保存"
    if code == errno.ENAMETOOLONG:
        return f"无法保存“{target}”：文件名或路径过长。请换一个较短的名称"
    if code == errno.ENOENT:
        return f"无法保存“{target}”：文件夹“{target.parent}”不存在。请先建立文件夹或换一个位置"
    detail = exc.strerror or str(exc)
    return f"无法保存“{target}”：{detail}"


def check_target(path: Path) -> Path:
    """``path`` as a file that can be created: refuses a folder, a missing folder and a read-only
    existing file up front (before any work is done)."""
    target = Path(path)
    if str(path).strip() in ("", "."):
        raise OutputError("请指定要保存的文件名", field="文件")
    if target.is_dir():
        raise OutputError(f"无法保存“{target}”：这是一个文件夹，请在其中指定一个文件名", field="文件")
    if not target.parent.is_dir():
        raise OutputError(
            f"无法保存“{target}”：文件夹“{target.parent}”不存在。请先建立文件夹或换一个位置", field="文件"
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(
            f"无法保存“{target}”：该文件是只读的（或正被其他程序打开）。请换一个文件名或位置", field="文件"
        )
    return target


@contextlib.contextmanager
def writing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; on success it replaces ``path``.

    Raises :class:`OutputError` for every file-system problem (before or while writing); the
    temporary file is removed whatever happens, and ``path`` is untouched unless all went well."""
    target = check_target(path)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=f".part{target.suffix}", dir=target.parent
        )
        os.close(handle)
    except OSError as exc:
        raise OutputError(_reason(exc, target), field="文件") from exc
    tmp = Path(name)
    try:
        try:
            yield tmp
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(_reason(exc, target), field="文件") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` completely or not at all."""
    with writing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
