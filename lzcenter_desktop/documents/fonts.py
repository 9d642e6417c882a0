"""The bundled CJK fonts: which faces exist, registering them with reportlab, and glyph coverage.

No Qt here (``lzcenter_desktop/ui/fonts.py`` registers the same files with Qt).  reportlab is
imported lazily, the first time a font is needed.

The rule every document generator follows: text is checked with :func:`check_fields` (or
:func:`require_glyphs`) *before* anything is drawn, so a character that a font lacks is reported
to the user by field and code point instead of being printed as an empty box.

This module is the one to import; it re-exports the public names of its parts:
:mod:`~lzcenter_desktop.documents.font_faces` (the bundled faces, :func:`face_for`),
:mod:`~lzcenter_desktop.documents.system_fonts` (the Windows fonts),
:mod:`~lzcenter_desktop.documents.font_registry` (registration with reportlab, subsets, coverage),
:mod:`~lzcenter_desktop.documents.font_cache` (parsed fonts kept between runs) and
:mod:`~lzcenter_desktop.documents.font_glyphs` (the glyph checks).
"""

from __future__ import annotations

from lzcenter_desktop.documents.font_cache import face_cache_dir
from lzcenter_desktop.documents.font_faces import (
    SANS_FAMILY,
    SERIF_FAMILY,
    TONGGUI_COUNT,
    TONGGUI_LIST_FILE,
    FontFace,
    FontFileMissingError,
    FontRole,
    bundled_faces,
    face_for,
    tonggui_chars,
)
from lzcenter_desktop.documents.font_glyphs import (
    MissingGlyph,
    MissingGlyphError,
    check_fields,
    fallback_for,
    missing_glyphs,
    require_glyphs,
    require_glyphs_multi,
)
from lzcenter_desktop.documents.font_registry import (
    coverage,
    register_reportlab_fonts,
    seed_subsets,
    subset_stream_cache_size,
)
from lzcenter_desktop.documents.system_fonts import (
    WINDOWS_FONTS,
    system_faces,
    windows_font_dirs,
    windows_fonts_dir,
)

__all__ = [
    "SANS_FAMILY",
    "SERIF_FAMILY",
    "TONGGUI_COUNT",
    "TONGGUI_LIST_FILE",
    "WINDOWS_FONTS",
    "FontFace",
    "FontFileMissingError",
    "FontRole",
    "MissingGlyph",
    "MissingGlyphError",
    "bundled_faces",
    "check_fields",
    "coverage",
    "face_cache_dir",
    "face_for",
    "fallback_for",
    "missing_glyphs",
    "register_reportlab_fonts",
    "require_glyphs",
    "require_glyphs_multi",
    "seed_subsets",
    "subset_stream_cache_size",
    "system_faces",
    "tonggui_chars",
    "windows_font_dirs",
    "windows_fonts_dir",
]
