"""Limits an applicant's workbook must keep before it is parsed, so that no file can stall the
program or exhaust its memory (a "zip bomb": 180 KB on disk inflating to a million rows).

An .xlsx file is a zip archive of XML parts. In order, and each before anything larger is done:

1. the file on disk: at most :data:`MAX_FILE_BYTES` (checked by the caller with ``os.stat``);
2. the archive's directory: at most :data:`MAX_PARTS` parts (from the end record, before the
   directory itself is read), and for every part its *declared* uncompressed size (at most
   :data:`MAX_PART_BYTES`, or :data:`MAX_WHOLE_PART_BYTES` for the XML parts openpyxl parses in
   one piece), their total (:data:`MAX_TOTAL_BYTES`) and its compression ratio
   (:data:`MAX_RATIO`); ``zipfile`` never inflates a part past its declared size (a part that
   lies about it fails its CRC check and the file is refused as damaged);
3. every XML part, streamed through expat in small chunks with constant memory: no DTD (so no
   entity expansion), nesting at most :data:`MAX_XML_DEPTH`, at most :data:`MAX_ROWS` rows and
   :data:`MAX_COLUMNS` columns per sheet, :data:`MAX_CELLS` cells in the workbook, and
   :data:`MAX_CELL_CHARS` characters per cell or shared string (Excel's own limit).

Only then does openpyxl read the workbook (read-only mode), and it reads no more than was scanned.
The scan also notes which cells hold a formula: an applicant's workbook is read for its values,
and a formula's cached value may be stale or missing, so such a cell is reported, not imported.

Every refusal is a :class:`WorkbookRefused` whose message is Chinese and says which limit.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from lzcenter_desktop.documents.inbound import size_text

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled template is about 40 KB
MAX_PARTS = 1000
MAX_PART_BYTES = 20 * 1024 * 1024  # sheets and shared strings, which openpyxl streams
MAX_WHOLE_PART_BYTES = 5 * 1024 * 1024  # other XML parts, which openpyxl parses in one piece
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # a template's parts inflate 2–15 times
RATIO_FLOOR = 256 * 1024  # a part inflating to less than this cannot do harm, whatever its ratio
MAX_ROWS = 10_000  # per sheet: the template's tables have tens to hundreds of rows
MAX_COLUMNS = 200
MAX_CELLS = 300_000  # in the whole workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_XML_DEPTH = 64
MAX_ROW_ELEMENTS = MAX_COLUMNS * 20  # elements inside one row (cells and what they hold)
MAX_PART_ELEMENTS = 2_000_000
MAX_WHOLE_PART_ELEMENTS = 200_000
_CHUNK = 64 * 1024
_EOCD = b"PK\x05\x06"
_STREAMED_ROOTS = frozenset({"worksheet", "sst"})


class WorkbookRefused(Exception):
    """The workbook was not parsed; ``str()`` is the Chinese reason, naming the file and the limit."""


class ReadCancelled(Exception):
    """Reading stopped because the caller's ``stop()`` turned true (the clerk pressed 取消)."""


@dataclass(slots=True)
class WorkbookScan:
    """What the scan learnt: the cells holding a formula, per sheet part (``xl/worksheets/sheet5.xml``),
    as (row, column) pairs, and the sheet names of the parts."""

    formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    sheet_names: dict[str, str] = field(default_factory=dict)


def _mb(n: int) -> str:
    return size_text(n)


def _whole(name: str) -> bool:
    """An XML part openpyxl parses in one piece (everything but sheets and shared strings)."""
    lower = name.lower()
    if not lower.endswith((".xml", ".rels")):
        return False
    return not (lower.startswith("xl/worksheets/") or lower.endswith("sharedstrings.xml"))


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _declared_parts(content: bytes) -> int | None:
    """The number of parts the archive's end record declares (None when there is no end record)."""
    if len(content) >= 22 and content[-22:-18] == _EOCD:
        at = len(content) - 22
    else:
        at = content.rfind(_EOCD, max(0, len(content) - 22 - 65535))
        if at < 0 or at + 22 > len(content):
            return None
    (count,) = struct.unpack("<H", content[at + 10 : at + 12])
    return int(count)


class _Scanner:
    """One XML part through expat with constant memory, checking the limits as it goes."""

    def __init__(self, owner: _Scan, part: str) -> None:
        self.owner = owner
        self.part = part
        self.whole = _whole(part)
        self.depth = 0
        self.elements = 0
        self.root = ""
        self.row = 0
        self.row_elements = 0
        self.column = 0
        self.unit_chars = -1  # characters of the current cell or shared string; -1 outside one
        self.in_row = False
        self.in_cell = False
        self.formulas: set[tuple[int, int]] = set()
        self.rels: dict[str, tuple[str, str]] = {}  # Id → (Type, Target)
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        self.parser = parser

    # -- refusals

    def _where(self) -> str:
        name = self.owner.sheet_name(self.part)
        return f"工作表“{name}”" if name else f"部件“{self.part}”"

    def _refuse(self, message: str) -> None:
        raise WorkbookRefused(self.owner.prefix + message + self.owner.suffix)

    def _doctype(self, *args: Any) -> None:
        self._refuse(f"中的“{self.part}”含有 DTD 声明，Excel 工作簿不会有这种内容")

    def _entity(self, *args: Any) -> None:
        self._doctype()

    # -- elements

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition("}")[2]
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_XML_DEPTH:
            self._refuse(f"中的“{self.part}”嵌套超过 {MAX_XML_DEPTH} 层")
        limit = MAX_WHOLE_PART_ELEMENTS if self.whole else MAX_PART_ELEMENTS
        if self.elements > limit:
            self._refuse(f"中的“{self.part}”有超过 {limit} 个 XML 元素")
        if self.depth == 1:
            self.root = local
            if local == "chartsheet":
                self._refuse("含有图表工作表，这不是本系统生成的申报书模板")
            return
        if self.root == "worksheet":
            self._worksheet_start(local, attrs)
        elif self.root == "sst" and local == "si" and self.depth == 2:
            self.owner.count_string(self)
            self.unit_chars = 0
        elif self.root == "Relationships" and local == "Relationship":
            self.rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))
        elif self.root == "workbook" and local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith("}id")), "")
            self.sheets.append((attrs.get("name", ""), rid))

    def _worksheet_start(self, local: str, attrs: dict[str, str]) -> None:
        if local == "row" and self.depth == 3:
            number = _number(attrs.get("r"))
            self.row = number if number is not None else self.row + 1
            self.column = 0
            self.in_row = True
            self.row_elements = 0
            if self.row > MAX_ROWS:
                self._refuse(f"的{self._where()}超过 {MAX_ROWS} 行的上限（第 {self.row} 行有内容）")
            return
        if not self.in_row:
            return
        self.row_elements += 1
        if self.row_elements > MAX_ROW_ELEMENTS:
            self._refuse(f"的{self._where()}第 {self.row} 行内容过多（超过 {MAX_ROW_ELEMENTS} 个 XML 元素）")
        if local == "c" and self.depth == 4:
            column = _column(attrs.get("r"))
            self.column = column if column is not None else self.column + 1
            if self.column > MAX_COLUMNS:
                self._refuse(f"的{self._where()}第 {self.row} 行超过 {MAX_COLUMNS} 列的上限")
            self.owner.count_cell(self)
            self.in_cell = True
            self.unit_chars = 0
        elif local == "f" and self.in_cell:
            self.formulas.add((self.row, self.column))

    def _end(self, name: str) -> None:
        local = name.rpartition("}")[2]
        self.depth -= 1
        if self.root == "worksheet":
            if local == "c" and self.depth == 3:
                self.in_cell = False
                self.unit_chars = -1
            elif local == "row" and self.depth == 2:
                self.in_row = False
        elif self.root == "sst" and local == "si" and self.depth == 1:
            self.unit_chars = -1

    def _text(self, data: str) -> None:
        if self.unit_chars < 0:
            return
        self.unit_chars += len(data)
        if self.unit_chars > MAX_CELL_CHARS:
            where = f"{self._where()}第 {self.row} 行" if self.root == "worksheet" else "共享文字表"
            self._refuse(f"的{where}有一个单元格超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限）")

    # -- feeding

    def run(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, stop: Callable[[], bool] | None) -> None:
        with archive.open(info) as src:
            while chunk := src.read(_CHUNK):
                if stop is not None and stop():
                    raise ReadCancelled()
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _column(reference: str | None) -> int | None:
    """``AB12`` → 28; None when there is no reference."""
    if not reference:
        return None
    column = 0
    for ch in reference:
        if "A" <= ch <= "Z":
            column = column * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            column = column * 26 + ord(ch) - 96
        else:
            break
        if column > 1_000_000:
            break
    return column or None


class _Scan:
    def __init__(self, name: str) -> None:
        self.prefix = f"“{name}”"
        self.suffix = "；这不是正常填写的申报书模板（可能是损坏或恶意构造的文件）"
        self.cells = 0
        self.strings = 0
        self.names: dict[str, str] = {}

    def sheet_name(self, part: str) -> str:
        return self.names.get(part, "")

    def count_cell(self, scanner: _Scanner) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            scanner._refuse(f"的单元格超过 {MAX_CELLS} 个的上限")

    def count_string(self, scanner: _Scanner) -> None:
        self.strings += 1
        if self.strings > MAX_CELLS:
            scanner._refuse(f"的共享文字超过 {MAX_CELLS} 条的上限")

    def refuse(self, message: str) -> WorkbookRefused:
        return WorkbookRefused(self.prefix + message + self.suffix)


def _rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    folder = base.rpartition("/")[0]
    return posixpath.normpath(posixpath.join(folder, target)) if folder else posixpath.normpath(target)


def _check_directory(scan: _Scan, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise scan.refuse(f"内含 {len(infos)} 个部件，超过 {MAX_PARTS} 个的上限")
    total = 0
    for info in infos:
        size = info.file_size
        limit = MAX_WHOLE_PART_BYTES if _whole(info.filename) else MAX_PART_BYTES
        if size > limit:
            raise scan.refuse(f"中的“{info.filename}”解压后有 {_mb(size)}，超过单个部件 {_mb(limit)} 的上限")
        total += size
        if total > MAX_TOTAL_BYTES:
            raise scan.refuse(f"解压后超过 {_mb(MAX_TOTAL_BYTES)} 的上限")
        ratio = size / max(info.compress_size, 1)
        if size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise scan.refuse(
                f"中的“{info.filename}”压缩比为 {ratio:.0f} 倍"
                f"（{_mb(info.compress_size)} 解压成 {_mb(size)}），超过 {MAX_RATIO} 倍的上限"
            )
    return infos


def scan_workbook(content: bytes, name: str, *, stop: Callable[[], bool] | None = None) -> WorkbookScan:
    """Check the workbook ``content`` (the bytes of the file ``name``) against every limit, without
    inflating more than one small chunk at a time. Raises :class:`WorkbookRefused` (Chinese, naming
    the limit), :class:`zipfile.BadZipFile` for a damaged archive, :class:`ReadCancelled` when
    ``stop()`` turns true."""
    scan = _Scan(name)
    declared = _declared_parts(content)
    if declared is not None and declared > MAX_PARTS:
        raise scan.refuse(f"内含 {declared} 个部件，超过 {MAX_PARTS} 个的上限")
    result = WorkbookScan()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = _check_directory(scan, archive)
        by_name = {info.filename: info for info in infos}
        done: set[str] = set()

        def run(part: str) -> _Scanner:
            scanner = _Scanner(scan, part)
            try:
                scanner.run(archive, by_name[part], stop)
            except expat.ExpatError as exc:
                raise scan.refuse(
                    f"中的“{part}”不是有效的 XML（{expat.ErrorString(exc.code)}），文件可能已损坏"
                ) from None
            done.add(part)
            return scanner

        # the sheet names first, for the messages about a sheet
        workbook_part = ""
        if "_rels/.rels" in by_name:
            for kind, target in run("_rels/.rels").rels.values():
                if kind.endswith("/officeDocument"):
                    workbook_part = _target("", target)
        if workbook_part in by_name and _rels_path(workbook_part) in by_name:
            rels = run(_rels_path(workbook_part)).rels
            for sheet, rid in run(workbook_part).sheets:
                if rid in rels:
                    scan.names[_target(workbook_part, rels[rid][1])] = sheet
        result.sheet_names = dict(scan.names)
        for info in infos:
            if info.filename in done or not _is_xml(info.filename):
                continue
            scanner = run(info.filename)
            if scanner.root == "worksheet" and scanner.formulas:
                result.formulas[info.filename] = scanner.formulas
    return result


_DAMAGED_ON_LOAD = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, AttributeError, IndexError)


def open_workbook(
    content: bytes, name: str, *, stop: Callable[[], bool] | None = None
) -> tuple[Any, WorkbookScan]:
    """The workbook ``content`` (the bytes of the file ``name``) opened read-only with openpyxl
    (cached values, not formulas) after :func:`scan_workbook` checked every limit; with what the
    scan learnt. Raises :class:`WorkbookRefused` with a Chinese message naming the file for an old
    ``.xls`` or a password-protected workbook, a file that is no workbook, one over a limit and a
    damaged one; :class:`ReadCancelled` when ``stop()`` turns true."""
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookRefused(f"“{name}”是旧版 Excel（.xls）文件或设有打开密码的工作簿，"
                              "请在 Excel 中取消密码并“另存为” .xlsx 格式后再导入")
    if not content.startswith(b"PK"):
        raise WorkbookRefused(f"“{name}”不是 Excel 工作簿（.xlsx），无法导入")
    damaged = f"“{name}”不是有效的 Excel 工作簿（.xlsx），文件可能已损坏"
    try:
        scan = scan_workbook(content, name, stop=stop)
    except (ReadCancelled, WorkbookRefused):
        raise
    except Exception as exc:  # a damaged archive: bad zip directory, bad CRC, bad deflate data, …
        raise WorkbookRefused(f"{damaged}（{type(exc).__name__}）") from None
    import warnings  # openpyxl only now: services import this module at start-up

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True), scan
    except _DAMAGED_ON_LOAD as exc:
        raise WorkbookRefused(f"{damaged}（{type(exc).__name__}）") from exc
    except Exception as exc:  # openpyxl raises many kinds on damaged XML
        raise WorkbookRefused(f"“{name}”已损坏，无法读取（{type(exc).__name__}）") from exc
