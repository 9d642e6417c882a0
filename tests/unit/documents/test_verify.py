"""Certificate verification codes: version 2 (printed now) and version 1 (still accepted):
round trip, tampering, typing tolerance, candidates, malformed input, bounds."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lzcenter_desktop.documents.verify import (
    CROCKFORD,
    MAC_CHARS,
    MAC_CHARS_V1,
    MAX_NUMBER_CHARS,
    MIN_KEY_BYTES,
    NO_DIGITS_SERIAL,
    SCHEME,
    SCHEME_V1,
    check_code,
    make_code,
    make_code_v1,
    new_key,
    parse_code,
    serial_of,
)

KEY = bytes(range(32))
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
OTHER_NAME = "柳州螺蛳粉工程技术研究中心（柳州某某食品有限公司）"
NUMBER = "柳工程中心证〔2019〕001号"
DAY = date(2019, 11, 30)


def code(number: str = NUMBER, name: str = NAME, day: date = DAY) -> str:
    return make_code(number, name, day, KEY)


def register(*entries: tuple[str, str, date]):  # type: ignore[no-untyped-def]
    """A fake register: (number, name, date) rows → the candidates callable the services provide."""
    asked: list[tuple[str, date]] = []

    def candidates(serial: str, on: date) -> list[tuple[str, str]]:
        asked.append((serial, on))
        return [(n, nm) for n, nm, d in entries if d == on and serial_of(n) == serial]

    candidates.asked = asked  # type: ignore[attr-defined]
    return candidates


def mac_of(c: str) -> str:
    return c[-(MAC_CHARS + MAC_CHARS // 4 - 1):]


# --------------------------------------------------------------------------- format


def test_v2_code_is_short_typeable_ascii_with_date_serial_and_grouped_mac() -> None:
    c = code()
    assert re.fullmatch(r"LZ2-20191130-2019001-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", c), c
    assert len(c) == 40
    mac = mac_of(c).replace("-", "")
    assert len(mac) == MAC_CHARS == 16  # 80 bits
    assert set(mac) <= set(CROCKFORD) and not set(mac) & set("ILOU")
    # QR alphanumeric mode: upper-case letters, digits and '-' only
    assert set(c) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-")


@pytest.mark.parametrize(
    ("number", "serial"),
    [
        ("柳工程中心证〔2019〕001号", "2019001"),
        ("LZGC-2026-001", "2026001"),
        ("柳工程中心证〔２０１９〕００１号", "2019001"),  # full-width digits count
        ("柳工程中心证〔二〇一九〕一号", NO_DIGITS_SERIAL),  # Chinese numerals do not
        ("ABC", NO_DIGITS_SERIAL),
        ("0", "0"),
    ],
)
def test_serial_is_the_numbers_digits_or_n(number: str, serial: str) -> None:
    assert serial_of(number) == serial
    assert code(number).split("-")[2] == serial


def test_same_input_same_code_and_each_field_changes_it() -> None:
    assert code() == code()
    assert code() != code(name=OTHER_NAME)
    assert code() != code(day=date(2019, 12, 1))
    assert code() != code("柳工程中心证〔2019〕0001号")  # leading zeros count: another serial
    # two numbers with the same digits get the same serial but different check codes
    a, b = code("柳工程中心证〔2019〕001号"), code("柳科证〔2019〕001号")
    assert a[:21] == b[:21] and a != b
    assert make_code(NUMBER, NAME, DAY, bytes(range(1, 33))) != code()


# --------------------------------------------------------------------------- version 2: checking


def test_round_trip_against_the_register() -> None:
    reg = register((NUMBER, NAME, DAY))
    result = check_code(code(), KEY, candidates=reg)
    assert result.genuine and result.status == "genuine" and result.version == 2
    assert result.number == NUMBER and result.name == NAME and result.date == DAY
    assert result.serial == "2019001"
    assert "证书真实有效" in result.message and NUMBER in result.message and NAME in result.message
    assert reg.asked == [("2019001", DAY)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "typed",
    [
        "lz2-20191130-2019001-{mac}",  # lower case
        "LZ220191130 2019001{mac}",  # without hyphens, with a space
        "  LZ2 - 20191130 - 2019001 - {mac}\n",
        "ＬＺ２－２０１９１１３０－２０１９００１－{mac}",  # typed with a full-width input method
    ],
)
def test_typing_variants_are_accepted(typed: str) -> None:
    c = code()
    mac = mac_of(c)
    variants = {
        "lz2-20191130-2019001-{mac}": mac.lower(),
        "LZ220191130 2019001{mac}": mac.replace("-", ""),
        "  LZ2 - 20191130 - 2019001 - {mac}\n": mac.replace("-", " "),
        "ＬＺ２－２０１９１１３０－２０１９００１－{mac}": mac,
    }
    text = typed.format(mac=variants[typed])
    assert check_code(text, KEY, candidates=register((NUMBER, NAME, DAY))).genuine, text


def test_crockford_confusions_o_i_l_are_read_as_digits() -> None:
    # a number whose check code has both a 0 and a 1 (deterministic: the key and inputs are fixed)
    number = next(f"N{i}" for i in range(1000) if {"0", "1"} <= set(mac_of(code(f"N{i}"))))
    c = code(number)
    mac = mac_of(c)
    sloppy = c[: -len(mac)] + mac.replace("0", "o").replace("1", "I", 1).replace("1", "l")
    assert sloppy != c and {"o", "I"} <= set(sloppy)
    assert check_code(sloppy, KEY, candidates=register((number, NAME, DAY))).genuine


def test_every_single_character_change_of_the_mac_is_caught() -> None:
    c = code()
    reg = register((NUMBER, NAME, DAY))
    head, mac = c[: -len(mac_of(c))], mac_of(c)
    for i, ch in enumerate(mac):
        if ch == "-":
            continue
        replacement = "A" if ch != "A" else "B"
        forged = f"{head}{mac[:i]}{replacement}{mac[i + 1:]}"
        result = check_code(forged, KEY, candidates=reg)
        assert not result.genuine and result.status == "forged", i
        assert "伪造" in result.message


def test_shortened_or_lengthened_mac_is_not_genuine() -> None:
    reg = register((NUMBER, NAME, DAY))
    assert not check_code(code()[:-1], KEY, candidates=reg).genuine
    assert not check_code(code() + "A", KEY, candidates=reg).genuine
    assert not check_code(code() + "0", KEY, candidates=reg).genuine


def test_a_changed_date_finds_no_certificate_and_is_not_genuine() -> None:
    reg = register((NUMBER, NAME, DAY))
    c = code().replace("20191130", "20191201")
    result = check_code(c, KEY, candidates=reg)
    assert not result.genuine and result.status == "unknown" and "未登记" in result.message
    # the date is signed too: typed number and name, no register → forged
    typed = check_code(c, KEY, number=NUMBER, name=NAME)
    assert not typed.genuine and typed.status == "forged"


def test_another_centre_with_the_same_serial_and_date_does_not_make_it_genuine() -> None:
    """Two certificates whose numbers have the same digits, recognised on the same day."""
    other_number = "柳科证〔2019〕001号"
    reg = register((NUMBER, NAME, DAY), (other_number, OTHER_NAME, DAY))
    mine, theirs = code(), code(other_number, OTHER_NAME)
    ok = check_code(mine, KEY, candidates=reg)
    assert ok.genuine and ok.number == NUMBER and ok.name == NAME
    ok = check_code(theirs, KEY, candidates=reg)
    assert ok.genuine and ok.number == other_number and ok.name == OTHER_NAME
    # my number signed with their name (a certificate made for them, with my number on it)
    swapped = code(NUMBER, OTHER_NAME)
    result = check_code(swapped, KEY, candidates=reg)
    assert not result.genuine and result.status == "forged"
    assert "2 份登记证书" in result.message and NUMBER in result.message and other_number in result.message
    # typed name of the other centre on my code
    assert check_code(mine, KEY, candidates=reg, name=OTHER_NAME).status == "forged"


def test_a_typed_name_replaces_the_registered_one() -> None:
    reg = register((NUMBER, "柳州旧名称工程技术研究中心", DAY))  # renamed since
    assert not check_code(code(), KEY, candidates=reg).genuine
    assert check_code(code(), KEY, candidates=reg, name=NAME).genuine
    assert check_code(code(), KEY, candidates=reg, name=NAME.replace("工程", "工 程")).genuine  # spaces
    assert check_code(code(), KEY, candidates=reg, name="   ").status == "forged"  # blank = registered


def test_unknown_serial_is_unknown() -> None:
    result = check_code(code(), KEY, candidates=register())
    assert not result.genuine and result.status == "unknown"
    assert "未登记" in result.message and "2019001" in result.message


def test_a_number_without_digits_is_checked_among_all_such_numbers_of_the_day() -> None:
    reg = register(("甲", NAME, DAY), ("乙", OTHER_NAME, DAY))
    c = code("乙", OTHER_NAME)
    assert c.startswith("LZ2-20191130-N-")
    result = check_code(c, KEY, candidates=reg)
    assert result.genuine and result.number == "乙"
    assert check_code(code("丙", OTHER_NAME), KEY, candidates=reg).status == "forged"


def test_another_key_makes_it_not_genuine() -> None:
    assert not check_code(code(), bytes(range(1, 33)), candidates=register((NUMBER, NAME, DAY))).genuine


# --------------------------------------------------------------------------- version 2 without the register


def test_without_the_register_a_name_alone_cannot_settle_it() -> None:
    result = check_code(code(), KEY, name=NAME)
    assert not result.genuine and result.status == "unverifiable"
    assert "完整证书编号" in result.message and result.serial == "2019001"
    assert check_code(code(), KEY).status == "unverifiable"


def test_without_the_register_typed_number_and_name_prove_the_signature() -> None:
    assert check_code(code(), KEY, number=NUMBER, name=NAME).genuine
    assert check_code(code(), KEY, number=NUMBER, name=OTHER_NAME).status == "forged"
    # same digits, another number: the serial agrees but the signature does not
    assert check_code(code(), KEY, number="柳科证〔2019〕001号", name=NAME).status == "forged"
    mismatch = check_code(code(), KEY, number="柳工程中心证〔2019〕002号", name=NAME)
    assert mismatch.status == "forged" and "序号" in mismatch.message
    assert check_code(code(), KEY, number=NUMBER).status == "unverifiable"  # no name


def test_typed_number_narrows_the_register() -> None:
    other_number = "柳科证〔2019〕001号"
    reg = register((NUMBER, NAME, DAY), (other_number, OTHER_NAME, DAY))
    assert check_code(code(), KEY, candidates=reg, number=NUMBER).genuine
    assert check_code(code(), KEY, candidates=reg, number=other_number).status == "forged"
    assert check_code(code(), KEY, candidates=reg, number="柳工程中心证〔2019〕0010号").status == "forged"


# --------------------------------------------------------------------------- version 1 still verifiable


def v1(number: str = "LZGC-2026-001") -> str:
    return make_code_v1(number, NAME, date(2026, 11, 26), KEY)


def test_v1_code_format_is_unchanged() -> None:
    head, number, day, mac = v1().split(".")
    assert (head, number, day) == (SCHEME_V1, "LZGC-2026-001", "20261126")
    assert len(mac) == MAC_CHARS_V1 == 20 and set(mac) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_v1_round_trip_with_name_or_lookup() -> None:
    result = check_code(v1(), KEY, name=NAME)
    assert result.genuine and result.version == 1 and result.number == "LZGC-2026-001"
    assert "旧版" in result.message
    asked: list[str] = []
    assert check_code(v1(), KEY, lookup=lambda n: asked.append(n) or NAME).genuine
    assert asked == ["LZGC-2026-001"]
    number = "柳科证〔2026〕1.5号"
    c = v1(number)
    assert c.isascii() and parse_code(c).number == number
    assert check_code(c, KEY, lookup={number: NAME}.get).genuine


def test_v1_typing_and_tampering() -> None:
    c = v1()
    typed = " " + c[:20] + " \n" + c[20:].lower().replace("lzgc", "LZGC") + "  "
    assert check_code(typed, KEY, name=NAME).genuine
    parts = c.split(".")
    for i, value in ((1, "LZGC-2026-002"), (2, "20261127")):
        changed = parts.copy()
        changed[i] = value
        assert check_code(".".join(changed), KEY, name=NAME).status == "forged"
    head, mac = c.rsplit(".", 1)
    for i in range(len(mac)):
        replacement = "A" if mac[i] != "A" else "B"
        assert not check_code(f"{head}.{mac[:i]}{replacement}{mac[i + 1:]}", KEY, name=NAME).genuine
    assert not check_code(c[:-1], KEY, name=NAME).genuine
    assert not check_code(c + "A", KEY, name=NAME).genuine
    assert check_code(c, KEY, lookup=lambda n: None).status == "unknown"
    assert check_code(c, KEY).status == "unverifiable"


def test_v1_and_v2_of_the_same_certificate_differ_and_do_not_cross() -> None:
    """A v2 check code is not a truncated v1 one (another scheme in the HMAC)."""
    c1, c2 = v1(), make_code("LZGC-2026-001", NAME, date(2026, 11, 26), KEY)
    assert c1 != c2 and c2.startswith(f"{SCHEME}-")
    assert check_code(c2, KEY, number="LZGC-2026-001", name=NAME).genuine
    assert check_code(c1, KEY, name=NAME).genuine


# --------------------------------------------------------------------------- malformed input and bounds


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "请输入"),
        ("   ", "请输入"),
        ("HELLO.LZGC.20261126.AAAA", "LZ2-"),
        ("LZ3-20191130-2019001-AAAA-AAAA-AAAA-AAAA", "LZ2-"),
        ("LZ2-20191130-AAAA-AAAA-AAAA-AAAA", "不完整"),  # no serial: 8 + 16 characters, one short
        ("LZ2-2019113-2019001-AAAA-AAAA-AAAA-AAAA", "日期"),  # a digit short (hyphens are ignored)
        ("LZ2-20191331-2019001-AAAA-AAAA-AAAA-AAAA", "不是有效日期"),
        ("LZ2-2019113X-2019001-AAAA-AAAA-AAAA-AAAA", "8 位数字"),
        ("LZ2-20191130-20X9001-AAAA-AAAA-AAAA-AAAA", "序号"),
        ("LZ2-20191130-2019001-AAAA-AAAA-AAAA-AAAU", "U"),
        ("LZETRC1.LZGC-2026-001", "不完整"),
        ("LZETRC1.LZGC.2026112.AAAAAAAAAAAAAAAAAAAA", "8 位数字"),
        ("LZETRC1.LZGC.20261331.AAAAAAAAAAAAAAAAAAAA", "不是有效日期"),
        ("LZETRC1.LZGC.20261126.AAAA1AAAAAAAAAAAAAAA", "A–Z"),
    ],
)
def test_malformed_codes_get_a_chinese_reason(text: str, words: str) -> None:
    result = check_code(text, KEY, name=NAME, candidates=register((NUMBER, NAME, DAY)))
    assert not result.genuine
    assert result.status == "malformed"
    assert words in result.message
    assert result.message.startswith("无法核验")


def test_shortest_complete_v2_code_boundary() -> None:
    """8 date digits + 1 serial character + 16 check characters is the shortest code."""
    shortest = "LZ2-20191130-N-AAAA-AAAA-AAAA-AAAA"
    assert parse_code(shortest).serial == "N"
    with pytest.raises(ValueError, match="不完整"):
        parse_code(shortest.replace("-N-", "-"))


def test_key_length_boundary() -> None:
    for n in (MIN_KEY_BYTES, MIN_KEY_BYTES + 1):
        make_code("N1", NAME, DAY, b"k" * n)
        make_code_v1("N1", NAME, DAY, b"k" * n)
    for maker in (make_code, make_code_v1):
        with pytest.raises(ValueError, match="密钥"):
            maker("N1", NAME, DAY, b"k" * (MIN_KEY_BYTES - 1))
    with pytest.raises(ValueError, match="密钥"):
        check_code(code(), b"k" * (MIN_KEY_BYTES - 1), name=NAME)


def test_number_length_boundary_and_empty_fields() -> None:
    long = make_code("9" * MAX_NUMBER_CHARS, NAME, DAY, KEY)
    assert check_code(long, KEY, number="9" * MAX_NUMBER_CHARS, name=NAME).genuine
    make_code("9" * (MAX_NUMBER_CHARS - 1), NAME, DAY, KEY)
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
