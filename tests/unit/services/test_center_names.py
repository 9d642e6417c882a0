"""第二十六条 centre names, checked before anything is written."""

from __future__ import annotations

import pytest

from lzcenter_desktop.services.centers import check_center_name
from lzcenter_desktop.services.errors import ServiceError


@pytest.mark.parametrize(
    "name",
    [
        "柳州汽车轻量化工程技术研究中心",
        "柳州汽车轻量化工程技术研究中心（柳州鑫桥汽车零部件有限公司）",
        "柳州X工程技术研究中心",  # the shortest: one character between 柳州 and 工程技术研究中心
        "  柳州钢铁工程技术研究中心  ",
    ],
)
def test_valid_names(name: str) -> None:
    assert check_center_name(name) == name.strip()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "请填写中心名称"),
        ("柳州工程技术研究中心", "第二十六条"),  # nothing between 柳州 and the core
        ("南宁汽车工程技术研究中心", "第二十六条"),
        ("柳州汽车研究中心", "第二十六条"),
        ("柳州汽车工程技术研究中心（柳州鑫桥汽车零部件有限公司", "括号不完整"),
    ],
)
def test_invalid_names_name_the_field(name: str, message: str) -> None:
    with pytest.raises(ServiceError) as info:
        check_center_name(name)
    assert message in str(info.value)
    assert info.value.field == "中心名称"
