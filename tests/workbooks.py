"""Hostile workbooks for tests, made inside the test: small on disk, over the limits when inflated.

Each starts from a real workbook (the template, filled or not) and replaces one part of the zip
archive, streaming the new part so that even a million rows never sit in memory at once.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

STAFF_PART = "xl/worksheets/sheet5.xml"  # 研发人员 in the 2026 template
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _deflated(part: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(part, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def rewrite(source: Path, dest: Path, part: str, chunks: Iterable[str | bytes], *, level: int = 9) -> Path:
    """Copy the workbook ``source`` to ``dest`` with ``part`` replaced by ``chunks``, deflated (added
    at the end when the workbook has no such part)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", compresslevel=level) as out:
        names = [info.filename for info in src.infolist()]
        for info in src.infolist():
            if info.filename == part:
                _write(out, part, chunks)
            else:
                out.writestr(info, src.read(info.filename))
        if part not in names:
            _write(out, part, chunks)
    return dest


def _write(out: zipfile.ZipFile, part: str, chunks: Iterable[str | bytes]) -> None:
    with out.open(_deflated(part), "w", force_zip64=False) as fh:
        pending: list[bytes] = []
        size = 0
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            pending.append(data)
            size += len(data)
            if size > 1 << 20:
                fh.write(b"".join(pending))
                pending, size = [], 0
        fh.write(b"".join(pending))


def sheet(rows: Iterable[str]) -> Iterator[str]:
    """A worksheet part around ``rows`` (each a ``<row>…</row>``)."""
    yield SHEET_HEAD
    yield from rows
    yield SHEET_TAIL


def numbered_rows(count: int, *, first: int = 2, numbered: bool = True) -> Iterator[str]:
    """``count`` rows from row ``first``, each with one number in column A. Without ``numbered`` the
    rows and cells carry no ``r`` attribute (allowed: each follows the previous one), so they are
    all alike and deflate about a thousand times."""
    if not numbered:
        for _ in range(count):
            yield "<row><c><v>1</v></c></row>"
        return
    for r in range(first, first + count):
        yield f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>'


def row_bomb(source: Path, dest: Path, rows: int, *, numbered: bool = False) -> Path:
    """The 研发人员 sheet with ``rows`` rows: a million alike rows inflate to 26 MB from tens of KB."""
    return rewrite(source, dest, STAFF_PART, sheet(numbered_rows(rows, numbered=numbered)))


def declare_size(path: Path, part: str, size: int) -> None:
    """Make the archive lie: ``part`` claims to inflate to ``size`` bytes (local header and central
    directory both), whatever its data really inflate to."""
    content = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    # local header: uncompressed size at offset 22
    struct.pack_into("<I", content, info.header_offset + 22, size)
    # central directory entry: find it by its signature and name
    name = part.encode("utf-8")
    at = 0
    while True:
        at = content.find(b"PK\x01\x02", at)
        assert at >= 0, part
        name_len = struct.unpack_from("<H", content, at + 28)[0]
        if bytes(content[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", content, at + 24, size)
            break
        at += 4
    path.write_bytes(bytes(content))
