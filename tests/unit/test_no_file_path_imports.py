"""Every module of the program is imported, never loaded from a file path (issue 16 item 1).

A frozen (PyInstaller) build keeps the modules in an archive, not as ``.py`` files: loading one by
its path (``importlib.util.spec_from_file_location``, ``SourceFileLoader``, ``runpy.run_path``,
``imp.load_source``, ``exec``/``compile`` of a file read from disk) works from a checkout and fails
frozen — that is how certificates once broke in the bundle (reportlab's QR encoder).  The package
is scanned for every such call; the scanner is tested on examples so the scan can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lzcenter_desktop"

#: names that load a module from a path, whatever they are called through
PATH_LOADERS = frozenset(
    {
        "spec_from_file_location",
        "SourceFileLoader",
        "SourcelessFileLoader",
        "ExtensionFileLoader",
        "run_path",
        "load_source",
        "load_compiled",
        "load_module",
    }
)
_READS = frozenset({"read_text", "read_bytes", "read", "open"})


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _reads_a_file(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and _name(n.func) in _READS for n in ast.walk(node))


def path_loads(source: str) -> list[tuple[int, str]]:
    """(line, what) of every loading of code from a file path in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):  # imported under another name, the call would not show
            for alias in node.names:
                if alias.name in PATH_LOADERS:
                    found.append((node.lineno, alias.name))
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in PATH_LOADERS:
            found.append((node.lineno, name))
        elif name in ("exec", "compile", "eval") and any(_reads_a_file(a) for a in node.args):
            found.append((node.lineno, f"{name} of a file read from disk"))
        elif name == "exec" and node.args and isinstance(node.args[0], ast.Name):
            found.append((node.lineno, "exec of a variable"))  # the text came from somewhere
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import importlib.util\nspec = importlib.util.spec_from_file_location('q', p)",
        "from importlib.util import spec_from_file_location as s\ns('q', p)",
        "from importlib.machinery import SourceFileLoader\nSourceFileLoader('q', p).load_module()",
        "import runpy\nrunpy.run_path('x.py')",
        "from runpy import run_path",
        "import imp\nimp.load_source('q', p)",
        "exec(open(p).read())",
        "exec(Path(p).read_text(encoding='utf-8'))",
        "code = compile(Path(p).read_bytes(), p, 'exec')",
        "text = Path(p).read_text()\nexec(text)",
    ],
)
def test_the_scanner_finds_each_way_of_loading_by_path(source: str) -> None:
    assert path_loads(source)


@pytest.mark.parametrize(
    "source",
    [
        "from reportlab.graphics.barcode import qrencoder",
        "import importlib\nm = importlib.import_module('lzcenter_desktop.domain.model')",
        "data = Path(p).read_text(encoding='utf-8')",
        "box.exec()",
        "app.exec()",
        "pattern = re.compile(r'x')",
    ],
)
def test_the_scanner_leaves_imports_and_data_reads_alone(source: str) -> None:
    assert path_loads(source) == []


def test_no_module_of_the_package_is_loaded_by_file_path() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 100  # the package was found
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in files
        for line, what in path_loads(path.read_text(encoding="utf-8"))
    ]
    assert found == []
