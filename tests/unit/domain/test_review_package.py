"""The ``.lzreview`` format: package and return file, SHA-256 manifest, HMAC, Chinese reasons."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.domain.review_points import check_entry, check_score_set
from lzcenter_desktop.domain.review_summary import summarize_declaration
from lzcenter_desktop.domain.scoresheet import ScoreSheet, parse_sheet

REPO = Path(__file__).resolve().parents[3]
KEY = "ab" * 32
OTHER_KEY = "cd" * 32
BEIJING = timezone(timedelta(hours=8))
CREATED = datetime(2026, 12, 1, 9, 30, tzinfo=BEIJING)


@pytest.fixture(scope="module")
def sheet() -> ScoreSheet:
    return parse_sheet((REPO / "forms" / "review-2026.toml").read_text(encoding="utf-8"))


def make_package(
    sheet: ScoreSheet, *, scope: str = fmt.SCOPE_SESSION, session_id: int = 7
) -> fmt.ReviewPackage:
    experts = (
        fmt.PackageExpert(1, "张明", "广西科技大学", fmt.return_key(KEY, session_id, 1)),
        fmt.PackageExpert(2, "李华", "柳州职业技术学院", fmt.return_key(KEY, session_id, 2)),
    )
    if scope == fmt.SCOPE_EXPERT:
        experts = experts[:1]
    declarations = (
        fmt.DeclarationSummary(
            10,
            "柳州汽车轻量化工程技术研究中心",
            "柳州鑫桥汽车零部件有限公司",
            ("汽车",),
            (("研发人员", "12 人"),),
        ),
        fmt.DeclarationSummary(11, "柳州智能装备工程技术研究中心", "柳州恒锐机械装备有限公司", ("机械",), ()),
    )
    own = fmt.ScoreSet(points={"rd_team": "18"}, total=None, comment="")
    assignments = [
        fmt.PackageAssignment(100, 1, 10, 0),
        fmt.PackageAssignment(101, 1, 11, 2, own),
    ]
    if scope == fmt.SCOPE_SESSION:
        assignments.append(fmt.PackageAssignment(102, 2, 10, 0))
    return fmt.ReviewPackage(
        session_id=session_id,
        session_title="2026年度工程技术研究中心认定评审（第1批）",
        held_on=date(2026, 12, 5),
        deadline=date(2026, 12, 10),
        created=CREATED,
        scope=scope,
        experts=experts,
        sheet=sheet,
        declarations=declarations,
        assignments=tuple(assignments),
    )


FULL = {
    "rd_conditions": "18",
    "rd_team": "17.5",
    "rd_achievements": "16",
    "cooperation": "12",
    "management": "8",
    "development_plan": "13.25",
}


def entries_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def edited_manifest(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    entries = entries_of(data)
    manifest = json.loads(entries[fmt.MANIFEST])
    change(manifest)
    entries[fmt.MANIFEST] = fmt.canonical_json(manifest)
    return rezip(entries)


# --- the package ---------------------------------------------------------------------------------


def test_package_round_trip_with_signature(sheet: ScoreSheet) -> None:
    package = make_package(sheet)
    data = fmt.package_bytes(package, key=KEY)
    opened = fmt.open_package(data, key=KEY, session_id=7)
    assert opened.package == package
    assert opened.file_sha256 == fmt.sha256_hex(data)
    assert set(entries_of(data)) == {fmt.MANIFEST, fmt.SIGNATURE, fmt.README}


def test_same_package_gives_the_same_bytes(sheet: ScoreSheet) -> None:
    package = make_package(sheet)
    assert fmt.package_bytes(package, key=KEY) == fmt.package_bytes(package, key=KEY)


def test_manifest_lists_sha256_of_every_other_entry_and_is_canonical(sheet: ScoreSheet) -> None:
    data = fmt.package_bytes(make_package(sheet), key=KEY)
    entries = entries_of(data)
    manifest = json.loads(entries[fmt.MANIFEST])
    assert manifest["format"] == "lzcenter.review-package/1"
    assert manifest["kind"] == "package"
    assert manifest["entries"] == {fmt.README: fmt.sha256_hex(entries[fmt.README])}
    assert entries[fmt.MANIFEST] == fmt.canonical_json(manifest)
    assert entries[fmt.SIGNATURE].decode() == fmt.sign(entries[fmt.MANIFEST], KEY)


def test_package_opens_without_key_on_the_laptop(sheet: ScoreSheet) -> None:
    data = fmt.package_bytes(make_package(sheet), key=KEY)
    assert fmt.open_package(data).package.session_id == 7


def test_tampered_manifest_is_refused_by_the_signature(sheet: ScoreSheet) -> None:
    data = fmt.package_bytes(make_package(sheet), key=KEY)

    def raise_max(m):  # type: ignore[no-untyped-def]
        m["score_sheet"]["indicators"][0]["max"] = "30"

    tampered = edited_manifest(data, raise_max)
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(tampered, key=KEY, session_id=7)
    assert err.value.code == "tampered"
    assert "签名校验不通过" in str(err.value)


def test_package_signed_with_another_key_is_tampered(sheet: ScoreSheet) -> None:
    data = fmt.package_bytes(make_package(sheet), key=OTHER_KEY)
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(data, key=KEY)
    assert err.value.code == "tampered"


def test_changed_entry_fails_its_sha256(sheet: ScoreSheet) -> None:
    entries = entries_of(fmt.package_bytes(make_package(sheet), key=KEY))
    entries[fmt.README] = "改过的说明".encode()
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(rezip(entries))
    assert err.value.code == "tampered"
    assert "说明.txt" in str(err.value) and "SHA-256" in str(err.value)


def test_added_and_removed_entries_are_tampering(sheet: ScoreSheet) -> None:
    entries = entries_of(fmt.package_bytes(make_package(sheet), key=KEY))
    added = dict(entries, **{"评分.xlsx": b"x"})
    with pytest.raises(fmt.PackageError, match="不在清单中") as err:
        fmt.open_package(rezip(added))
    assert err.value.code == "tampered"
    removed = {k: v for k, v in entries.items() if k != fmt.README}
    with pytest.raises(fmt.PackageError, match="缺失") as err:
        fmt.open_package(rezip(removed))
    assert err.value.code == "tampered"


def test_missing_signature_is_tampered(sheet: ScoreSheet) -> None:
    entries = entries_of(fmt.package_bytes(make_package(sheet), key=KEY))
    del entries[fmt.SIGNATURE]
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(rezip(entries), key=KEY)
    assert err.value.code == "tampered"


def test_package_of_another_session_is_refused(sheet: ScoreSheet) -> None:
    data = fmt.package_bytes(make_package(sheet, session_id=8), key=KEY)
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(data, key=KEY, session_id=7)
    assert err.value.code == "session"
    assert "另一场评审会" in str(err.value) and "编号 8" in str(err.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"not a zip at all", "无法按 .lzreview 格式读取"),
        (rezip({"readme.txt": b"hello"}), "缺少清单"),
        (rezip({fmt.MANIFEST: b"{not json"}), "无法读取"),
        (rezip({fmt.MANIFEST: b"[1, 2]"}), "格式不对"),
        (rezip({fmt.MANIFEST: fmt.canonical_json({"format": "lzcenter.declaration/1"})}), "格式标记"),
        (rezip({fmt.MANIFEST: fmt.canonical_json({"format": "lzcenter.review-package/2"})}), "请升级"),
    ],
)
def test_wrong_format_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(data)
    assert err.value.code == "format"
    assert words in str(err.value)


def test_a_return_file_is_not_a_package_and_the_reverse(sheet: ScoreSheet) -> None:
    package_data = fmt.package_bytes(make_package(sheet), key=KEY)
    opened = fmt.open_package(package_data)
    ret = fmt.make_return(opened, 1, {}, saved_at=CREATED)
    return_data = fmt.return_bytes(ret, key=opened.package.expert(1).return_key)
    with pytest.raises(fmt.PackageError, match="评分回执，不是评审包") as err:
        fmt.open_package(return_data)
    assert err.value.code == "kind"
    with pytest.raises(fmt.PackageError, match="评审包，不是评分回执") as err:
        fmt.open_return(package_data)
    assert err.value.code == "kind"


def test_manifest_with_a_broken_field_is_a_format_error(sheet: ScoreSheet) -> None:
    data = fmt.package_bytes(make_package(sheet), key=KEY)
    broken = edited_manifest(data, lambda m: m["assignments"][0].update(score_version="zero"))
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_package(broken)
    assert err.value.code == "format"
    assert "评分版本" in str(err.value)


# --- the return file -----------------------------------------------------------------------------


def test_return_round_trip_checked_with_the_session_key(sheet: ScoreSheet) -> None:
    opened = fmt.open_package(fmt.package_bytes(make_package(sheet), key=KEY))
    ret = fmt.make_return(opened, 1, {100: (FULL, " 很好 "), 101: ({"rd_team": "19"}, "")}, saved_at=CREATED)
    data = fmt.return_bytes(ret, key=opened.package.expert(1).return_key)
    back = fmt.open_return(data, session_id=7, package_key=KEY)
    assert back.ret == ret
    first, second = back.ret.sets
    assert (first.complete, first.total, first.comment, first.base_version) == (True, "84.75", "很好", 0)
    assert (second.complete, second.total, second.base_version) == (False, None, 2)
    assert back.ret.package_sha256 == opened.manifest_sha256


def test_return_has_a_set_for_each_assignment_of_the_expert_only(sheet: ScoreSheet) -> None:
    opened = fmt.open_package(fmt.package_bytes(make_package(sheet), key=KEY))
    ret = fmt.make_return(opened, 2, {100: (FULL, "")}, saved_at=CREATED)
    assert [s.assignment_id for s in ret.sets] == [102]
    assert ret.sets[0].points == {}


def test_return_of_another_expert_key_is_tampered(sheet: ScoreSheet) -> None:
    opened = fmt.open_package(fmt.package_bytes(make_package(sheet), key=KEY))
    ret = fmt.make_return(opened, 1, {100: (FULL, "")}, saved_at=CREATED)
    forged = fmt.return_bytes(ret, key=opened.package.expert(2).return_key)
    with pytest.raises(fmt.PackageError) as err:
        fmt.open_return(forged, session_id=7, package_key=KEY)
    assert err.value.code == "tampered"


def test_return_with_edited_points_is_tampered(sheet: ScoreSheet) -> None:
    opened = fmt.open_package(fmt.package_bytes(make_package(sheet), key=KEY))
    ret = fmt.make_return(opened, 1, {100: (FULL, "")}, saved_at=CREATED)
    data = fmt.return_bytes(ret, key=opened.package.expert(1).return_key)
    edited = edited_manifest(data, lambda m: m["sets"][0]["points"].update(rd_team="20"))
    fmt.open_return(edited)  # readable …
    with pytest.raises(fmt.PackageError) as err:  # … but not genuine
        fmt.open_return(edited, package_key=KEY)
    assert err.value.code == "tampered"


def test_return_key_depends_on_session_and_expert() -> None:
    keys = {fmt.return_key(KEY, s, e) for s in (1, 2) for e in (1, 2)}
    assert len(keys) == 4
    assert fmt.return_key(KEY, 1, 1) != fmt.return_key(OTHER_KEY, 1, 1)
    with pytest.raises(ValueError, match="密钥无效"):
        fmt.return_key("abc", 1, 1)


def test_saved_on_is_the_local_day_of_the_laptop() -> None:
    late_evening = datetime(2026, 12, 10, 23, 59, tzinfo=BEIJING)
    ret = fmt.ReturnFile(7, "t", 1, "张明", "x", "2026.1", date(2026, 12, 10), late_evening)
    assert ret.saved_on == date(2026, 12, 10)


def test_return_file_name() -> None:
    assert fmt.return_file_name("第1批评审", "张明") == "第1批评审-张明-回执.lzreview"
    assert fmt.return_file_name("第1批评审-张明", "张明") == "第1批评审-张明-回执.lzreview"
    assert fmt.return_file_name("a/b:c", "张明") == "a_b_c-张明-回执.lzreview"


# --- points as typed -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value", "problem"),
    [
        ("", None, None),
        ("19.99", Decimal("19.99"), None),
        ("20", Decimal("20"), None),
        ("20.00", Decimal("20"), None),
        ("20.01", Decimal("20.01"), "超过该项满分 20 分"),
        ("0", Decimal("0"), None),
        ("-0.01", Decimal("-0.01"), "不能为负数"),
        ("17.25", Decimal("17.25"), None),
        ("17.255", None, "最多保留2位小数"),
        ("１８．５", Decimal("18.5"), None),
        ("十八", None, "不是数字"),
    ],
)
def test_check_entry_bounds(
    sheet: ScoreSheet, typed: str, value: Decimal | None, problem: str | None
) -> None:
    indicator = sheet.indicator("rd_team")  # max 20
    got_value, got_problem = check_entry(indicator, typed)
    if value is not None:
        assert got_value == value
    if problem is None:
        assert got_problem is None
    else:
        assert got_problem is not None and problem in got_problem and "研发队伍" in got_problem


def test_check_score_set_running_sum_missing_and_total(sheet: ScoreSheet) -> None:
    partial = check_score_set(sheet, {"rd_team": "17.5", "cooperation": "12", "management": "11"})
    assert partial.running_sum == Decimal("29.5")
    assert set(partial.problems) == {"management"}
    assert "rd_conditions" in partial.missing and not partial.complete
    full = check_score_set(sheet, FULL)
    assert full.total == Decimal("84.75") and full.complete and not full.missing


# --- declaration summary -------------------------------------------------------------------------


def test_summary_has_key_figures_and_no_personal_numbers() -> None:
    document = {
        "application_date": "2026-03-01",
        "center": {
            "name_zh": "柳州汽车轻量化工程技术研究中心",
            "research_direction": "车身轻量化",
            "industry_fields": ["汽车"],
            "floor_area_m2": 320,
            "equipment": [
                {"name": "三坐标测量机", "value_yuan": 1500000},
                {"name": "疲劳试验机", "value_yuan": 600000},
            ],
        },
        "host": {
            "name": "柳州鑫桥汽车零部件有限公司",
            "kind": "enterprise",
            "credit_code": "91450200MA5KXXXX1X",
        },
        "co_builders": [{"name": "广西科技大学"}],
        "staff": [
            {
                "name": "王强",
                "birth_date": "1980-01-02",
                "degree": "博士",
                "title": "正高级",
                "tech_leader": True,
                "id_number": "450203198001021234",
            },
            {"name": "赵敏", "birth_date": "1990-05-06", "degree": "本科", "title": "中级"},
            {"name": "赵敏", "birth_date": "1990-05-06", "degree": "本科", "title": "中级"},
            {"name": "陈刚", "birth_date": "1995-07-08", "degree": "大专", "title": "无"},
        ],
        "finances": [{"year": 2025, "rd_expense_yuan": 3000000, "sales_revenue_yuan": 100000000}],
        "projects": [{"level": "national"}, {"level": "city"}, {"level": "city"}],
        "achievements": [{"kind": "invention_patent"}],
    }
    summary = summarize_declaration(10, document, recommended_by="柳北区科技局")
    figures = dict(summary.figures)
    assert summary.name == "柳州汽车轻量化工程技术研究中心"
    assert figures["依托单位"] == "柳州鑫桥汽车零部件有限公司（企业）"
    assert figures["研发人员"].startswith(
        "3 人，其中本科及以上 2 人（博士 1 人），中级及以上职称 2 人，技术带头人 1 人"
    )
    assert figures["仪器设备"] == "2 台（套），原值合计 210万元"
    assert figures["承担科技项目"] == "国家级 1 项、市级 2 项"
    assert figures["2025年研发投入"] == "研发费用 300万元，销售收入 10000万元，占比 3%"
    assert figures["推荐单位"] == "柳北区科技局"
    text = json.dumps([summary.name, summary.host, summary.figures], ensure_ascii=False)
    assert not re.search(r"\d{17}[\dXx]", text)
    assert "王强" not in text and "1980-01-02" not in text


def test_summary_of_an_empty_document_does_not_fail() -> None:
    summary = summarize_declaration(3, {})
    assert summary.name == "申报书 3"
    assert dict(summary.figures)["研发人员"].startswith("0 人")
