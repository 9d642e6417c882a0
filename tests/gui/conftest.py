"""Fixtures for GUI tests: a fresh temporary database per test, the demo data when needed."""

from __future__ import annotations

from pathlib import Path

import pytest

GUI_DIR = Path(__file__).resolve().parent

# The offscreen platform plugin warns whenever a top-level window with a layout is shown; it is a
# limitation of the test platform, not of the application, so only that exact message is ignored.
_OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)$"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_NOISE))


@pytest.fixture
def ctx(tmp_path: Path):
    """A fresh, empty (migrated) database for one test."""
    from lzcenter_desktop.services.context import open_app

    context = open_app(str(tmp_path / "t.sqlite"))
    yield context
    context.db.dispose()


@pytest.fixture
def small_ctx(ctx):
    """Three centres made through the services: one recognised (with a timeline), one draft, one revoked."""
    from datetime import date

    from lzcenter_desktop.services import centers, organizations
    from tests.consequence_records import step_by_evaluation
    from tests.review_records import take_steps

    host_a = organizations.create_organization(ctx, name="柳州鑫桥汽车零部件有限公司", kind="enterprise")
    host_b = organizations.create_organization(ctx, name="柳州恒锐机械装备有限公司", kind="enterprise")
    host_c = organizations.create_organization(ctx, name="柳州嘉铖食品科技有限公司", kind="enterprise")

    a = centers.create_center(
        ctx,
        name_zh="柳州汽车轻量化工程技术研究中心",
        host_id=host_a,
        on=date(2023, 3, 1),
        industries=["汽车"],
        name_en="Liuzhou Automotive Lightweight Research Center of Engineering Technology",
        research_direction="车身轻量化材料与结构",
    )
    take_steps(
        ctx,
        a,
        [
            ("submitted", date(2023, 3, 10)),
            ("under_review", date(2023, 5, 1)),
            ("proposed", date(2023, 7, 1)),
            ("public_notice", date(2023, 7, 5)),
        ],
    )
    centers.recognise(
        ctx, center_id=a, on=date(2023, 8, 1), document_no="柳科发〔2023〕12号", plaque_no="LZGC-2023-001"
    )

    centers.create_center(
        ctx, name_zh="柳州智能装备工程技术研究中心", host_id=host_b, on=date(2024, 2, 1), industries=["机械"]
    )

    c = centers.create_center(
        ctx,
        name_zh="柳州特色食品工程技术研究中心",
        host_id=host_c,
        on=date(2019, 1, 2),
        industries=["日用消费品"],
    )
    take_steps(
        ctx,
        c,
        [
            ("submitted", date(2019, 1, 10)),
            ("under_review", date(2019, 3, 1)),
            ("proposed", date(2019, 5, 1)),
            ("public_notice", date(2019, 5, 5)),
        ],
    )
    centers.recognise(ctx, center_id=c, on=date(2019, 6, 1), document_no="柳科发〔2019〕3号")
    step_by_evaluation(ctx, c, "revoked", date(2025, 4, 1), "柳科发〔2025〕8号")
    return ctx


@pytest.fixture
def demo_ctx(ctx):
    """The demo database (build_demo with the fixed seed)."""
    from lzcenter_desktop.services import demo

    demo.build_demo(ctx, seed=2026)
    return ctx
