from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

import pytest

from lzcenter_desktop.domain.formdef import FormDefinitionError, get_path, load_form_text, pick_year, set_path
from lzcenter_desktop.domain.model import (
    ACHIEVEMENT_KIND_LABELS,
    COOPERATION_KIND_LABELS,
    ORG_KIND_LABELS,
    PROJECT_LEVEL_LABELS,
    PROJECT_ROLE_LABELS,
    SIGNATURE_ROLE_LABELS,
)
from lzcenter_desktop.paths import forms_dir

FORM = forms_dir() / "declaration-2026.toml"


def form():  # type: ignore[no-untyped-def]
    return load_form_text(FORM.read_text(encoding="utf-8"))


def test_declaration_form_has_the_wizard_pages_of_issue_4() -> None:
    assert [s.title for s in form().sections] == [
        "中心基本信息",
        "依托单位",
        "共建单位与联合申报单位",
        "研发人员",
        "科研项目",
        "成果与知识产权",
        "条件与投入",
        "财务数据",
        "产学研合作",
        "签字与附件",
        "检查与提交",
    ]


def test_every_key_of_the_example_declaration_is_on_the_form(examples_dir: Path) -> None:
    example = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    f = form()
    field_keys = {fd.key for fd in f.all_fields()}
    table_keys = {t.key: t for t in f.all_tables()}

    def walk(node: object, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                path = f"{prefix}.{key}" if prefix else key
                if path in table_keys:
                    columns = {c.key for c in table_keys[path].columns}
                    for row in value:
                        assert set(row) <= columns, (path, set(row) - columns)
                elif isinstance(value, dict):
                    walk(value, path)
                elif path not in {"format", "call_year"}:
                    assert path in field_keys, path

    walk(example, "")


def test_enum_labels_and_values() -> None:
    degree = form().table("staff").column("degree")
    assert degree.value_for("本科") == "本科"
    assert degree.value_for("大学") is None
    kind = form().field("host.kind")
    assert kind.value_for("企业") == "enterprise" and kind.label_for("university") == "高等院校"


def test_required_if_follows_the_host_kind() -> None:
    cto = form().field("host.cto.name")
    assert cto.is_required({"host": {"kind": "enterprise"}})
    assert not cto.is_required({"host": {"kind": "university"}})


def test_get_path_missing_steps_are_none() -> None:
    assert get_path({"a": {"b": 1}}, "a.b") == 1
    assert get_path({"a": {"b": 1}}, "a.c") is None
    assert get_path({"a": 3}, "a.b") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('format = "x"', "format"),
        (
            'format = "lzcenter.form/1"\nkind="d"\ncall_year=2026\ntitle="t"\ninterchange_format="f"\n'
            '[[sections]]\nid="a"\ntitle="A"\n[[sections.fields]]\nkey="k"\nlabel="L"\ntype="colour"\n',
            "未知的字段类型",
        ),
        (
            'format = "lzcenter.form/1"\nkind="d"\ncall_year=2026\ntitle="t"\ninterchange_format="f"\n'
            '[[sections]]\nid="a"\ntitle="A"\n[[sections.fields]]\nkey="k"\nlabel="L"\ntype="enum"\n',
            "没有可选值",
        ),
        ("not = [toml", "TOML"),
    ],
)
def test_bad_definitions_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(FormDefinitionError, match=message):
        load_form_text(text)


def test_pick_year_takes_the_newest_form_not_after_the_call() -> None:
    available = {2025: "a", 2026: "b"}
    assert pick_year(available, 2026) == 2026
    assert pick_year(available, 2027) == 2026
    assert pick_year(available, 2025) == 2025
    with pytest.raises(FormDefinitionError):
        pick_year(available, 2024)


def test_projects_have_an_optional_end_date_column() -> None:
    table = form().table("projects")
    assert [c.key for c in table.columns] == ["name", "level", "role", "approved_date", "end_date"]
    end = table.column("end_date")
    assert (end.type, end.required, end.required_if, end.label) == ("date", False, None, "结束日期")
    assert "计划结束日期" in end.help


@pytest.mark.parametrize(
    ("key", "labels"),
    [
        ("host.kind", ORG_KIND_LABELS),
        ("projects.level", PROJECT_LEVEL_LABELS),
        ("projects.role", PROJECT_ROLE_LABELS),
        ("achievements.kind", ACHIEVEMENT_KIND_LABELS),
        ("cooperation.kind", COOPERATION_KIND_LABELS),
        ("signature.role", SIGNATURE_ROLE_LABELS),
    ],
)
def test_form_choices_are_the_labels_rule_messages_use(key: str, labels: Mapping[StrEnum, str]) -> None:
    """A rule message says 法定代表人 where the wizard's drop-down says 法定代表人."""
    f = form()
    table, _, column = key.partition(".")
    fd = f.table(table).column(column) if table in {t.key for t in f.all_tables()} else f.field(key)
    assert dict(fd.choices) == {k.value: v for k, v in labels.items()}


def test_set_path_creates_the_objects_on_the_way_and_get_path_reads_it_back() -> None:
    doc: dict[str, object] = {"host": {"name": "某公司", "cto": None}, "center": "not an object"}
    set_path(doc, "host.cto.name", "张三")  # a None on the way becomes an object
    set_path(doc, "center.name_zh", "柳州X工程技术研究中心（某公司）")  # so does a non-object
    set_path(doc, "signature.date", "2026-06-08")  # and a missing key
    set_path(doc, "host.name", "另一公司")  # a value already there is replaced
    assert doc == {
        "host": {"name": "另一公司", "cto": {"name": "张三"}},
        "center": {"name_zh": "柳州X工程技术研究中心（某公司）"},
        "signature": {"date": "2026-06-08"},
    }
    assert get_path(doc, "host.cto.name") == "张三"
