"""Reading a file the clerk chose (a committees or interchange JSON file), with bounds.

``ui`` and ``cli`` read such files through here, not through ``lzcenter_desktop.documents``:
the bounded readers of :mod:`lzcenter_desktop.documents.inbound` are re-exported
(:func:`read_regular`, :func:`loads_json`, :class:`RefusedFile`, :class:`JsonRefused`), and
:func:`read_json_file` does the whole read with one Chinese message naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lzcenter_desktop.documents.inbound import (
    JsonRefused,
    RefusedFile,
    loads_json,
    read_regular,
    size_text,
)
from lzcenter_desktop.services.errors import ServiceError

__all__ = [
    "JsonRefused",
    "RefusedFile",
    "UnreadableFile",
    "loads_json",
    "read_json_file",
    "read_regular",
    "size_text",
]


class UnreadableFile(ServiceError):
    """The file could not be read as bounded JSON; the message names the file and the fault."""


def read_json_file(path: Path, *, max_bytes: int) -> Any:
    """The JSON value of ``path``, read with bounds: only a regular file of at most ``max_bytes``
    (a pipe or a device is refused before it is opened, never read), UTF-8, without duplicate
    keys, deep nesting or lone surrogates. Raises :class:`UnreadableFile` with a Chinese message
    naming the file."""
    name = f"文件“{path.name}”"
    try:
        raw = read_regular(path, max_bytes=max_bytes)
    except RefusedFile as exc:
        raise UnreadableFile(f"{name}：{exc}", field="文件") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{name}：不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节有误）", field="文件"
        ) from None
    try:
        return loads_json(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"{name}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）", field="文件"
        ) from None
    except JsonRefused as exc:
        raise UnreadableFile(f"{name}：{exc}，不能导入", field="文件") from None
    except (ValueError, RecursionError) as exc:
        raise UnreadableFile(f"{name}：不是有效的 JSON（{exc}）", field="文件") from None
