"""installer/lzcenter.spec: what it leaves out of the bundle is what nothing uses — every Qt module,
library and translation the application imports or loads stays, on Linux and on Windows."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import ModuleType

import pytest

from tests.unit.installer.installer_modules import INSTALLER, load

PACKAGE = INSTALLER.parent / "lzcenter_desktop"
bundle_filter = load("bundle_filter")


@pytest.fixture(scope="module")
def lists(build: ModuleType) -> dict[str, list[str]]:
    return build.spec_lists((INSTALLER / "lzcenter.spec").read_text(encoding="utf-8"))


def _imported_modules() -> set[str]:
    """Every module named by an import statement anywhere in lzcenter_desktop (lazy ones too)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _covers(excluded: str, module: str) -> bool:
    return module == excluded or module.startswith(excluded + ".")


def test_the_spec_has_every_list(lists: dict[str, list[str]], build: ModuleType) -> None:
    assert set(lists) == set(build.SPEC_LISTS)
    assert all(lists[name] for name in ("EXCLUDED_MODULES", "EXCLUDED_BINARIES", "HOST_LIBRARIES"))


def test_no_excluded_module_is_imported_by_the_application(lists: dict[str, list[str]]) -> None:
    imported = _imported_modules()
    assert "PySide6.QtPdfWidgets" in imported  # the scan sees the package's imports
    clashes = sorted(
        (excluded, module)
        for excluded in lists["EXCLUDED_MODULES"]
        for module in imported
        if _covers(excluded, module)
    )
    assert clashes == []


@pytest.mark.parametrize(
    "module",
    [
        "PySide6.QtCore",
        "PySide6.QtGui",
        "PySide6.QtWidgets",
        "PySide6.QtPdf",
        "PySide6.QtPdfWidgets",
        "PySide6.QtCharts",
        "PySide6.QtPrintSupport",
        "PIL",  # reportlab.lib.utils imports PIL.Image
        "PIL.Image",
        "reportlab.graphics.barcode.qrencoder",
        "sqlmodel",
        "pydantic_core",
        "charset_normalizer",  # reportlab's paragraph parser
        "psycopg",  # a shared PostgreSQL database (postgresql+psycopg://…)
        "psycopg_binary",
        "sqlalchemy.dialects.postgresql",
        "_codecs_cn",  # GBK/GB18030 (Chinese files), while the Japanese/Korean codecs go
        "_codecs_tw",  # Big5
        "_codecs_hk",  # Big5-HKSCS
        "_multibytecodec",
    ],
)
def test_what_the_application_needs_is_not_excluded(lists: dict[str, list[str]], module: str) -> None:
    assert not any(_covers(excluded, module) for excluded in lists["EXCLUDED_MODULES"])


def test_no_japanese_or_korean_codec_is_named_by_the_application(lists: dict[str, list[str]]) -> None:
    assert {"_codecs_jp", "_codecs_kr", "_codecs_iso2022"} <= set(lists["EXCLUDED_MODULES"])
    named = re.compile(r"shift_?jis|euc[-_]?(jp|kr)|iso-?2022|cp932|cp949|johab|sjis", re.IGNORECASE)
    assert [
        path.name for path in PACKAGE.rglob("*.py") if named.search(path.read_text(encoding="utf-8"))
    ] == []


def test_the_chinese_qt_translation_that_the_application_loads_is_kept(lists: dict[str, list[str]]) -> None:
    loaded = re.findall(r'"(qt\w*_zh_CN)"', (PACKAGE / "ui" / "app.py").read_text(encoding="utf-8"))
    assert loaded and {f"{name}.qm" for name in loaded} <= set(lists["KEPT_TRANSLATIONS"])
    kept = lists["KEPT_TRANSLATIONS"]
    assert not bundle_filter.unused_translation("PySide6/Qt/translations/qtbase_zh_CN.qm", kept)
    assert not bundle_filter.unused_translation("PySide6\\translations\\qtbase_zh_CN.qm", kept)
    assert bundle_filter.unused_translation("PySide6/Qt/translations/qtbase_de.qm", kept)
    assert bundle_filter.unused_translation("PySide6/translations/qtbase_zh_TW.qm", kept)
    assert not bundle_filter.unused_translation("resources/translations.txt", kept)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/plugins/tls/qschannelbackend.dll",
        "PySide6\\plugins\\networkinformation\\qnetworklistmanager.dll",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt6Qml.dll",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/plugins/imageformats/qwebp.dll",
        "PySide6/opengl32sw.dll",
        "libgnutls.so.30",
        "libcairo.so.2",
    ],
)
def test_unused_qt_parts_are_excluded(lists: dict[str, list[str]], dest: str) -> None:
    assert bundle_filter.excluded(dest, lists["EXCLUDED_BINARIES"])


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",  # the Pdf library links it
        "PySide6/Qt6Network.dll",
        "PySide6/Qt6Charts.dll",
        "PySide6/Qt/lib/libQt6OpenGLWidgets.so.6",  # the Charts library links it
        "PySide6/Qt/lib/libicudata.so.73",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",  # scanned attachments
        "PySide6/plugins/imageformats/qtiff.dll",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",  # 拼音 input
        "libcrypto.so.3",  # hashlib.scrypt of the key store
        "libcrypto-3.dll",
        "libsqlite3.so.0",
        "sqlite3.dll",
        "libpython3.11.so.1.0",
        "pillow.libs/libjpeg-6dc8d115.so.62.4.0",
        "resources/fonts/LZSerifSC-Regular.ttf",
    ],
)
def test_what_the_application_loads_is_kept(lists: dict[str, list[str]], dest: str) -> None:
    assert not bundle_filter.excluded(dest, lists["EXCLUDED_BINARIES"] + lists["EXCLUDED_DATAS"])
    assert not bundle_filter.host_library(dest, lists["HOST_LIBRARIES"], "win32")


@pytest.mark.parametrize(
    ("dest", "platform", "host"),
    [
        ("libX11.so.6", "linux", True),
        ("libstdc++.so.6", "linux", True),
        ("libcups.so.2", "linux", True),
        ("libX11.so.6", "win32", False),  # the guard: nothing is left to the host on Windows
        ("libcrypto.so.3", "linux", False),
        ("libsqlite3.so.0", "linux", False),
        ("libpython3.11.so.1.0", "linux", False),
        ("pillow.libs/libxcb-9065bb12.so.1.1.0", "linux", False),  # inside a wheel: Pillow's own copy
    ],
)
def test_host_libraries_only_on_linux_and_only_at_the_top(
    lists: dict[str, list[str]], dest: str, platform: str, host: bool
) -> None:
    assert bundle_filter.host_library(dest, lists["HOST_LIBRARIES"], platform) is host


def test_build_only_data_is_excluded(lists: dict[str, list[str]]) -> None:
    patterns = lists["EXCLUDED_DATAS"]
    assert bundle_filter.excluded(
        "lzcenter_desktop/storage/migrations/__pycache__/env.cpython-311.pyc", patterns
    )
    assert not bundle_filter.excluded("lzcenter_desktop/storage/migrations/env.py", patterns)
    assert not bundle_filter.excluded("resources/fonts/fonts-manifest.json", patterns)


def test_the_spec_file_paths_exist() -> None:
    text = (INSTALLER / "lzcenter.spec").read_text(encoding="utf-8")
    for folder in re.findall(r'ROOT / "(\w+)"', text):
        assert (INSTALLER.parent / folder).is_dir(), folder
    assert Path(PACKAGE / "__main__.py").is_file()
