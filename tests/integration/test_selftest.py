"""``lzcenter-desktop selftest`` (issue 16 item 1): one document of every kind the program makes —
the kinds listed from the registries in code, so a new kind without a self-test step fails — and a
failed check named in the summary with a non-zero exit status.  The whole self-test runs in
``tests/integration/test_cli.py::test_selftest_runs_every_layer``."""

from __future__ import annotations

from pathlib import Path

import pytest

from lzcenter_desktop.cli import selftest
from lzcenter_desktop.services import documents_evaluation_base, documents_lists, documents_review_base
from lzcenter_desktop.services.selftest_support import document_kinds


def step_kinds(tmp_path: Path) -> list[str]:
    return [kind for _title, kinds, _action in selftest.document_steps(None, tmp_path) for kind in kinds]


def test_every_document_kind_of_the_registries_has_a_step(tmp_path: Path) -> None:
    kinds = step_kinds(tmp_path)
    assert sorted(kinds) == sorted(k.key for k in document_kinds())  # each once, none unknown
    assert selftest.uncovered_kinds(selftest.document_steps(None, tmp_path)) == []


def test_the_registries_are_all_listed() -> None:
    keys = {k.key for k in document_kinds()}
    assert {f"list:{k}" for k in documents_lists.LIST_KINDS} <= keys
    assert {f"review:{k}" for k in documents_review_base.KINDS} <= keys
    assert {f"evaluation:{k}" for k in documents_evaluation_base.KINDS} <= keys
    assert {"issue:plaque", "issue:certificate", "declaration:application_form",
            "declaration:blank_template", "annual:report_template"} <= keys  # fmt: skip
    assert len(keys) == len(document_kinds())  # no kind twice


def test_the_documents_page_kinds_are_covered() -> None:
    from lzcenter_desktop.ui.documents.page import KIND_LABELS, KIND_LIST

    groups = {k.group for k in document_kinds()}
    kinds = {k.kind for k in document_kinds() if k.group == "issue"}
    assert set(KIND_LABELS) - {KIND_LIST} <= kinds and "list" in groups


@pytest.mark.parametrize(
    ("registry", "group"),
    [(documents_review_base.KINDS, "review"), (documents_evaluation_base.KINDS, "evaluation")],
)
def test_a_new_kind_without_a_step_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, registry: dict[str, str], group: str
) -> None:
    monkeypatch.setitem(registry, "new_letter", "新的通知")
    steps = selftest.document_steps(None, tmp_path)
    assert selftest.uncovered_kinds(steps) == ["新的通知"]
    assert f"{group}:new_letter" in {k.key for k in document_kinds()}


def test_a_new_list_kind_gets_its_own_step(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(documents_lists.LIST_KINDS, "new_list", "新名单")
    steps = selftest.document_steps(None, tmp_path)
    assert selftest.uncovered_kinds(steps) == []
    assert [title for title, kinds, _a in steps if kinds == ("list:new_list",)] == [
        "生成名单与通知“新名单” PDF"
    ]


def test_a_failed_check_is_named_and_the_exit_status_is_not_zero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lzcenter_desktop.services import context, selftest_support

    def cannot_open(*_a: object, **_k: object) -> None:
        raise OSError("磁盘已满")

    def cannot_migrate(_folder: Path) -> None:
        raise ValueError("数据库从第 0001 版升级后为第 0005 版，应为第 0011 版")

    monkeypatch.setattr(context, "open_app", cannot_open)
    monkeypatch.setattr(selftest_support, "migrate_from_oldest", cannot_migrate)
    assert selftest.cmd_selftest(None) == 1  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "✗ 创建并迁移临时数据库：磁盘已满" in out
    assert "✗ 从最早的数据库结构升级到最新结构：数据库从第 0001 版升级后为第 0005 版" in out
    assert "✓ 生成一页 PDF（内嵌中文字体）" in out
    last = out.strip().splitlines()[-1]
    assert last.startswith("自检失败：2 项未通过（创建并迁移临时数据库；从最早的数据库结构升级到最新结构）")


@pytest.mark.sqlite_only  # the self-test's own SQLite file at the oldest revision and its file backup
def test_migration_from_the_oldest_revision(tmp_path: Path) -> None:
    from lzcenter_desktop.services.selftest_support import migrate_from_oldest
    from lzcenter_desktop.storage import schema

    checked = migrate_from_oldest(tmp_path / "旧 数据")
    assert (checked.from_revision, checked.to_revision) == (schema.KNOWN_REVISIONS[0], schema.HEAD_REVISION)
    assert checked.tables > 20
    assert list((tmp_path / "旧 数据" / "backups").glob("*0001*.sqlite"))  # backed up before migrating
