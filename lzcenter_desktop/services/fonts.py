"""The fonts the UI and the command line choose from, and the error for characters they lack.

``ui`` and ``cli`` import fonts from here, not from ``lzcenter_desktop.documents``:

* the table of bundled faces (:data:`SERIF_FAMILY`, :data:`SANS_FAMILY`, :class:`FontFace`,
  :func:`bundled_faces`, :func:`face_for`, :class:`FontFileMissingError`) — light, loaded at
  start-up, when Qt registers the bundled files;
* :func:`system_faces` (the installed Windows fonts) and :func:`fallback_for` (a bundled face that
  draws a character) — their modules, and reportlab's font parsing behind them, are imported on
  the first call only;
* :class:`MissingGlyphError` — raised by document generation when a chosen font lacks a
  character; its module is imported the first time the name is used, so start-up stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lzcenter_desktop.documents.font_faces import (
    SANS_FAMILY,
    SERIF_FAMILY,
    FontFace,
    FontFileMissingError,
    bundled_faces,
    face_for,
)

if TYPE_CHECKING:
    from lzcenter_desktop.documents.font_glyphs import MissingGlyph, MissingGlyphError

__all__ = [
    "SANS_FAMILY",
    "SERIF_FAMILY",
    "FontFace",
    "FontFileMissingError",
    "MissingGlyph",
    "MissingGlyphError",
    "bundled_faces",
    "face_for",
    "fallback_for",
    "system_faces",
]

_LAZY = {"MissingGlyph", "MissingGlyphError"}


def __getattr__(name: str) -> Any:
    """:class:`MissingGlyphError` and :class:`MissingGlyph`, imported on first use."""
    if name in _LAZY:
        from lzcenter_desktop.documents import font_glyphs

        value = getattr(font_glyphs, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def system_faces(folder: Path | Sequence[Path] | None = None) -> tuple[FontFace, ...]:
    """The installed Windows fonts 宋体, 黑体, 楷体, 仿宋 (``()`` where there are none), from the
    system fonts folder and the user's own (``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``) unless
    ``folder`` names others; each found becomes known to :func:`face_for` by its name and label."""
    from lzcenter_desktop.documents.system_fonts import system_faces as found

    return found(folder)


def fallback_for(char: str) -> FontFace | None:
    """A bundled face that can draw ``char`` (serif first), or ``None`` if none can."""
    from lzcenter_desktop.documents.font_glyphs import fallback_for as fallback

    return fallback(char)
