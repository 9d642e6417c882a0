"""One strict value model (issue 10 item 3): whatever ``check`` accepts as the format, ``import``
accepts and 提交 either submits or refuses with a Chinese message — never a crash (amounts beyond
64 bits, years outside the plausible range, control characters and lone surrogates in names)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lzcenter_desktop.domain.interchange import FormatError, parse_declaration
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.checking import run_check
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.services.errors import ServiceError

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "examples" / "declaration-enterprise.json").read_text(
        encoding="utf-8"
    )
)
ODD = st.sampled_from(
    ["\x00", "\x07", "\t", "\n", "\x7f", "\x9f", "\xa0", "\udfff", "\ud800", "\ufffd", "𪚥", "（"]
)
NAMES = st.lists(st.one_of(ODD, st.text(max_size=3)), max_size=4).map("".join)
AMOUNTS = st.one_of(st.integers(-2, 10**6), st.integers(10**14, 2**70), st.sampled_from([2**63 - 1, 2**63]))
YEARS = st.one_of(st.integers(1800, 2200), st.sampled_from([1899, 1900, 1999, 2000, 2100, 2101]))
DATES = st.sampled_from(["2026-06-10", "2026-06-10\n", "1899-12-31", "2101-01-01", "2026-02-30", "2026-6-1"])


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    if draw(st.booleans()):
        doc["host"]["name"] = draw(NAMES)
    if draw(st.booleans()):
        doc["staff"][0]["name"] = draw(NAMES)
    if draw(st.booleans()):
        doc["investments"][0]["amount_yuan"] = draw(AMOUNTS)
    if draw(st.booleans()):
        doc["finances"][0]["sales_revenue_yuan"] = draw(AMOUNTS)
    if draw(st.booleans()):
        doc["investments"][1]["year"] = draw(YEARS)
    if draw(st.booleans()):
        doc["call_year"] = draw(YEARS)
    if draw(st.booleans()):
        doc["application_date"] = draw(DATES)
    return doc


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents())
def test_what_check_accepts_import_accepts_and_submit_handles(
    tmp_path_factory: Any, doc: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("values")
    source = folder / "d.json"
    source.write_text(json.dumps(doc), encoding="utf-8")  # a lone surrogate arrives as a \\udfff escape
    result = run_check(source)
    try:
        parse_declaration(doc)
    except FormatError:
        assert result.exit_code == 2
        return
    assert result.exit_code in (0, 1)
    ctx = open_app(str(folder / "v.sqlite"), operator="测试员")
    try:
        outcome = d.import_declaration_data(ctx, data=doc)  # accepted: no exception at all
        try:
            d.submit_declaration(ctx, declaration_id=outcome.declaration_id, acknowledgements={})
        except ServiceError as exc:
            assert str(exc)  # a Chinese message, shown as is
        else:
            assert d.get_declaration(ctx, outcome.declaration_id).status == "submitted"
    finally:
        ctx.db.dispose()
