"""Which fonts a PDF uses and whether each is embedded (the self-test's check that a document will
print the same on a computer without the application's fonts).

Reads the object dictionaries of a PDF as reportlab writes them (no object streams, dictionaries in
plain text); pure Python, no poppler, so the frozen Windows build checks its own documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

_OBJECT: Final = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)(?:\bstream\b|\bendobj\b)", re.DOTALL)
_NAME: Final = r"/{key}\s*/([^\s/<>\[\]()]+)"
_FONT_FILES: Final = ("/FontFile2", "/FontFile3", "/FontFile")


@dataclass(frozen=True, slots=True)
class PdfFonts:
    """The fonts of a PDF by base name, and those of them not embedded."""

    fonts: tuple[str, ...]
    not_embedded: tuple[str, ...]


def _find(pattern: str, key: str, text: str) -> str | None:
    found = re.search(pattern.format(key=key), text)
    return found.group(1) if found else None


def _with_references(text: str, objects: dict[int, str]) -> str:
    """``text`` with the objects its descendant fonts and font descriptors refer to (two levels:
    Type0 → descendant → descriptor), which may also be written inline."""
    seen = frontier = text
    for _ in range(2):
        refs = re.findall(r"/(?:DescendantFonts\s*\[|FontDescriptor)\s*(\d+)\s+\d+\s+R", frontier)
        frontier = "".join(objects.get(int(r), "") for r in refs)
        seen += frontier
    return seen


def pdf_fonts(path: Path) -> PdfFonts:
    """The fonts of the PDF ``path`` and which are not embedded.

    Raises :class:`ValueError` (Chinese) when the file is not a PDF or keeps its objects in
    compressed object streams (not written by this program, so not checked here).
    """
    data = Path(path).read_bytes()
    if not data.startswith(b"%PDF-"):
        raise ValueError(f"“{Path(path).name}”不是 PDF 文件")
    if b"/ObjStm" in data:
        raise ValueError(f"“{Path(path).name}”使用压缩对象流，无法检查字体")
    objects = {
        int(m.group(1)): m.group(3).decode("latin-1") for m in _OBJECT.finditer(data)
    }  # later revisions of an object (incremental updates) replace earlier ones
    fonts: list[str] = []
    missing: list[str] = []
    for text in objects.values():
        if not re.search(r"/Type\s*/Font\b(?!Descriptor)", text):
            continue
        composite = re.search(r"/Subtype\s*/Type0\b", text) is not None
        if not composite and re.search(r"/Subtype\s*/CIDFontType[02]\b", text):
            continue  # a descendant: judged through its Type0 parent
        name = _find(_NAME, "BaseFont", text) or "（未命名的字体）"
        fonts.append(name)
        if re.search(r"/Subtype\s*/Type3\b", text):
            continue  # glyphs drawn by the PDF itself
        if not any(key in _with_references(text, objects) for key in _FONT_FILES):
            missing.append(name)
    return PdfFonts(tuple(fonts), tuple(missing))
