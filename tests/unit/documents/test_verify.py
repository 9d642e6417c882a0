"""Certificate verification codes: round trip, tampering, malformed input, bounds."""

from __future__ import annotations

from datetime import date

import pytest

from lzcenter_desktop.documents.verify import (
    MAC_CHARS,
    MAX_NUMBER_CHARS,
    MIN_KEY_BYTES,
    SCHEME,
    check_code,
    make_code,
    new_key,
    parse_code,
)

KEY = bytes(range(32))
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
DAY = date(2026, 11, 26)


def code() -> str:
    return make_code("LZGC-2026-001", NAME, DAY, KEY)


def test_code_format_is_compact_ascii_with_number_and_date() -> None:
    c = code()
    head, number, day, mac = c.split(".")
    assert head == SCHEME
    assert number == "LZGC-2026-001"
    assert day == "20261126"
    assert len(mac) == MAC_CHARS == 20
    assert set(mac) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert c.isascii()


def test_round_trip_with_the_name_typed_from_the_certificate() -> None:
    result = check_code(code(), KEY, name=NAME)
    assert result.genuine
    assert result.status == "genuine"
    assert result.number == "LZGC-2026-001"
    assert result.date == DAY
    assert "证书真实有效" in result.message
    assert NAME in result.message


def test_round_trip_with_a_database_lookup() -> None:
    asked: list[str] = []

    def lookup(number: str) -> str | None:
        asked.append(number)
        return NAME

    assert check_code(code(), KEY, lookup=lookup).genuine
    assert asked == ["LZGC-2026-001"]


def test_whitespace_and_lower_case_from_typing_are_accepted() -> None:
    c = code()
    typed = " " + c[:20] + " \n" + c[20:].lower().replace("lzgc", "LZGC") + "  "
    assert check_code(typed, KEY, name=NAME).genuine


def test_name_whitespace_does_not_matter_but_its_text_does() -> None:
    assert check_code(code(), KEY, name=NAME.replace("工程", "工 程")).genuine
    result = check_code(code(), KEY, name=NAME.replace("智能", "职能"))
    assert not result.genuine
    assert result.status == "forged"
    assert "不符" in result.message


@pytest.mark.parametrize("part", [1, 2])
def test_changing_the_number_or_date_makes_it_not_genuine(part: int) -> None:
    parts = code().split(".")
    parts[part] = "LZGC-2026-002" if part == 1 else "20261127"
    result = check_code(".".join(parts), KEY, name=NAME)
    assert not result.genuine
    assert result.status == "forged"
    assert "伪造" in result.message


def test_every_single_character_change_of_the_mac_is_caught() -> None:
    c = code()
    head, mac = c.rsplit(".", 1)
    for i in range(len(mac)):
        replacement = "A" if mac[i] != "A" else "B"
        forged = f"{head}.{mac[:i]}{replacement}{mac[i + 1:]}"
        assert not check_code(forged, KEY, name=NAME).genuine, i


def test_shortened_or_lengthened_mac_is_not_genuine() -> None:
    c = code()
    assert not check_code(c[:-1], KEY, name=NAME).genuine
    assert not check_code(c + "A", KEY, name=NAME).genuine


def test_another_key_makes_it_not_genuine() -> None:
    other = bytes(range(1, 33))
    assert not check_code(code(), other, name=NAME).genuine


def test_unknown_number_from_lookup() -> None:
    result = check_code(code(), KEY, lookup=lambda number: None)
    assert not result.genuine
    assert result.status == "unknown"
    assert "未登记" in result.message
    assert "LZGC-2026-001" in result.message


def test_without_name_or_lookup_the_code_is_unverifiable_not_genuine() -> None:
    result = check_code(code(), KEY)
    assert not result.genuine
    assert result.status == "unverifiable"
    assert "中心名称" in result.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "请输入"),
        ("HELLO.LZGC.20261126.AAAA", "LZETRC1"),
        ("LZETRC1.LZGC-2026-001", "不完整"),
        ("LZETRC1.LZGC.2026112.AAAAAAAAAAAAAAAAAAAA", "8 位数字"),
        ("LZETRC1.LZGC.20261331.AAAAAAAAAAAAAAAAAAAA", "不是有效日期"),
        ("LZETRC1.LZGC.20261126.AAAA1AAAAAAAAAAAAAAA", "A–Z"),
    ],
)
def test_malformed_codes_get_a_chinese_reason(text: str, words: str) -> None:
    result = check_code(text, KEY, name=NAME)
    assert not result.genuine
    assert result.status == "malformed"
    assert words in result.message
    assert result.message.startswith("无法核验")


def test_number_with_chinese_and_dots_round_trips_in_ascii() -> None:
    number = "柳科证〔2026〕1.5号"
    c = make_code(number, NAME, DAY, KEY)
    assert c.isascii()
    assert parse_code(c).number == number
    assert check_code(c, KEY, lookup={number: NAME}.get).genuine


def test_key_length_boundary() -> None:
    for n in (MIN_KEY_BYTES, MIN_KEY_BYTES + 1):
        make_code("N1", NAME, DAY, b"k" * n)
    with pytest.raises(ValueError, match="密钥"):
        make_code("N1", NAME, DAY, b"k" * (MIN_KEY_BYTES - 1))
    with pytest.raises(ValueError, match="密钥"):
        check_code(code(), b"k" * (MIN_KEY_BYTES - 1), name=NAME)


def test_number_length_boundary_and_empty_fields() -> None:
    make_code("9" * MAX_NUMBER_CHARS, NAME, DAY, KEY)
    with pytest.raises(ValueError, match="证书编号"):
        make_code("9" * (MAX_NUMBER_CHARS + 1), NAME, DAY, KEY)
    with pytest.raises(ValueError, match="证书编号"):
        make_code("  ", NAME, DAY, KEY)
    with pytest.raises(ValueError, match="证书编号"):
        make_code("LZ 1", NAME, DAY, KEY)
    with pytest.raises(ValueError, match="中心名称"):
        make_code("N1", " ", DAY, KEY)


def test_new_keys_are_long_enough_and_different() -> None:
    a, b = new_key(), new_key()
    assert len(a) >= MIN_KEY_BYTES
    assert a != b
