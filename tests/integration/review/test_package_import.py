"""Import of return files: applied in one audited unit of work, or refused with Chinese reasons —
tampered, foreign, stale, duplicate, unknown, not assigned, recused, missing scores, deadline."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import assignments, package_files, package_import, scoring
from lzcenter_desktop.services.review.package_import import ReturnRefused
from tests.review_fixtures import REVIEW_ON, ReviewSetup, add_experts, open_review_db, review_setup
from tests.review_package_helpers import (
    FULL,
    assignment,
    assignments_of,
    at,
    audit_count,
    export,
    fill_return,
    forge_return,
    score_of,
    set_session,
    submissions,
)

DEADLINE = REVIEW_ON + dt.timedelta(days=5)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


@pytest.fixture
def setup(ctx: AppContext) -> ReviewSetup:
    return review_setup(ctx, score_deadline=DEADLINE)


@pytest.fixture
def expert(ctx: AppContext, setup: ReviewSetup) -> int:
    """An expert with assignments in the session."""
    return assignment(ctx, setup.assignment_ids[0]).expert_id


@pytest.fixture
def pkg(ctx: AppContext, setup: ReviewSetup, expert: int, tmp_path: Path) -> Path:
    return export(ctx, setup.session_id, tmp_path, expert_id=expert)


def good_return(pkg: Path, expert: int, tmp_path: Path, name: str = "回执.lzreview", **kw) -> Path:  # type: ignore[no-untyped-def]
    kw.setdefault("saved_at", at(REVIEW_ON))
    return fill_return(pkg, expert, tmp_path / name, **kw)


def test_return_is_imported_into_review_score(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    ret = good_return(pkg, expert, tmp_path)
    checked = package_import.check_return(ctx, path=ret, session_id=setup.session_id)
    assert [s.action for s in checked.sets] == ["applied"] * len(checked.sets)
    assert submissions(ctx, setup.session_id) == []  # checking writes nothing

    view = package_import.import_return(ctx, path=ret, session_id=setup.session_id)
    mine = assignments_of(ctx, setup.session_id, expert)
    assert len(view.sets) == len(mine) and not view.duplicate and not view.late
    assert "导入评分 3 份" in view.text() or f"导入评分 {len(mine)} 份" in view.text()
    for a in mine:
        assert a.id is not None
        score = score_of(ctx, a.id)
        assert score is not None
        assert (score.score_text, score.score, score.sheet_version) == ("84.75", 84.75, "2026.1")
        assert score.source == f"package:{view.file_sha256}"
        assert json.loads(score.points_json or "") == FULL
        assert score.scored_on == REVIEW_ON
        assert (a.score_version, a.status) == (1, "scored")
    subs = submissions(ctx, setup.session_id)
    assert [(s.status, s.version, s.score_text) for s in subs] == [("applied", 0, "84.75")] * len(mine)
    assert audit_count(ctx, "review.package_import.import_return") >= 2 * len(mine)


def test_same_file_again_changes_nothing_and_says_so(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    ret = good_return(pkg, expert, tmp_path)
    package_import.import_return(ctx, path=ret, session_id=setup.session_id)
    before = (submissions(ctx, setup.session_id), audit_count(ctx, "review.package_import.import_return"))
    again = package_import.import_return(ctx, path=ret, session_id=setup.session_id)
    assert again.duplicate
    assert "已于" in again.text() and "导入过，本次未作任何更改" in again.text()
    after = (submissions(ctx, setup.session_id), audit_count(ctx, "review.package_import.import_return"))
    assert [s.id for s in after[0]] == [s.id for s in before[0]] and after[1] == before[1]
    assert all(a.score_version == 1 for a in assignments_of(ctx, setup.session_id, expert))


def assert_refused(
    ctx: AppContext, setup: ReviewSetup, path: Path, *words: str, session_id: int | None = None
) -> ReturnRefused:
    sid = setup.session_id if session_id is None else session_id
    with pytest.raises(ReturnRefused) as err:
        package_import.import_return(ctx, path=path, session_id=sid)
    for w in words:
        assert w in str(err.value), str(err.value)
    assert submissions(ctx, setup.session_id) == []
    return err.value


def rewritten(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    manifest = json.loads(entries[fmt.MANIFEST])
    change(manifest)
    entries[fmt.MANIFEST] = fmt.canonical_json(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    out = path.with_name("改过的" + path.name)
    out.write_bytes(buffer.getvalue())
    return out


def test_tampered_return_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    ret = good_return(pkg, expert, tmp_path)
    forged = rewritten(ret, lambda m: m["sets"][0]["points"].update(rd_team="20"))
    assert_refused(ctx, setup, forged, "签名校验不通过")
    garbage = tmp_path / "坏的.lzreview"
    garbage.write_bytes(b"PK\x03\x04 broken")
    assert_refused(ctx, setup, garbage, "无法按 .lzreview 格式读取")


def test_a_package_is_not_a_return(ctx: AppContext, setup: ReviewSetup, pkg: Path) -> None:
    assert_refused(ctx, setup, pkg, "评审包，不是评分回执")


def test_return_of_another_session_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    from lzcenter_desktop.services.review import panels

    second = panels.create_session(
        ctx, call_id=setup.call_id, title="2026年度第二次评审会", held_on=REVIEW_ON
    )
    ret = good_return(pkg, expert, tmp_path)
    assert_refused(
        ctx, setup, ret, "2026年度第一次评审会", "不属于本评审会“2026年度第二次评审会”", session_id=second
    )


def test_return_from_another_database_is_refused(ctx: AppContext, setup: ReviewSetup, tmp_path: Path) -> None:
    other_dir = tmp_path / "其他电脑"
    other_dir.mkdir()
    other = open_review_db(other_dir)
    try:
        foreign_setup = review_setup(other, score_deadline=DEADLINE)
        foreign_expert = assignment(other, foreign_setup.assignment_ids[0]).expert_id
        foreign_pkg = export(other, foreign_setup.session_id, other_dir, expert_id=foreign_expert)
        ret = good_return(foreign_pkg, foreign_expert, other_dir)
    finally:
        other.db.dispose()
    # same ids, another session key: not genuine here
    assert_refused(ctx, setup, ret, "签名校验不通过")


def test_stale_return_is_an_edit_conflict(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    ret = good_return(pkg, expert, tmp_path)
    changed = assignments_of(ctx, setup.session_id, expert)[0]
    assert changed.id is not None
    scoring.enter_expert_scores(ctx, assignment_id=changed.id, points=FULL, scored_on=REVIEW_ON)  # version 1
    err = assert_refused(
        ctx, setup, ret, "导出评审包之后已被修改（版本 1）", "较早的版本 0", "请重新导出评审包"
    )
    assert not err.late_only
    assert assignment(ctx, changed.id).score_version == 1


def test_a_newer_package_after_the_desktop_edit_is_accepted(
    ctx: AppContext, setup: ReviewSetup, expert: int, tmp_path: Path
) -> None:
    changed = assignments_of(ctx, setup.session_id, expert)[0]
    assert changed.id is not None
    scoring.enter_expert_scores(ctx, assignment_id=changed.id, points=FULL, scored_on=REVIEW_ON)
    pkg = export(ctx, setup.session_id, tmp_path, expert_id=expert)
    ret = good_return(pkg, expert, tmp_path, default=dict(FULL, rd_team="10"))
    package_import.import_return(ctx, path=ret, session_id=setup.session_id)
    assert assignment(ctx, changed.id).score_version == 2
    score = score_of(ctx, changed.id)
    assert score is not None and score.score_text == "77.25"


def test_missing_scores_are_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    first = assignments_of(ctx, setup.session_id, expert)[0]
    partial = {k: v for k, v in FULL.items() if k not in ("cooperation", "management")}
    ret = good_return(pkg, expert, tmp_path, points={first.declaration_id: partial})
    assert_refused(ctx, setup, ret, "未评完（缺少：产学研合作、运行管理）", "专家专家")


def test_a_value_above_the_maximum_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    first = assignments_of(ctx, setup.session_id, expert)[0]
    ret = good_return(pkg, expert, tmp_path, points={first.declaration_id: dict(FULL, management="10.01")})
    assert_refused(ctx, setup, ret, "未评完")


@pytest.mark.parametrize(
    ("saved", "late"),
    [
        (at(DEADLINE - dt.timedelta(days=1)), False),
        (at(DEADLINE, 23, 59), False),
        (at(DEADLINE + dt.timedelta(days=1), 0, 1), True),
    ],
)
def test_deadline_boundary(
    ctx: AppContext,
    setup: ReviewSetup,
    expert: int,
    pkg: Path,
    tmp_path: Path,
    saved: dt.datetime,
    late: bool,
) -> None:
    ret = good_return(pkg, expert, tmp_path, saved_at=saved)
    if not late:
        assert not package_import.import_return(ctx, path=ret, session_id=setup.session_id).late
        return
    err = assert_refused(ctx, setup, ret, "晚于评分截止日期", DEADLINE.isoformat(), "逾期导入")
    assert err.late_only
    with pytest.raises(ReturnRefused):  # a blank reason is no reason
        package_import.import_return(ctx, path=ret, session_id=setup.session_id, override_reason="  ")
    view = package_import.import_return(
        ctx, path=ret, session_id=setup.session_id, override_reason="专家出差，经科长同意延后提交"
    )
    assert view.late and view.override_reason == "专家出差，经科长同意延后提交"
    assert "逾期导入，理由：专家出差" in view.text()
    notes = {s.note for s in submissions(ctx, setup.session_id)}
    expected = f"逾期导入（评分截止 {DEADLINE.isoformat()}，回执保存于 {saved.date().isoformat()}）"
    assert notes == {f"{expected}，理由：专家出差，经科长同意延后提交"}


def test_override_does_not_lift_other_refusals(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    first = assignments_of(ctx, setup.session_id, expert)[0]
    ret = good_return(
        pkg, expert, tmp_path, points={first.declaration_id: {}}, saved_at=at(DEADLINE + dt.timedelta(days=2))
    )
    with pytest.raises(ReturnRefused) as err:
        package_import.import_return(ctx, path=ret, session_id=setup.session_id, override_reason="同意")
    assert "未评完" in str(err.value) and not err.value.late_only
    assert submissions(ctx, setup.session_id) == []


def test_recused_expert_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    ret = good_return(pkg, expert, tmp_path)
    first = assignments_of(ctx, setup.session_id, expert)[0]
    assert first.id is not None
    assignments.recuse_assignment(ctx, assignment_id=first.id, reason="专家申明曾协助编写申报材料")
    assert_refused(ctx, setup, ret, "已回避（专家申明曾协助编写申报材料）")


def forged(ctx: AppContext, pkg: Path, expert: int, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    opened = package_files.read_package_file(pkg)
    entries = {a.assignment_id: (FULL, "") for a in opened.package.assignments_of(expert)}
    ret = fmt.make_return(opened, expert, entries, saved_at=at(REVIEW_ON))
    return forge_return(ctx, change(ret), tmp_path / "伪造.lzreview")


def test_unknown_expert_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    path = forged(ctx, pkg, expert, tmp_path, lambda r: replace(r, expert_id=9999, expert_name="查无此人"))
    assert_refused(ctx, setup, path, "专家“查无此人”（编号 9999）不在专家库中")


def test_unknown_declaration_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    def change(r: fmt.ReturnFile) -> fmt.ReturnFile:
        return replace(r, sets=(replace(r.sets[0], declaration_id=9999), *r.sets[1:]))

    assert_refused(
        ctx, setup, forged(ctx, pkg, expert, tmp_path, change), "申报书（编号 9999）在本系统中不存在"
    )


def test_expert_not_assigned_is_refused(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    (newcomer,) = add_experts(ctx, 1, first=60)

    def change(r: fmt.ReturnFile) -> fmt.ReturnFile:
        return replace(r, expert_id=newcomer)

    assert_refused(ctx, setup, forged(ctx, pkg, expert, tmp_path, change), "没有被分配评审")


def test_closed_session_imports_nothing(
    ctx: AppContext, setup: ReviewSetup, expert: int, pkg: Path, tmp_path: Path
) -> None:
    ret = good_return(pkg, expert, tmp_path)
    set_session(ctx, setup.session_id, status="closed")
    assert_refused(ctx, setup, ret, "已结束", "不能再导入评分回执")
