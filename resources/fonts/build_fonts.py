#!/usr/bin/env python3
"""Build the bundled CJK TrueType fonts in ``resources/fonts/`` from Debian's ``fonts-noto-cjk``.

reportlab can only embed TrueType fonts with ``glyf`` outlines; Noto CJK ships CFF outlines in
``.ttc`` collections.  This script, for every face in ``FACES``:

1. opens the Simplified-Chinese face of the Noto CJK collection (found by its name, not by index);
2. subsets it to the character set below (通用规范汉字表 ∪ GBK or GB 2312 ∪ ASCII, Latin-1,
   punctuation, full-width forms, ①…⑳, №, ×, ·, ㎡ …), dropping every OpenType layout feature,
   the vertical metrics and hinting;
3. converts the cubic CFF outlines to quadratic ``glyf`` outlines with fontTools' ``Cu2QuPen``
   (the ``otf2ttf`` snippet of fontTools);
4. renames the font to a family that cannot clash with an installed font (``LZCenter Serif SC`` …)
   and writes it with fixed timestamps, so two builds from the same sources give identical files.

The list of the 8,105 characters of 通用规范汉字表 (2013) is built from the ``kTGHZ2013`` field of
the Unihan database (Debian ``unicode-data``) and committed as ``tongyong-guifan-hanzi-2013.txt``;
when Unihan is not installed the committed list is used.

Usage (from the repository root, with the venv that has fontTools)::

    .venv/bin/python resources/fonts/build_fonts.py            # build every face (a few minutes)
    .venv/bin/python resources/fonts/build_fonts.py --only LZSansSC-Regular
    .venv/bin/python resources/fonts/build_fonts.py --check    # verify the committed files

``--check`` rebuilds nothing: it verifies that every committed font exists, has ``glyf`` and no
``CFF `` table, carries its own family name, covers the whole 8,105 list and every character of
the requested set that its source font has, and that ``fonts-manifest.json`` matches the files.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import json
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LIST_FILE = HERE / "tongyong-guifan-hanzi-2013.txt"
MANIFEST_FILE = HERE / "fonts-manifest.json"
EXPECTED_LIST_SIZE = 8105

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
UNIHAN_DIR = Path("/usr/share/unicode")

# Every committed font carries this timestamp (head.created / head.modified), so builds are repeatable.
# 2024-01-01T00:00:00Z expressed in seconds since 1904-01-01 (the OpenType epoch).
FIXED_TIMESTAMP = 3786825600

# "gbk" (23,192 characters kept, 7-10 MB a face) or "gb2312" (about 9,000 characters, smaller files).
HANZI_CODEPAGE = "gbk"

# Cu2Qu tolerance in font units (1000 units per em): 1.0 is invisible at any print size.
MAX_ERR = 1.0


@dataclass(frozen=True)
class FaceSpec:
    file_stem: str  # LZSerifSC-Regular → LZSerifSC-Regular.ttf; also the PostScript name
    family: str  # internal family name (name ID 1 / 16)
    style: str  # Regular | Bold
    source_file: str  # file in NOTO_DIR
    source_full_name: str  # name ID 4 of the wanted face inside the collection


FACES: tuple[FaceSpec, ...] = (
    FaceSpec("LZSerifSC-Regular", "LZCenter Serif SC", "Regular", "NotoSerifCJK-Regular.ttc",
             "Noto Serif CJK SC"),
    FaceSpec("LZSerifSC-Bold", "LZCenter Serif SC", "Bold", "NotoSerifCJK-Bold.ttc",
             "Noto Serif CJK SC Bold"),
    FaceSpec("LZSansSC-Regular", "LZCenter Sans SC", "Regular", "NotoSansCJK-Regular.ttc",
             "Noto Sans CJK SC"),
    FaceSpec("LZSansSC-Bold", "LZCenter Sans SC", "Bold", "NotoSansCJK-Bold.ttc",
             "Noto Sans CJK SC Bold"),
)

# Non-Han characters kept in every face (only those the source font actually has are kept).
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (×, ·, °, ±, ², ³, ©, ®, ¥ …)
    (0x0100, 0x017F),  # Latin Extended-A (pinyin ā ē ī ō ū …)
    (0x01CD, 0x01DC),  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x0251, 0x0251),  # ɑ
    (0x0261, 0x0261),  # ɡ
    (0x02C6, 0x02DD),  # spacing modifiers (ˇ ˉ ˊ ˋ ˙)
    (0x0391, 0x03C9),  # Greek (α β γ … Ω in scientific names)
    (0x0401, 0x0451),  # Cyrillic (in GB 2312)
    (0x2000, 0x206F),  # general punctuation (— ‘ ’ “ ” … ‰ ※ ‹ ›)
    (0x2070, 0x209F),  # superscripts and subscripts (CO₂, m³)
    (0x20AC, 0x20AC),  # €
    (0x2100, 0x214F),  # letterlike symbols (℃ № ℉ ™ ℡)
    (0x2150, 0x218F),  # number forms (Ⅰ … Ⅻ, ⅰ … ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (≤ ≥ ≠ ≈ ∞ ∑ √)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①…⑳, ⑴…⒇, ⒈…⒛)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ○ ● △ ▲ ◆ ◇)
    (0x2600, 0x2613),  # ★ ☆ ☎ ☑ ☒
    (0x2713, 0x2717),  # ✓ ✔ ✕ ✖ ✗
    (0x2E80, 0x2EFF),  # CJK radicals supplement
    (0x2F00, 0x2FDF),  # Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〇〈〉《》「」『』【】〔〕〖〗〜)
    (0x3105, 0x312F),  # bopomofo
    (0x3220, 0x3243),  # parenthesised ideographs (㈠ … ㈩)
    (0x3280, 0x32B0),  # circled ideographs (㊀ … ㊉, ㊣)
    (0x3371, 0x33DF),  # square units (㎎ ㎏ ㎜ ㎝ ㎞ ㎡ ㏄ ㏎)
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms (﹏ …)
    (0xFF01, 0xFF5E),  # full-width ASCII forms
    (0xFF5F, 0xFFEF),  # half-width and full-width forms (￥ ￡ ￠ …)
)

OFL_HEADER = """Noto Serif CJK: Copyright © 2017-2022 Adobe (http://www.adobe.com/),
                with Reserved Font Name 'Source'.
Noto Sans CJK:  Copyright © 2014-2021 Adobe (http://www.adobe.com/),
                with Reserved Font Name 'Source'.
Noto is a trademark of Google Inc.

The fonts LZSerifSC-*.ttf and LZSansSC-*.ttf in this folder are Modified Versions of
Noto Serif CJK SC and Noto Sans CJK SC (Debian package fonts-noto-cjk), subset and converted to
TrueType outlines by build_fonts.py.  They are distributed under the SIL Open Font License 1.1,
reproduced below.

"""


# --------------------------------------------------------------------------- character sets


def _unihan_lines() -> Iterator[str]:
    """Lines of the Unihan database that carry kTGHZ2013, whichever form Debian ships."""
    zip_path = UNIHAN_DIR / "Unihan.zip"
    if zip_path.exists():
        with zipfile.ZipFile(zip_path) as archive:
            for member in archive.namelist():
                with archive.open(member) as raw:
                    for line in io.TextIOWrapper(raw, encoding="utf-8"):
                        if "\tkTGHZ2013\t" in line:
                            yield line
        return
    for part in sorted(UNIHAN_DIR.glob("Unihan_*.txt.bz2")):
        with bz2.open(part, "rt", encoding="utf-8") as handle:
            for line in handle:
                if "\tkTGHZ2013\t" in line:
                    yield line


def unihan_available() -> bool:
    return (UNIHAN_DIR / "Unihan.zip").exists() or any(UNIHAN_DIR.glob("Unihan_*.txt.bz2"))


def tonggui_from_unihan() -> list[int]:
    codepoints = {int(line.split("\t", 1)[0][2:], 16) for line in _unihan_lines()}
    return sorted(codepoints)


def read_list_file(path: Path = LIST_FILE) -> list[int]:
    result: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code = line.split("\t", 1)[0]
        result.append(int(code[2:], 16))
    return result


def write_list_file(codepoints: list[int], path: Path = LIST_FILE) -> None:
    lines = [
        "# 通用规范汉字表（2013）— the 8,105 characters, one per line: code point, TAB, character.",
        "# Built by build_fonts.py from the kTGHZ2013 field of the Unihan database (Debian unicode-data).",
        f"# count: {len(codepoints)}",
    ]
    lines += [f"U+{cp:04X}\t{chr(cp)}" for cp in codepoints]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def tonggui_list(refresh: bool) -> list[int]:
    """The 8,105 code points: from Unihan when asked to refresh (or no list yet), else the committed list."""
    if refresh or not LIST_FILE.exists():
        if not unihan_available():
            raise SystemExit(f"No Unihan database in {UNIHAN_DIR} and no {LIST_FILE.name}: "
                             "install unicode-data")
        codepoints = tonggui_from_unihan()
        if len(codepoints) != EXPECTED_LIST_SIZE:
            raise SystemExit(f"kTGHZ2013 gave {len(codepoints)} characters, expected {EXPECTED_LIST_SIZE}")
        if not LIST_FILE.exists() or read_list_file() != codepoints:
            write_list_file(codepoints)
        return codepoints
    codepoints = read_list_file()
    if len(codepoints) != EXPECTED_LIST_SIZE:
        raise SystemExit(f"{LIST_FILE.name} has {len(codepoints)} characters, expected {EXPECTED_LIST_SIZE}")
    return codepoints


def codepage_chars(codepage: str) -> set[int]:
    """Every character of GB 2312 or GBK, by decoding every double-byte code."""
    lead = range(0xA1, 0xF8) if codepage == "gb2312" else range(0x81, 0xFF)
    trail = range(0xA1, 0xFF) if codepage == "gb2312" else range(0x40, 0xFF)
    chars: set[int] = set()
    for first in lead:
        for second in trail:
            try:
                text = bytes((first, second)).decode(codepage)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                chars.add(ord(text))
    # Private-use code points in the code page are of no use: they render differently everywhere.
    return {cp for cp in chars if not 0xE000 <= cp <= 0xF8FF}


def requested_chars(tonggui: Iterable[int]) -> set[int]:
    wanted = set(tonggui) | codepage_chars(HANZI_CODEPAGE) | codepage_chars("gb2312")
    for start, end in EXTRA_RANGES:
        wanted.update(range(start, end + 1))
    return wanted


# --------------------------------------------------------------------------- building


def open_source_face(spec: FaceSpec) -> Any:
    from fontTools.ttLib import TTCollection, TTFont

    path = NOTO_DIR / spec.source_file
    if not path.exists():
        raise SystemExit(f"Source font {path} not found: install Debian's fonts-noto-cjk")
    collection = TTCollection(str(path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(4) == spec.source_full_name:
            return TTFont(str(path), fontNumber=index, recalcTimestamp=False, recalcBBoxes=True)
    raise SystemExit(f"{spec.source_full_name!r} not found in {path}")


def _glyphs_to_quadratic(glyph_set: Any) -> dict[str, Any]:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    quadratic: dict[str, Any] = {}
    for name in glyph_set:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        quadratic[name] = tt_pen.glyph()
    return quadratic


def otf_to_ttf(font: Any) -> None:
    """fontTools' otf2ttf snippet: replace the CFF table by quadratic glyf outlines."""
    from fontTools.ttLib import newTable

    assert "CFF " in font, "source font has no CFF table"
    order = font.getGlyphOrder()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = _glyphs_to_quadratic(font.getGlyphSet())
    del font["CFF "]
    for tag in ("VORG", "vhea", "vmtx"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        advance, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0) if glyph.numberOfContours else 0)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and the CID names carry no information
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: Any, spec: FaceSpec, source_version: str) -> None:
    name = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}
    name.names = [rec for rec in name.names if rec.nameID in keep and rec.platformID == 3
                  and rec.langID == 0x409]
    full = f"{spec.family} {spec.style}" if spec.style != "Regular" else spec.family
    records = {
        1: spec.family,
        2: spec.style,
        3: f"{spec.file_stem};lzcenter-desktop;{source_version}",
        4: full,
        5: f"Version {source_version}; subset of {spec.source_full_name} by lzcenter-desktop build_fonts.py",
        6: spec.file_stem,
        10: (f"Subset of {spec.source_full_name} {source_version} (Debian fonts-noto-cjk) converted to "
             "TrueType outlines for lzcenter-desktop. SIL Open Font License 1.1."),
    }
    for name_id, value in records.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    os2 = font["OS/2"]
    os2.fsType = 0  # installable embedding, as in the source
    head = font["head"]
    head.created = FIXED_TIMESTAMP
    head.modified = FIXED_TIMESTAMP


def build_face(spec: FaceSpec, wanted: set[int]) -> tuple[dict[str, Any], float]:
    from fontTools import subset

    started = time.perf_counter()
    font = open_source_face(spec)
    source_version = font["name"].getDebugName(5).split(";")[0].replace("Version ", "").strip()
    available = set(font.getBestCmap())
    keep = sorted(wanted & available)

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.name_IDs = ["*"]
    options.name_languages = [0x409]
    options.name_legacy = False
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.prune_unicode_ranges = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)

    otf_to_ttf(font)
    rename(font, spec, source_version)

    out = HERE / f"{spec.file_stem}.ttf"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    data = buffer.getvalue()
    if not out.exists() or out.read_bytes() != data:
        out.write_bytes(data)
    return {
        "file": out.name,
        "family": spec.family,
        "style": spec.style,
        "source": f"{NOTO_DIR / spec.source_file} :: {spec.source_full_name}",
        "source_version": source_version,
        "characters": len(keep),
        "glyphs": len(font.getGlyphOrder()),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }, round(time.perf_counter() - started, 1)


def _build_face_job(args: tuple[FaceSpec, set[int]]) -> tuple[dict[str, Any], float]:
    return build_face(*args)


def build(only: list[str], jobs: int, refresh_list: bool) -> int:
    tonggui = tonggui_list(refresh=refresh_list)
    wanted = requested_chars(tonggui)
    specs = [s for s in FACES if not only or s.file_stem in only]
    if not specs:
        print(f"No face named {only}; known: {[s.file_stem for s in FACES]}", file=sys.stderr)
        return 2
    print(f"通用规范汉字表: {len(tonggui)} characters; requested set: {len(wanted)} code points", flush=True)
    manifest: dict[str, Any] = {}
    if MANIFEST_FILE.exists():
        manifest = json.loads(MANIFEST_FILE.read_text(encoding="utf-8"))
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(_build_face_job, [(s, wanted) for s in specs])
        for spec, (entry, seconds) in zip(specs, results, strict=True):
            manifest.setdefault("faces", {})[spec.file_stem] = entry
            print(f"{entry['file']}: {entry['characters']} characters, {entry['glyphs']} glyphs, "
                  f"{entry['bytes'] / 1e6:.1f} MB in {seconds} s", flush=True)
    manifest["codepage"] = HANZI_CODEPAGE
    manifest["requested_code_points"] = len(wanted)
    manifest["tonggui_list"] = {"file": LIST_FILE.name, "count": len(tonggui)}
    MANIFEST_FILE.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")
    write_licence()
    return 0


def write_licence() -> None:
    copyright_file = Path("/usr/share/doc/fonts-noto-cjk/copyright")
    if not copyright_file.exists():
        return
    text = copyright_file.read_text(encoding="utf-8")
    start = text.index("License: SIL-1.1\n", text.index("Files: debian/*"))
    body = text[start:].split("\nLicense: ", 1)[0].split("\n", 1)[1]
    lines = [line[1:] if line.startswith(" ") else line for line in body.splitlines()]
    lines = ["" if line == "." else line for line in lines]
    out = HERE / "OFL.txt"
    content = OFL_HEADER + "\n".join(lines).strip("\n") + "\n"
    if not out.exists() or out.read_text(encoding="utf-8") != content:
        out.write_text(content, encoding="utf-8")


# --------------------------------------------------------------------------- checking


def check() -> int:
    from fontTools.ttLib import TTFont

    problems: list[str] = []
    tonggui = read_list_file()
    if len(tonggui) != EXPECTED_LIST_SIZE:
        problems.append(f"{LIST_FILE.name}: {len(tonggui)} characters, expected {EXPECTED_LIST_SIZE}")
    if unihan_available() and tonggui_from_unihan() != tonggui:
        problems.append(f"{LIST_FILE.name} differs from kTGHZ2013 in the installed Unihan database")
    wanted = requested_chars(tonggui)
    manifest = json.loads(MANIFEST_FILE.read_text(encoding="utf-8")) if MANIFEST_FILE.exists() else {}
    if not (HERE / "OFL.txt").exists():
        problems.append("OFL.txt is missing")
    for spec in FACES:
        path = HERE / f"{spec.file_stem}.ttf"
        if not path.exists():
            problems.append(f"{path.name} is missing")
            continue
        data = path.read_bytes()
        entry = manifest.get("faces", {}).get(spec.file_stem)
        if entry is None or entry.get("sha256") != hashlib.sha256(data).hexdigest():
            problems.append(f"{path.name}: SHA-256 does not match {MANIFEST_FILE.name}")
        font = TTFont(io.BytesIO(data), lazy=True)
        if "glyf" not in font or "CFF " in font:
            problems.append(f"{path.name}: needs a glyf table and no CFF table")
        if font["name"].getDebugName(1) != spec.family or font["name"].getDebugName(6) != spec.file_stem:
            problems.append(f"{path.name}: family/PostScript name is not {spec.family}/{spec.file_stem}")
        cmap = set(font.getBestCmap())
        lacking = [cp for cp in tonggui if cp not in cmap]
        if lacking:
            sample = "".join(chr(cp) for cp in lacking[:20])
            problems.append(f"{path.name}: lacks {len(lacking)} characters of 通用规范汉字表, e.g. {sample}")
        source = NOTO_DIR / spec.source_file
        if source.exists():
            available = set(open_source_face(spec).getBestCmap())
            dropped = sorted((wanted & available) - cmap)
            if dropped:
                sample = " ".join(f"U+{cp:04X}" for cp in dropped[:10])
                problems.append(
                    f"{path.name}: lacks {len(dropped)} requested characters its source has: {sample}")
        else:
            print(f"note: {source} not installed, source coverage not compared for {path.name}")
    for problem in problems:
        print("FAIL:", problem)
    if not problems:
        print(f"OK: {len(FACES)} faces, {len(tonggui)} characters of 通用规范汉字表 covered by each")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="verify the committed fonts; build nothing")
    parser.add_argument("--only", action="append", default=[], help="build only this face (file stem)")
    parser.add_argument("--jobs", type=int, default=2, help="faces built in parallel (default 2)")
    parser.add_argument("--refresh-list", action="store_true",
                        help="rebuild the 通用规范汉字表 list from Unihan even if it is committed")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    return build(args.only, args.jobs, args.refresh_list)


if __name__ == "__main__":
    sys.exit(main())
