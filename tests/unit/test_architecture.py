"""The layer rules of design.md, checked on the source (CI also runs import-linter).

* nothing outside ``lzcenter_desktop/ui/`` imports PySide6 (or shiboken6);
* ``domain/`` imports only the standard library and itself.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lzcenter_desktop"
QT_ROOTS = {"PySide6", "shiboken6", "PyQt5", "PyQt6"}


def imported_roots(source: str, module_package: str) -> set[str]:
    """Top-level names of every module that ``source`` imports (relative imports resolved)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                roots.add(module_package.split(".")[0])
            elif node.module:
                roots.add(node.module.split(".")[0])
    return roots


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def test_checker_sees_qt_imports() -> None:
    # The checks below are only as good as this parser: make sure it catches each import form.
    assert "PySide6" in imported_roots("from PySide6.QtWidgets import QWidget", "x")
    assert "PySide6" in imported_roots("import PySide6.QtCore as qc", "x")
    assert "PySide6" in imported_roots("def f():\n    from PySide6 import QtGui\n", "x")
    assert "PySide6" not in imported_roots("import json\n# PySide6 in a comment", "x")


@pytest.mark.parametrize(
    "path",
    [p for p in python_files(PACKAGE) if "ui" not in p.relative_to(PACKAGE).parts[:1]],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_qt_outside_ui(path: Path) -> None:
    roots = imported_roots(path.read_text(encoding="utf-8"), "lzcenter_desktop")
    assert not roots & QT_ROOTS, f"{path.relative_to(PACKAGE)} imports Qt; only lzcenter_desktop/ui/ may"


@pytest.mark.parametrize("path", python_files(PACKAGE / "domain"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_is_pure(path: Path) -> None:
    modules = imported_modules(path.read_text(encoding="utf-8"))
    foreign = {
        m
        for m in modules
        if m.split(".")[0] not in sys.stdlib_module_names
        and not m.startswith("lzcenter_desktop.domain")
        and m.split(".")[0] != "__future__"
    }
    assert not foreign, f"domain/{path.name} imports {sorted(foreign)}; domain/ may use only the stdlib"


def test_domain_has_modules() -> None:
    # Guard against the parametrized tests silently checking nothing.
    assert len(python_files(PACKAGE / "domain")) > 3
