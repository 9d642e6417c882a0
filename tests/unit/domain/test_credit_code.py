"""统一社会信用代码 (GB 32100-2015) validation."""

from __future__ import annotations

import pytest

from lzcenter_desktop.domain.credit_code import ALPHABET, check_char, district_name, validate

EXAMPLE_CODES = ["91450205MA5N8R2T4M", "91450200MA5K3L7Q58", "12450000498503229M"]


@pytest.mark.parametrize("code", EXAMPLE_CODES)
def test_public_example_codes_pass_the_check_character(code: str) -> None:
    result = validate(code)
    assert result.valid, result.error
    assert check_char(code[:17]) == code[17]


def test_published_real_code_passes() -> None:
    # 国家标准 GB 32100-2015 附录中的示例代码
    assert validate("91350100M000100Y43").valid


def test_every_wrong_check_character_is_rejected() -> None:
    first17 = "91450205MA5N8R2T4"
    right = check_char(first17)
    for ch in ALPHABET:
        result = validate(first17 + ch)
        assert result.valid is (ch == right)
        if ch != right:
            assert result.error is not None and f"应为“{right}”" in (result.error or "")


def test_check_char_zero_case() -> None:
    # find a prefix whose weighted sum is a multiple of 31: the check character is then '0'
    base = "9145020500000000"
    for ch in ALPHABET:
        if check_char(base + ch) == "0":
            assert validate(base + ch + "0").valid
            return
    pytest.fail("no prefix with check character 0 found")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91450205MA5N8R2T4", "应为18位，实际为17位"),
        ("91450205MA5N8R2T4MX", "应为18位，实际为19位"),
        ("", "应为18位，实际为0位"),
        ("91450205ma5n8r2t4m", "字母须大写"),
        ("9145020IMA5N8R2T4M", "第8位“I”"),
        ("91AB0205MA5N8R2T4M", "行政区划代码"),
    ],
)
def test_shape_errors_name_the_problem(code: str, fragment: str) -> None:
    result = validate(code)
    assert not result.valid
    assert result.error is not None and fragment in result.error


def test_liuzhou_districts() -> None:
    code = "91450205MA5N8R2T4M"
    result = validate(code)
    assert result.in_liuzhou and result.district == "柳北区" and result.division_code == "450205"
    assert district_name("450226") == "三江侗族自治县"
    assert district_name("450200") == "柳州市（市本级）"
    assert district_name("450299") == "柳州市（未列明县区）"
    assert district_name("450100") is None  # 南宁


def test_valid_code_outside_liuzhou() -> None:
    result = validate("12450000498503229M")
    assert result.valid and not result.in_liuzhou and result.district is None


def test_make_code_for_each_district() -> None:
    for division in ("450202", "450203", "450204", "450205", "450206", "450222", "450226"):
        first17 = f"91{division}MA5K0000"
        assert len(first17) == 16
        first17 += "1"
        code = first17 + check_char(first17)
        assert validate(code).valid and validate(code).in_liuzhou


def test_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="17个字符"):
        check_char("123")
    with pytest.raises(ValueError, match="第1位"):
        check_char("O1450205MA5N8R2T4")
