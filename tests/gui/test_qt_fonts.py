"""Qt renders Chinese with the bundled fonts (the machine itself has no CJK font)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontInfo, QFontMetrics, QImage, QRawFont
from PySide6.QtWidgets import QApplication, QLabel

from lzcenter_desktop.documents.fonts import SANS_FAMILY, SERIF_FAMILY, FontFace, FontFileMissingError
from lzcenter_desktop.ui import fonts as ui_fonts
from lzcenter_desktop.ui.fonts import UI_POINT_SIZE, register_application_fonts, serif_font, ui_font

PUA = 0xE000  # a code point no font of ours has: Qt draws its "missing glyph" box for it


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    register_application_fonts(qapp)
    return qapp


def test_registration_returns_both_families_and_sets_the_sans_regular_ui_font(qapp: QApplication) -> None:
    families = register_application_fonts(qapp)
    assert families == [SERIF_FAMILY, SANS_FAMILY]
    font = qapp.font()
    assert font.family() == SANS_FAMILY
    assert not font.bold()
    assert font.pointSizeF() == UI_POINT_SIZE
    info = QFontInfo(font)
    assert info.family() == SANS_FAMILY  # really matched, not a substitute
    assert info.weight() == QFont.Weight.Normal.value


def test_registration_is_idempotent(qapp: QApplication) -> None:
    first = register_application_fonts(qapp)
    count = len(QFontDatabase.families())
    assert register_application_fonts(qapp) == first
    assert len(QFontDatabase.families()) == count
    assert QFontDatabase.styles(SERIF_FAMILY) and QFontDatabase.styles(SANS_FAMILY)


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("family", [SERIF_FAMILY, SANS_FAMILY])
@pytest.mark.parametrize("bold", [False, True])
def test_each_face_has_the_chinese_glyphs(family: str, bold: bool) -> None:
    font = QFont(family)
    font.setPointSizeF(12)
    font.setBold(bold)
    raw = QRawFont.fromFont(font)
    assert raw.isValid()
    assert raw.familyName() == family
    assert (raw.weight() >= QFont.Weight.Bold.value) is bold
    for char in "柳州市科学技术局镕䶮𬌗①№㎡":
        assert raw.supportsCharacter(ord(char)), char
    assert not raw.supportsCharacter(PUA)
    metrics = QFontMetrics(font)
    assert metrics.inFontUcs4(ord("柳")) and metrics.inFontUcs4(0x2C317)
    assert not metrics.inFontUcs4(PUA)


@pytest.mark.usefixtures("app")
def test_aliases_map_common_chinese_font_names_to_the_bundled_families() -> None:
    for alias, family in (
        ("宋体", SERIF_FAMILY),
        ("SimSun", SERIF_FAMILY),
        ("黑体", SANS_FAMILY),
        ("Microsoft YaHei", SANS_FAMILY),
    ):
        assert QFont.substitute(alias).casefold() == family.casefold()
        assert QFontInfo(QFont(alias)).family() == family


def test_helper_fonts() -> None:
    assert ui_font().family() == SANS_FAMILY and not ui_font().bold()
    assert ui_font(14, bold=True).bold() and ui_font(14).pointSizeF() == 14
    assert serif_font().family() == SERIF_FAMILY and serif_font(bold=True).bold()


def grab_text(qtbot, text: str) -> QImage:  # type: ignore[no-untyped-def]
    label = QLabel(text)
    label.setFont(ui_font(28))
    label.setStyleSheet("background: white; color: black;")
    label.resize(80, 60)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    return label.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def dark_pixels(image: QImage) -> set[tuple[int, int]]:
    return {
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if QColor(image.pixel(x, y)).lightness() < 128
    }


@pytest.mark.usefixtures("app")
def test_label_shows_real_glyphs_not_boxes(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    liu = grab_text(qtbot, "柳")
    zhou = grab_text(qtbot, "州")
    yan = grab_text(qtbot, "䶮")
    tofu = grab_text(qtbot, chr(PUA))
    for name, img in (("liu", liu), ("yan", yan), ("box", tofu)):
        img.save(str(tmp_path / f"{name}.png"))
    ink = {name: dark_pixels(img) for name, img in {"柳": liu, "州": zhou, "䶮": yan, "box": tofu}.items()}
    for name in ("柳", "州", "䶮"):
        assert len(ink[name]) > 60, f"{name} drew (almost) nothing"
        assert ink[name] != ink["box"], f"{name} drew the missing-glyph box"
    # Two different characters must look different (a box would look the same for both).
    assert len(ink["柳"] ^ ink["州"]) > 60
    assert len(ink["柳"] ^ ink["䶮"]) > 60


def test_missing_font_file_raises_a_chinese_error(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, tmp_path: Path
) -> None:
    ghost = FontFace(
        "LZSerifSC-Regular", tmp_path / "LZSerifSC-Regular.ttf", "serif", False, SERIF_FAMILY, "宋体 常规"
    )
    monkeypatch.setattr(ui_fonts, "bundled_faces", lambda: (ghost,))
    with pytest.raises(FontFileMissingError, match="缺少字体文件"):
        register_application_fonts(qapp)


def test_damaged_font_file_raises_a_chinese_error(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, tmp_path: Path
) -> None:
    broken = tmp_path / "Broken.ttf"
    broken.write_bytes(b"not a font at all")
    face = FontFace("Broken", broken, "serif", False, "Broken", "宋体 常规")
    monkeypatch.setattr(ui_fonts, "bundled_faces", lambda: (face,))
    with pytest.raises(ui_fonts.FontLoadError, match="无法加载字体文件"):
        register_application_fonts(qapp)
