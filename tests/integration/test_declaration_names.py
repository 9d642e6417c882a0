"""D26 in the declaration services: a centre name typed with ASCII brackets is stored with full-width
ones when a draft is created, saved or imported; mixed or nested brackets are stored as typed."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.storage.models import Center, Declaration

FULL = "柳州工程机械智能制造工程技术研究中心（柳州某某重工股份有限公司）"
ASCII = "柳州工程机械智能制造工程技术研究中心(柳州某某重工股份有限公司)"
MIXED = "柳州工程机械智能制造工程技术研究中心(柳州某某重工股份有限公司）"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "names.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


def _stored(ctx: AppContext, declaration_id: int) -> tuple[str, str, str]:
    """(name in the working document, the declaration row's name, the linked centre's name)."""
    with ctx.db.session() as session:
        row = session.exec(select(Declaration).where(Declaration.id == declaration_id)).one()
        center = session.get(Center, row.center_id) if row.center_id is not None else None
        document = json.loads(row.source_json)
        return document["center"]["name_zh"], row.name_zh, center.name_zh if center else ""


def test_imported_ascii_brackets_are_stored_full_width(ctx: AppContext, example: dict[str, Any]) -> None:
    example["center"]["name_zh"] = ASCII
    original = copy.deepcopy(example)
    outcome = d.import_declaration_data(ctx, data=example)
    assert example == original  # the caller's document is not changed
    assert _stored(ctx, outcome.declaration_id) == (FULL, FULL, FULL)
    assert not [v for v in outcome.violations if v.rule == "D26"]  # stored name is correct now


def test_saved_draft_stores_full_width_brackets(ctx: AppContext, example: dict[str, Any]) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    typed = copy.deepcopy(example)
    typed["center"]["name_zh"] = ASCII
    # checking the typed document warns (the wizard shows this while the clerk types) …
    warned = [v for v in d.check_data(ctx, typed, call_year=2026) if v.rule == "D26"]
    assert [(v.severity.value, v.path) for v in warned] == [("warning", "center.name_zh")]
    assert "已按全角括号保存" in warned[0].message
    # … and saving stores the corrected name
    d.save_draft(ctx, declaration_id=did, data=typed)
    assert _stored(ctx, did)[0:2] == (FULL, FULL)
    assert typed["center"]["name_zh"] == ASCII


def test_new_draft_with_ascii_brackets(ctx: AppContext, example: dict[str, Any]) -> None:
    example["center"]["name_zh"] = ASCII
    did = d.create_draft(ctx, call_year=2026, data=example)
    assert _stored(ctx, did) == (FULL, FULL, FULL)


def test_mixed_brackets_are_stored_as_typed_and_stay_an_error(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    example["center"]["name_zh"] = MIXED
    outcome = d.import_declaration_data(ctx, data=example)
    assert _stored(ctx, outcome.declaration_id)[0] == MIXED
    d26 = [v for v in outcome.violations if v.rule == "D26"]
    assert [(v.severity.value, v.path) for v in d26] == [("error", "center.name_zh")]
