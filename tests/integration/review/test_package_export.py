"""Export of the offline review package: per session or per expert, blind, signed, refused when
the session is closed; the session key made (and audited) on the first export."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import assignments, package, scoring
from tests.review_fixtures import REVIEW_ON, ReviewSetup, add_experts, open_review_db, review_setup
from tests.review_package_helpers import (
    FULL,
    OTHER,
    assignments_of,
    audit_count,
    export,
    session_key,
    set_session,
)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


@pytest.fixture
def setup(ctx: AppContext) -> ReviewSetup:
    return review_setup(ctx, score_deadline=REVIEW_ON)


def manifest_of(path: Path) -> dict:  # type: ignore[type-arg]
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read(fmt.MANIFEST))  # type: ignore[no-any-return]


def test_session_package_holds_every_expert_and_assignment(
    ctx: AppContext, setup: ReviewSetup, tmp_path: Path
) -> None:
    view = package.export_package(ctx, session_id=setup.session_id, path=tmp_path / "全场.lzreview")
    assert view.scope == "session" and view.declarations == 3 and view.assignments == 9
    assert view.deadline == REVIEW_ON
    assert "已导出评审包“全场.lzreview”" in view.text()
    assert manifest_of(view.path)["expert"] is None
    opened = fmt.open_package(
        view.path.read_bytes(), key=session_key(ctx, setup.session_id), session_id=setup.session_id
    )
    p = opened.package
    assert {e.expert_id for e in p.experts} == {a.expert_id for a in p.assignments}
    assert {d.declaration_id for d in p.declarations} == set(setup.declaration_ids)
    assert p.sheet.version == "2026.1"
    assert all(dict(d.figures)["研发人员"].endswith("人") for d in p.declarations)
    key = session_key(ctx, setup.session_id)
    for e in p.experts:
        assert e.return_key == fmt.return_key(key, setup.session_id, e.expert_id)
    assert key not in view.path.read_bytes().decode("latin-1")  # the session key never leaves


def test_expert_package_is_blind(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> None:
    p = package.list_package_experts(ctx, session_id=setup.session_id)
    first = p[0].expert_id
    mine = assignments_of(ctx, setup.session_id, first)
    shared_declaration = mine[0].declaration_id
    other = next(
        a
        for e in p[1:]
        for a in assignments_of(ctx, setup.session_id, e.expert_id)
        if a.declaration_id == shared_declaration
    )
    assert mine[0].id is not None and other.id is not None
    scoring.enter_expert_scores(
        ctx, assignment_id=mine[0].id, points=FULL, scored_on=REVIEW_ON, comment="自己的意见"
    )
    scoring.enter_expert_scores(
        ctx, assignment_id=other.id, points=OTHER, scored_on=REVIEW_ON, comment="别人的意见"
    )

    path = export(ctx, setup.session_id, tmp_path, expert_id=first)
    manifest = manifest_of(path)
    assert manifest["scope"] == "expert"
    assert manifest["expert"]["id"] == first and manifest["expert"]["name"] == p[0].name
    assert [e["id"] for e in manifest["experts"]] == [first]
    assert {a["expert_id"] for a in manifest["assignments"]} == {first}
    assert {a["declaration_id"] for a in manifest["assignments"]} == {a.declaration_id for a in mine}
    own = next(a for a in manifest["assignments"] if a["id"] == mine[0].id)
    assert own["scores"] == {
        "points": {k: v for k, v in FULL.items()},
        "total": "84.75",
        "comment": "自己的意见",
    }
    assert own["score_version"] == 1
    text = json.dumps(manifest, ensure_ascii=False)
    assert "别人的意见" not in text and "82.25" not in text


def test_session_package_gives_each_expert_only_their_own_scores(
    ctx: AppContext, setup: ReviewSetup, tmp_path: Path
) -> None:
    a = assignments_of(
        ctx, setup.session_id, package.list_package_experts(ctx, session_id=setup.session_id)[0].expert_id
    )[0]
    assert a.id is not None
    scoring.enter_expert_scores(ctx, assignment_id=a.id, points=FULL, scored_on=REVIEW_ON)
    manifest = manifest_of(export(ctx, setup.session_id, tmp_path))
    scored = [x for x in manifest["assignments"] if x["scores"] is not None]
    assert [(x["id"], x["expert_id"]) for x in scored] == [(a.id, a.expert_id)]


def test_recused_assignment_is_left_out(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> None:
    victim = setup.assignment_ids[0]
    assignments.recuse_assignment(ctx, assignment_id=victim, reason="专家申明曾为该单位提供咨询")
    manifest = manifest_of(export(ctx, setup.session_id, tmp_path))
    assert victim not in {a["id"] for a in manifest["assignments"]}
    assert len(manifest["assignments"]) == 8


def test_one_package_per_expert(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> None:
    folder = tmp_path / "packages"
    folder.mkdir()
    views = package.export_expert_packages(ctx, session_id=setup.session_id, folder=folder)
    experts = package.list_package_experts(ctx, session_id=setup.session_id)
    assert len(views) == len(experts)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        package.package_file_name("2026年度第一次评审会", e.name) for e in experts
    )
    assert all(v.scope == "expert" and len(v.expert_ids) == 1 for v in views)


def test_key_is_made_on_first_export_and_audited(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> None:
    set_session(ctx, setup.session_id, package_key=None)
    before = audit_count(ctx, "review.package.create_key")
    first = package.export_package(ctx, session_id=setup.session_id, path=tmp_path / "a.lzreview")
    second = package.export_package(ctx, session_id=setup.session_id, path=tmp_path / "b.lzreview")
    assert (first.key_created, second.key_created) == (True, False)
    assert audit_count(ctx, "review.package.create_key") == before + 1
    key = session_key(ctx, setup.session_id)
    assert len(key) == 64
    fmt.open_package(first.path.read_bytes(), key=key)
    fmt.open_package(second.path.read_bytes(), key=key)


@pytest.mark.parametrize("status", ["closed", "finished"])
def test_closed_session_exports_nothing_and_makes_no_key(
    ctx: AppContext, setup: ReviewSetup, tmp_path: Path, status: str
) -> None:
    set_session(ctx, setup.session_id, status=status, package_key=None)
    with pytest.raises(ServiceError, match="已结束") as err:
        package.export_package(ctx, session_id=setup.session_id, path=tmp_path / "x.lzreview")
    assert "导出评审包" in str(err.value)
    assert not (tmp_path / "x.lzreview").exists()
    assert audit_count(ctx, "review.package.create_key") == 0


@pytest.mark.parametrize("status", ["planned", "open"])
def test_planned_and_open_sessions_export(
    ctx: AppContext, setup: ReviewSetup, tmp_path: Path, status: str
) -> None:
    set_session(ctx, setup.session_id, status=status)
    assert package.export_package(
        ctx, session_id=setup.session_id, path=tmp_path / "x.lzreview"
    ).path.exists()


def test_refusals_name_what_is_wrong(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match=r"应以 \.lzreview 结尾"):
        package.export_package(ctx, session_id=setup.session_id, path=tmp_path / "x.zip")
    with pytest.raises(NotFound, match="评审会"):
        package.export_package(ctx, session_id=999, path=tmp_path / "x.lzreview")
    (idle,) = add_experts(ctx, 1, first=40)
    with pytest.raises(ServiceError, match="没有需要评分的申报书"):
        package.export_package(ctx, session_id=setup.session_id, expert_id=idle, path=tmp_path / "x.lzreview")
    with pytest.raises(NotFound, match="专家"):
        package.export_package(ctx, session_id=setup.session_id, expert_id=999, path=tmp_path / "x.lzreview")
    with pytest.raises(ServiceError, match="文件夹"):
        package.export_package(ctx, session_id=setup.session_id, path=tmp_path / "missing" / "x.lzreview")


def test_session_without_assignments_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    bare = review_setup(ctx, assign=False)
    with pytest.raises(ServiceError, match="还没有分配评审专家"):
        package.export_package(ctx, session_id=bare.session_id, path=tmp_path / "x.lzreview")
