"""第三章 申报与认定 — the declaration's own form: rules D10.2 (who signs), D25 (applying again
after a revocation) and D26 (the centre's names).

Split from :mod:`eligibility` (第九条's conditions); :func:`eligibility.check_declaration` runs
these too, so callers keep one entry point.
"""

from __future__ import annotations

import re
from datetime import date

from . import text
from .catalog import violation
from .dates import reapply_allowed_from
from .model import SIGNATURE_ROLE_LABELS, Declaration, OrgKind, SignatureRole
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Severity, Violation

_NAME_ZH = re.compile(r"^柳州(?P<field>.+)工程技术研究中心（(?P<unit>[^（）]+)）$")
# one pair of ASCII brackets and no other bracket: a typing slip for （）
_ASCII_PAIR = re.compile(r"^[^()（）]*\([^()（）]*\)[^()（）]*$")
_NAME_EN = re.compile(
    r"^Liuzhou (?P<field>\S.*\S|\S) Research Center of Engineering Technology"
    r" ?[（(](?P<unit>[^()（）]+)[)）]$"
)


# ------------------------------------------------------------------ 第十条（二）


def check_signature(decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    """D10.2: an enterprise declaration is reviewed and signed by the CTO on file.

    "向柳州市科技局完成备案的企业首席技术官审核签字": the CTO's filing must be done when signing, so
    a filing date after the signature date is an error (a missing filing date is D9.7a's)."""
    if decl.host.kind is not OrgKind.ENTERPRISE:
        return []
    sig = decl.signature
    cto = decl.host.cto
    if cto is None or not (cto.name or "").strip():
        return [
            violation(
                "D10.2",
                "signature",
                f"申请书由{sig.name}签字，但依托单位没有已备案的首席技术官",
                sig.name,
                "已备案的首席技术官签字",
            )
        ]
    out: list[Violation] = []
    if sig.role is not SignatureRole.CTO:
        out.append(
            violation(
                "D10.2",
                "signature.role",
                f"企业申请书应由首席技术官审核签字，签字人身份为“{SIGNATURE_ROLE_LABELS[sig.role]}”",
                SIGNATURE_ROLE_LABELS[sig.role],
                SIGNATURE_ROLE_LABELS[SignatureRole.CTO],
            )
        )
    if sig.name.strip() != cto.name.strip():
        out.append(
            violation(
                "D10.2",
                "signature.name",
                f"签字人“{sig.name}”不是备案的首席技术官“{cto.name}”",
                sig.name,
                cto.name,
            )
        )
    if cto.filing_date is not None and cto.filing_date > sig.date:
        out.append(
            violation(
                "D10.2",
                "signature.date",
                f"首席技术官{cto.name}于 {text.day(cto.filing_date)} 在市科技局备案，晚于申请书签字日期 "
                f"{text.day(sig.date)}；签字时首席技术官应已完成备案，请核对签字日期或备案日期",
                f"备案日期 {text.day(cto.filing_date)}",
                f"备案日期 ≤ 签字日期 {text.day(sig.date)}",
            )
        )
    return out


# ------------------------------------------------------------------ 第二十五条


def check_reapplication(
    decl: Declaration,
    settings: RuleSettings = DEFAULT_SETTINGS,
    *,
    ref: date | None = None,
    previous_revocation: date | None = None,
    revocation_document: str | None = None,
) -> list[Violation]:
    """D25: after a revocation the host may apply again only two years later.

    ``previous_revocation`` is the date the bureau's own records know (it wins over a blank or an
    earlier date typed by the applicant); ``revocation_document`` its 文号, named in the message.
    """
    ref = ref or decl.application_date
    if previous_revocation is not None and previous_revocation > ref:
        previous_revocation = None  # revoked after this declaration was made: not a bar to it
    dates = [d for d in (decl.previous_revocation_date, previous_revocation) if d is not None]
    if not dates:
        return []
    revoked = max(dates)
    allowed = reapply_allowed_from(revoked, settings.reapply_wait_years)
    if ref >= allowed:
        return []
    source = ""
    if previous_revocation is not None and previous_revocation == revoked:
        source = "据市科技局记录，"
        if revocation_document:
            source = f"据市科技局记录（{revocation_document}），"
    return [
        violation(
            "D25",
            "previous_revocation_date",
            f"{source}依托单位的工程技术中心资格于 {text.day(revoked)} 被撤销，"
            f"{settings.reapply_wait_years}年后（{text.day(allowed)}起）方可重新申请",
            f"申报日 {text.day(ref)}",
            f"≥ {text.day(allowed)}",
        )
    ]


# ------------------------------------------------------------------ 第二十六条


def fullwidth_brackets(name_zh: str) -> str:
    """The Chinese centre name with one pair of ASCII brackets ``()`` typed as ``（）`` (D26).

    Only a single pair with no other bracket is a typing slip; mixed (``(…）``) or nested brackets
    are returned unchanged (they stay D26 errors).  Services store drafts and imports with it."""
    if _ASCII_PAIR.match(name_zh):
        return name_zh.replace("(", "（").replace(")", "）")
    return name_zh


def check_names(decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    """D26: 柳州××工程技术研究中心（依托单位或共建单位名称） and the English pattern.

    ASCII brackets around the unit are a typing slip: a warning (the name is stored with
    full-width ones, see :func:`fullwidth_brackets`), and the corrected name is checked."""
    out: list[Violation] = []
    units = [decl.host.name.strip(), *(o.name.strip() for o in decl.co_builders)]
    typed = decl.center.name_zh.strip()
    name = fullwidth_brackets(typed)
    if name != typed:
        out.append(
            violation(
                "D26",
                "center.name_zh",
                f"中心名称中的括号是半角括号“()”，已按全角括号保存：“{name}”",
                typed,
                name,
                Severity.WARNING,
            )
        )
    m = _NAME_ZH.match(name)
    required_zh = "柳州××工程技术研究中心（依托单位或共建单位名称）"
    if m is None or m.group("field") in ("", "市"):
        out.append(
            violation(
                "D26",
                "center.name_zh",
                f"中心名称应为“{required_zh}”的形式",
                name or "（空）",
                required_zh,
                Severity.ERROR,
            )
        )
    elif m.group("unit").strip() not in units:
        out.append(
            violation(
                "D26",
                "center.name_zh",
                f"名称括号内的“{m.group('unit')}”不是依托单位或共建单位的名称",
                m.group("unit"),
                "、".join(u for u in units if u),
                Severity.ERROR,
            )
        )
    en = decl.center.name_en.strip()
    required_en = "Liuzhou … Research Center of Engineering Technology (依托单位或共建单位英文名称)"
    if _NAME_EN.match(en) is None:
        out.append(
            violation(
                "D26",
                "center.name_en",
                f"英文名称应为“{required_en}”的形式",
                en or "（空）",
                required_en,
                Severity.ERROR,
            )
        )
    return out
