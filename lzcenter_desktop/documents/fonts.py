"""The bundled CJK fonts: which faces exist, registering them with reportlab, and glyph coverage.

No Qt here (``lzcenter_desktop/ui/fonts.py`` registers the same files with Qt).  reportlab is
imported lazily, the first time a font is needed.

The rule every document generator follows: text is checked with :func:`check_fields` (or
:func:`require_glyphs`) *before* anything is drawn, so a character that a font lacks is reported
to the user by field and code point instead of being printed as an empty box.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import struct
import sys
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from lzcenter_desktop.paths import fonts_dir, user_data_dir

FontRole = Literal["serif", "sans"]

#: The committed list of the 8,105 characters of 通用规范汉字表 (2013), one "U+XXXX<TAB>字" a line.
TONGGUI_LIST_FILE: Final = "tongyong-guifan-hanzi-2013.txt"
TONGGUI_COUNT: Final = 8105


@dataclass(frozen=True)
class FontFace:
    """One bundled TrueType face.

    ``name`` is both the PostScript name inside the file and the name it is registered under in
    reportlab; ``family`` is the family name Qt reports; ``label`` is the Chinese name used in
    messages to the user.
    """

    name: str
    path: Path
    role: FontRole
    bold: bool
    family: str
    label: str

    @property
    def key(self) -> str:
        """``serif``, ``serif-bold``, ``sans`` or ``sans-bold`` (keys of :func:`register_reportlab_fonts`)."""
        return f"{self.role}-bold" if self.bold else self.role

    @property
    def display_name(self) -> str:
        """How the face is named in messages, e.g. ``宋体 常规（LZSerifSC-Regular）``."""
        return f"{self.label}（{self.name}）"


# (file stem = reportlab name, role, bold, family inside the file, Chinese label)
_FACE_TABLE: Final[tuple[tuple[str, FontRole, bool, str, str], ...]] = (
    ("LZSerifSC-Regular", "serif", False, "LZCenter Serif SC", "宋体 常规"),
    ("LZSerifSC-Bold", "serif", True, "LZCenter Serif SC", "宋体 粗体"),
    ("LZSansSC-Regular", "sans", False, "LZCenter Sans SC", "黑体 常规"),
    ("LZSansSC-Bold", "sans", True, "LZCenter Sans SC", "黑体 粗体"),
)

SERIF_FAMILY: Final = "LZCenter Serif SC"
SANS_FAMILY: Final = "LZCenter Sans SC"


class FontFileMissingError(FileNotFoundError):
    """A bundled font file is not where it should be (a broken installation)."""

    def __init__(self, face: FontFace) -> None:
        self.face = face
        super().__init__(
            f"缺少字体文件“{face.path}”（{face.label}）。程序安装不完整，请重新安装，"
            "或在源代码目录运行 resources/fonts/build_fonts.py 重新生成字体。"
        )


@dataclass(frozen=True)
class MissingGlyph:
    """One character of one field that a font cannot draw."""

    field: str
    char: str
    codepoint: int
    font: str

    @property
    def code(self) -> str:
        """The code point written the usual way: ``U+4DAE``, ``U+20000``."""
        return f"U+{self.codepoint:04X}"

    @property
    def message(self) -> str:
        return f"字段“{self.field}”中的字“{self.char}”（{self.code}）在字体“{self.font}”中没有字形"


class MissingGlyphError(ValueError):
    """Raised instead of printing when some text has characters the chosen fonts cannot draw."""

    def __init__(self, missing: Sequence[MissingGlyph]) -> None:
        self.missing: list[MissingGlyph] = list(missing)
        lines = "\n".join(f"• {m.message}" for m in self.missing)
        super().__init__(
            f"有 {len(self.missing)} 个字无法打印（内置字体没有这些字的字形），已停止生成文档：\n{lines}\n"
            "请改用常用写法，或联系维护人员扩充字体。"
        )

    @property
    def messages(self) -> list[str]:
        return [m.message for m in self.missing]


# --------------------------------------------------------------------------- faces


def bundled_faces() -> tuple[FontFace, ...]:
    """Every bundled face, serif first.  The files are in :func:`lzcenter_desktop.paths.fonts_dir`."""
    folder = fonts_dir()
    return tuple(
        FontFace(name=stem, path=folder / f"{stem}.ttf", role=role, bold=bold, family=family, label=label)
        for stem, role, bold, family, label in _FACE_TABLE
    )


def face_for(face: FontFace | str) -> FontFace:
    """A :class:`FontFace` from itself, its key (``serif-bold``) or its name (``LZSerifSC-Bold``).

    System faces found by :func:`system_faces` are known by their name (``SimHei``) or their
    Chinese label (``黑体``) once discovered.
    """
    if isinstance(face, FontFace):
        return face
    for candidate in bundled_faces():
        if face in (candidate.key, candidate.name):
            return candidate
    with _lock:
        for candidate in _system_faces.values():
            if face in (candidate.name, candidate.label):
                return candidate
    known = "、".join([f.key for f in bundled_faces()] + [f.name for f in _system_faces.values()])
    raise ValueError(f"没有名为“{face}”的内置字体或已安装的系统字体（可用：{known}）")


# --------------------------------------------------------------------------- Windows system fonts

#: The Windows fonts offered besides the bundled ones: (file, reportlab name, role, Chinese label).
#: TrueType outlines only: reportlab cannot embed CFF (``OTTO``) fonts.
WINDOWS_FONTS: Final[tuple[tuple[str, str, FontRole, str], ...]] = (
    ("simsun.ttc", "SimSun", "serif", "宋体"),
    ("simhei.ttf", "SimHei", "sans", "黑体"),
    ("simkai.ttf", "KaiTi", "serif", "楷体"),
    ("simfang.ttf", "FangSong", "serif", "仿宋"),
)
_TRUETYPE_TAGS: Final = (b"\x00\x01\x00\x00", b"true")
_system_faces: dict[str, FontFace] = {}  # name → face, every system face found so far


def windows_fonts_dir() -> Path:
    """``%WINDIR%\\Fonts`` (``C:\\Windows\\Fonts`` when ``WINDIR`` is not set)."""
    return Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"


def _is_truetype(path: Path) -> bool:
    """Whether ``path`` holds TrueType outlines (a ``.ttc`` is judged by its first font)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)  # a collection: tag, version, number of fonts, first font's offset
            if head[:4] == b"ttcf":
                if len(head) < 16:
                    return False
                (offset,) = struct.unpack(">I", head[12:16])
                handle.seek(offset)
                head = handle.read(4)
            return head[:4] in _TRUETYPE_TAGS
    except OSError:
        return False


def system_faces(folder: Path | None = None) -> tuple[FontFace, ...]:
    """The Windows fonts 宋体, 黑体, 楷体, 仿宋 installed in ``folder`` (default
    :func:`windows_fonts_dir`), TrueType only, in that order; ``()`` where there are none (Linux).

    Each face found becomes known to :func:`face_for` by its name (``SimHei``) and label (``黑体``).
    """
    folder = folder if folder is not None else windows_fonts_dir()
    try:
        present = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return ()
    found: list[FontFace] = []
    for file_name, name, role, label in WINDOWS_FONTS:
        path = present.get(file_name)
        if path is None or not _is_truetype(path):
            continue
        face = FontFace(name=name, path=path, role=role, bold=False, family=name, label=label)
        found.append(face)
    with _lock:
        for face in found:
            _system_faces[face.name] = face
    return tuple(found)


def tonggui_chars() -> tuple[str, ...]:
    """The 8,105 characters of 通用规范汉字表 (2013), read from the committed list."""
    path = fonts_dir() / TONGGUI_LIST_FILE
    chars: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            chars.append(chr(int(line.split("\t", 1)[0][2:], 16)))
    return tuple(chars)


# --------------------------------------------------------------------------- reportlab

_lock = threading.RLock()
_rl_fonts: dict[str, Any] = {}  # font file → reportlab TTFont
_coverage: dict[str, frozenset[int]] = {}  # font file → code points with a real glyph
_registered: dict[str, str] | None = None


_BFCHAR_LINE = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{5,6})>$", re.MULTILINE)
_tounicode_fixed = False


def _fix_tounicode_for_supplementary_planes() -> None:
    """Make reportlab write correct ToUnicode entries for characters beyond U+FFFF.

    reportlab (checked with 4.x and 5.1) writes ``<%04X>`` for each code point of a subset, so
    𬌗 (U+2C317) becomes ``<2C317>``, which PDF readers take as U+2C31 followed by junk: the
    character prints correctly but copies and searches as "ⰱ".  A ToUnicode CMap needs the
    UTF-16BE form, the surrogate pair ``<D870DF17>``.  This wraps reportlab's function and
    rewrites only those lines; BMP entries are left byte-for-byte as reportlab wrote them.
    """
    global _tounicode_fixed
    if _tounicode_fixed:
        return
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def _utf16(match: re.Match[str]) -> str:
        code = chr(int(match.group(2), 16)).encode("utf-16-be").hex().upper()
        return f"<{match.group(1)}> <{code}>"

    def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
        return _BFCHAR_LINE.sub(_utf16, original(fontname, subset))

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
    _tounicode_fixed = True


#: Embedded font-subset streams, ready to write: (font file, subset name, code points) → PDF bytes.
_SUBSET_STREAMS: OrderedDict[tuple[str, str, tuple[int, ...], bool], bytes] = OrderedDict()
_SUBSET_STREAMS_MAX: Final = 64


def subset_stream_cache_size() -> int:
    """How many embedded font subsets are cached (for tests and benchmarks)."""
    with _lock:
        return len(_SUBSET_STREAMS)


def _cache_subset_streams(ttface: Any) -> None:
    """Make ``ttface`` reuse the embedded subset stream of an identical subset from an earlier document.

    reportlab builds each document's font subset from scratch: ``makeSubset`` copies the 9 MB
    ``glyf`` table and the result is deflated again (≈ 4.5 ms a certificate).  A subset's stream
    depends only on the font file, the subset's name and its code points, so the bytes written
    for one document are the bytes for the next with the same subset; only the PDF objects are new.
    Output is byte-for-byte what reportlab writes itself.  (Not used for encrypted documents.)
    """
    from reportlab.pdfbase import pdfdoc, ttfonts

    class _Preformatted(pdfdoc.PDFObject):  # type: ignore[misc]
        __RefOnly__ = 1

        def __init__(self, data: bytes) -> None:
            self.data = data

        def format(self, document: Any) -> bytes:
            return self.data

    original = ttfonts.TTFontFace.addSubsetObjects

    def add_subset_objects(doc: Any, fontname: str, subset: Sequence[int]) -> Any:
        if not isinstance(doc.encrypt, pdfdoc.NoEncryption):
            return original(ttface, doc, fontname, subset)
        key = (str(ttface.filename), fontname, tuple(subset), bool(doc.compression))
        with _lock:
            data = _SUBSET_STREAMS.get(key)
            if data is not None:
                _SUBSET_STREAMS.move_to_end(key)
        if data is None:
            stream = pdfdoc.PDFStream()
            stream.content = ttface.makeSubset(subset)
            stream.dictionary["Length1"] = len(stream.content)
            if doc.compression:
                stream.filters = [pdfdoc.PDFZCompress]
            data = bytes(stream.format(doc))
            with _lock:
                _SUBSET_STREAMS[key] = data
                while len(_SUBSET_STREAMS) > _SUBSET_STREAMS_MAX:
                    _SUBSET_STREAMS.popitem(last=False)
        ref = doc.Reference(_Preformatted(data), f"fontFile:{ttface.filename}({fontname})")
        flags = (ttface.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": ttface.ascent,
            "CapHeight": ttface.capHeight,
            "Descent": ttface.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(ttface.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": ttface.italicAngle,
            "StemV": ttface.stemV,
            "FontFile2": ref,
            "MissingWidth": ttface.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)

    ttface.addSubsetObjects = add_subset_objects


def seed_subsets(canvas: Any, texts: Mapping[str, str]) -> None:
    """Give the fonts of a new ``canvas`` their subsets up front: ``texts`` maps a reportlab font
    name to every text that font will draw in the document (or in the whole batch).

    Characters are assigned in code-point order, so documents of one batch get identical subsets
    and :func:`_cache_subset_streams` embeds them once.  Call before anything is drawn.
    """
    from reportlab.pdfbase import pdfmetrics

    for name, text in texts.items():
        chars = "".join(sorted({c for c in text if not _ignorable(c)}))
        if chars:
            pdfmetrics.getFont(name).splitString(chars, canvas._doc)


# --------------------------------------------------------------------------- parsed-font cache

#: Bump when the cached layout changes; the reportlab and Python versions are part of the key too.
_FACE_CACHE_FORMAT: Final = 3
_FACE_CACHE_MAGIC: Final = b"LZFACE1\n"
_FINGERPRINT_SPAN: Final = 64 * 1024
#: Attributes of a parsed ``TTFontFace`` that are not kept: the file itself (read again, it is
#: needed for subsets), the scale function (rebuilt from ``unitsPerEm``) and our own hook.
_UNCACHED_ATTRS: Final = frozenset({"_ttf_data", "_pdfScale", "addSubsetObjects", "_lz_lazy"})
_cache_disabled = False


def face_cache_dir() -> Path:
    """Where parsed fonts are kept between runs: ``user_data_dir()/cache``."""
    return user_data_dir() / "cache"


def _face_cache_path(face: FontFace) -> Path:
    return face_cache_dir() / f"{face.name}.face-v{_FACE_CACHE_FORMAT}.bin"


def _fingerprint(face: FontFace, data: bytes) -> str:
    """What a cache entry must match: the font file (size, mtime, SHA-256 of its first and last
    64 KB), the cache format and the reportlab and Python versions that parsed it."""
    import reportlab

    st = face.path.stat()
    digest = hashlib.sha256(data[:_FINGERPRINT_SPAN] + data[-_FINGERPRINT_SPAN:]).hexdigest()
    return (f"{_FACE_CACHE_FORMAT}|{face.name}|{len(data)}|{st.st_size}|{st.st_mtime_ns}|{digest}|"
            f"{reportlab.Version}|{sys.version_info[:3]}")


def _save_parsed_face(face: FontFace, ttface: Any) -> None:
    """Keep what reportlab parsed of ``face`` for the next run; never fails (a cache is optional)."""
    if _cache_disabled:
        return
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    try:
        names: dict[str, bytes] = {}
        state: dict[str, Any] = {}
        for key, value in vars(ttface).items():
            if key in _UNCACHED_ATTRS:
                continue
            if type(value) is TTFNameBytes:
                names[key] = bytes(value)
            else:
                state[key] = marshal.dumps(value) if key in _LAZY_ATTRS else _pack(value)
        payload = marshal.dumps((_fingerprint(face, ttface._ttf_data), names, state))
        blob = _FACE_CACHE_MAGIC + hashlib.blake2b(payload, digest_size=32).digest() + payload
        path = _face_cache_path(face)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            tmp.write_bytes(blob)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except (OSError, ValueError, TypeError):  # read-only home, full disk, an unmarshallable value
        return


_INT64: Final = (-(1 << 63), (1 << 63) - 1)


def _int_array(values: Any) -> bytes | None:
    """``values`` (ints) as native 64-bit integers, or ``None`` if any is not a plain int in range."""
    from array import array

    items = list(values)
    if not all(type(v) is int and _INT64[0] <= v <= _INT64[1] for v in items):
        return None
    return array("q", items).tobytes()


def _pack(value: Any) -> Any:
    """A parsed-font attribute in a form :mod:`marshal` loads fast: integer lists, integer pairs
    and int → int maps (the big tables) as arrays of 64-bit integers; anything else as it is."""
    if isinstance(value, list) and value:
        if all(type(v) is tuple and len(v) == 2 for v in value):
            flat = _int_array(x for pair in value for x in pair)
            if flat is not None:
                return ("\0pairs", flat)
        else:
            flat = _int_array(value)
            if flat is not None:
                return ("\0ints", flat)
    elif isinstance(value, dict) and value and all(type(k) is int for k in value):
        keys, values = _int_array(value.keys()), _int_array(value.values())
        if keys is not None and values is not None:
            return ("\0intmap", keys, values)
    return value


def _unpack(value: Any) -> Any:
    """The inverse of :func:`_pack`."""
    from array import array

    if type(value) is not tuple or not value or value[0] not in ("\0ints", "\0pairs", "\0intmap"):
        return value
    kind = value[0]
    first = array("q")
    first.frombytes(value[1])
    if kind == "\0ints":
        return first.tolist()
    if kind == "\0pairs":
        flat = first.tolist()
        return list(zip(flat[0::2], flat[1::2], strict=True))
    second = array("q")
    second.frombytes(value[2])
    return dict(zip(first.tolist(), second.tolist(), strict=True))


#: Parsed-font attributes only reportlab's text shaping reads (``glyphToChar``, a list per glyph, a
#: fifth of the cache's loading time): unmarshalled the first time they are used.
_LAZY_ATTRS: Final = frozenset({"glyphToChar"})


@functools.cache
def _lazy_face_class() -> Any:
    """A ``TTFontFace`` that unmarshals the attributes of :data:`_LAZY_ATTRS` on first use."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedTTFontFace(TTFontFace):  # type: ignore[misc]
        def __getattr__(self, name: str) -> Any:  # only called for an attribute not yet set
            lazy = self.__dict__.get("_lz_lazy")
            if lazy is None or name not in lazy:
                raise AttributeError(name)
            value = marshal.loads(lazy.pop(name))
            setattr(self, name, value)
            return value

    return CachedTTFontFace


def _cached_ttfont(face: FontFace) -> Any | None:
    """The reportlab ``TTFont`` of ``face`` rebuilt from the parsed-font cache, or ``None`` when
    there is no cache entry or it is stale, truncated or damaged (then the font is parsed as usual).

    Equivalent to ``TTFont(face.name, path)``: the same attribute values on the face (checked by a
    test against a fresh parse), the font file's bytes read again.  About ten times faster than
    reportlab's parser on the 9 MB faces.
    """
    if _cache_disabled:
        return None
    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont

    try:
        blob = _face_cache_path(face).read_bytes()
    except OSError:
        return None
    try:
        head = len(_FACE_CACHE_MAGIC)
        if blob[:head] != _FACE_CACHE_MAGIC:
            return None
        payload = blob[head + 32 :]
        if hashlib.blake2b(payload, digest_size=32).digest() != blob[head : head + 32]:
            return None
        data = face.path.read_bytes()
        fingerprint, names, state = marshal.loads(payload)
        if fingerprint != _fingerprint(face, data) or not isinstance(state, dict):
            return None
        lazy = {key: state.pop(key) for key in _LAZY_ATTRS if key in state}
        ttface = _lazy_face_class().__new__(_lazy_face_class())
        ttface.__dict__.update({key: _unpack(value) for key, value in state.items()})
        ttface._lz_lazy = lazy
        ttface.__dict__.update({key: TTFNameBytes(value) for key, value in names.items()})
        ttface._ttf_data = data
        ttface.filename = str(face.path)
        units = ttface.unitsPerEm
        ttface._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    except Exception:  # a damaged cache must never stop printing
        return None
    from weakref import WeakKeyDictionary

    font = TTFont.__new__(TTFont)
    font.fontName = face.name
    font.face = ttface
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = _shapable(face.name)
    return font


def _shapable(name: str) -> bool:
    """``TTFont.shapable`` as reportlab's constructor sets it."""
    from fnmatch import fnmatch

    from reportlab.pdfbase.ttfonts import unShapedFontGlob

    return not any(fnmatch(name, pattern) for pattern in unShapedFontGlob)


def _reportlab_font(face: FontFace) -> Any:
    """The reportlab ``TTFont`` for ``face``, loaded and registered once."""
    with _lock:
        font = _rl_fonts.get(str(face.path))
        if font is None:
            if not face.path.is_file():
                raise FontFileMissingError(face)
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            _fix_tounicode_for_supplementary_planes()
            font = _cached_ttfont(face)
            if font is None:
                font = TTFont(face.name, str(face.path))
                _save_parsed_face(face, font.face)
            _cache_subset_streams(font.face)
            pdfmetrics.registerFont(font)
            _rl_fonts[str(face.path)] = font
        return font


def register_reportlab_fonts() -> dict[str, str]:
    """Register every bundled face with reportlab; return ``{key: reportlab font name}``.

    Keys are ``serif``, ``serif-bold``, ``sans``, ``sans-bold``.  The families are registered too,
    so ``<b>`` in a ``Paragraph`` set in ``serif`` uses ``serif-bold``.  Idempotent and cached.
    """
    global _registered
    with _lock:
        if _registered is None:
            from reportlab.pdfbase import pdfmetrics

            names = {face.key: _reportlab_font(face).fontName for face in bundled_faces()}
            for role in ("serif", "sans"):
                pdfmetrics.registerFontFamily(
                    names[role], normal=names[role], bold=names[f"{role}-bold"],
                    italic=names[role], boldItalic=names[f"{role}-bold"],
                )
            _registered = names
        return dict(_registered)


def coverage(face: FontFace | str) -> frozenset[int]:
    """The code points ``face`` has a real glyph for (cached per face)."""
    resolved = face_for(face)
    with _lock:
        cached = _coverage.get(str(resolved.path))
        if cached is None:
            char_to_glyph: dict[int, int] = _reportlab_font(resolved).face.charToGlyph
            cached = frozenset(cp for cp, glyph in char_to_glyph.items() if glyph != 0)
            _coverage[str(resolved.path)] = cached
        return cached


def _ignorable(char: str) -> bool:
    """Whitespace and control characters need no glyph (line breaks, tabs, spaces)."""
    return char.isspace() or unicodedata.category(char) == "Cc"


def missing_glyphs(text: str, face: FontFace | str) -> list[str]:
    """The characters of ``text`` that ``face`` cannot draw, each once, in order of appearance."""
    covered = coverage(face)
    if all(ord(char) in covered for char in set(text)):  # the usual case: nothing to report
        return []
    missing: list[str] = []
    seen: set[str] = set()
    for char in text:
        if char in seen or _ignorable(char):
            continue
        seen.add(char)
        if ord(char) not in covered:
            missing.append(char)
    return missing


def check_fields(fields: Mapping[str, str], face: FontFace | str) -> list[MissingGlyph]:
    """Every (field, character) that ``face`` cannot draw.

    ``fields`` maps a Chinese field name (“中心名称”) to its text; each character is reported once
    per field, in order of appearance.
    """
    resolved = face_for(face)
    return [
        MissingGlyph(field=field, char=char, codepoint=ord(char), font=resolved.display_name)
        for field, text in fields.items()
        for char in missing_glyphs(text, resolved)
    ]


def require_glyphs(fields: Mapping[str, str], face: FontFace | str) -> None:
    """Raise :class:`MissingGlyphError` if any field has a character ``face`` cannot draw."""
    missing = check_fields(fields, face)
    if missing:
        raise MissingGlyphError(missing)


def require_glyphs_multi(checks: Sequence[tuple[Mapping[str, str], FontFace | str]]) -> None:
    """Like :func:`require_glyphs` for text set in several faces; reports every problem at once."""
    by_face: dict[str | FontFace, set[str]] = {}
    for fields, face in checks:  # one pass over all the characters first: usually nothing is missing
        chars = by_face.setdefault(face, set())
        for text in fields.values():
            chars.update(text)
    if all(ord(c) in covered or _ignorable(c)
           for face, chars in by_face.items() for covered in (coverage(face),) for c in chars):
        return
    missing = [m for fields, face in checks for m in check_fields(fields, face)]
    if missing:
        raise MissingGlyphError(missing)


def fallback_for(char: str) -> FontFace | None:
    """A bundled face that can draw ``char`` (serif first), or ``None`` if none can."""
    for face in bundled_faces():
        if face.path.is_file() and ord(char) in coverage(face):
            return face
    return None
