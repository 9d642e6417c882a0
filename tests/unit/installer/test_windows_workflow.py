""".github/workflows/windows.yml: Windows runner, Python 3.11, the build extra, the frozen build with
its selftest and budget, Inno Setup, and both artifacts uploaded under the names build.py writes."""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from tests.unit.installer.installer_modules import INSTALLER

WORKFLOW = INSTALLER.parent / ".github" / "workflows" / "windows.yml"


@pytest.fixture(scope="module")
def workflow() -> str:
    return WORKFLOW.read_text(encoding="utf-8")


def test_runner_and_python(workflow: str) -> None:
    assert re.search(r"runs-on:\s*windows-latest", workflow)
    assert re.search(r'python-version:\s*"3\.11"', workflow)
    assert 'pip install -e ".[build]"' in workflow


def test_the_build_runs_with_its_selftest(workflow: str) -> None:
    run = re.search(r"run:\s*python installer/build\.py(.*)", workflow)
    assert run is not None
    assert "--skip-selftest" not in run.group(1) and "--no-archive" not in run.group(1)


def test_setup_program_is_built(workflow: str) -> None:
    assert "choco install innosetup" in workflow
    assert re.search(r"ISCC\.exe", workflow) and r"installer\lzcenter.iss" in workflow
    assert workflow.index("installer/build.py") < workflow.index(
        r"installer\lzcenter.iss"
    )  # version.iss first


def test_artifacts_match_the_names_written(workflow: str, build: ModuleType) -> None:
    uploads = re.findall(r"path:\s*(\S+)", workflow)
    zip_name = build.archive_name("9.9.9", "zip", "win32")
    assert any(
        re.fullmatch(p.replace("dist/", "").replace(".", r"\.").replace("*", ".*"), zip_name) for p in uploads
    )
    assert any(p.startswith("dist/lzcenter-desktop-setup-") and p.endswith(".exe") for p in uploads)
    iss = (INSTALLER / "lzcenter.iss").read_text(encoding="utf-8-sig")
    assert "OutputDir=..\\dist" in iss and "OutputBaseFilename=lzcenter-desktop-setup-{#AppVersion}" in iss
