"""Declaration services on a real SQLite file: drafts, checks, submission, import/export, comparison."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.storage.models import (
    AuditEntry,
    Center,
    CenterStateChange,
    Declaration,
    DeclarationAchievement,
    DeclarationStaff,
    Organization,
)
from tests import db_backend


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "decl.sqlite"), operator="李科员")
    db_backend.attachments_ready(context, tmp_path / "共享附件")
    yield context
    context.db.dispose()


def rules(violations: list[Any]) -> set[str]:
    return {v.rule for v in violations}


def staff_rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"研发人员{i:02d}",
            "birth_date": "1980-01-01",
            "degree": "本科",
            "title": "中级",
            "tech_leader": i == 0,
        }
        for i in range(n)
    ]


# ---------------------------------------------------------------- import / export


def test_import_example_has_no_violation_and_exports_identical_json(
    ctx: AppContext, examples_dir: Path, example: dict[str, Any], tmp_path: Path
) -> None:
    path = examples_dir / "declaration-enterprise.json"
    outcome = d.import_declaration_file(ctx, path=path)
    assert outcome.violations == []
    exported = d.export_declaration(ctx, declaration_id=outcome.declaration_id)
    assert exported == example
    assert list(exported) == list(example)  # key order as in the file
    out = d.write_export(ctx, declaration_id=outcome.declaration_id, path=tmp_path / "out.json")
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_round_trip_keeps_optional_keys_absent_or_present(ctx: AppContext, example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["achievements"][0]["transferred"] = True
    data["achievements"][1]["transferred"] = False
    data["previous_revocation_date"] = "2020-01-02"
    first = d.import_declaration_data(ctx, data=data).declaration_id
    exported = d.export_declaration(ctx, declaration_id=first)
    assert exported == data
    assert "number" not in exported["achievements"][3]
    second = d.import_declaration_data(ctx, data=exported).declaration_id
    assert d.export_declaration(ctx, declaration_id=second) == data


def test_rule_breaking_file_is_imported_as_flagged_draft(ctx: AppContext, example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["staff"] = data["staff"][:7]
    outcome = d.import_declaration_data(ctx, data=data)
    assert "D9.3a" in rules(outcome.violations)
    view = d.get_declaration(ctx, outcome.declaration_id)
    assert view.status == "draft"
    assert view.data == data
    row = next(r for r in d.list_declarations(ctx) if r.id == outcome.declaration_id)
    assert row.errors >= 1 and row.status_label == "草稿"


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda x: x.update(colour="red"), "colour"),
        (lambda x: x["staff"][3].update(degree="college"), "staff[3].degree"),
        (lambda x: x.update(format="lzcenter.declaration/2"), "format"),
        (lambda x: x["center"].pop("name_en"), "center.name_en"),
        (lambda x: x.update(application_date="2026-02-30"), "application_date"),
    ],
)
def test_not_the_format_is_refused_and_nothing_is_written(
    ctx: AppContext, example: dict[str, Any], mutate: Any, where: str
) -> None:
    data = copy.deepcopy(example)
    mutate(data)
    with pytest.raises(FormatError) as info:
        d.import_declaration_data(ctx, data=data)
    assert info.value.path == where
    assert d.list_declarations(ctx) == []


def test_unreadable_files(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(d.ImportFileError, match="文件不存在"):
        d.import_declaration_file(ctx, path=tmp_path / "nope.json")
    with pytest.raises(d.ImportFileError, match="文件夹"):
        d.import_declaration_file(ctx, path=tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(FormatError, match="不是有效的 JSON"):
        d.import_declaration_file(ctx, path=bad)
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"a": "柳州"}'.encode("gbk"))
    with pytest.raises(FormatError, match="UTF-8"):
        d.import_declaration_file(ctx, path=gbk)
    nan = tmp_path / "nan.json"
    nan.write_text('{"a": NaN}', encoding="utf-8")
    with pytest.raises(FormatError, match="NaN"):
        d.import_declaration_file(ctx, path=nan)


def test_export_of_incomplete_draft_names_the_field(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    with pytest.raises(ServiceError, match="尚未填写完整"):
        d.export_declaration(ctx, declaration_id=did)


# ---------------------------------------------------------------- drafts


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_call_year_bounds(ctx: AppContext, year: int, ok: bool) -> None:
    if ok:
        assert d.get_declaration(ctx, d.create_draft(ctx, call_year=year)).call_year == year
    else:
        with pytest.raises(ServiceError, match="申报年度"):
            d.create_draft(ctx, call_year=year)


def test_blank_draft_lists_required_fields(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    result = d.check_declaration_draft(ctx, declaration_id=did)
    paths = {v.path for v in result.errors if v.rule == d.FORM_RULE}
    assert {
        "application_date",
        "center.name_zh",
        "host.credit_code",
        "staff",
        "investments",
        "signature.name",
    } <= paths
    # rules judging a stand-in value wait for the field they depend on
    assert not any(v.rule.startswith("D9.7") or v.rule == "D10.2" for v in result.violations)
    assert all("请填写" in v.message or "至少应填写" in v.message for v in result.errors)


def test_every_save_is_one_audited_transaction(ctx: AppContext, example: dict[str, Any]) -> None:
    did = d.create_draft(ctx, call_year=2026)
    doc = d.empty_document(2026)
    doc["center"]["name_zh"] = "柳州测试工程技术研究中心（柳州某某重工股份有限公司）"
    with ctx.db.session() as s:
        before = len(list(s.execute(select(AuditEntry)).scalars()))
    d.save_draft(ctx, declaration_id=did, data=doc)
    with ctx.db.session() as s:
        entries = list(s.execute(select(AuditEntry).where(col(AuditEntry.id) > before)).scalars())
        assert entries and {e.action for e in entries} == {"declarations.save_draft"}
        assert {e.operator for e in entries} == {"李科员"}
        assert len({e.txn for e in entries}) == 1
        decl = s.get(Declaration, did)
        assert decl is not None and decl.name_zh == doc["center"]["name_zh"]
        assert decl.center_id is None and decl.host_id is None  # a draft is not a centre yet
        # the audit entry of the row is compact: the changed column and the changed path only
        (row_entry,) = [e for e in entries if e.entity == "declaration"]
        assert row_entry.before is not None and row_entry.after is not None
        assert json.loads(row_entry.before) == {
            "name_zh": "",
            "source_json": {"center.name_zh": ""},
            "version": 1,
        }
        assert json.loads(row_entry.after) == {
            "name_zh": doc["center"]["name_zh"],
            "source_json": {"center.name_zh": doc["center"]["name_zh"]},
            "version": 2,
        }
    assert d.get_declaration(ctx, did).data == doc
    # saving the same document again writes nothing
    d.save_draft(ctx, declaration_id=did, data=doc)
    with ctx.db.session() as s:
        assert len(list(s.execute(select(AuditEntry).where(col(AuditEntry.id) > before)).scalars())) == len(
            entries
        )


def test_save_survives_reopening_the_database(tmp_path: Path) -> None:
    target = str(tmp_path / "reopen.sqlite")
    first = open_app(target)
    did = d.create_draft(first, call_year=2026)
    doc = d.empty_document(2026)
    doc["host"]["name"] = "柳州某某重工股份有限公司"
    d.save_draft(first, declaration_id=did, data=doc)
    first.db.dispose()
    second = open_app(target)
    try:
        assert d.get_declaration(second, did).data["host"]["name"] == "柳州某某重工股份有限公司"
    finally:
        second.db.dispose()


def test_save_refuses_values_that_are_not_json(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    doc = d.empty_document(2026)
    doc["application_date"] = date(2026, 6, 10)
    with pytest.raises(ServiceError, match="不能保存的值"):
        d.save_draft(ctx, declaration_id=did, data=doc)
    doc["application_date"] = None
    doc["center"]["floor_area_m2"] = float("nan")
    with pytest.raises(ServiceError, match="不能保存的值"):
        d.save_draft(ctx, declaration_id=did, data=doc)
    assert d.get_declaration(ctx, did).data == d.empty_document(2026)


def test_unknown_declaration(ctx: AppContext) -> None:
    with pytest.raises(NotFound, match="找不到编号为 99 的申报书"):
        d.get_declaration(ctx, 99)
    with pytest.raises(NotFound):
        d.save_draft(ctx, declaration_id=99, data={})


@pytest.mark.parametrize(("n", "flagged"), [(7, True), (8, False), (9, False)])
def test_staff_count_boundary(ctx: AppContext, example: dict[str, Any], n: int, flagged: bool) -> None:
    data = copy.deepcopy(example)
    data["staff"] = staff_rows(n)
    violations = d.check_data(ctx, data, call_year=2026)
    assert ("D9.3a" in rules(violations)) is flagged
    totals = d.staff_totals(data, rulesets.settings_for_year(ctx, 2026))
    assert totals.count == n and totals.bachelor == n and totals.leaders == 1


# The pure checks (totals, incomplete rows, row remapping) are tested in
# tests/unit/domain/test_draft_checks.py.


# ---------------------------------------------------------------- submission


def test_submit_refused_while_errors_remain(ctx: AppContext, example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["staff"] = staff_rows(7)
    did = d.import_declaration_data(ctx, data=data).declaration_id
    with pytest.raises(ServiceError, match="项错误，改正后才能提交") as info:
        d.submit_declaration(ctx, declaration_id=did, acknowledgements={})
    assert info.value.field == "staff"
    assert d.get_declaration(ctx, did).status == "draft"


ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")  # an internal path or code (``center.name_zh``, ``DUP``)


@pytest.mark.parametrize(
    ("change", "label", "field"),
    [
        (lambda doc: doc["center"].update(name_zh=""), "中心名称（中文）", "center.name_zh"),
        (lambda doc: doc["staff"][2].update(degree=None), "研发人员 第 3 行 学历", "staff[2].degree"),
        (lambda doc: doc.update(staff=staff_rows(7)), "研发人员", "staff"),
    ],
)
def test_a_refusal_names_the_field_by_its_label_never_its_path(
    ctx: AppContext, example: dict[str, Any], change: Any, label: str, field: str
) -> None:
    data = copy.deepcopy(example)
    change(data)
    did = d.create_draft(ctx, call_year=2026, data=data)
    with pytest.raises(ServiceError) as info:
        d.submit_declaration(ctx, declaration_id=did, acknowledgements={})
    message = str(info.value)
    assert "改正后才能提交。第一项：" + label + "：" in message
    assert not ASCII_WORD.search(message), message
    assert info.value.field == field  # the form still learns which field to show


def test_warning_refusals_say_warning_and_name_rule_article_and_field(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    did, warning = _warned(ctx, example)
    with pytest.raises(ServiceError) as info:
        d.submit_declaration(ctx, declaration_id=did)
    message = str(info.value)
    assert message.startswith("还有 1 项警告未填写确认理由。第一项：D9.5b（第九条（五）） 主要科研仪器设备：")
    assert "提醒" not in message and not re.search(r"[a-z_]{2,}", message), message
    with pytest.raises(ServiceError) as info:
        d.submit_declaration(ctx, declaration_id=did, acknowledgements={d.violation_key(warning): "长" * 201})
    message = str(info.value)
    assert message.startswith(
        "“D9.5b（第九条（五））”（主要科研仪器设备）的确认理由过长（201 字，最多 200 字）"
    )
    assert not re.search(r"[a-z_]{2,}", message), message


@pytest.mark.parametrize(
    ("rule", "named"),
    [("D9.5b", "“D9.5b（第九条（五））”"), (d.DUPLICATE_RULE, "“重复申报（第十条（一））”")],
)
def test_a_too_long_reason_names_the_rule_as_a_clerk_reads_it(
    ctx: AppContext, example: dict[str, Any], rule: str, named: str
) -> None:
    did, _ = _warned(ctx, example)
    with pytest.raises(ServiceError) as info:
        d.set_acknowledgement(ctx, declaration_id=did, rule=rule, path="host.credit_code", reason="理" * 201)
    assert str(info.value).startswith(f"{named}的确认理由过长（201 字，最多 200 字）")
    assert "DUP" not in str(info.value)


def test_submit_needs_a_reason_for_each_warning_and_stores_it(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    data = copy.deepcopy(example)
    data["center"]["equipment"] = []  # D9.5b is a warning
    outcome = d.import_declaration_data(ctx, data=data)
    warning = next(v for v in outcome.violations if v.rule == "D9.5b")
    key = d.violation_key(warning)
    for acks in ({}, {key: "   "}):
        with pytest.raises(ServiceError, match="未填写确认理由"):
            d.submit_declaration(ctx, declaration_id=outcome.declaration_id, acknowledgements=acks)
    with pytest.raises(ServiceError, match="确认理由过长"):
        d.submit_declaration(ctx, declaration_id=outcome.declaration_id, acknowledgements={key: "长" * 201})
    d.submit_declaration(
        ctx,
        declaration_id=outcome.declaration_id,
        acknowledgements={key: "长" * 199 + "完"},
        on=date(2026, 6, 12),
    )
    view = d.get_declaration(ctx, outcome.declaration_id)
    assert view.status == "submitted" and view.submitted_on == date(2026, 6, 12)
    with ctx.db.session() as s:
        decl = s.get(Declaration, outcome.declaration_id)
        assert decl is not None
        change = s.execute(
            select(CenterStateChange).where(
                col(CenterStateChange.center_id) == decl.center_id,
                col(CenterStateChange.to_state) == "submitted",
            )
        ).scalar_one()
        assert "D9.5b" in change.reason and "长" * 199 + "完" in change.reason
        assert "警告已确认：D9.5b（第九条（五）） 主要科研仪器设备（" in change.reason
        assert "提醒" not in change.reason and "center.equipment" not in change.reason
        center = s.get(Center, decl.center_id)
        assert center is not None and center.state == "submitted"


def test_submit_writes_child_tables_and_links_host(ctx: AppContext, example: dict[str, Any]) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    d.submit_declaration(ctx, declaration_id=did, acknowledgements={})
    with ctx.db.session() as s:
        staff = list(
            s.execute(select(DeclarationStaff).where(col(DeclarationStaff.declaration_id) == did)).scalars()
        )
        assert len(staff) == 10 and staff[0].tech_leader
        ach = list(
            s.execute(
                select(DeclarationAchievement).where(col(DeclarationAchievement.declaration_id) == did)
            ).scalars()
        )
        assert len(ach) == 8
        decl = s.get(Declaration, did)
        assert decl is not None
        host = s.get(Organization, decl.host_id)
        assert host is not None and host.credit_code == "91450205MA5N8R2T4M"
    assert d.export_declaration(ctx, declaration_id=did) == example
    with pytest.raises(ServiceError, match="已提交，不能再修改"):
        d.save_draft(ctx, declaration_id=did, data=example)
    with pytest.raises(ServiceError, match="已提交"):
        d.submit_declaration(ctx, declaration_id=did, acknowledgements={})


def test_submitted_host_reuses_registered_organization(ctx: AppContext, example: dict[str, Any]) -> None:
    first = d.import_declaration_data(ctx, data=example).declaration_id
    d.submit_declaration(ctx, declaration_id=first, acknowledgements={})
    data = copy.deepcopy(example)
    data["call_year"] = 2027
    data["application_date"] = "2027-06-10"
    second = d.import_declaration_data(ctx, data=data).declaration_id
    with ctx.db.session() as s:
        a, b = s.get(Declaration, first), s.get(Declaration, second)
        assert a is not None and b is not None and a.host_id == b.host_id


# ---------------------------------------------------------------- duplicates and comparing


def test_same_credit_code_twice_in_one_call_year_is_flagged(ctx: AppContext, example: dict[str, Any]) -> None:
    first = d.import_declaration_data(ctx, data=example)
    assert d.DUPLICATE_RULE not in rules(first.violations)
    second = d.import_declaration_data(ctx, data=example)
    dup = [v for v in second.violations if v.rule == d.DUPLICATE_RULE]
    assert (
        len(dup) == 1
        and dup[0].path == "host.credit_code"
        and f"第 {first.declaration_id} 号" in dup[0].message
    )
    assert d.DUPLICATE_RULE in rules(
        d.check_declaration_draft(ctx, declaration_id=first.declaration_id).violations
    )
    listed = {r.id: r for r in d.list_declarations(ctx)}
    assert listed[first.declaration_id].warnings == 1 and listed[second.declaration_id].warnings == 1
    other_year = copy.deepcopy(example)
    other_year["call_year"] = 2027
    assert d.DUPLICATE_RULE not in rules(d.import_declaration_data(ctx, data=other_year).violations)
    d.withdraw_draft(ctx, declaration_id=second.declaration_id, reason="重复录入")
    assert d.DUPLICATE_RULE not in rules(
        d.check_declaration_draft(ctx, declaration_id=first.declaration_id).violations
    )


def test_withdraw_needs_reason(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    with pytest.raises(ServiceError, match="撤回的原因"):
        d.withdraw_draft(ctx, declaration_id=did, reason=" ")
    d.withdraw_draft(ctx, declaration_id=did, reason="误建")
    assert d.get_declaration(ctx, did).status == "withdrawn"


def test_compare_two_drafts_field_by_field(ctx: AppContext, example: dict[str, Any]) -> None:
    a = d.import_declaration_data(ctx, data=example).declaration_id
    changed = copy.deepcopy(example)
    changed["staff"][3]["degree"] = "博士"
    changed["center"]["floor_area_m2"] = 861
    changed["cooperation"].append(
        {"partner": "某大学", "kind": "agreement", "date": "2025-01-01", "title": "协议"}
    )
    b = d.import_declaration_data(ctx, data=changed).declaration_id
    diffs = {x.path: (x.left, x.right) for x in d.compare_declarations(ctx, left_id=a, right_id=b)}
    assert diffs["staff[3].degree"] == ("硕士", "博士")
    assert diffs["center.floor_area_m2"] == (860, 861)
    assert diffs["cooperation[1]"][0] is None
    assert len(diffs) == 3
    assert d.compare_declarations(ctx, left_id=a, right_id=a) == []


# ---------------------------------------------------------------- attachments


def sized(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(size)
    return path


@pytest.mark.parametrize(
    ("size", "ok"),
    [
        (att.MAX_ATTACHMENT_BYTES - 1, True),
        (att.MAX_ATTACHMENT_BYTES, True),
        (att.MAX_ATTACHMENT_BYTES + 1, False),
    ],
)
def test_attachment_size_limit(ctx: AppContext, tmp_path: Path, size: int, ok: bool) -> None:
    did = d.create_draft(ctx, call_year=2026)
    src = sized(tmp_path / "合同.pdf", size)
    if ok:
        aid = att.add_attachment(ctx, declaration_id=did, source=src, title="合同")
        (view,) = att.list_attachments(ctx, declaration_id=did)
        assert view.id == aid and view.size_bytes == size and view.state == "ok"
    else:
        with pytest.raises(ServiceError, match="超过 20 MB 的上限") as info:
            att.add_attachment(ctx, declaration_id=did, source=src, title="合同")
        assert info.value.field == "附件文件"
        assert att.list_attachments(ctx, declaration_id=did) == []


def test_attachment_is_copied_hashed_and_checked(ctx: AppContext, tmp_path: Path) -> None:
    did = d.create_draft(ctx, call_year=2026)
    src = tmp_path / "营业执照.PNG"
    src.write_bytes(b"\x89PNG fake scan")
    aid = att.add_attachment(ctx, declaration_id=did, source=src, title=" 营业执照 ")
    (view,) = att.list_attachments(ctx, declaration_id=did)
    assert view.title == "营业执照" and view.file_name == "营业执照.PNG" and view.is_image
    assert view.path == att.attachments_root(ctx) / str(did) / f"{aid:06d}.png"
    assert view.path.read_bytes() == src.read_bytes()
    assert view.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    src.unlink()  # the managed copy does not depend on the original
    assert att.list_attachments(ctx, declaration_id=did)[0].state == "ok"
    view.path.write_bytes(b"\x89PNG other scan")
    changed = att.list_attachments(ctx, declaration_id=did)[0]
    assert changed.state == "changed" and "SHA-256 不一致" in changed.message
    view.path.unlink()
    missing = att.list_attachments(ctx, declaration_id=did)[0]
    assert missing.state == "missing" and "文件已不在" in missing.message
    att.retire_attachment(ctx, attachment_id=aid)
    assert att.list_attachments(ctx, declaration_id=did) == []
    with pytest.raises(ServiceError, match="已移除"):
        att.retire_attachment(ctx, attachment_id=aid)


def test_attachment_bad_input(ctx: AppContext, tmp_path: Path, example: dict[str, Any]) -> None:
    did = d.create_draft(ctx, call_year=2026)
    doc = tmp_path / "说明.docx"
    doc.write_bytes(b"x")
    with pytest.raises(ServiceError, match="类型不受支持"):
        att.add_attachment(ctx, declaration_id=did, source=doc, title="说明")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(ServiceError, match="请填写附件名称"):
        att.add_attachment(ctx, declaration_id=did, source=pdf, title=" ")
    with pytest.raises(ServiceError, match="找不到文件"):
        att.add_attachment(ctx, declaration_id=did, source=tmp_path / "none.pdf", title="x")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ServiceError, match="空文件"):
        att.add_attachment(ctx, declaration_id=did, source=empty, title="x")
    with pytest.raises(NotFound):
        att.add_attachment(ctx, declaration_id=999, source=pdf, title="x")
    submitted = d.import_declaration_data(ctx, data=example).declaration_id
    d.submit_declaration(ctx, declaration_id=submitted, acknowledgements={})
    with pytest.raises(ServiceError, match="已提交，不能再添加附件"):
        att.add_attachment(ctx, declaration_id=submitted, source=pdf, title="x")


# ---------------------------------------------------------------- declarations recorded without JSON


def test_declarations_made_of_rows_are_read_and_exported(ctx: AppContext) -> None:
    from lzcenter_desktop.services import demo

    demo.build_demo(ctx, seed=2026)
    rows = d.list_declarations(ctx)
    assert rows and {r.status for r in rows} >= {"draft", "submitted"}
    earliest = min(rows, key=lambda r: r.call_year)
    assert earliest.call_year < 2026  # a year before the first form uses the first form
    for row in [*rows[:5], earliest]:
        exported = d.export_declaration(ctx, declaration_id=row.id)
        assert exported["call_year"] == row.call_year
        with ctx.db.session() as s:
            staff = s.execute(select(DeclarationStaff).where(col(DeclarationStaff.declaration_id) == row.id))
            assert len(exported["staff"]) == len(list(staff.scalars())) > 0
        assert exported["host"]["name"] == row.host_name
        again = d.import_declaration_data(ctx, data=exported).declaration_id
        assert d.export_declaration(ctx, declaration_id=again) == exported


# ---------------------------------------------------------------- drafts without placeholder records


def _count(ctx: AppContext, model: Any) -> int:
    with ctx.db.session() as s:
        return len(list(s.execute(select(model)).scalars()))


def test_a_new_draft_creates_no_centre_and_no_organization(ctx: AppContext) -> None:
    did = d.create_draft(ctx, call_year=2026)
    doc = d.empty_document(2026)
    doc["center"]["name_zh"] = "柳州测试工程技术研究中心"
    doc["host"]["name"] = "柳州某某重工股份有限公司"
    doc["host"]["credit_code"] = "91450205MA5N8R2T4M"  # valid, but a draft links nothing until submitted
    d.save_draft(ctx, declaration_id=did, data=doc)
    assert _count(ctx, Center) == 0 and _count(ctx, Organization) == 0
    with ctx.db.session() as s:
        decl = s.get(Declaration, did)
        assert decl is not None and decl.center_id is None and decl.host_id is None
    assert d.get_declaration(ctx, did).data == doc
    row = next(r for r in d.list_declarations(ctx) if r.id == did)
    assert row.center_name == "柳州测试工程技术研究中心" and row.host_name == "柳州某某重工股份有限公司"


def test_submission_creates_the_centre_and_the_host(ctx: AppContext, example: dict[str, Any]) -> None:
    did = d.create_draft(ctx, call_year=2026)
    d.save_draft(ctx, declaration_id=did, data=example)
    assert _count(ctx, Center) == 0 and _count(ctx, Organization) == 0
    d.submit_declaration(ctx, declaration_id=did, on=date(2026, 6, 12))
    with ctx.db.session() as s:
        decl = s.get(Declaration, did)
        assert decl is not None and decl.center_id is not None and decl.host_id is not None
        center = s.get(Center, decl.center_id)
        host = s.get(Organization, decl.host_id)
        assert center is not None and host is not None
        assert center.name_zh == example["center"]["name_zh"] and center.host_id == host.id
        assert (center.state, center.state_since) == ("submitted", date(2026, 6, 12))
        assert (host.name, host.credit_code) == (example["host"]["name"], example["host"]["credit_code"])
        steps = [
            (c.from_state, c.to_state)
            for c in s.execute(
                select(CenterStateChange)
                .where(col(CenterStateChange.center_id) == center.id)
                .order_by(col(CenterStateChange.id))
            ).scalars()
        ]
        assert steps == [(None, "draft"), ("draft", "submitted")]
    assert [c.name_zh for c in _all(ctx, Center)] == [example["center"]["name_zh"]]
    assert [o.name for o in _all(ctx, Organization)] == [example["host"]["name"]]


def _all(ctx: AppContext, model: Any) -> list[Any]:
    with ctx.db.session() as s:
        return list(s.execute(select(model)).scalars())


def test_submission_links_a_registered_host(ctx: AppContext, example: dict[str, Any]) -> None:
    from lzcenter_desktop.services import organizations

    org = organizations.create_organization(
        ctx, name=example["host"]["name"], kind="enterprise", credit_code=example["host"]["credit_code"]
    )
    did = d.create_draft(ctx, call_year=2026, data=example)  # valid host: linked at once
    with ctx.db.session() as s:
        decl = s.get(Declaration, did)
        assert decl is not None and decl.host_id == org
    d.submit_declaration(ctx, declaration_id=did)
    assert _count(ctx, Organization) == 1


def test_import_with_a_valid_host_links_it_and_an_invalid_one_does_not(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    good = d.import_declaration_data(ctx, data=example).declaration_id
    bad_doc = copy.deepcopy(example)
    bad_doc["host"]["credit_code"] = "91450205MA5N8R2T4X"  # wrong check character
    bad = d.import_declaration_data(ctx, data=bad_doc).declaration_id
    with ctx.db.session() as s:
        g, b = s.get(Declaration, good), s.get(Declaration, bad)
        assert g is not None and g.host_id is not None and g.center_id is not None
        assert b is not None and b.host_id is None and b.center_id is None
    assert _count(ctx, Center) == 1 and _count(ctx, Organization) == 1


# ---------------------------------------------------------------- stored acknowledgements


def _warned(ctx: AppContext, example: dict[str, Any]) -> tuple[int, Any]:
    data = copy.deepcopy(example)
    data["center"]["equipment"] = []  # D9.5b is a warning
    outcome = d.import_declaration_data(ctx, data=data)
    return outcome.declaration_id, next(v for v in outcome.violations if v.rule == "D9.5b")


def test_acknowledgement_is_stored_restored_and_used_by_submission(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    did, warning = _warned(ctx, example)
    key = d.violation_key(warning)
    assert d.list_acknowledgements(ctx, declaration_id=did) == {}
    d.set_acknowledgement(ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason=" 租用平台 ")
    assert d.list_acknowledgements(ctx, declaration_id=did) == {key: "租用平台"}
    # the same reason again writes nothing; a new one retires the old row
    d.set_acknowledgement(ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason="租用平台")
    d.set_acknowledgement(
        ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason="设备在租用的公共平台"
    )
    history = d.acknowledgement_history(ctx, declaration_id=did)
    assert [(h.reason, h.status, h.operator) for h in history] == [
        ("租用平台", "retired", "李科员"),
        ("设备在租用的公共平台", "active", "李科员"),
    ]
    with ctx.db.session() as s:
        actions = {e.action for e in s.execute(select(AuditEntry)).scalars()}
    assert "declarations.set_acknowledgement" in actions
    # submission with no reasons passed uses the stored one and writes it into the timeline
    d.submit_declaration(ctx, declaration_id=did, on=date(2026, 6, 12))
    with ctx.db.session() as s:
        decl = s.get(Declaration, did)
        assert decl is not None
        change = s.execute(
            select(CenterStateChange).where(
                col(CenterStateChange.center_id) == decl.center_id,
                col(CenterStateChange.to_state) == "submitted",
            )
        ).scalar_one()
    assert "D9.5b" in change.reason and "设备在租用的公共平台" in change.reason
    with pytest.raises(ServiceError, match="已提交"):
        d.set_acknowledgement(ctx, declaration_id=did, rule="D9.5b", path="center.equipment", reason="x")


def test_clearing_an_acknowledgement_retires_it(ctx: AppContext, example: dict[str, Any]) -> None:
    did, warning = _warned(ctx, example)
    d.set_acknowledgement(ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason="理由")
    d.set_acknowledgement(ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason="  ")
    assert d.list_acknowledgements(ctx, declaration_id=did) == {}
    assert [h.status for h in d.acknowledgement_history(ctx, declaration_id=did)] == ["retired"]
    with pytest.raises(ServiceError, match="未填写确认理由"):
        d.submit_declaration(ctx, declaration_id=did)


def test_reasons_passed_at_submission_are_stored(ctx: AppContext, example: dict[str, Any]) -> None:
    did, warning = _warned(ctx, example)
    d.set_acknowledgement(ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason="旧理由")
    d.submit_declaration(ctx, declaration_id=did, acknowledgements={d.violation_key(warning): "新理由"})
    assert d.list_acknowledgements(ctx, declaration_id=did) == {d.violation_key(warning): "新理由"}


@pytest.mark.parametrize(("length", "ok"), [(199, True), (200, True), (201, False)])
def test_acknowledgement_reason_length(
    ctx: AppContext, example: dict[str, Any], length: int, ok: bool
) -> None:
    did, warning = _warned(ctx, example)
    reason = "理" * length
    if ok:
        d.set_acknowledgement(ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason=reason)
        assert d.list_acknowledgements(ctx, declaration_id=did)[d.violation_key(warning)] == reason
    else:
        with pytest.raises(ServiceError, match="确认理由过长") as info:
            d.set_acknowledgement(
                ctx, declaration_id=did, rule=warning.rule, path=warning.path, reason=reason
            )
        assert info.value.field == "确认理由"
        assert d.list_acknowledgements(ctx, declaration_id=did) == {}


def test_acknowledgement_bad_input(ctx: AppContext, example: dict[str, Any]) -> None:
    did, _ = _warned(ctx, example)
    with pytest.raises(ServiceError, match="规则编号"):
        d.set_acknowledgement(ctx, declaration_id=did, rule=" ", path="x", reason="理由")
    with pytest.raises(ServiceError, match="位置过长"):
        d.set_acknowledgement(ctx, declaration_id=did, rule="D9.5b", path="p" * 201, reason="理由")
    with pytest.raises(NotFound):
        d.set_acknowledgement(ctx, declaration_id=999, rule="D9.5b", path="x", reason="理由")
    with pytest.raises(NotFound):
        d.list_acknowledgements(ctx, declaration_id=999)
