"""The catalog has exactly the IDs of rules.md, and every ID is exercised by a test module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lzcenter_desktop.domain.catalog import NOTES, RULES, catalog_position, rule_info

# rules.md, in catalog order (kept here so the test does not depend on /work/shared)
RULES_MD_IDS = [
    "D9.1a", "D9.2", "D9.3a", "D9.3b", "D9.3c", "D9.3d", "D9.4a", "D9.4b", "D9.5a", "D9.5b",
    "D9.6a", "D9.6b", "D9.6c", "D9.6d", "D9.7a", "D9.7b", "D9.8a", "D9.8b", "D9.8c", "D10.2",
    "D25", "D26",
    "R10.3a", "R10.3b", "R10.3c", "R10.4", "R10.5",
    "M11", "M12a", "M12b", "M12c", "M13a", "M13b", "M13c", "M14a", "M14b", "M14c", "M14d",
    "M14e", "M14f", "M15a", "M15b", "M15c", "M16a", "M16b",
    "E21a", "E21b", "E21c", "E22", "E23a", "E23b", "E24a", "E24b", "E24c", "E25",
]  # fmt: skip
EXTRA_IDS = ["D9.0"]  # rules.md's unnumbered "same organization twice" paragraph

# The project's own catalog and the Measures' text (docs/), so this always runs on any clone.
ROOT = Path(__file__).resolve().parents[3]
RULES_MD = ROOT / "docs" / "rules.md"
SEED = ROOT / "docs" / "liuzhou-etrc-measures.zh.txt"
HERE = Path(__file__).resolve().parent


def test_catalog_ids_are_rules_md_ids_plus_documented_extras() -> None:
    ids = [r.id for r in RULES]
    assert [i for i in ids if i not in EXTRA_IDS] == RULES_MD_IDS
    assert ids.index("D9.0") == ids.index("D9.1a") - 1
    assert len(set(ids)) == len(ids)


def test_catalog_matches_rules_md_on_disk() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    found = re.findall(r"^\| ([DRME][0-9][0-9.]*[a-f]?) \| (第[^|]+?) \|", text, flags=re.MULTILINE)
    assert [i for i, _ in found] == RULES_MD_IDS
    for rule_id, article in found:
        assert rule_info(rule_id).article == article.strip(), rule_id


def test_every_catalog_id_is_named_in_the_test_modules() -> None:
    sources = ""
    for path in [*HERE.glob("test_*.py"), HERE.parent / "services" / "test_checking.py"]:
        if path.name != Path(__file__).name and path.exists():
            sources += path.read_text(encoding="utf-8")
    missing = [r.id for r in RULES if not re.search(rf"(?<![\w.]){re.escape(r.id)}(?![\w])(?!\.\w)", sources)]
    assert missing == []


def test_rule_entries_are_complete() -> None:
    for r in RULES:
        assert r.article.startswith("第") and r.chapter.startswith("第") and r.title and r.source
        assert r.severity in {"error", "warning", "error/warning", "info"}
    assert rule_info("D9.1a").severity == "error/warning"
    assert rule_info("R10.5").severity == "info"
    assert catalog_position("D9.1a") < catalog_position("M11") < catalog_position("E25")
    assert catalog_position("nope") == len(RULES)
    with pytest.raises(KeyError):
        rule_info("X1")


def test_sources_are_copied_from_the_measures() -> None:
    text = SEED.read_text(encoding="utf-8")
    for r in RULES:
        if r.id not in EXTRA_IDS:
            assert r.source in text, r.id


def test_notes_list_the_disagreements() -> None:
    assert any(n.startswith("D26") for n in NOTES) and any(n.startswith("M13b") for n in NOTES)


def test_rules_md_lists_every_decision_of_the_catalog() -> None:
    """docs/rules.md's decisions section is NOTES, in order (regenerate: scripts/rules_doc.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("rules_doc", ROOT / "scripts" / "rules_doc.py")
    assert spec is not None and spec.loader is not None
    rules_doc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules_doc)
    text = RULES_MD.read_text(encoding="utf-8")
    assert rules_doc.decisions_block() in text, "docs/rules.md is out of date: run scripts/rules_doc.py"
    for note in NOTES:
        assert note in text
