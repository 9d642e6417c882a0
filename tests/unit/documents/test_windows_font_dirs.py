"""The installed Windows fonts are looked for in the system folder and in the user's own
(``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``, where a clerk without administrator rights installs
one), system first; folders with Chinese characters and spaces (issue 16 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import reportlab

from lzcenter_desktop.documents import font_faces, fonts


def _vera() -> bytes:
    return (Path(reportlab.__file__).parent / "fonts" / "Vera.ttf").read_bytes()


@pytest.fixture
def no_system_faces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(font_faces, "_system_faces", {})


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, Path]:
    """(system fonts folder, per-user fonts folder) under a Windows-like tree with spaces and Chinese."""
    windir = tmp_path / "Win dows"
    local = tmp_path / "用户 张三" / "AppData" / "Local"
    system, user = windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    user.mkdir(parents=True)
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    return system, user


def test_font_dirs_are_system_then_per_user() -> None:
    env = {"WINDIR": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\张 三\AppData\Local"}
    assert fonts.windows_font_dirs(env) == (
        Path(r"C:\Windows") / "Fonts",
        Path(r"C:\Users\张 三\AppData\Local") / "Microsoft" / "Windows" / "Fonts",
    )


@pytest.mark.parametrize("local", [None, "", "  "])
def test_no_per_user_folder_without_localappdata(local: str | None) -> None:
    env = {"SYSTEMROOT": r"D:\WINNT"} | ({} if local is None else {"LOCALAPPDATA": local})
    assert fonts.windows_font_dirs(env) == (Path(r"D:\WINNT") / "Fonts",)


def test_a_font_installed_for_the_user_only_is_found(
    windows: tuple[Path, Path], no_system_faces: None
) -> None:
    _system, user = windows
    (user / "simhei.ttf").write_bytes(_vera())
    found = fonts.system_faces()
    assert [(f.label, f.path) for f in found] == [("黑体", user / "simhei.ttf")]
    assert font_faces.face_for("黑体").path == user / "simhei.ttf"


def test_the_system_copy_wins_over_the_users(windows: tuple[Path, Path], no_system_faces: None) -> None:
    system, user = windows
    (system / "SIMHEI.TTF").write_bytes(_vera())
    (user / "simhei.ttf").write_bytes(_vera())
    (user / "simkai.ttf").write_bytes(_vera())
    found = fonts.system_faces()
    assert [(f.label, f.path) for f in found] == [
        ("黑体", system / "SIMHEI.TTF"),
        ("楷体", user / "simkai.ttf"),
    ]


def test_a_non_truetype_system_copy_falls_back_to_the_users(
    windows: tuple[Path, Path], no_system_faces: None
) -> None:
    system, user = windows
    vera = _vera()
    (system / "simhei.ttf").write_bytes(b"OTTO" + vera[4:])  # CFF outlines: cannot be embedded
    (user / "simhei.ttf").write_bytes(vera)
    assert [f.path for f in fonts.system_faces()] == [user / "simhei.ttf"]


def test_none_where_neither_folder_exists(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_system_faces: None
) -> None:
    monkeypatch.setenv("WINDIR", str(tmp_path / "无"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "也 无"))
    assert fonts.system_faces() == ()
