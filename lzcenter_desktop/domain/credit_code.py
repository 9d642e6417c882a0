"""统一社会信用代码 (GB 32100-2015): check character, division code, Liuzhou district.

The code has 18 characters: 登记管理部门码 (1), 机构类别码 (1), 登记管理机关行政区划码 (6),
主体标识码 (9, the former 组织机构代码) and one check character. Characters come from a
31-character alphabet (digits and upper-case letters without I, O, S, V, Z); the check
character is ``31 − (Σ value × weight mod 31)`` with the weights ``3^i mod 31``.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

LIUZHOU_PREFIX = "4502"
LIUZHOU_CITY_CODE = "450200"
LIUZHOU_DISTRICTS: dict[str, str] = {
    "450200": "柳州市（市本级）",
    "450202": "城中区",
    "450203": "鱼峰区",
    "450204": "柳南区",
    "450205": "柳北区",
    "450206": "柳江区",
    "450222": "柳城县",
    "450223": "鹿寨县",
    "450224": "融安县",
    "450225": "融水苗族自治县",
    "450226": "三江侗族自治县",
}


@dataclass(frozen=True, slots=True)
class CreditCodeResult:
    """Outcome of :func:`validate`.

    ``valid`` is about the shape and the check character only; ``in_liuzhou`` tells whether the
    registration authority's division code is 4502xx.  ``error`` is a Chinese message when
    ``valid`` is false.
    """

    code: str
    valid: bool
    error: str | None = None
    division_code: str | None = None
    district: str | None = None
    in_liuzhou: bool = False


def check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a code.

    Raises ``ValueError`` (Chinese message) when the input is not 17 characters of the alphabet.
    """
    if len(first17) != 17:
        raise ValueError(f"统一社会信用代码前17位应为17个字符，实际为{len(first17)}个")
    total = 0
    for pos, (ch, weight) in enumerate(zip(first17, WEIGHTS, strict=True), start=1):
        value = _VALUES.get(ch)
        if value is None:
            raise ValueError(f"统一社会信用代码第{pos}位“{ch}”不是允许的字符")
        total += value * weight
    return ALPHABET[(31 - total % 31) % 31]


def district_name(division_code: str) -> str | None:
    """Chinese name of a Liuzhou division code, ``None`` outside Liuzhou."""
    if not division_code.startswith(LIUZHOU_PREFIX):
        return None
    return LIUZHOU_DISTRICTS.get(division_code, "柳州市（未列明县区）")


def validate(code: str) -> CreditCodeResult:
    """Validate a 统一社会信用代码 (no normalisation: the code must be written exactly)."""
    if len(code) != 18:
        return CreditCodeResult(code, False, f"统一社会信用代码应为18位，实际为{len(code)}位")
    for pos, ch in enumerate(code, start=1):
        if ch not in _VALUES:
            hint = "（字母须大写）" if ch.upper() in _VALUES else "（不使用I、O、S、V、Z）"
            return CreditCodeResult(code, False, f"统一社会信用代码第{pos}位“{ch}”不是允许的字符{hint}")
    division = code[2:8]
    if not division.isdigit():
        return CreditCodeResult(
            code, False, f"统一社会信用代码第3—8位应为行政区划代码（6位数字），实际为“{division}”"
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return CreditCodeResult(
            code,
            False,
            f"统一社会信用代码校验位错误：第18位为“{code[17]}”，按GB 32100-2015应为“{expected}”",
            division_code=division,
        )
    district = district_name(division)
    return CreditCodeResult(
        code, True, None, division_code=division, district=district, in_liuzhou=district is not None
    )
