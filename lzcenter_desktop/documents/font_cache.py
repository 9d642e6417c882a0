"""The parsed-font cache: what reportlab's ``TTFontFile`` parses of a face (cmap, widths,
metrics, glyph offsets, names …) kept between runs in ``user_data_dir()/cache``, about ten times
faster to load than parsing the 9 MB faces again.  Any mismatch, truncation or damage means
parsing as before.  Used by :mod:`lzcenter_desktop.documents.font_registry`.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.font_faces import FontFace
from lzcenter_desktop.paths import user_data_dir

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
    return (
        f"{_FACE_CACHE_FORMAT}|{face.name}|{len(data)}|{st.st_size}|{st.st_mtime_ns}|{digest}|"
        f"{reportlab.Version}|{sys.version_info[:3]}"
    )


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
