"""Where the program keeps the user's files and finds its own, on Windows and on Linux/macOS
(issue 16 item 5): both platforms' logic tested on either, by the platform argument of
:func:`paths.data_dir_for` — folders with Chinese characters and spaces included — and the frozen
bundle's folder by ``sys._MEIPASS``."""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from lzcenter_desktop import paths

WIN_HOME = PureWindowsPath(r"C:\Users\张 三")
POSIX_HOME = PurePosixPath("/home/张 三")
WIN_DEFAULT = PureWindowsPath(r"C:\Users\张 三\AppData\Local\lzcenter")
POSIX_DEFAULT = PurePosixPath("/home/张 三/.local/share/lzcenter")


@pytest.mark.parametrize(
    ("platform", "environ", "home", "expected"),
    [
        ("win32", {"LOCALAPPDATA": r"D:\数据 目录\Local"}, WIN_HOME,
         PureWindowsPath(r"D:\数据 目录\Local\lzcenter")),
        ("win32", {}, WIN_HOME, WIN_DEFAULT),
        ("win32", {"LOCALAPPDATA": "   "}, WIN_HOME, WIN_DEFAULT),
        ("win32", {"LOCALAPPDATA": r"相对\目录"}, WIN_HOME, WIN_DEFAULT),
        ("win32", {"XDG_DATA_HOME": "/srv/xdg"}, WIN_HOME, WIN_DEFAULT),
        ("linux", {"XDG_DATA_HOME": "/srv/数据 目录"}, POSIX_HOME, PurePosixPath("/srv/数据 目录/lzcenter")),
        ("linux", {}, POSIX_HOME, POSIX_DEFAULT),
        ("linux", {"XDG_DATA_HOME": "relative/x"}, POSIX_HOME, POSIX_DEFAULT),
        ("linux", {"LOCALAPPDATA": r"C:\x"}, POSIX_HOME, POSIX_DEFAULT),
        ("darwin", {"XDG_DATA_HOME": "/srv/xdg"}, POSIX_HOME,
         PurePosixPath("/home/张 三/Library/Application Support/lzcenter")),
    ],
)  # fmt: skip
def test_data_folder_of_each_platform(
    platform: str, environ: dict[str, str], home: PureWindowsPath | PurePosixPath, expected: object
) -> None:
    found = paths.data_dir_for(platform, environ, home)
    assert found == expected
    assert type(found) is type(expected)  # a Windows path stays a Windows path on Linux
    assert found.is_absolute()


def test_windows_data_folder_is_written_with_backslashes() -> None:
    found = paths.data_dir_for("win32", {"LOCALAPPDATA": r"C:\Users\张 三\AppData\Local"}, WIN_HOME)
    assert str(found) == r"C:\Users\张 三\AppData\Local\lzcenter"


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_user_data_dir_follows_the_running_platform(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str
) -> None:
    folder = tmp_path / "数据 目录"
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    if platform == "win32" and not PureWindowsPath(str(folder)).is_absolute():
        # on Linux a POSIX tmp_path is not an absolute Windows path: the home folder is used
        assert paths.user_data_dir() == Path(PureWindowsPath(Path.home()) / "AppData" / "Local" / "lzcenter")
    else:
        assert paths.user_data_dir() == folder / "lzcenter"
    assert paths.default_db_path() == paths.user_data_dir() / "lzcenter.sqlite"
    assert paths.demo_db_path() == paths.user_data_dir() / "demo.sqlite"


def test_resources_and_forms_beside_the_package_in_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert paths.bundle_dir() == paths.PACKAGE_DIR.parent
    assert (paths.forms_dir() / "declaration-2026.toml").is_file()
    assert (paths.fonts_dir() / "LZSerifSC-Regular.ttf").is_file()


def test_resources_and_forms_inside_the_frozen_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "测试 目录" / "_internal"
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.bundle_dir() == bundle
    assert paths.resources_dir() == bundle / "resources"
    assert paths.forms_dir() == bundle / "forms"
    assert paths.fonts_dir() == bundle / "resources" / "fonts"


def test_an_empty_meipass_is_not_a_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", "", raising=False)
    assert paths.bundle_dir() == paths.PACKAGE_DIR.parent
