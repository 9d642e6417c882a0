"""installer/icu_trim.py: which items of Qt's ICU data leave the Linux bundle — other locales'
data, formatting data, break iterators, non-Chinese codecs; never the Chinese or English
locales, the collation tables, the Chinese codecs or the shared pools."""

from __future__ import annotations

from types import ModuleType

import pytest


@pytest.mark.parametrize(
    "item",
    [
        "de.res",
        "fr_CA.res",
        "coll/ja.res",
        "coll/es_.res",  # an alias item
        "curr/sr_Latn_BA.res",
        "zone/ast.res",
        "translit/root.res",
        "translit/en.res",
        "zone/de.res",
    ],
)
def test_dropped(icu_trim: ModuleType, item: str) -> None:
    assert icu_trim.is_dropped_item(item)


@pytest.mark.parametrize(
    "item",
    [
        "root.res",
        "zh.res",
        "zh_Hans_CN.res",
        "coll/zh.res",  # 拼音 order of QCollator
        "zh_Hant_HK.res",
        "yue.res",  # zh_Hant_HK depends on it
        "en.res",
        "en_US_POSIX.res",
        "coll/root.res",
        "coll/ucadata.icu",
        "res_index.res",
        "pool.res",
        "gb18030.cnv",
        "cnvalias.icu",
        "supplementalData.res",
        "zoneinfo64.res",
        "likelySubtags.res",
        "unames.icu",
        "nfkc.nrm",
    ],
)
def test_kept(icu_trim: ModuleType, item: str) -> None:
    assert not icu_trim.is_dropped_item(item)


def test_dropped_items_keeps_the_order(icu_trim: ModuleType) -> None:
    assert icu_trim.dropped_items(["zh.res", "de.res", "coll/fr.res", "en.res"]) == ["de.res", "coll/fr.res"]


@pytest.mark.parametrize(
    ("name", "major"),
    [("libicudata.so.73", 73), ("libicudata.so.74", 74), ("libicuuc.so.73", None), ("icudt73.dll", None)],
)
def test_only_the_data_library_is_replaced(icu_trim: ModuleType, name: str, major: int | None) -> None:
    assert icu_trim.icu_major(name) == major


@pytest.mark.parametrize(
    ("item", "dropped"),
    [
        ("gb18030.cnv", False),
        ("windows-936-2000.cnv", False),  # GBK
        ("ibm-1373_P100-2002.cnv", False),  # the Big5 tables depend on it
        ("windows-950-2000.cnv", False),
        ("ibm-943_P15A-2003.cnv", True),  # Shift_JIS
        ("ibm-1047_P100-1995.cnv", True),  # EBCDIC
        ("brkitr/root.res", True),  # the whole break-iterator folder goes, so nothing misses a dictionary
        ("brkitr/cjdict.dict", True),
        ("zone/zh.res", True),
        ("curr/en.res", True),
        ("coll/zh.res", False),
        ("coll/pool.res", False),
        ("curr/pool.res", True),  # with its folder
    ],
)
def test_converters_and_folders(icu_trim: ModuleType, item: str, dropped: bool) -> None:
    assert icu_trim.is_dropped_item(item) is dropped
