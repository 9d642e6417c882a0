"""Register the bundled CJK fonts with Qt so every screen shows Chinese on any machine.

Call :func:`register_application_fonts` once, right after the ``QApplication`` is created and
before any window is built.  Machines without Chinese fonts (a bare Linux, a trimmed Windows
image) otherwise show a box for every Chinese character.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# The table of faces only (services.fonts loads the glyph checks and reportlab's registration
# lazily): this module is loaded at start-up.
from lzcenter_desktop.services.fonts import (
    SANS_FAMILY,
    SERIF_FAMILY,
    FontFace,
    FontFileMissingError,
    bundled_faces,
)

log = logging.getLogger(__name__)

#: Point size of ordinary UI text (Chinese reads well at 10.5 pt, the size of 五号字).
UI_POINT_SIZE = 10.5

# Font names other code (style sheets, rich text) may ask for, mapped to the bundled families.
_SERIF_ALIASES = ("宋体", "SimSun", "NSimSun", "新宋体", "Songti SC", "STSong", "serif", "Serif")
_SANS_ALIASES = ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "PingFang SC", "sans-serif", "Sans Serif")

_font_ids: dict[str, int] = {}  # font file → Qt application font id


class FontLoadError(RuntimeError):
    """Qt refused a bundled font file (damaged or not a font)."""


def _add_face(face: FontFace) -> list[str]:
    if not face.path.is_file():
        error = FontFileMissingError(face)
        log.error("%s", error)
        raise error
    key = str(face.path)
    font_id = _font_ids.get(key)
    if font_id is None:
        font_id = QFontDatabase.addApplicationFont(key)
        if font_id < 0:
            message = f"无法加载字体文件“{face.path}”（{face.label}），文件可能已损坏，请重新安装程序。"
            log.error("%s", message)
            raise FontLoadError(message)
        _font_ids[key] = font_id
    return list(QFontDatabase.applicationFontFamilies(font_id))


def register_application_fonts(app: QApplication, point_size: float = UI_POINT_SIZE) -> list[str]:
    """Load every bundled face into Qt and make the sans Regular face the application font.

    Returns the family names Qt registered (``LZCenter Serif SC``, ``LZCenter Sans SC``).
    Idempotent: a second call loads nothing again.  Raises ``FontFileMissingError`` (a
    ``FileNotFoundError``) or :class:`FontLoadError` with a Chinese message if a file is missing
    or cannot be loaded.
    """
    families: list[str] = []
    for face in bundled_faces():
        for family in _add_face(face):
            if family not in families:
                families.append(family)
    for wanted in (SANS_FAMILY, SERIF_FAMILY):
        if wanted not in families:
            message = f"字体文件已加载，但其中没有字体族“{wanted}”（实际为：{'、'.join(families)}）。"
            log.error("%s", message)
            raise FontLoadError(message)
    for alias in _SERIF_ALIASES:
        QFont.insertSubstitution(alias, SERIF_FAMILY)
    for alias in _SANS_ALIASES:
        QFont.insertSubstitution(alias, SANS_FAMILY)
    app.setFont(ui_font(point_size))
    log.info("已注册内置字体：%s", "、".join(families))
    return families


def ui_font(point_size: float = UI_POINT_SIZE, bold: bool = False) -> QFont:
    """The bundled sans face (黑体) for screen text."""
    font = QFont(SANS_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def serif_font(point_size: float = UI_POINT_SIZE, bold: bool = False) -> QFont:
    """The bundled serif face (宋体), e.g. for previews of printed documents."""
    font = QFont(SERIF_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font
