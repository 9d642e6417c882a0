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
from lzcenter_desktop.services import rulesets
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
    """Print the stored declaration ``declaration_id`` as the application form PDF at ``path``."""
    from lzcenter_desktop.documents.declaration_form import render_declaration_form

    view = decl.get_declaration(ctx, declaration_id)
    form = decl.load_declaration_form(view.call_year)
    target = Path(path)
    try:
        render_declaration_form(target, form, view.data, declaration_id=declaration_id)
    except OSError as exc:
        raise ServiceError(f"无法写入“{target}”：{exc.strerror or exc}", field="文件") from exc
    except ValueError as exc:  # a character the bundled fonts lack, named with its field
        raise ServiceError(f"未能生成申请书 PDF：{exc}", field="申请书") from exc
    return target
