"""services/bulk_import: many files in one pass, each in its own transaction, with the same drafts and
the same violations as importing them one by one (issue 11 item 6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.credit_code import check_char
from lzcenter_desktop.services import bulk_import
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.errors import DatabaseLocked
from lzcenter_desktop.storage.models import AuditEntry
from tests.records import revoke_a_centre_of

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "declaration-enterprise.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def variant(n: int) -> dict[str, Any]:
    """The example for another host with its own valid credit code: nothing to flag."""
    data = example()
    first17 = f"91450205MA5{n:06d}"
    data["host"]["credit_code"] = first17 + check_char(first17)
    data["host"]["name"] = f"柳州第{'零一二三四五六七八九'[n]}机械有限公司"
    data["center"]["name_zh"] = f"柳州工程机械智能制造工程技术研究中心（{data['host']['name']}）"
    return data


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "bulk.sqlite"))
    yield context
    context.db.dispose()


# ---------------------------------------------------------------- choosing the files


def test_a_folder_gives_its_json_files_by_name_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "收件"
    for name in ("b.json", "a.json", "C.JSON"):
        write(folder, name, {})
    write(folder, "说明.txt", "不是申报书")
    write(folder / "子文件夹", "d.json", {})  # not searched: only the folder named
    files, refusals = bulk_import.collect_files([folder])
    assert [f.name for f in files] == ["C.JSON", "a.json", "b.json"] and refusals == []


def test_a_file_named_twice_is_taken_once_and_bad_targets_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "收件"
    a = write(folder, "a.json", {})
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    files, refusals = bulk_import.collect_files([a, folder, tmp_path / "没有这个.json", empty])
    assert files == [a]
    assert [r.refusal for r in refusals] == [
        f"找不到文件或文件夹“{tmp_path / '没有这个.json'}”，请检查路径",
        f"文件夹“{empty}”中没有 .json 文件",
    ]


# ---------------------------------------------------------------- the same as one by one


def _seen(violations: Any) -> list[tuple[str, str, str, str]]:
    return [(v.rule, v.severity.value, v.path, v.message) for v in violations]


def test_the_same_drafts_and_violations_as_importing_one_by_one(tmp_path: Path) -> None:
    small = variant(3)
    small["center"]["floor_area_m2"] = 299  # D9.5a: just below the 300 m² bound
    exact = variant(4)
    exact["center"]["floor_area_m2"] = 300  # exactly at the bound: fine
    revoked = example()  # its host had a centre revoked (records), applying early: D25
    revoked["application_date"] = "2026-06-09"
    documents = [variant(1), small, exact, variant(1), revoked, example()]  # variant(1) twice: DUP
    folder = tmp_path / "files"
    paths = [write(folder, f"{i}.json", doc) for i, doc in enumerate(documents)]

    one_by_one = open_app(str(tmp_path / "one.sqlite"))
    bulk = open_app(str(tmp_path / "bulk.sqlite"))
    try:
        for c in (one_by_one, bulk):
            revoke_a_centre_of(c, name=revoked["host"]["name"], code=revoked["host"]["credit_code"])
        expected = [d.import_declaration_file(one_by_one, path=p) for p in paths]
        report = bulk_import.import_files(bulk, paths)
        assert [o.declaration_id for o in report.outcomes] == [e.declaration_id for e in expected]
        assert [_seen(o.violations) for o in report.outcomes] == [_seen(e.violations) for e in expected]
        rules = [{v.rule for v in o.violations} for o in report.outcomes]
        assert rules[0] == set() and rules[2] == set()
        assert "D9.5a" in rules[1] and "DUP" in rules[3] and "D25" in rules[4]
        for e in expected:  # the stored drafts are the same too
            assert (
                d.get_declaration(bulk, e.declaration_id).data
                == d.get_declaration(one_by_one, e.declaration_id).data
            )
        assert report.headline() == "共 6 个文件：已导入 6 个（其中 4 个为带标记的草稿），未导入 0 个。"
    finally:
        one_by_one.db.dispose()
        bulk.db.dispose()


def test_every_file_is_its_own_transaction_with_the_single_import_audit_action(
    ctx: AppContext, tmp_path: Path
) -> None:
    paths = [write(tmp_path, f"{n}.json", variant(n)) for n in range(3)]
    report = bulk_import.import_files(ctx, paths)
    assert report.exit_code == 0
    with ctx.db.session() as session:
        entries = list(
            session.execute(
                select(AuditEntry).where(col(AuditEntry.action) == "declarations.import_declaration")
            ).scalars()
        )
    assert len({e.txn for e in entries}) == 3  # one transaction a file
    assert {e.entity for e in entries} >= {"declaration", "organization", "center"}


# ---------------------------------------------------------------- refusals and exit codes


def test_refused_files_say_why_and_the_others_are_imported(ctx: AppContext, tmp_path: Path) -> None:
    good = write(tmp_path, "好.json", variant(1))
    not_json = write(tmp_path, "坏.json", "{坏")
    committees = write(tmp_path, "委员会.json", {"format": "lzcenter.committees/1"})
    old = variant(2)
    old["call_year"] = 1999
    too_old = write(tmp_path, "太早.json", old)
    missing = tmp_path / "不见了.json"
    report = bulk_import.import_files(ctx, [not_json, good, committees, too_old, missing])
    assert [o.path.name for o in report.imported] == ["好.json"]
    texts = [o.text() for o in report.refused]
    assert texts[0].startswith("坏.json：未导入。不是交换格式文件（(根)：不是有效的 JSON（第 1 行")
    assert texts[1].startswith("委员会.json：未导入。不是交换格式文件（format：")
    assert texts[2] == "太早.json：未导入。不是交换格式文件（call_year：应不小于 2000，实际为 1999）"
    assert texts[3].startswith("不见了.json：未导入。") and "不见了.json" in texts[3]
    assert len(d.list_declarations(ctx)) == 1
    assert report.exit_code == 1
    summary = report.summary()
    assert summary.splitlines()[0] == "共 5 个文件：已导入 1 个，未导入 4 个。"
    assert "已导入：\n  好.json：已导入为第 1 号草稿，未发现问题" in summary
    assert "未导入：\n  坏.json：未导入。" in summary


@pytest.mark.parametrize(("good", "bad", "code"), [(2, 0, 0), (1, 1, 1), (0, 2, 2)])
def test_exit_code_all_some_or_none_imported(
    ctx: AppContext, tmp_path: Path, good: int, bad: int, code: int
) -> None:
    paths = [write(tmp_path, f"g{n}.json", variant(n)) for n in range(good)]
    paths += [write(tmp_path, f"b{n}.json", "[]") for n in range(bad)]
    report = bulk_import.import_files(ctx, paths)
    assert (len(report.imported), len(report.refused), report.exit_code) == (good, bad, code)


def test_nothing_to_import_is_exit_2(ctx: AppContext) -> None:
    report = bulk_import.import_files(ctx, [])
    assert report.exit_code == 2 and report.headline() == "共 0 个文件：已导入 0 个，未导入 0 个。"


def test_a_file_refused_by_the_service_leaves_the_others(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = d.add_draft
    names: list[str] = []

    def refusing(session: Any, document: Any, *, reason: str) -> Any:
        names.append(document["host"]["name"])
        if len(names) == 2:
            raise ServiceError("申报书内容含有不能保存的值", field="申报书")
        return real(session, document, reason=reason)

    monkeypatch.setattr(d, "add_draft", refusing)
    paths = [write(tmp_path, f"{n}.json", variant(n)) for n in range(3)]
    report = bulk_import.import_files(ctx, paths)
    assert [o.path.name for o in report.imported] == ["0.json", "2.json"]
    assert report.refused[0].text() == "1.json：未导入。申报书内容含有不能保存的值"
    assert [r.host_name for r in d.list_declarations(ctx)] == [
        variant(2)["host"]["name"],
        variant(0)["host"]["name"],
    ]


# ---------------------------------------------------------------- stopping


def test_a_database_problem_stops_the_run_and_says_what_was_done(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = d.add_draft
    calls: list[int] = []

    def locked_on_the_second(session: Any, document: Any, *, reason: str) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseLocked("数据库正被另一个程序使用，请稍后再试。")
        return real(session, document, reason=reason)

    monkeypatch.setattr(d, "add_draft", locked_on_the_second)
    paths = [write(tmp_path, f"{n}.json", variant(n)) for n in range(4)]
    report = bulk_import.import_files(ctx, paths)
    assert isinstance(report.problem, DatabaseLocked)
    assert len(calls) == 2 and [o.path.name for o in report.outcomes] == ["0.json"]
    assert report.not_reached == 3 and report.exit_code == 1
    assert report.headline() == "共 4 个文件：已导入 1 个，未导入 0 个，已停止，另有 3 个未处理。"
    assert report.summary().endswith("导入中止：数据库正被占用：数据库正被另一个程序使用，请稍后再试。")
    assert len(d.list_declarations(ctx)) == 1


def test_stop_ends_the_run_before_the_next_file(ctx: AppContext, tmp_path: Path) -> None:
    paths = [write(tmp_path, f"{n}.json", variant(n)) for n in range(4)]
    seen: list[int] = []
    report = bulk_import.import_files(
        ctx, paths, progress=lambda done, _total, _o: seen.append(done), stop=lambda: len(seen) >= 2
    )
    assert report.cancelled and seen == [1, 2]
    assert report.not_reached == 2 and report.exit_code == 1
    assert report.headline().endswith("已取消，另有 2 个未处理。")
