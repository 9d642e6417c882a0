"""The 字体 choice of the 文档 page: the bundled 宋体 (default) and 黑体, and each installed Windows
font, as the faces a certificate and a plaque are drawn in."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from lzcenter_desktop.services.fonts import FontFace, system_faces

#: font choice → (certificate faces, plaque faces); ``None`` = the bundled serif (default)
FontChoice = tuple[dict[str, str] | None, dict[str, str] | None]
BUNDLED_SANS: FontChoice = (
    {"serif": "sans", "serif-bold": "sans-bold"},
    {"title": "sans-bold", "english": "sans", "issuer": "sans-bold", "date": "sans"},
)


def faces_of(face: FontFace) -> FontChoice:
    """Every element of a certificate and a plaque in one system face (it has no bold: 宋体 is 宋体)."""
    return (
        dict.fromkeys(("serif", "serif-bold"), face.name),
        dict.fromkeys(("title", "english", "issuer", "date"), face.name),
    )


def font_combo() -> QComboBox:
    """The choices, each item's data a :data:`FontChoice` (``None`` for the default)."""
    combo = QComboBox()
    combo.addItem("内置宋体（默认）", None)
    combo.addItem("内置黑体", BUNDLED_SANS)
    for face in system_faces():
        combo.addItem(f"{face.label}（Windows 系统字体）", faces_of(face))
    return combo
