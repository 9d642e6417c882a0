from __future__ import annotations

from types import ModuleType

import pytest

from tests.unit.installer.installer_modules import load


@pytest.fixture(scope="session")
def build() -> ModuleType:
    return load("build")


@pytest.fixture(scope="session")
def icu_trim() -> ModuleType:
    return load("icu_trim")
