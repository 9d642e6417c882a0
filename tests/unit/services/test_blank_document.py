"""A new declaration is stored only once it holds a real value (issue 12 item 7): what counts as blank."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lzcenter_desktop.services.declarations import empty_document
from lzcenter_desktop.services.declarations.drafts import is_blank_document


def with_value(path: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(empty_document(2026))
    *parents, last = path.split(".")
    node = document
    for key in parents:
        node = node[key]
    node[last] = value
    return document


def test_the_empty_document_of_any_year_is_blank() -> None:
    assert is_blank_document(empty_document(2026))
    assert is_blank_document(empty_document(2031))  # its format and year are not content


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("center.name_zh", ""),
        ("center.name_zh", "   "),  # spaces only
        ("center.industry_fields", []),
        ("host.cto", {"name": "", "filing_no": None, "filing_date": None}),
        ("staff", [{}]),
        ("staff", [{"name": "", "birth_date": None}]),
        ("application_date", None),
    ],
)
def test_blanks_are_not_values(path: str, value: Any) -> None:
    assert is_blank_document(with_value(path, value))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("center.name_zh", "柳"),  # one character is a value
        ("application_date", "2026-05-20"),
        ("center.floor_area_m2", 0),  # zero is a value, not a blank
        ("host.first_level_legal_person", False),  # 否 is an answer
        ("center.industry_fields", ["机械"]),
        ("staff", [{"name": "", "title": "中级"}]),  # one cell of one row
        ("host.cto", {"name": "张三", "filing_no": None, "filing_date": None}),
    ],
)
def test_one_real_value_is_enough(path: str, value: Any) -> None:
    assert not is_blank_document(with_value(path, value))
