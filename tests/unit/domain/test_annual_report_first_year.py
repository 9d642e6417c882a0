"""The yearly obligations of a 工作年报 (M12b months, M13c and M16a meetings) are checked only for
a complete year since the centre's recognition — as the committee checks do — so the report of the
year a centre was recognised in can be submitted (found while building the demo through the
services: a centre recognised in November could never submit its first report, and the evaluation's
re-check of 第九条 then missed that year's funding)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.domain.annual_report import check_annual_report_document, parse_annual_report
from lzcenter_desktop.domain.formdef import FormDef, load_form_text
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.paths import forms_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"
YEARLY = {"M12b", "M13c", "M16a"}


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "annual-report-2026.toml").read_text(encoding="utf-8"))


def first_year_report() -> dict[str, Any]:
    """The example report of 2026 as a newly recognised centre writes it: no meetings yet, the
    director in office for 2 months (the expert meeting's attendance rule M16b has nothing to judge)."""
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["management_meetings"] = []
    data["expert_meetings"] = []
    data["director"]["months_at_center"] = 2
    return data


def yearly_rules(form: FormDef, recognised_on: date | None) -> set[str]:
    doc = parse_annual_report(first_year_report(), form)
    found = check_annual_report_document(doc, form, DEFAULT_SETTINGS, recognised_on=recognised_on)
    return {v.rule for v in found} & YEARLY


@pytest.mark.parametrize(
    ("recognised_on", "checked"),
    [
        (date(2025, 12, 31), True),  # the day before the year: a complete year
        (date(2026, 1, 1), True),  # on its first day: complete
        (date(2026, 1, 2), False),  # the day after: the recognition year, not complete
        (date(2026, 11, 21), False),  # recognised in November
        (date(2027, 3, 1), False),  # a report of a year before the recognition
    ],
)
def test_yearly_obligations_only_for_a_complete_year_since_recognition(
    form: FormDef, recognised_on: date, checked: bool
) -> None:
    assert yearly_rules(form, recognised_on) == (YEARLY if checked else set())


def test_without_a_recognition_day_every_yearly_obligation_is_checked(form: FormDef) -> None:
    """A file checked on its own (CLI check, import preview) knows no recognition day."""
    assert yearly_rules(form, None) == YEARLY


def test_the_other_rules_still_apply_in_the_first_year(form: FormDef) -> None:
    data = first_year_report()
    data["host_assessment"]["result"] = None
    doc = parse_annual_report(data, form)
    found = check_annual_report_document(doc, form, DEFAULT_SETTINGS, recognised_on=date(2026, 11, 21))
    assert [v.rule for v in found] == ["E21b"]
