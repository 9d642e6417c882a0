"""The uniform plaque (牌匾) of a recognised centre, as a print-ready vector PDF at real size.

What is printed (办法第十条（五）、第二十六条):

* the title ``柳州市××工程技术研究中心`` (第十条（五）).  It is derived from the centre's registered
  name, which 第二十六条 writes ``柳州××工程技术研究中心（依托单位名称）``; ``柳州`` becomes ``柳州市``.
  A name given already in the plaque form is used as it is.  See :func:`plaque_title`.
* under the title, in smaller type, the bracketed host (or co-builder) ``（依托单位名称）`` of the
  unified name of 第二十六条, so that the Chinese side names the unit as the English side does.
  A name given in the plaque form (no bracket) has no such line.  See :func:`plaque_unit`.
* the English name as 第二十六条 gives it, ``Liuzhou×× Research Center of Engineering Technology
  (host's English name)`` — here the host stays, because it is part of the prescribed English form;
* the issuer ``柳州市科学技术局`` and the date in Chinese numerals (``二〇二六年十一月``).

Sizes are physical: 600×400 mm and 400×300 mm are built in (:data:`STANDARD_SIZES`), any landscape
size within :data:`MIN_SIDE_MM`–:data:`MAX_SIDE_MM` can be set.  Everything is laid out in a unit
``u`` that scales with the plate, so a smaller plaque is the same design smaller.

Long names never overflow: the title shrinks from its nominal size down to a minimum; below that it
is set on two balanced lines (never starting a line with closing punctuation, preferably breaking
before ``工程技术研究中心``), shrinking again down to a second minimum; a title that still does not
fit is refused with a Chinese message.  The English line does the same.

Print-shop options: ``bleed=True`` grows the page by 3 mm on each side, extends the background
into it, draws crop marks outside the trim box and sets TrimBox/BleedBox; ``proof=True`` adds an
A4 landscape proof page with the plaque scaled down and the full specification (sizes, fonts,
text of each field, CMYK colours).

Every character is checked against its font before anything is drawn
(:class:`~lzcenter_desktop.documents.fonts.MissingGlyphError`); the output is byte-for-byte
repeatable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from lzcenter_desktop.documents.fonts import face_for, register_reportlab_fonts, require_glyphs_multi
from lzcenter_desktop.documents.layout import (
    BROWN,
    GOLD,
    INK,
    ISSUER,
    MM,
    RED,
    REGISTRATION,
    FittedText,
    chinese_year_month,
    cjk_paragraph,
    fit_lines,
    load_faces,
    mm,
    new_canvas,
    render_to_file,
)
from lzcenter_desktop.documents.textcheck import refuse_unprintable

__all__ = [
    "BLEED_MM",
    "DEFAULT_FACES",
    "MAX_SIDE_MM",
    "MIN_SIDE_MM",
    "STANDARD_SIZES",
    "PlaqueLayout",
    "PlaqueSpec",
    "chinese_year_month",
    "layout",
    "plaque_title",
    "render",
]

#: Built-in plaque sizes (width, height) in millimetres.
STANDARD_SIZES: Final[dict[str, tuple[float, float]]] = {"600×400": (600.0, 400.0), "400×300": (400.0, 300.0)}
BLEED_MM: Final = 3.0
MIN_SIDE_MM: Final = 100.0
MAX_SIDE_MM: Final = 3000.0
#: Width / height.  The design is a landscape plate; a square is the narrowest accepted.
MIN_RATIO: Final = 1.0
MAX_RATIO: Final = 2.5

#: Which bundled face sets which element (keys of ``faces=``; values are face keys or names).
DEFAULT_FACES: Final[dict[str, str]] = {
    "title": "serif-bold",
    "english": "serif",
    "issuer": "serif-bold",
    "date": "serif",
}
_ELEMENT_LABELS: Final = {"title": "标题", "english": "英文名称", "issuer": "发文单位", "date": "日期"}
# The unit line under the title is set in the title's face (a smaller size of the same letters).

_SUFFIX: Final = "工程技术研究中心"
_EN_SUFFIX: Final = "Research Center of Engineering Technology"

# Layout, in units u (a hundredth of the plate's height, or of width/1.5 for a squarer plate).
_FRAME_OUTER = 3.0
_FRAME_OUTER_W = 0.9
_FRAME_INNER = 4.6
_FRAME_INNER_W = 0.22
_SIDE = 11.0  # text keeps this far from the plate's edges
_TITLE_NOMINAL, _TITLE_MIN = 12.0, 8.0
_TITLE2_NOMINAL, _TITLE2_MIN = 9.0, 6.0
_TITLE_LEADING = 1.3
_UNIT_NOMINAL, _UNIT_MIN = 5.0, 3.4  # the （依托单位名称） line under the title
_UNIT2_NOMINAL, _UNIT2_MIN = 4.4, 3.0
_UNIT_LEADING = 1.3
_EN_NOMINAL, _EN_MIN = 3.4, 2.4
_EN2_NOMINAL, _EN2_MIN = 3.0, 2.0
_EN_LEADING = 1.35
_ISSUER_SIZE = 5.2
_DATE_SIZE = 3.8
_DATE_BASELINE = 12.5
_ISSUER_GAP = 3.2


@dataclass(frozen=True)
class PlaqueSpec:
    """What one plaque says and how big it is.

    ``name_zh`` is the centre's registered name (``柳州××工程技术研究中心（依托单位）``) or the plaque
    title itself; ``name_en`` the English name in the form of 第二十六条.
    """

    name_zh: str
    name_en: str
    date: date
    issuer: str = ISSUER
    width_mm: float = 600
    height_mm: float = 400
    bleed: bool = False
    proof: bool = False
    #: ``False`` leaves the English line off (a draft made before the English name is known);
    #: a plaque for production has it (第二十六条).
    english_line: bool = True


@dataclass(frozen=True)
class PlaqueLayout:
    """Where everything goes on the plate, in points from the plate's (trim) lower-left corner."""

    width: float
    height: float
    unit: float
    title: FittedText
    english: FittedText
    title_baselines: tuple[float, ...]
    english_baselines: tuple[float, ...]
    rule_y: float
    issuer_baseline: float
    date_baseline: float
    title_text: str
    english_text: str
    issuer: str
    date_text: str
    fonts: dict[str, str]  # element → reportlab font name
    host: FittedText = field(default_factory=lambda: FittedText((), 0.0))  # （依托单位名称）; may be empty
    host_baselines: tuple[float, ...] = ()
    host_text: str = ""


# --------------------------------------------------------------------------- text


def _split_trailing_parenthesis(name: str) -> tuple[str, str | None]:
    """``柳州××中心（某公司（集团））`` → (``柳州××中心``, ``某公司（集团）``); nested brackets allowed."""
    if not name or name[-1] not in "）)":
        return name, None
    depth = 0
    for i in range(len(name) - 1, -1, -1):
        ch = name[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth -= 1
            if depth == 0:
                return name[:i].rstrip(), name[i + 1 : -1].strip()
    return name, None


def plaque_unit(name_zh: str) -> str | None:
    """The bracketed unit of a 第二十六条 name (``（柳州某某汽车有限公司）``); None for a plaque-form name."""
    name = unicodedata.normalize("NFC", re.sub(r"\s+", "", name_zh or ""))
    _core, unit = _split_trailing_parenthesis(name)
    return f"（{unit}）" if unit else None


def plaque_title(name_zh: str) -> str:
    """The plaque title ``柳州市××工程技术研究中心`` from a centre name (see the module docstring).

    Raises :class:`ValueError` with a Chinese message naming 中心名称 if the name is empty, lacks
    the ××, or does not end in ``工程技术研究中心`` once the host is taken off.
    """
    name = unicodedata.normalize("NFC", re.sub(r"\s+", "", name_zh or ""))
    if not name:
        raise ValueError("“中心名称”不能为空。")
    core, _host = _split_trailing_parenthesis(name)
    if not core.endswith(_SUFFIX):
        raise ValueError(
            f"“中心名称”应为“柳州××工程技术研究中心（依托单位名称）”的形式（办法第二十六条），"
            f"收到“{name_zh}”。"
        )
    if core.startswith("柳州市"):
        title = core
    elif core.startswith("柳州"):
        title = "柳州市" + core[2:]
    else:
        title = "柳州市" + core
    if title == "柳州市" + _SUFFIX:
        raise ValueError(f"“中心名称”缺少“柳州××工程技术研究中心”中的××部分，收到“{name_zh}”。")
    return title


def _check_english(name_en: str) -> str:
    text = re.sub(r"\s+", " ", (name_en or "").strip())
    if not text:
        raise ValueError("“英文名称”不能为空（办法第二十六条规定了英文名称）。")
    if not text.startswith("Liuzhou") or _EN_SUFFIX not in text:
        raise ValueError(
            "“英文名称”应为办法第二十六条的形式“Liuzhou×× Research Center of Engineering Technology"
            f"（依托单位英文名称）”，收到“{name_en}”。"
        )
    return text


def _check_printable(spec: PlaqueSpec) -> None:
    """Control and format characters (U+0007, U+200B …) are refused, naming the field."""
    refuse_unprintable(
        {"中心名称": spec.name_zh, "英文名称": spec.name_en, "发文单位": spec.issuer}, what="牌匾的"
    )


def _check_size(spec: PlaqueSpec) -> None:
    for label, value in (("牌匾宽度", spec.width_mm), ("牌匾高度", spec.height_mm)):
        if not MIN_SIDE_MM <= value <= MAX_SIDE_MM:
            raise ValueError(f"“{label}”应在 {MIN_SIDE_MM:g}～{MAX_SIDE_MM:g} mm 之间，收到 {value:g} mm。")
    ratio = spec.width_mm / spec.height_mm
    if not MIN_RATIO - 1e-9 <= ratio <= MAX_RATIO + 1e-9:
        raise ValueError(
            f"“牌匾宽度”与“牌匾高度”之比应在 {MIN_RATIO:g}～{MAX_RATIO:g} 之间（横版牌匾），"
            f"收到 {spec.width_mm:g}×{spec.height_mm:g} mm。"
        )


def _resolve_faces(faces: Mapping[str, str] | None) -> dict[str, str]:
    """Element → bundled face key, after checking the caller's overrides."""
    chosen = dict(DEFAULT_FACES)
    for element, face in (faces or {}).items():
        if element not in chosen:
            known = "、".join(f"{k}（{v}）" for k, v in _ELEMENT_LABELS.items())
            raise ValueError(f"牌匾没有名为“{element}”的文字元素（可用：{known}）。")
        chosen[element] = face_for(face).name
    return chosen


# --------------------------------------------------------------------------- layout


def layout(spec: PlaqueSpec, *, faces: Mapping[str, str] | None = None) -> PlaqueLayout:
    """Fit the texts to the plate and place them (no drawing; also used by the tests)."""
    _check_printable(spec)
    _check_size(spec)
    title_text = plaque_title(spec.name_zh)
    english_text = _check_english(spec.name_en) if spec.english_line else ""
    issuer = re.sub(r"\s+", "", spec.issuer or "")
    if not issuer:
        raise ValueError("“发文单位”不能为空。")
    face_keys = _resolve_faces(faces)
    loaded = load_faces(*sorted(set(face_keys.values())))
    fonts = {element: loaded[face] for element, face in face_keys.items()}

    width, height = mm(spec.width_mm), mm(spec.height_mm)
    u = min(height, width / 1.5) / 100.0
    text_width = width - 2 * _SIDE * u
    title = fit_lines(
        title_text,
        fonts["title"],
        text_width,
        nominal=_TITLE_NOMINAL * u,
        minimum=_TITLE_MIN * u,
        two_line_nominal=_TITLE2_NOMINAL * u,
        two_line_minimum=_TITLE2_MIN * u,
        preferred_before=(_SUFFIX,),
        field="中心名称",
    )
    if spec.english_line:
        english = fit_lines(
            english_text,
            fonts["english"],
            text_width,
            nominal=_EN_NOMINAL * u,
            minimum=_EN_MIN * u,
            two_line_nominal=_EN2_NOMINAL * u,
            two_line_minimum=_EN2_MIN * u,
            preferred_before=("Research Center", "("),
            field="英文名称",
        )
    else:
        english = FittedText((), _EN_NOMINAL * u)
    host_text = plaque_unit(spec.name_zh) or ""
    if host_text:
        host = fit_lines(
            host_text,
            fonts["title"],
            text_width,
            nominal=_UNIT_NOMINAL * u,
            minimum=_UNIT_MIN * u,
            two_line_nominal=_UNIT2_NOMINAL * u,
            two_line_minimum=_UNIT2_MIN * u,
            field="依托单位名称",
        )
    else:
        host = FittedText((), _UNIT_NOMINAL * u)

    date_baseline = _DATE_BASELINE * u
    issuer_baseline = date_baseline + _DATE_SIZE * u + _ISSUER_GAP * u
    # The title block (title, host, rule, English) is centred between the issuer and the inner frame.
    title_step = title.size * _TITLE_LEADING
    en_step = english.size * _EN_LEADING
    host_step = host.size * _UNIT_LEADING
    gap_title_host = 0.45 * title.size
    host_block = gap_title_host + host.size * 0.88 + (len(host.lines) - 1) * host_step if host.lines else 0.0
    gap_title_rule = 0.55 * title.size
    gap_rule_en = 1.0 * english.size
    block = (
        title.size * 0.88
        + (len(title.lines) - 1) * title_step
        + host_block
        + gap_title_rule
        + (gap_rule_en + english.size * 0.72 + (len(english.lines) - 1) * en_step if english.lines else 0.0)
    )
    region_top = height - (_FRAME_INNER + 4.0) * u
    region_bottom = issuer_baseline + _ISSUER_SIZE * u + 4.0 * u
    top = region_bottom + (region_top - region_bottom + block) / 2
    first_title = top - title.size * 0.88
    title_baselines = tuple(first_title - i * title_step for i in range(len(title.lines)))
    first_host = title_baselines[-1] - gap_title_host - host.size * 0.88
    host_baselines = tuple(first_host - i * host_step for i in range(len(host.lines)))
    last_line, last_size = (
        (host_baselines[-1], host.size) if host.lines else (title_baselines[-1], title.size)
    )
    above_rule = last_line - last_size * 0.12
    rule_y = above_rule - gap_title_rule
    first_en = rule_y - gap_rule_en - english.size * 0.72
    english_baselines = tuple(first_en - i * en_step for i in range(len(english.lines)))
    return PlaqueLayout(
        width=width,
        height=height,
        unit=u,
        title=title,
        english=english,
        title_baselines=title_baselines,
        english_baselines=english_baselines,
        rule_y=rule_y,
        issuer_baseline=issuer_baseline,
        date_baseline=date_baseline,
        title_text=title_text,
        english_text=english_text,
        issuer=issuer,
        date_text=chinese_year_month(spec.date),
        fonts=fonts,
        host=host,
        host_baselines=host_baselines,
        host_text=host_text,
    )


# --------------------------------------------------------------------------- drawing


def _draw_plate(canvas: Any, lay: PlaqueLayout, *, bleed: float = 0.0) -> None:
    """Draw the plate with its lower-left trim corner at the current origin."""
    u = lay.unit
    w, h = lay.width, lay.height
    canvas.saveState()
    canvas.setFillColor(GOLD.reportlab())
    canvas.rect(-bleed, -bleed, w + 2 * bleed, h + 2 * bleed, stroke=0, fill=1)
    # double frame
    canvas.setStrokeColor(RED.reportlab())
    canvas.setLineWidth(_FRAME_OUTER_W * u)
    inset = _FRAME_OUTER * u
    canvas.rect(inset, inset, w - 2 * inset, h - 2 * inset, stroke=1, fill=0)
    canvas.setLineWidth(_FRAME_INNER_W * u)
    inset = _FRAME_INNER * u
    canvas.rect(inset, inset, w - 2 * inset, h - 2 * inset, stroke=1, fill=0)
    _draw_corners(canvas, lay)

    cx = w / 2
    canvas.setFillColor(RED.reportlab())
    canvas.setFont(lay.fonts["title"], lay.title.size)
    for line, y in zip(lay.title.lines, lay.title_baselines, strict=True):
        canvas.drawCentredString(cx, y, line)
    if lay.host.lines:
        canvas.setFont(lay.fonts["title"], lay.host.size)
        for line, y in zip(lay.host.lines, lay.host_baselines, strict=True):
            canvas.drawCentredString(cx, y, line)
    # rule with a small diamond in the middle
    half = min(w * 0.28, 60 * u)
    canvas.setLineWidth(0.25 * u)
    canvas.line(cx - half, lay.rule_y, cx - 1.6 * u, lay.rule_y)
    canvas.line(cx + 1.6 * u, lay.rule_y, cx + half, lay.rule_y)
    d = 0.9 * u
    path = canvas.beginPath()
    path.moveTo(cx, lay.rule_y + d)
    path.lineTo(cx + d, lay.rule_y)
    path.lineTo(cx, lay.rule_y - d)
    path.lineTo(cx - d, lay.rule_y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)

    canvas.setFillColor(BROWN.reportlab())
    canvas.setFont(lay.fonts["english"], lay.english.size)
    for line, y in zip(lay.english.lines, lay.english_baselines, strict=True):
        canvas.drawCentredString(cx, y, line)

    canvas.setFillColor(INK.reportlab())
    canvas.setFont(lay.fonts["issuer"], _ISSUER_SIZE * u)
    canvas.drawCentredString(cx, lay.issuer_baseline, lay.issuer)
    canvas.setFont(lay.fonts["date"], _DATE_SIZE * u)
    canvas.drawCentredString(cx, lay.date_baseline, lay.date_text)
    canvas.restoreState()


def _draw_corners(canvas: Any, lay: PlaqueLayout) -> None:
    """Small L-shaped ornaments inside the inner frame's corners."""
    u = lay.unit
    inset = (_FRAME_INNER + 1.4) * u
    arm = 5.0 * u
    canvas.setLineWidth(0.45 * u)
    for sx, sy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        x = inset if sx == 0 else lay.width - inset
        y = inset if sy == 0 else lay.height - inset
        dx = arm if sx == 0 else -arm
        dy = arm if sy == 0 else -arm
        path = canvas.beginPath()
        path.moveTo(x + dx, y)
        path.lineTo(x, y)
        path.lineTo(x, y + dy)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.rect(x + dx * 0.18 - 0.45 * u, y + dy * 0.18 - 0.45 * u, 0.9 * u, 0.9 * u, stroke=0, fill=1)


def _draw_crop_marks(canvas: Any, width: float, height: float, bleed: float) -> None:
    """Crop marks in the bleed margin, on the lines of the trim box, stopping 1 mm short of it."""
    canvas.saveState()
    canvas.setStrokeColor(REGISTRATION.reportlab())
    canvas.setLineWidth(0.25)
    gap = mm(1.0)
    for x in (bleed, bleed + width):
        for y0, y1 in ((0.0, bleed - gap), (bleed + height + gap, height + 2 * bleed)):
            canvas.line(x, y0, x, y1)
    for y in (bleed, bleed + height):
        for x0, x1 in ((0.0, bleed - gap), (bleed + width + gap, width + 2 * bleed)):
            canvas.line(x0, y, x1, y)
    canvas.restoreState()


def _proof_rows(spec: PlaqueSpec, lay: PlaqueLayout, face_keys: Mapping[str, str]) -> list[tuple[str, str]]:
    def font_desc(element: str) -> str:
        return face_for(face_keys[element]).display_name

    lines = "排一行" if len(lay.title.lines) == 1 else "排两行：" + "／".join(lay.title.lines)
    en_lines = {0: "不印（未提供英文名称）", 1: "排一行"}.get(len(lay.english.lines), "排两行")
    page = (
        f"每边出血 {BLEED_MM:g} mm，页面 {spec.width_mm + 2 * BLEED_MM:g} × "
        f"{spec.height_mm + 2 * BLEED_MM:g} mm，裁切标记在成品线外"
        if spec.bleed
        else "无出血（页面即成品尺寸）"
    )
    return [
        ("成品尺寸", f"{spec.width_mm:g} × {spec.height_mm:g} mm（横版）"),
        ("出血", page),
        (
            "标题",
            f"{lay.title_text}\n{lines}；字号 {lay.title.size / MM:.1f} mm；{font_desc('title')}；{RED.spec}",
        ),
        (
            "依托单位",
            f"{lay.host_text}\n字号 {lay.host.size / MM:.1f} mm；{font_desc('title')}；{RED.spec}"
            if lay.host.lines
            else "不印（名称中没有括号内的依托单位或共建单位）",
        ),
        (
            "英文名称",
            f"{lay.english_text}\n{en_lines}；字号 {lay.english.size / MM:.1f} mm；"
            f"{font_desc('english')}；{BROWN.spec}",
        ),
        (
            "发文单位",
            f"{lay.issuer}\n字号 {_ISSUER_SIZE * lay.unit / MM:.1f} mm；{font_desc('issuer')}；{INK.spec}",
        ),
        (
            "日期",
            f"{lay.date_text}\n字号 {_DATE_SIZE * lay.unit / MM:.1f} mm；{font_desc('date')}；{INK.spec}",
        ),
        ("底色与边框", f"底色 {GOLD.spec}；双线边框与角花 {RED.spec}"),
        (
            "制作说明",
            "第 1 页为 1:1 矢量制作稿，字体已嵌入，请勿缩放或替换字体；颜色以所列 CMYK 数值为准，"
            "金属腐蚀、丝印或烫金工艺请按色相就近选择。本页为校样，仅供核对，不用于制作。",
        ),
    ]


_PROOF_TITLE: Final = "牌匾制作校样"


def _draw_proof(
    canvas: Any, spec: PlaqueSpec, lay: PlaqueLayout, rows: list[tuple[str, str]], fonts: Mapping[str, str]
) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Table, TableStyle

    page_w, page_h = landscape(A4)
    canvas.setPageSize((page_w, page_h))
    canvas.setTrimBox((0, 0, page_w, page_h))
    canvas.setBleedBox((0, 0, page_w, page_h))
    margin = mm(15)
    canvas.setFillColor(INK.reportlab())
    canvas.setFont(fonts["sans-bold"], 18)
    canvas.drawString(margin, page_h - margin - 14, _PROOF_TITLE)
    canvas.setFont(fonts["serif"], 10.5)
    canvas.drawRightString(
        page_w - margin,
        page_h - margin - 12,
        f"成品 {spec.width_mm:g} × {spec.height_mm:g} mm　缩小示意，非 1:1",
    )

    # The plate, scaled into the left part of the page.
    box_w, box_h = mm(150), mm(140)
    scale = min(box_w / lay.width, box_h / lay.height)
    top = page_h - margin - mm(16)
    x0 = margin
    y0 = top - lay.height * scale
    canvas.saveState()
    canvas.translate(x0, y0)
    canvas.scale(scale, scale)
    _draw_plate(canvas, lay)
    canvas.restoreState()
    canvas.setStrokeColor(INK.reportlab())
    canvas.setLineWidth(0.4)
    canvas.rect(x0, y0, lay.width * scale, lay.height * scale, stroke=1, fill=0)
    canvas.setFont(fonts["serif"], 9)
    canvas.drawCentredString(x0 + lay.width * scale / 2, y0 - 12, f"宽 {spec.width_mm:g} mm")
    canvas.saveState()
    canvas.translate(x0 + lay.width * scale + 10, y0 + lay.height * scale / 2)
    canvas.rotate(90)
    canvas.drawCentredString(0, 0, f"高 {spec.height_mm:g} mm")
    canvas.restoreState()

    # The specification table to the right.
    table_x = x0 + box_w + mm(14)
    table_w = page_w - margin - table_x
    label_w = mm(20)
    label = ParagraphStyle("label", fontName=fonts["sans"], fontSize=9, leading=13, wordWrap="CJK")
    value = ParagraphStyle("value", fontName=fonts["serif"], fontSize=9, leading=13, wordWrap="CJK")
    pad = 4.0
    data = [
        [cjk_paragraph(k, label, label_w - 2 * pad), cjk_paragraph(v, value, table_w - label_w - 2 * pad)]
        for k, v in rows
    ]
    table = Table(data, colWidths=[label_w, table_w - label_w])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, INK.reportlab()),
                ("FONT", (0, 0), (-1, -1), fonts["serif"]),  # else empty cells select Helvetica
                ("BACKGROUND", (0, 0), (0, -1), GOLD.reportlab()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    _, th = table.wrapOn(canvas, table_w, page_h)
    table.drawOn(canvas, table_x, top - th)
    canvas.setFont(fonts["serif"], 8)
    canvas.setFillColor(INK.reportlab())
    canvas.drawString(margin, margin - 6, f"{ISSUER}　工程技术研究中心管理系统生成")


def render(spec: PlaqueSpec, path: Path, *, faces: Mapping[str, str] | None = None) -> Path:
    """Write the plaque PDF for ``spec`` to ``path`` and return ``path``.

    Page 1 is the plaque at its physical size (plus 3 mm bleed each side and crop marks if
    ``spec.bleed``); page 2, if ``spec.proof``, is the A4 proof page.  ``faces`` overrides the
    face of an element (``title``, ``english``, ``issuer``, ``date``) with a bundled face key such
    as ``sans-bold``.  Raises :class:`ValueError` for a bad size or name (also one holding a control
    character such as U+0007, :mod:`~lzcenter_desktop.documents.textcheck`) and
    :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` — before anything is drawn or
    written — if any field has a character its font cannot draw.
    """
    _check_printable(spec)
    face_keys = _resolve_faces(faces)
    # Glyphs first: a name the fonts cannot draw is reported even if it would not fit either.
    title_for_check = _title_for_glyph_check(spec.name_zh)
    require_glyphs_multi(
        [
            (
                {"中心名称": title_for_check, "依托单位名称": plaque_unit(spec.name_zh) or ""},
                face_keys["title"],
            ),
            ({"英文名称": spec.name_en}, face_keys["english"]),
            ({"发文单位": spec.issuer}, face_keys["issuer"]),
        ]
    )
    lay = layout(spec, faces=faces)
    rows = _proof_rows(spec, lay, face_keys) if spec.proof else []
    fonts = register_reportlab_fonts()
    require_glyphs_multi(
        [
            ({"日期": lay.date_text}, face_keys["date"]),
            ({"校样标题": _PROOF_TITLE + "".join(k for k, _ in rows)}, "sans-bold"),
            ({f"校样·{k}": v for k, v in rows}, "serif"),
        ]
    )

    bleed = mm(BLEED_MM) if spec.bleed else 0.0
    page = (lay.width + 2 * bleed, lay.height + 2 * bleed)

    def draw(buffer: Any) -> None:
        canvas = new_canvas(
            buffer,
            page,
            fonts=fonts,
            title=f"牌匾 {lay.title_text}",
            subject=f"牌匾 {spec.width_mm:g}×{spec.height_mm:g} mm",
            initial_font="serif",
        )
        canvas.setKeywords("牌匾")
        canvas.setTrimBox((bleed, bleed, bleed + lay.width, bleed + lay.height))
        canvas.setBleedBox((0, 0, page[0], page[1]))
        canvas.saveState()
        canvas.translate(bleed, bleed)
        _draw_plate(canvas, lay, bleed=bleed)
        canvas.restoreState()
        if spec.bleed:
            _draw_crop_marks(canvas, lay.width, lay.height, bleed)
        canvas.showPage()
        if spec.proof:
            _draw_proof(canvas, spec, lay, rows, fonts)
            canvas.showPage()
        canvas.save()

    return render_to_file(path, draw)


def _title_for_glyph_check(name_zh: str) -> str:
    """The title text if the name is well formed, else the whole name (still checked for glyphs)."""
    try:
        return plaque_title(name_zh)
    except ValueError:
        return name_zh
