"""The faces registered with reportlab: each loaded once (from the parsed-font cache of
:mod:`lzcenter_desktop.documents.font_cache` when it can), the bundled families, the embedded
subset streams reused between documents, the ToUnicode fix for characters beyond U+FFFF, and
each face's glyph :func:`coverage`.  reportlab is imported lazily, the first time a font is needed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Final

from lzcenter_desktop.documents.font_cache import _cached_ttfont, _save_parsed_face
from lzcenter_desktop.documents.font_faces import (
    FontFace,
    FontFileMissingError,
    bundled_faces,
    face_for,
)

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
        descriptor = pdfdoc.PDFDictionary(
            {
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
            }
        )
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
                    names[role],
                    normal=names[role],
                    bold=names[f"{role}-bold"],
                    italic=names[role],
                    boldItalic=names[f"{role}-bold"],
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
