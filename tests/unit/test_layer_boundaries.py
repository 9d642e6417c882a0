"""ui and cli import only services and domain of the project (never storage or documents), and
the modules that used to import each other in a circle no longer do (import-linter checks the
first in CI too)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lzcenter_desktop"
FORBIDDEN = ("lzcenter_desktop.storage", "lzcenter_desktop.documents")


def project_imports(source: str) -> set[str]:
    """Every project module ``source`` imports, at any depth (``from pkg import mod`` as ``pkg.mod``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.startswith("lzcenter_desktop")}


def forbidden(source: str) -> set[str]:
    return {n for n in project_imports(source) if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}


def test_checker_sees_every_import_form() -> None:
    assert forbidden("from lzcenter_desktop.storage.errors import classify")
    assert forbidden("from lzcenter_desktop import documents")
    assert forbidden("def f():\n    import lzcenter_desktop.documents.fonts\n")
    assert not forbidden("from lzcenter_desktop.services.errors import classify")
    assert not forbidden("from lzcenter_desktop import storage_like")


def _upper_files() -> list[Path]:
    return [
        *sorted(p for p in (PACKAGE / "ui").rglob("*.py") if "__pycache__" not in p.parts),
        *sorted((PACKAGE / "cli").glob("*.py")),
    ]


@pytest.mark.parametrize("path", _upper_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_and_cli_go_through_services(path: Path) -> None:
    found = forbidden(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(PACKAGE)} imports {sorted(found)}; import them from services"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("lzcenter_desktop", cache_dir=None)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("lzcenter_desktop.services.context", "lzcenter_desktop.services.migrations"),
        ("lzcenter_desktop.ui.dialogs.crash", "lzcenter_desktop.ui.dialogs.errors"),
        ("lzcenter_desktop.services.center_list", "lzcenter_desktop.services.centers"),
    ],
)
def test_no_import_cycle(graph: grimp.ImportGraph, a: str, b: str) -> None:
    # Imports inside functions count too: a lazy import is still a dependency.
    forth = graph.find_shortest_chain(importer=a, imported=b)
    back = graph.find_shortest_chain(importer=b, imported=a)
    assert forth is None or back is None, f"{a} ↔ {b}: {forth} / {back}"
