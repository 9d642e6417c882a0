"""Files a user names — an applicant's workbook, an interchange JSON file, a scanned attachment —
read with bounds, so that no file can stall the program or exhaust its memory.

* Only a regular file is read. A named pipe (FIFO), a device such as ``/dev/zero``, a socket or a
  folder is refused before it is opened (``os.stat``), and again on the open descriptor
  (``os.fstat``) in case the path was swapped in between; the open itself never waits for a
  writer (``O_NONBLOCK``). So a read never blocks and never runs forever.
* At most ``max_bytes`` are read, whatever size the file claimed when it was looked at.
* JSON (:func:`loads_json`): duplicate keys, nesting deeper than :data:`MAX_JSON_DEPTH`, more than
  :data:`MAX_JSON_CONTAINERS` objects and arrays, strings longer than :data:`MAX_JSON_STRING` and
  lone surrogates (``"\\ud800"``, not text at all) are refused, naming the JSON path of the place.

Every refusal is a Chinese sentence without the path of the file, for the caller to put after it.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

MAX_JSON_DEPTH = 32  # the interchange formats nest 5 levels deep
MAX_JSON_STRING = 100_000  # characters of one key or value; the longest field allows a few thousand
MAX_JSON_CONTAINERS = 200_000  # objects and arrays: a declaration has a few hundred

_READ_CHUNK = 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class RefusedFile(Exception):
    """The file was not read. ``str()`` is the Chinese reason (the caller names the file);
    ``kind`` is one of ``missing``, ``folder``, ``not_regular``, ``permission``, ``too_large``,
    ``unreadable``."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.kind = kind


class JsonRefused(ValueError):
    """Valid JSON syntax that is refused all the same. ``path`` is the JSON path of the place
    (``staff[3].name``, empty for the whole text), ``detail`` the Chinese reason; ``str()`` says both."""

    def __init__(self, detail: str, path: str = "") -> None:
        where = f"JSON 中“{path}”处" if path else "JSON "
        super().__init__(where + detail)
        self.path = path
        self.detail = detail


def size_text(n: int) -> str:
    """``20 MB``, ``180 KB``, ``12 字节``."""
    if n >= 1024 * 1024:
        value = n / 1024 / 1024
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if n >= 1024:
        return f"{n // 1024} KB"
    return f"{n} 字节"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode):
        return "字符设备"
    if stat.S_ISBLK(mode):
        return "块设备"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _refuse_mode(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise RefusedFile("这是一个文件夹，不是文件", "folder")
    if not stat.S_ISREG(mode):
        raise RefusedFile(
            f"不是普通文件（是{_kind_of(mode)}），不能读取；请选择保存在磁盘上的文件", "not_regular"
        )


def _os_refusal(exc: OSError) -> RefusedFile:
    if isinstance(exc, FileNotFoundError):
        return RefusedFile("文件不存在", "missing")
    if isinstance(exc, IsADirectoryError):
        return RefusedFile("这是一个文件夹，不是文件", "folder")
    if isinstance(exc, PermissionError):
        return RefusedFile("没有读取该文件的权限", "permission")
    return RefusedFile(f"无法读取文件（{exc.strerror or exc}）", "unreadable")


def regular_size(path: Path) -> int:
    """The size of the regular file ``path`` (symbolic links followed), looked at without opening it.
    Raises :class:`RefusedFile` for anything that is not a regular file."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _os_refusal(exc) from None
    _refuse_mode(info.st_mode)
    return info.st_size


def open_regular(path: Path, *, max_bytes: int | None = None) -> BinaryIO:
    """``path`` opened for reading, after checking (before and after opening) that it is a regular
    file of at most ``max_bytes``. The caller closes it."""
    size = regular_size(path)
    if max_bytes is not None and size > max_bytes:
        raise RefusedFile(f"文件有 {size_text(size)}，超过 {size_text(max_bytes)} 的上限", "too_large")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_refusal(exc) from None
    try:
        _refuse_mode(os.fstat(fd).st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, *, max_bytes: int) -> bytes:
    """The content of the regular file ``path``; refused when it is (or grows) over ``max_bytes``."""
    chunks: list[bytes] = []
    total = 0
    with open_regular(path, max_bytes=max_bytes) as fh:
        try:
            while chunk := fh.read(min(_READ_CHUNK, max_bytes + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise RefusedFile(f"文件超过 {size_text(max_bytes)} 的上限", "too_large")
        except OSError as exc:
            raise _os_refusal(exc) from None
    return b"".join(chunks)


# ---------------------------------------------------------------- JSON


class _Duplicated(dict[str, Any]):
    """An object of the JSON text in which ``duplicates`` appeared more than once."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    repeated: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    marked = _Duplicated(result)
    marked.duplicates = repeated
    return marked


def _no_constant(name: str) -> object:
    raise ValueError(f"JSON 中不允许 {name}")


# A link of the JSON path: (parent link, key or index); the text is built only for a message.
_Link = tuple[Any, str | int] | None


def _path(link: _Link) -> str:
    parts: list[str | int] = []
    while link is not None:
        link, key = link
        parts.append(key)
    text = ""
    for key in reversed(parts):
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _check_text(text: str, link: _Link, what: str, surrogates: bool) -> None:
    if len(text) > MAX_JSON_STRING:
        raise JsonRefused(f"{what}长 {len(text)} 个字符，超过 {MAX_JSON_STRING} 个字符的上限", _path(link))
    if surrogates and (found := _SURROGATE.search(text)) is not None:
        raise JsonRefused(
            f"{what}含有不成对的代理字符 \\u{ord(found.group()):04x}（不是有效的文字），"
            "请检查生成该文件的程序",
            _path(link),
        )


def _checked(value: Any, surrogates: bool) -> None:
    """Walk the parsed value once, without recursion: duplicate keys, depth, strings."""
    if isinstance(value, str):
        _check_text(value, None, "文字", surrogates)
    stack: list[tuple[Any, int, _Link]] = [(value, 1, None)] if isinstance(value, dict | list) else []
    while stack:
        node, depth, link = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise JsonRefused(f"嵌套超过 {MAX_JSON_DEPTH} 层，不是交换格式文件", _path(link))
        if isinstance(node, dict):
            if isinstance(node, _Duplicated):
                keys = "、".join(f"“{k}”" for k in node.duplicates)
                where = "" if link is not None else "最外层对象的"
                raise JsonRefused(f"{where}键 {keys} 重复出现，无法确定以哪个为准", _path(link))
            items: Any = node.items()
        else:
            items = enumerate(node)
        for key, item in items:
            if isinstance(key, str):
                _check_text(key, link, "键", surrogates)
            if isinstance(item, str):
                _check_text(item, (link, key), "文字", surrogates)
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1, (link, key)))


def loads_json(text: str) -> Any:
    """The JSON value of ``text``, refused (:class:`JsonRefused`, Chinese, with the JSON path) when it
    has duplicate keys, is nested too deep, has too many objects and arrays, an over-long string or
    a lone surrogate. Bad syntax raises :class:`json.JSONDecodeError`, ``NaN``/``Infinity`` a
    :class:`ValueError`."""
    containers = text.count("{") + text.count("[")  # an upper bound: brackets inside strings count too
    if containers > MAX_JSON_CONTAINERS:
        raise JsonRefused(f"对象和数组过多（超过 {MAX_JSON_CONTAINERS} 个），不是交换格式文件")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except RecursionError:
        raise JsonRefused(f"嵌套超过 {MAX_JSON_DEPTH} 层，不是交换格式文件") from None
    # a lone surrogate can only come from a \uD800–\uDFFF escape; without one there is nothing to look for
    _checked(value, surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    return value
