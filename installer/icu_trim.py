"""A smaller ICU data library for the Linux bundle (stdlib only; used by lzcenter.spec).

PySide6's Linux wheel ships Qt's own ICU, whose data library (``libicudata.so.73``, 32 MB) holds the
data of some 700 locales.  Qt reaches ICU for collation (the 拼音 order of QCollator), case mapping
and text codecs; the application shows only Chinese (Simplified) and English.  This module keeps
the collation tables and the locales ``root``, ``zh*``, ``yue*`` (``zh_Hant_HK`` depends on it)
and ``en*``, normalisation, time-zone rules and the Chinese codecs (GB18030, GBK, GB 2312, Big5);
it drops every other locale, ICU's formatting data (currency, language, region, unit and zone
names, spelled-out numbers: Qt formats with its own CLDR tables), its break iterators (Qt has
its own Unicode tables), transliteration and the non-Chinese codecs — 32 MB → 4.7 MB.  The
result is linked into a library of the same name and symbol (``icudt73_dat``) with the system's
ICU tool ``icupkg`` and C compiler.  Without those tools (or on Windows, where Qt uses the
system's ICU) the bundle keeps the full library.

Checked against the full library (same QCollator order of Chinese names, same case mapping, the
Chinese codecs valid): installer/README.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

KEPT_LOCALE_PREFIXES = ("root", "zh", "yue", "en")
_LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
_SHARED_ITEMS = frozenset({"res_index.res", "pool.res"})
# What Qt reaches of ICU: collation (coll/), case mapping and normalisation (compiled in or .nrm),
# the Chinese text codecs; never ICU's formatting data (Qt has its own CLDR tables), its break
# iterators (Qt has its own Unicode tables) or transliteration.
DROPPED_FOLDERS = frozenset({"translit", "brkitr", "curr", "lang", "region", "unit", "zone", "rbnf"})
# converters (.cnv) kept: the Chinese ones; UTF-8/16/32, ASCII and Latin-1 are algorithmic (no file)
KEPT_CONVERTERS = frozenset(
    {
        "gb18030.cnv",
        "windows-936-2000.cnv",  # GBK
        "ibm-1383_P110-1999.cnv",  # EUC-CN (GB 2312)
        "ibm-1386_P100-2001.cnv",
        "windows-950-2000.cnv",  # Big5
        "ibm-950_P110-1999.cnv",
        "ibm-1373_P100-2002.cnv",  # the two Big5 tables extend it
        "iso-ir-165.cnv",  # ISO-2022-CN
        "cns-11643-1992.cnv",
    }
)
_LIBRARY = re.compile(r"^libicudata\.so\.(\d+)$")


def is_dropped_item(item: str) -> bool:
    """Whether an item of the ICU data package (``coll/fr.res``, ``zh.res`` …) is left out."""
    folder, _, base = item.rpartition("/")
    if folder in DROPPED_FOLDERS:
        return True
    if not folder and base.endswith(".cnv"):
        return base not in KEPT_CONVERTERS
    if base in _SHARED_ITEMS or not _LOCALE_ITEM.match(base):
        return False
    return not base.startswith(KEPT_LOCALE_PREFIXES)


def dropped_items(items: list[str]) -> list[str]:
    return [item for item in items if is_dropped_item(item)]


def icu_major(library_name: str) -> int | None:
    """``libicudata.so.73`` → 73; any other name → None."""
    match = _LIBRARY.match(library_name)
    return int(match.group(1)) if match else None


def _symbol_range(library: Path, symbol: str) -> tuple[int, int]:
    """(file offset, size) of a data symbol of an ELF shared library (via ``readelf``)."""
    sections = subprocess.run(["readelf", "-SW", str(library)], check=True, capture_output=True, text=True)
    symbols = subprocess.run(["readelf", "-sW", str(library)], check=True, capture_output=True, text=True)
    value = size = None
    for line in symbols.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[7] == symbol:
            value, size = int(fields[1], 16), int(fields[2], 0)
            break
    if value is None or size is None:
        raise ValueError(f"{library.name} has no symbol {symbol}")
    for line in sections.stdout.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) >= 6 and fields[1] == ".rodata":
            address, offset = int(fields[3], 16), int(fields[4], 16)
            return value - address + offset, size
    raise ValueError(f"{library.name} has no .rodata section")


def trimmed_library(library: Path, workdir: Path) -> Path | None:
    """A trimmed copy of ``libicudata.so.NN`` in ``workdir``, or None when it cannot be made here."""
    major = icu_major(library.name)
    tools = [shutil.which(name) for name in ("icupkg", "readelf", "cc")]
    if major is None or sys.platform == "win32" or None in tools:
        return None
    icupkg, _, cc = tools
    workdir.mkdir(parents=True, exist_ok=True)
    symbol = f"icudt{major}_dat"
    offset, size = _symbol_range(library, symbol)
    (workdir / "full").mkdir(exist_ok=True)
    full = workdir / "full" / f"icudt{major}l.dat"  # icupkg wants the package's own name
    with library.open("rb") as source:
        source.seek(offset)
        full.write_bytes(source.read(size))
    listing = subprocess.run([str(icupkg), "-l", str(full)], check=True, capture_output=True, text=True)
    remove = workdir / "dropped-items.txt"
    remove.write_text("\n".join(dropped_items(listing.stdout.split())) + "\n", encoding="utf-8")
    trimmed = workdir / f"icudt{major}l.dat"
    trimmed.unlink(missing_ok=True)
    result = subprocess.run(
        [str(icupkg), "-r", str(remove), str(full), str(trimmed)], capture_output=True, text=True
    )
    if result.returncode != 0:  # e.g. a kept item depends on a dropped one: icupkg names both
        raise RuntimeError(f"icupkg could not trim the ICU data:\n{result.stdout}{result.stderr}")
    assembly = workdir / "icudata.S"
    assembly.write_text(
        "    .section .rodata\n"
        f"    .globl {symbol}\n"
        f"    .type {symbol}, @object\n"
        "    .balign 16\n"
        f"{symbol}:\n"
        f'    .incbin "{trimmed.name}"\n'
        f"    .size {symbol}, . - {symbol}\n"
        '    .section .note.GNU-stack,"",@progbits\n',
        encoding="utf-8",
    )
    output = workdir / library.name
    subprocess.run(
        [str(cc), "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(output), assembly.name],
        check=True,
        capture_output=True,
        cwd=workdir,
    )
    full.unlink()
    return output
