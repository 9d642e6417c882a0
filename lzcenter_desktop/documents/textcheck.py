"""Characters that must never reach a printed document: control and invisible format characters.

A name pasted from a mail or a spreadsheet may carry a bell (U+0007), an escape, a zero-width space
or a right-to-left override.  Such a character has no glyph: it would be silently dropped or shown
as a blank box on a plaque or certificate — and it still takes part in a certificate's check code,
so the printed text and the signed text would differ.  :func:`refuse_unprintable` stops before
anything is drawn, with a Chinese message naming the field and the character.

Line breaks and tabs (``\\t``, ``\\n``, ``\\r``) are not refused: the documents fold runs of white
space into one space.  Private-use characters are left to the glyph check (they are printable in a
font that has them).  Pure standard library.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Final

__all__ = ["ALLOWED_CONTROLS", "refuse_unprintable", "unprintable"]

#: Control characters that are white space the documents fold into a single space.
ALLOWED_CONTROLS: Final = frozenset("\t\n\r")
#: Unicode categories refused: controls, invisible format characters, lone surrogates.
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs"})


def unprintable(text: str) -> list[str]:
    """The control and format characters of ``text`` (each once, in order of appearance)."""
    found: list[str] = []
    for char in text or "":
        if (
            char not in ALLOWED_CONTROLS
            and unicodedata.category(char) in _REFUSED_CATEGORIES
            and char not in found
        ):
            found.append(char)
    return found


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f"（{name}）" if name else "")


def refuse_unprintable(fields: Mapping[str, str], *, what: str = "") -> None:
    """Raise :class:`ValueError` naming the first field (Chinese label) that holds a control or
    format character, and the characters.  ``what`` prefixes the field, e.g. ``"证书的"``."""
    for label, value in fields.items():
        bad = unprintable(value)
        if bad:
            chars = "、".join(_describe(c) for c in bad)
            raise ValueError(
                f"{what}“{label}”含有不可见的控制字符 {chars}，无法印在证书或牌匾上，"
                "请删除该字符后重新生成（如名称取自数据库，请先在“中心”页修改）。"
            )
