"""installer/ is a folder of scripts, not a package: its modules are loaded from their files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

INSTALLER = Path(__file__).resolve().parents[3] / "installer"


def load(name: str) -> ModuleType:
    """installer/<name>.py as the module ``installer_<name>`` (loaded once)."""
    module = sys.modules.get(f"installer_{name}")
    if module is None:
        spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module
