"""Glyph checks: before anything is drawn, every character of every field is checked against
the face it will be set in, and what a face lacks is reported by field and code point
(:class:`MissingGlyphError`) instead of being printed as an empty box.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lzcenter_desktop.documents.font_faces import FontFace, bundled_faces, face_for
from lzcenter_desktop.documents.font_registry import _ignorable, coverage


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
    if all(
        ord(c) in covered or _ignorable(c)
        for face, chars in by_face.items()
        for covered in (coverage(face),)
        for c in chars
    ):
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
