"""Files made from, or read into, one stored declaration: the applicant's Excel workbook and the
printed application form (认定申请书).

Both start from the record, not from a screen: a workbook is read into a draft only while the
declaration is a draft (a submitted one is read-only, 第十条 — what was submitted is what is
reviewed), and the printed form is drawn from what is stored, so it never shows unsaved screen
contents or another workbook's values.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services import output, rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from lzcenter_desktop.documents.xlsx_declaration import ImportResult


def _require_draft(ctx: AppContext, declaration_id: int, what: str) -> decl.DeclarationView:
    view = decl.get_declaration(ctx, declaration_id)
    if view.status != "draft":
        label = decl.STATUS_LABELS.get(view.status, view.status)
        raise ServiceError(
            f"第 {declaration_id} 号申报书{label}，内容已锁定，不能{what}；如需更正，请先撤回（需填写原因）",
            field="申报书",
        )
    return view


def read_workbook_for_draft(ctx: AppContext, *, declaration_id: int, path: Path) -> ImportResult:
    """Read an applicant workbook for the draft ``declaration_id`` (nothing is written here: the
    caller shows the result and saves it with :func:`declarations.save_draft`, which checks again).

    Refused with a Chinese :class:`ServiceError` when the declaration is no longer a draft."""
    from lzcenter_desktop.documents.xlsx_declaration import read_workbook

    view = _require_draft(ctx, declaration_id, "从 Excel 导入")
    form = decl.load_declaration_form(view.call_year)
    settings = rulesets.settings_for_year(ctx, view.call_year)
    return read_workbook(Path(path), form, key_industries=settings.key_industries)


def write_application_form(ctx: AppContext, *, declaration_id: int, path: Path) -> Path:
    """Print the stored declaration ``declaration_id`` as the application form PDF at ``path``
    (complete or not at all, see :mod:`services.output`)."""
    from lzcenter_desktop.documents.declaration_form import render_declaration_form

    view = decl.get_declaration(ctx, declaration_id)
    form = decl.load_declaration_form(view.call_year)
    try:
        with output.writing(path) as tmp:
            render_declaration_form(tmp, form, view.data, declaration_id=declaration_id)
    except ValueError as exc:  # a character the bundled fonts lack, named with its field
        raise ServiceError(f"未能生成申请书 PDF：{exc}", field="申请书") from exc
    return Path(path)


def _xlsx(path: Path) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")


def write_blank_template(ctx: AppContext | None, *, call_year: int, path: Path) -> Path:
    """The applicants' Excel workbook of ``call_year``'s form, with that year's key-industry list
    (the defaults of the Measures when no database is open). The one function the 申报 page and
    the CLI ``template declaration`` call. Returns the path written (``.xlsx`` added if missing)."""
    from lzcenter_desktop.documents.xlsx_declaration import write_template
    from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS

    form = decl.load_declaration_form(call_year)
    settings = rulesets.settings_for_year(ctx, call_year) if ctx is not None else DEFAULT_SETTINGS
    target = _xlsx(path)
    with output.writing(target) as tmp:
        write_template(tmp, form, key_industries=settings.key_industries)
    return target


def write_declaration_workbook(ctx: AppContext, *, declaration_id: int, path: Path) -> Path:
    """The stored declaration as a filled applicant workbook (what is stored, not the screen)."""
    from lzcenter_desktop.documents.xlsx_declaration import write_template

    view = decl.get_declaration(ctx, declaration_id)
    form = decl.load_declaration_form(view.call_year)
    settings = rulesets.settings_for_year(ctx, view.call_year)
    target = _xlsx(path)
    with output.writing(target) as tmp:
        write_template(tmp, form, data=view.data, key_industries=settings.key_industries)
    return target
