"""installer/lzcenter.iss: per-user setup, version from the package, Chinese texts, the .json
association only on request, and an uninstaller that removes the data folder only when asked."""

from __future__ import annotations

import re
from pathlib import PureWindowsPath

import pytest

from lzcenter_desktop.cli import build_parser
from lzcenter_desktop.paths import data_dir_for
from tests.unit.installer.installer_modules import INSTALLER

ISS = INSTALLER / "lzcenter.iss"


@pytest.fixture(scope="module")
def script() -> str:
    return ISS.read_text(encoding="utf-8-sig")


def _section(script: str, name: str) -> list[str]:
    lines: list[str] = []
    inside = False
    for line in script.splitlines():
        if line.startswith("["):
            inside = line.strip() == f"[{name}]"
        elif inside and line.strip() and not line.startswith(";"):
            lines.append(line)
    return lines


def test_utf8_with_a_byte_order_mark() -> None:
    # without the mark Inno Setup reads the script in the system code page: the Chinese is garbled
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


def test_per_user_without_administrator_rights(script: str) -> None:
    setup = _section(script, "Setup")
    assert "PrivilegesRequired=lowest" in setup
    assert r"DefaultDirName={localappdata}\Programs\lzcenter-desktop" in setup
    registry = _section(script, "Registry")
    assert registry and all(line.startswith("Root: HKCU;") for line in registry)


def test_version_comes_from_the_include_written_by_build(script: str) -> None:
    assert '#include "version.iss"' in script
    assert "AppVersion={#AppVersion}" in _section(script, "Setup")
    assert "VersionInfoVersion={#AppVersionNumeric}" in _section(script, "Setup")
    assert not re.search(r"#define AppVersion\b", script)  # never a version typed in here


def test_shortcuts_start_menu_always_desktop_as_a_task(script: str) -> None:
    icons = _section(script, "Icons")
    assert any(line.startswith('Name: "{group}\\') for line in icons)
    desktop = [line for line in icons if "{autodesktop}" in line or "{userdesktop}" in line]
    assert len(desktop) == 1 and "Tasks: desktopicon" in desktop[0]


def test_json_association_only_when_ticked(script: str) -> None:
    tasks = _section(script, "Tasks")
    assoc = next(line for line in tasks if line.startswith('Name: "assocjson"'))
    assert "Flags: unchecked" in assoc
    json_lines = [line for line in _section(script, "Registry") if ".json" in line or "Interchange" in line]
    assert json_lines and all(line.rstrip().endswith("Tasks: assocjson") for line in json_lines)
    # an "Open with" entry: the default program of .json stays whatever it was
    assert not any('Subkey: "Software\\Classes\\.json";' in line for line in json_lines)


def test_json_open_command_is_the_import_subcommand(script: str) -> None:
    command = next(
        line for line in _section(script, "Registry") if "Interchange\\shell\\open\\command" in line
    )
    found = re.search(r'\{#AppExe\}"" (\S+) ""%1""', command)
    assert found is not None, command
    args = build_parser().parse_args([found.group(1), "申报书 2026.json"])
    assert args.command == "import" and [str(p) for p in args.paths] == ["申报书 2026.json"]


def test_every_custom_message_used_is_defined(script: str) -> None:
    used = set(re.findall(r"\{cm:(\w+)\}", script)) | set(re.findall(r"CustomMessage\('(\w+)'\)", script))
    defined = {line.split("=", 1)[0].removeprefix("zh.") for line in _section(script, "CustomMessages")}
    assert used and used <= defined


def test_uninstaller_keeps_the_data_folder_unless_asked(script: str) -> None:
    code = "\n".join(_section(script, "Code"))
    assert "usPostUninstall" in code and "MB_DEFBUTTON2" in code  # 否 is the default answer
    assert re.search(r"= IDYES then\s+DelTree\(DataDir", code)
    assert "not UninstallSilent" in code
    assert not any("{localappdata}\\lzcenter" in line for line in _section(script, "UninstallDelete"))


def test_the_data_folder_is_where_the_application_keeps_its_data(script: str) -> None:
    folder = re.search(r'#define DataFolder "([^"]+)"', script)
    assert folder is not None
    local = r"C:\Users\张 三\AppData\Local"
    expanded = PureWindowsPath(folder.group(1).replace("{localappdata}", local))
    assert expanded == data_dir_for("win32", {"LOCALAPPDATA": local}, r"C:\Users\张 三")


def test_the_selftest_runs_after_installing(script: str) -> None:
    run = _section(script, "Run")
    assert any('Parameters: "selftest"' in line and "waituntilterminated" in line for line in run)
