"""installer/lzcenter.iss: the offline review package (.lzreview) is associated per user with the
command that really opens it (``review FILE`` of the command line), without administrator rights."""

from __future__ import annotations

import re
from pathlib import Path

from lzcenter_desktop.cli import build_parser

ISS = Path(__file__).resolve().parents[2] / "installer" / "lzcenter.iss"


def _script() -> str:
    return ISS.read_text(encoding="utf-8")


def test_lzreview_is_associated_per_user() -> None:
    text = _script()
    assert "PrivilegesRequired=lowest" in text
    assert "ChangesAssociations=yes" in text
    registry = [line for line in text.splitlines() if line.startswith("Root:")]
    assert registry and all(line.startswith("Root: HKCU;") for line in registry)  # never HKLM
    assert any('Subkey: "Software\\Classes\\.lzreview"' in line for line in registry)


def test_the_open_command_is_a_real_subcommand() -> None:
    command = next(line for line in _script().splitlines() if "shell\\open\\command" in line)
    found = re.search(r'ValueData: """\{app\}\\lzcenter-desktop\.exe"" (\S+) ""%1"""', command)
    assert found is not None, command
    args = build_parser().parse_args([found.group(1), "评审包.lzreview"])
    assert args.command == "review" and str(args.file) == "评审包.lzreview"
