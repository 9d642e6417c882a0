"""The bureau's records win over what an applicant types (issue 9 items 12a and 13): a revoked
centre of the host is found in the database (D25) even when the declaration leaves the field blank,
and a submitted declaration is read-only in every service that could change or print it."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from records import REVOCATION_NO, REVOKED_ON, revoke_a_centre_of

from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declaration_files as files
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from tests import db_backend


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "records.sqlite"), operator="李科员")
    db_backend.attachments_ready(context, tmp_path / "共享附件")
    yield context
    context.db.dispose()


def draft(ctx: AppContext, example: dict[str, Any], **changes: Any) -> int:
    data = copy.deepcopy(example)
    data.update(changes)
    return d.create_draft(ctx, call_year=2026, data=data)


def d25(ctx: AppContext, did: int) -> list[Any]:
    return [v for v in d.check_declaration_draft(ctx, declaration_id=did).violations if v.rule == "D25"]


# ---------------------------------------------------------------- 12a: D25 from the records


@pytest.mark.parametrize(
    ("applied", "flagged"),
    [("2026-06-09", True), ("2026-06-10", False), ("2026-06-11", False)],
)
def test_d25_from_the_records_when_the_field_is_blank(
    ctx: AppContext, example: dict[str, Any], applied: str, flagged: bool
) -> None:
    revoke_a_centre_of(ctx, name=example["host"]["name"], code=example["host"]["credit_code"])
    did = draft(ctx, example, application_date=applied, previous_revocation_date=None)
    found = d25(ctx, did)
    assert bool(found) is flagged
    if flagged:
        assert found[0].severity.value == "error"
        assert f"据市科技局记录（{REVOCATION_NO}）" in found[0].message
        assert "2026年6月10日" in found[0].message or "2026-06-10" in found[0].message
        with pytest.raises(ServiceError, match="错误"):
            d.submit_declaration(ctx, declaration_id=did, acknowledgements={}, on=date.fromisoformat(applied))
    else:
        d.submit_declaration(ctx, declaration_id=did, acknowledgements={}, on=date.fromisoformat(applied))


@pytest.mark.parametrize(
    ("revoked", "flagged"), [(date(2026, 6, 9), True), (date(2026, 6, 10), True), (date(2026, 6, 11), False)]
)
def test_d25_a_revocation_after_the_application_date_does_not_bar_it(
    ctx: AppContext, example: dict[str, Any], revoked: date, flagged: bool
) -> None:
    """An old declaration (applied 2026-06-10) checked again after its host lost another centre."""
    revoke_a_centre_of(ctx, name=example["host"]["name"], code=example["host"]["credit_code"], on=revoked)
    did = draft(ctx, example, previous_revocation_date=None)
    assert bool(d25(ctx, did)) is flagged


def test_d25_records_win_over_an_earlier_date_typed_by_the_applicant(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    revoke_a_centre_of(ctx, name=example["host"]["name"], code=example["host"]["credit_code"])
    did = draft(ctx, example, application_date="2026-06-09", previous_revocation_date="2020-01-01")
    assert REVOCATION_NO in d25(ctx, did)[0].message


def test_d25_finds_the_host_registered_by_name_only(ctx: AppContext, example: dict[str, Any]) -> None:
    """The same unit registered earlier without its credit code (full-width/half-width and spaces aside)."""
    typed = example["host"]["name"].replace("股份", " 股份 ")
    revoke_a_centre_of(ctx, name=typed, code=None)
    did = draft(ctx, example, application_date="2026-06-09", previous_revocation_date=None)
    assert d25(ctx, did)


def test_d25_another_host_is_not_flagged(ctx: AppContext, example: dict[str, Any]) -> None:
    revoke_a_centre_of(ctx, name="柳州另一家机械有限公司", code=None)
    did = draft(ctx, example, application_date="2026-06-09", previous_revocation_date=None)
    assert d25(ctx, did) == []
    assert d.recorded_revocation(ctx, document=example) is None


def test_recorded_revocation_names_the_date_document_and_centre(
    ctx: AppContext, example: dict[str, Any]
) -> None:
    revoke_a_centre_of(ctx, name=example["host"]["name"], code=example["host"]["credit_code"])
    found = d.recorded_revocation(ctx, document=example)
    assert found is not None
    assert (found.revoked_on, found.document_no) == (REVOKED_ON, REVOCATION_NO)
    assert found.center_name.startswith("柳州旧工程技术研究中心")


# ---------------------------------------------------------------- 13: a submitted declaration is read-only


@pytest.fixture
def submitted(ctx: AppContext, example: dict[str, Any], tmp_path: Path) -> int:
    did = draft(ctx, example)
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"%PDF-1.4\n%test\n")
    att.add_attachment(ctx, declaration_id=did, source=scan, title="营业执照")
    d.submit_declaration(ctx, declaration_id=did, acknowledgements={}, on=date(2026, 6, 12))
    return did


def test_submitted_declaration_refuses_every_change(
    ctx: AppContext, submitted: int, example: dict[str, Any], tmp_path: Path
) -> None:
    before = d.get_declaration(ctx, submitted).data
    changed = copy.deepcopy(before)
    changed["center"]["research_direction"] = "改过的方向"
    with pytest.raises(ServiceError, match="不能再修改"):
        d.save_draft(ctx, declaration_id=submitted, data=changed)
    with pytest.raises(ServiceError, match="不能从 Excel 导入"):
        files.read_workbook_for_draft(ctx, declaration_id=submitted, path=tmp_path / "any.xlsx")
    scan = tmp_path / "另一个.pdf"
    scan.write_bytes(b"%PDF-1.4\n%other\n")
    with pytest.raises(ServiceError, match="不能再添加附件"):
        att.add_attachment(ctx, declaration_id=submitted, source=scan, title="另一个")
    (only,) = att.list_attachments(ctx, declaration_id=submitted)
    with pytest.raises(ServiceError, match="不能再移除"):
        att.retire_attachment(ctx, attachment_id=only.id)
    with pytest.raises(ServiceError):
        d.set_acknowledgement(
            ctx, declaration_id=submitted, rule="D9.5b", path="center.equipment", reason="x"
        )
    assert d.get_declaration(ctx, submitted).data == before
    assert [a.id for a in att.list_attachments(ctx, declaration_id=submitted)] == [only.id]


def test_a_draft_still_takes_an_attachment_removal(
    ctx: AppContext, example: dict[str, Any], tmp_path: Path
) -> None:
    did = draft(ctx, example)
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF-1.4\n%x\n")
    aid = att.add_attachment(ctx, declaration_id=did, source=scan, title="证书")
    att.retire_attachment(ctx, attachment_id=aid)
    assert att.list_attachments(ctx, declaration_id=did) == []


def test_printed_form_is_what_is_stored(ctx: AppContext, submitted: int, tmp_path: Path) -> None:
    out = files.write_application_form(ctx, declaration_id=submitted, path=tmp_path / "申请书.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    stored = d.get_declaration(ctx, submitted).data
    assert stored["center"]["research_direction"] in text.replace("\n", "")
    assert "改过的方向" not in text
