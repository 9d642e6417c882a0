"""The Violation value type."""

from __future__ import annotations

import json

from lzcenter_desktop.domain.catalog import sort_violations, violation
from lzcenter_desktop.domain.violations import Severity, Violation, has_errors


def test_to_json_keys_in_interchange_order() -> None:
    v = Violation("D9.3b", "第九条（三）", Severity.ERROR, "staff", "本科及以上 7/10 = 70%", "7/10", "≥ 80%")
    assert list(v.to_json()) == ["rule", "article", "severity", "path", "message", "actual", "required"]
    assert v.to_json()["severity"] == "error"
    assert json.loads(json.dumps(v.to_json(), ensure_ascii=False)) == v.to_json()


def test_has_errors() -> None:
    warning = violation("D9.5b", "center.equipment", "m", "0", "1")
    error = violation("D9.3a", "staff", "m", "7人", "≥ 8人")
    assert not has_errors([])
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert Severity.ERROR.label == "错误" and Severity.WARNING.label == "警告"


def test_violation_helper_uses_catalog_article_and_severity() -> None:
    v = violation("M14c", "expert_committee_terms[0].members", "m", "4/9", "≤ 1/3")
    assert v.article == "第十四条" and v.severity is Severity.ERROR
    w = violation("M12c", "directors[0]", "m", "a", "b")
    assert w.severity is Severity.WARNING


def test_error_or_warning_rules_need_explicit_severity() -> None:
    import pytest

    with pytest.raises(ValueError):
        violation("D9.1a", "host.credit_code", "m", "a", "b")
    with pytest.raises(ValueError):
        violation("R10.3b", "total", "m", "a", "b")
    assert (
        violation("D9.1a", "host.credit_code", "m", "a", "b", Severity.WARNING).severity is Severity.WARNING
    )


def test_sort_is_stable_within_a_rule() -> None:
    a = violation("D26", "center.name_zh", "a", "a", "a", Severity.ERROR)
    b = violation("D9.2", "center.industry_fields[1]", "b", "b", "b")
    c = violation("D9.2", "center.industry_fields[0]", "c", "c", "c")
    assert sort_violations([a, b, c]) == [b, c, a]
