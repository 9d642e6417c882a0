"""Benchmark: ``services.centers.list_centers`` (that is ``services.center_list.list_centers``: a
SQLite file read through a plain ``sqlite3`` connection as one JSON text) over 100,000 centres.

Run:  .venv/bin/python benchmarks/bench_db_list.py [centres]
Numbers are recorded in benchmarks/README.md, section "Database".

The rows are generated with plain SQL inserts into a migrated database (a benchmark fixture, not a
service write): organizations, centres, one or two industries each and a director for half of them.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services import centers
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.models import Center as CenterTable
from lzcenter_desktop.storage.models import CenterIndustry, DirectorAppointment, Organization, Person

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DISTRICTS = [
    "450202",
    "450203",
    "450204",
    "450205",
    "450206",
    "450222",
    "450223",
    "450224",
    "450225",
    "450226",
]
INDUSTRIES = [
    "汽车",
    "钢铁",
    "机械",
    "化工",
    "日用消费品",
    "新材料",
    "电子信息",
    "生物医药",
    "节能环保",
    "现代农业",
]


def populate(ctx_path: Path, n: int, seed: int = 2026) -> None:
    ctx = open_app(str(ctx_path), operator="bench")
    rnd = random.Random(seed)
    states = [s.value for s in CenterState]
    hosts = max(1, n // 3)
    with ctx.db.engine.begin() as conn:
        conn.execute(
            Organization.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "name": f"柳州测试单位{i:06d}有限公司",
                    "kind": "enterprise",
                    "first_level_legal_person": True,
                    "district_code": rnd.choice(DISTRICTS),
                    "status": "active",
                    "created_at": NOW,
                }
                for i in range(hosts)
            ],
        )
        conn.execute(
            CenterTable.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "name_zh": f"柳州测试{i:06d}工程技术研究中心",
                    "name_en": "",
                    "research_direction": "",
                    "host_id": 1 + i % hosts,
                    "state": rnd.choice(states),
                    "state_since": date(2020, 1, 1),
                    "recognized_on": date(2015, 1, 1) + timedelta(days=rnd.randrange(4000)),
                    "created_at": NOW,
                }
                for i in range(n)
            ],
        )
        conn.execute(
            CenterIndustry.__table__.insert(),  # type: ignore[attr-defined]
            [
                {"center_id": i + 1, "position": p, "industry": rnd.choice(INDUSTRIES)}
                for i in range(n)
                for p in (0, 1)
            ],
        )
        conn.execute(
            Person.__table__.insert(),  # type: ignore[attr-defined]
            [{"name": f"主任{i}", "status": "active", "created_at": NOW} for i in range(n // 2)],
        )
        conn.execute(
            DirectorAppointment.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "center_id": 2 * i + 1,
                    "person_id": i + 1,
                    "appointed_on": date(2023, 1, 1),
                    "status": "active",
                }
                for i in range(n // 2)
            ],
        )
    ctx.db.dispose()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        populate(path, n)
        print(f"populate {n} centres: {time.perf_counter() - t0:.2f} s")
        ctx = open_app(str(path), operator="bench")
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            rows = centers.list_centers(ctx)
            samples.append(time.perf_counter() - start)
        assert len(rows) == n
        start = time.perf_counter()
        detail = centers.get_center(ctx, n // 2)
        detail_s = time.perf_counter() - start
        ctx.db.dispose()
    print(
        f"list_centers({n}): median {statistics.median(samples):.3f} s, min {min(samples):.3f} s, "
        f"max {max(samples):.3f} s (5 runs)"
    )
    print(f"get_center: {detail_s * 1000:.1f} ms ({detail.row.name})")


if __name__ == "__main__":
    main()
