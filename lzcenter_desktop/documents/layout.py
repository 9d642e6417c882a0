"""Shared helpers for the printed documents: units, Chinese dates, line breaking, canvases, colours.

Line breaking is done here rather than left to reportlab: reportlab's ``wordWrap='CJK'`` knows
only a short list of characters that may not start a line (it lacks the full-width ，！？；：》”),
and when it does apply the rule it lets the punctuation hang past the right edge.  The bureau's
documents follow 行首禁则 strictly and never overflow a table cell, so :func:`break_lines` pulls
the last character of a line down together with the punctuation instead (推入).  Paragraphs are
then built with explicit ``<br/>`` at those points (see :func:`cjk_paragraph`) and reportlab only
draws them.

No Qt, no database.  reportlab is imported when a function needs it.
"""

from __future__ import annotations

import functools
import io
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

ISSUER: Final = "柳州市科学技术局"
CREATOR: Final = "lzcenter-desktop（柳州市工程技术研究中心管理系统）"

#: Points per millimetre.
MM: Final = 72.0 / 25.4

#: Characters that may not begin a line (行首禁则): closing brackets and quotes, stops, pauses,
#: the ellipsis and dash (which also must not be split in two), units written after a number.
CANNOT_START: Final = (
    "，。、；：！？）》」』】〕〉〗］｝”’…—～·％‰℃°′″"
    ",.;:!?)]}%"
    "々ー"
)
#: Characters that may not end a line (行尾禁则): opening brackets and quotes.
CANNOT_END: Final = "（《「『【〔〈〖［｛“‘([{"

_CN_DIGITS: Final = "〇一二三四五六七八九"


def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` escaped for reportlab's paragraph markup (saxutils costs 20 ms to import)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mm(value: float) -> float:
    """Millimetres to PDF points."""
    return value * MM


# --------------------------------------------------------------------------- Chinese dates


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals as used in dates: 一、十、十一、二十、三十一."""
    if not 1 <= n <= 99:
        raise ValueError(f"只能写出 1 至 99 的中文数字，收到 {n}")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[units] if units else "")


def chinese_year(year: int) -> str:
    """A year digit by digit: 2026 → 二〇二六年."""
    return "".join(_CN_DIGITS[int(d)] for d in str(year)) + "年"


def chinese_year_month(d: date) -> str:
    """``2026-11-26`` → ``二〇二六年十一月`` (the date line of a plaque)."""
    return f"{chinese_year(d.year)}{chinese_number(d.month)}月"


def chinese_date(d: date) -> str:
    """``2026-11-26`` → ``二〇二六年十一月二十六日`` (the date line of a certificate or notice)."""
    return f"{chinese_year_month(d)}{chinese_number(d.day)}日"


# --------------------------------------------------------------------------- measuring


def string_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points set in reportlab font ``font`` at ``size`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


_UNIT = re.compile(r"[A-Za-z0-9_@#$&+\-./'’%]+|\s+|.", re.DOTALL)


def _units(text: str) -> list[str]:
    """Text cut where a line may break: Latin words and numbers stay whole, every CJK char alone."""
    return _UNIT.findall(text)


def _may_break_between(left: str, right: str) -> bool:
    """Whether a line may end with unit ``left`` and the next begin with unit ``right``."""
    return right[0] not in CANNOT_START and left[-1] not in CANNOT_END


def break_lines(text: str, font: str, size: float, width: float, *, first_indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points, keeping 行首禁则 and 行尾禁则.

    A Latin word or a number is never split unless it alone is wider than a line.  A line never
    begins with a character of :data:`CANNOT_START` nor ends with one of :data:`CANNOT_END`: the
    character before the break is carried down with it.  ``\\n`` forces a break.  Spaces at the
    start and end of a line are dropped.  ``first_indent`` narrows the first line of each
    paragraph (for a two-character indent).
    """
    return list(_break_cached(text, font, size, width, first_indent))


@functools.lru_cache(maxsize=4096)
def _break_cached(text: str, font: str, size: float, width: float, first_indent: float) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, font, size, width, first_indent))
    return tuple(lines)


def _break_paragraph(text: str, font: str, size: float, width: float, first_indent: float) -> list[str]:
    units: list[str] = []
    for unit in _units(text):
        if not unit.isspace() and string_width(unit, font, size) > width:
            units.extend(unit)  # a word wider than the line: split it by characters
        else:
            units.append(unit)
    widths = [string_width(u, font, size) for u in units]
    lines: list[str] = []
    start = 0
    n = len(units)
    while start < n:
        while start < n and units[start].isspace():
            start += 1
        if start >= n:
            break
        limit = width - (first_indent if not lines else 0.0)
        used = 0.0
        end = start
        while end < n and (units[end].isspace() or used + widths[end] <= limit + 1e-6):
            used += widths[end]
            end += 1
        if end == start:
            end = start + 1  # one character wider than the line (a very narrow column): let it be
        if end < n:
            # Move the break back until it is allowed; never empty the line (then it overflows).
            brk = end
            while brk > start + 1 and not _allowed_break(units, brk):
                brk -= 1
            if _allowed_break(units, brk):
                end = brk
            else:
                # No allowed break inside the width: carry the forbidden characters on this line.
                while end < n and not _allowed_break(units, end):
                    end += 1
        lines.append("".join(units[start:end]).strip())
        start = end
    return lines or [""]


def _allowed_break(units: Sequence[str], at: int) -> bool:
    """Whether a line may break before ``units[at]`` (spaces around the break are ignored)."""
    left_i = at - 1
    while left_i >= 0 and units[left_i].isspace():
        left_i -= 1
    right_i = at
    while right_i < len(units) and units[right_i].isspace():
        right_i += 1
    if left_i < 0 or right_i >= len(units):
        return True
    if right_i == at and left_i == at - 1 and _is_latin(units[left_i]) and _is_latin(units[right_i]):
        return False  # two Latin pieces with no space between them ("Co." + ",")
    return _may_break_between(units[left_i], units[right_i])


def _is_latin(unit: str) -> bool:
    return unit.isascii() and not unit.isspace()


@dataclass(frozen=True)
class FittedText:
    """Text set to fit a width: its lines and the font size in points."""

    lines: tuple[str, ...]
    size: float


def balanced_two_lines(
    text: str, font: str, *, preferred_before: Sequence[str] = (), tolerance: float = 0.25,
    keep_together: Sequence[str] = (),
) -> tuple[str, str]:
    """Split ``text`` into two lines as equal in width as the break rules allow.

    Breaks are only where :func:`break_lines` would allow one (never before closing punctuation,
    never inside a Latin word; Latin text breaks at spaces).  If a break just before one of
    ``preferred_before`` (e.g. ``工程技术研究中心``) makes the longer line at most ``tolerance``
    wider than the best balance, that break is taken: it reads better.  Ties go to the longer
    first line.  No break falls inside a phrase of ``keep_together`` (such as
    ``工程技术研究中心``) unless there is no other place to break.
    """
    units = _units(text.strip())
    starts = [0]
    for u in units:
        starts.append(starts[-1] + len(u))
    joined = "".join(units)
    inside: set[int] = set()
    for phrase in keep_together:
        at = joined.find(phrase)
        while at >= 0:
            inside.update(range(at + 1, at + len(phrase)))
            at = joined.find(phrase, at + 1)
    latin = all(u.isascii() for u in units)
    best: tuple[float, int] | None = None
    candidates: list[tuple[float, int]] = []
    for at in range(1, len(units)):
        if latin and not units[at].isspace():
            continue  # English breaks only at a space
        if not _allowed_break(units, at):
            continue
        left = "".join(units[:at]).strip()
        right = "".join(units[at:]).strip()
        if not left or not right:
            continue
        cost = max(string_width(left, font, 100.0), string_width(right, font, 100.0))
        if starts[at] in inside:
            cost *= 10.0  # possible, but only if nothing else is
        candidates.append((cost, at))
        # strictly better, or equal and the first line is longer (later break)
        if best is None or cost < best[0] - 1e-9 or abs(cost - best[0]) <= 1e-9:
            best = (cost, at)
    if best is None:
        return text.strip(), ""
    chosen = best[1]
    for cost, at in candidates:
        right = "".join(units[at:]).strip()
        if cost <= best[0] * (1 + tolerance) and any(right.startswith(p) for p in preferred_before):
            chosen = at
            break
    return "".join(units[:chosen]).strip(), "".join(units[chosen:]).strip()


def fit_lines(
    text: str, font: str, max_width: float, *,
    nominal: float, minimum: float, two_line_nominal: float, two_line_minimum: float,
    preferred_before: Sequence[str] = (), field: str = "文字",
) -> FittedText:
    """Set ``text`` on one line, shrinking from ``nominal`` down to ``minimum``; then on two
    balanced lines from ``two_line_nominal`` down to ``two_line_minimum``.

    Raises :class:`ValueError` (Chinese, naming ``field``) if even two lines at the minimum size
    are wider than ``max_width``: the text would overflow, which is never printed.
    """
    one = string_width(text, font, 1.0)
    if one <= 0:
        return FittedText((text,), nominal)
    size = min(nominal, max_width / one)
    if size >= minimum - 1e-9:
        return FittedText((text,), size)
    first, second = balanced_two_lines(text, font, preferred_before=preferred_before)
    if second:
        widest = max(string_width(first, font, 1.0), string_width(second, font, 1.0))
        size = min(two_line_nominal, max_width / widest)
        if size >= two_line_minimum - 1e-9:
            return FittedText((first, second), size)
    raise ValueError(
        f"“{field}”太长（{len(text)} 个字符），在可用宽度 {max_width / MM:.0f} mm 内"
        f"即使缩小到 {two_line_minimum / MM:.1f} mm 字高并分两行也排不下，请缩短后再生成。"
    )


# --------------------------------------------------------------------------- fonts


def load_faces(*keys: str) -> dict[str, str]:
    """Load and register with reportlab only the bundled faces ``keys`` (``serif``, ``sans-bold``…);
    return ``{key: reportlab font name}``.

    Cheaper than :func:`~lzcenter_desktop.documents.fonts.register_reportlab_fonts` when a
    document needs two of the four faces (each face costs about 60 ms to parse, once a process).
    Loading goes through :func:`~lzcenter_desktop.documents.fonts.coverage`, which the glyph
    checks need anyway; a face's reportlab name is its ``name``.
    """
    from lzcenter_desktop.documents.fonts import coverage, face_for

    out: dict[str, str] = {}
    for key in keys:
        face = face_for(key)
        coverage(face)
        out[key] = face.name
    return out


# --------------------------------------------------------------------------- paragraphs


def cjk_paragraph(text: str, style: Any, width: float, *, first_indent: float = 0.0) -> Any:
    """A reportlab ``Paragraph`` of ``text`` broken by :func:`break_lines` for ``width`` points.

    ``style`` must use ``wordWrap='CJK'``; its ``fontName`` and ``fontSize`` are used to measure.
    """
    from reportlab.platypus import Paragraph

    lines = break_lines(text, style.fontName, style.fontSize, width - 0.01, first_indent=first_indent)
    return Paragraph("<br/>".join(xml_escape(line) for line in lines), style)


def draw_text_block(
    canvas: Any, text: str, font: str, size: float, leading: float, x: float, first_baseline: float,
    width: float, *, first_indent: float = 0.0,
) -> float:
    """Draw ``text`` left-aligned in ``width`` points, broken by :func:`break_lines`, each paragraph
    (``\\n``) with ``first_indent`` on its first line; return the baseline after the last line."""
    y = first_baseline
    canvas.setFont(font, size)
    for paragraph in text.split("\n"):
        for i, line in enumerate(break_lines(paragraph, font, size, width, first_indent=first_indent)):
            canvas.drawString(x + (first_indent if i == 0 else 0.0), y, line)
            y -= leading
    return y


def paragraph_lines(paragraph: Any) -> list[str]:
    """The lines a wrapped ``Paragraph`` will draw (from ``blPara.lines``), for checks and tests."""
    bl = paragraph.blPara
    out: list[str] = []
    for line in bl.lines:
        if bl.kind == 0:  # plain lines: (extra space, [words])
            out.append(" ".join(line[1]))
        else:
            words = getattr(line, "words", [])
            out.append("".join(getattr(w, "text", "") for w in words))
    return out


# --------------------------------------------------------------------------- canvases and files


def new_canvas(
    target: Any, pagesize: tuple[float, float], *, fonts: dict[str, str], title: str, subject: str,
    initial_font: str = "serif",
) -> Any:
    """A repeatable reportlab ``Canvas`` (``invariant=1``: fixed dates and document id) with our
    metadata and one of our embedded fonts as its initial font, so no Helvetica is listed."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(
        target, pagesize=pagesize, invariant=1, pageCompression=1,
        initialFontName=fonts[initial_font], initialFontSize=12,
    )
    canvas.setTitle(title)
    canvas.setAuthor(ISSUER)
    canvas.setSubject(subject)
    canvas.setCreator(CREATOR)
    canvas.setProducer("ReportLab")
    return canvas


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, so a failure never leaves half a PDF.

    The temporary file is opened normally (not with ``mkstemp``), so the PDF gets the usual
    permissions of the user's umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def render_to_file(path: Path, draw: Callable[[io.BytesIO], None]) -> Path:
    """Run ``draw`` on an in-memory buffer, then write the PDF to ``path`` atomically."""
    buffer = io.BytesIO()
    draw(buffer)
    return write_atomically(path, buffer.getvalue())


def safe_file_stem(text: str, fallback: str = "文档") -> str:
    """``text`` made usable as a file name on Windows and Linux (reserved characters replaced)."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or unicodedata.category(c) == "Cc" else c for c in text)
    cleaned = cleaned.strip().strip(".")
    return cleaned[:120] or fallback


def field_texts(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{field: text}`` from pairs, joining repeated field names' texts (for glyph checks)."""
    out: dict[str, str] = {}
    for field, text in pairs:
        out[field] = out[field] + text if field in out else text
    return out


# --------------------------------------------------------------------------- colours (CMYK for print)


@dataclass(frozen=True)
class PrintColour:
    """A process colour, named in Chinese for the print shop's specification."""

    name: str
    c: float
    m: float
    y: float
    k: float

    def reportlab(self) -> Any:
        from reportlab.lib.colors import CMYKColor

        return CMYKColor(self.c / 100, self.m / 100, self.y / 100, self.k / 100)

    @property
    def spec(self) -> str:
        return f"{self.name} C{self.c:g} M{self.m:g} Y{self.y:g} K{self.k:g}"


RED: Final = PrintColour("中国红", 0, 100, 100, 10)
GOLD: Final = PrintColour("香槟金", 5, 15, 45, 0)
DEEP_GOLD: Final = PrintColour("古铜金", 20, 40, 80, 5)
INK: Final = PrintColour("墨黑", 0, 0, 0, 100)
BROWN: Final = PrintColour("深棕", 30, 70, 90, 40)
REGISTRATION: Final = PrintColour("套版色", 100, 100, 100, 100)
