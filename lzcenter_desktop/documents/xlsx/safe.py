"""User text written into Excel cells as text, never as a formula, and only with characters Excel
can store.

A name typed as ``=HYPERLINK("http://…","点我")`` or ``+1+2`` must open in Excel/WPS as the text it
is: a leading ``=``, ``+``, ``-`` or ``@`` (and a leading tab or carriage return, which some
programs skip before looking) is written as a string cell with Excel's quote prefix, so it stays
text even when a clerk edits the cell. Control characters other than tab, line feed and carriage
return cannot be stored in an .xlsx file at all: they are removed and reported (field, character,
code point) so the caller can say so.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def illegal_characters(text: str) -> list[str]:
    """The characters of ``text`` an .xlsx cell cannot hold, as ``U+0007`` descriptions (in order)."""
    return [f"U+{ord(ch):04X}" for ch in _ILLEGAL.findall(text)]


def clean_text(text: str) -> str:
    """``text`` without the characters an .xlsx cell cannot hold."""
    return _ILLEGAL.sub("", text)


def needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_LEADS)


def put(cell: Any, value: Any, *, where: str = "") -> list[str]:
    """Write ``value`` into the openpyxl ``cell``; text always as text. Returns the removed
    characters as Chinese descriptions naming ``where`` (empty when nothing was removed)."""
    if not isinstance(value, str):
        cell.value = value
        return []
    removed = illegal_characters(value)
    text = clean_text(value)
    cell.value = text
    if needs_quote(text):
        cell.data_type = "s"  # openpyxl makes every "=…" a formula; this is the applicant's text
        cell.quotePrefix = True  # and Excel/WPS keep it text when the cell is edited
    if not removed:
        return []
    place = f"{where}：" if where else ""
    return [f"{place}已删除 Excel 无法保存的控制字符 {'、'.join(removed)}"]
