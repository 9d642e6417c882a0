"""Benchmark: start-up of the whole application, process launch → 中心 list painted and taking keys.

Run:  .venv/bin/python benchmarks/bench_startup.py [--sizes 1000,10000,100000] [--runs 5] [--keep DIR]
Numbers are recorded in benchmarks/README.md, section "Start-up".

For each size a database is built once: the real migrations on an empty file (``open_app``), then
organizations, centres, industries, directors, recognitions, state changes and one audit entry per
row (as the services would have written them) inserted with ``executemany`` in one transaction.
Then ``python -m lzcenter_desktop --db FILE`` is started ``--runs`` times (after one untimed run
that warms the disk cache and the ``.pyc`` files) with ``LZCENTER_STARTUP_PROBE=1`` and
``QT_QPA_PLATFORM=offscreen``: the application prints a line once the list has painted rows and
its event loop is free again, a second once every centre is loaded, a third once the work it
starts after that (importing the rest of the data layer) is done, and quits (see
``lzcenter_desktop/ui/startup_probe.py``). The times are measured here, in this process, from
just before the child is started to the moment each line is read. The peak memory is what the
child reports on those lines (Linux ``VmHWM``) — not ``ru_maxrss`` from ``wait4``, which also
counts the memory of this process at the moment it forked the child.

The baseline, measured in the same run, is bare Qt: a tiny script that imports PySide6, makes a
``QApplication`` and shows a ``QTableView`` over a 10,000-row Python model, and reports when it has
painted and its loop is free — the floor any PySide6 program pays on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE_PREFIX = "LZCENTER_STARTUP_PROBE"

DISTRICTS = (
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
)
INDUSTRIES = (
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
    "螺蛳粉食品",
)
TOPICS = (
    "汽车零部件",
    "新能源汽车电驱",
    "工程机械液压",
    "特种钢材",
    "螺蛳粉食品",
    "智能制造装备",
    "轨道交通装备",
    "精细化工",
    "中药材加工",
    "林木产品",
    "电子元器件",
    "节能环保设备",
    "现代农业种苗",
    "新型建材",
    "工业软件",
)
KINDS = ("enterprise", "enterprise", "enterprise", "enterprise", "university", "institute")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇晨欣怡浩然"
# The lifecycle most centres went through, and where a centre stops (weights: most are recognised).
PATH = ("draft", "submitted", "under_review", "proposed", "public_notice", "recognised")
ENDINGS = (
    ("recognised", 70),
    ("rectifying", 5),
    ("revoked", 4),
    ("draft", 5),
    ("submitted", 5),
    ("under_review", 4),
    ("not_recognised", 4),
    ("withdrawn", 3),
)
CREATED = "2026-01-05 08:30:00.000000"


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _audit(entity: str, entity_id: int, after: dict[str, object], txn: str) -> tuple[object, ...]:
    payload = json.dumps({"id": entity_id, **after}, ensure_ascii=False, sort_keys=True)
    return ("bench", "基准数据", "insert", entity, str(entity_id), None, payload, txn, CREATED)


def build_database(path: Path, n: int, seed: int = 2026) -> None:
    """A migrated database of ``n`` centres with their history (see the module docstring)."""
    from lzcenter_desktop.services.context import open_app

    if path.exists():
        path.unlink()
    ctx = open_app(str(path), operator="bench")  # the real migrations on an empty file
    ctx.db.dispose()
    rnd = random.Random(seed)
    endings, weights = zip(*ENDINGS, strict=True)
    hosts = max(1, n * 4 // 5)
    orgs: list[tuple[object, ...]] = []
    centres: list[tuple[object, ...]] = []
    industries: list[tuple[object, ...]] = []
    people: list[tuple[object, ...]] = []
    directors: list[tuple[object, ...]] = []
    recognitions: list[tuple[object, ...]] = []
    changes: list[tuple[object, ...]] = []
    audit: list[tuple[object, ...]] = []
    host_names: list[str] = []
    for i in range(1, hosts + 1):
        kind = rnd.choice(KINDS)
        district = rnd.choice(DISTRICTS)
        suffix = {"enterprise": "有限公司", "university": "学院", "institute": "研究院"}[kind]
        name = f"柳州{rnd.choice(TOPICS)}{i:06d}{suffix}"
        host_names.append(name)
        code = f"9145{district[2:]}{i:08d}X"
        row = (
            name,
            code,
            kind,
            1,
            "柳州市工业和信息化局",
            district,
            f"柳州市{i}号路{i % 300}号",
            "active",
            i,
        )
        orgs.append((*row, CREATED))
        audit.append(_audit("organization", i, {"name": name, "credit_code": code, "kind": kind}, f"o{i}"))
    change_id = 0
    industry_id = 0
    for cid in range(1, n + 1):
        host_id = 1 + (cid - 1) % hosts
        end = rnd.choices(endings, weights)[0]
        steps = list(PATH[: PATH.index(end) + 1]) if end in PATH else [*PATH[:3], end]
        if end in ("rectifying", "revoked"):
            steps = [*PATH, end]
        start = date(2012, 1, 1) + timedelta(days=rnd.randrange(4800))
        on = start
        recognized_on = None
        previous = None
        for step in steps:
            change_id += 1
            doc = (
                f"柳科字〔{on.year}〕{rnd.randrange(1, 200)}号" if step in ("recognised", "revoked") else None
            )
            reason = {"draft": "新建申报", "recognised": "认定文件印发"}.get(step, "")
            changes.append(
                (cid, on.isoformat(), previous, step, doc, "科技局王科员", reason, change_id, CREATED)
            )
            audit.append(
                _audit("center_state_change", change_id, {"center_id": cid, "to_state": step}, f"c{cid}")
            )
            if step == "recognised":
                recognized_on = on
            previous = step
            on = on + timedelta(days=rnd.randrange(10, 120))
        topic = rnd.choice(TOPICS)
        name = f"柳州{topic}{cid:06d}工程技术研究中心（{host_names[host_id - 1]}）"
        plaque = f"LZGC-{cid:06d}" if recognized_on else None
        certificate = f"柳工研证{cid:06d}" if recognized_on else None
        centres.append(
            (
                name,
                "Liuzhou Engineering Technology Research Center",
                f"{topic}关键技术研究与产业化",
                host_id,
                previous,
                (on - timedelta(days=1)).isoformat(),
                recognized_on.isoformat() if recognized_on else None,
                plaque,
                certificate,
                cid,
                CREATED,
            )
        )
        audit.append(
            _audit("center", cid, {"name_zh": name, "host_id": host_id, "state": previous}, f"c{cid}")
        )
        for position in range(rnd.choice((1, 2, 2, 3))):
            industry_id += 1
            industries.append((cid, position, rnd.choice(INDUSTRIES), industry_id))
        if recognized_on is not None:
            recognitions.append(
                (
                    cid,
                    None,
                    None,
                    f"柳科字〔{recognized_on.year}〕{cid % 200 + 1}号",
                    recognized_on.isoformat(),
                    "柳州市工程技术研究中心",
                    plaque,
                    certificate,
                    "active",
                    cid,
                    CREATED,
                )
            )
        if rnd.random() < 0.85:
            pid = len(people) + 1
            people.append(
                (_person(rnd), host_id, host_names[host_id - 1], "director", "active", pid, CREATED)
            )
            directors.append((cid, pid, (recognized_on or start).isoformat(), "active", pid))
            audit.append(_audit("director_appointment", pid, {"center_id": cid, "person_id": pid}, f"c{cid}"))
    con = sqlite3.connect(str(path))
    try:
        with con:
            con.executemany(
                "INSERT INTO organization (name, credit_code, kind, first_level_legal_person, "
                "competent_department, district_code, address, status, id, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                orgs,
            )
            con.executemany(
                "INSERT INTO center (name_zh, name_en, research_direction, host_id, state, state_since, "
                "recognized_on, plaque_no, certificate_no, id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                centres,
            )
            con.executemany(
                "INSERT INTO center_industry (center_id, position, industry, id) VALUES (?,?,?,?)", industries
            )
            con.executemany(
                "INSERT INTO center_state_change (center_id, changed_on, from_state, to_state, document_no, "
                "operator, reason, id, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
                changes,
            )
            con.executemany(
                "INSERT INTO recognition (center_id, declaration_id, call_id, document_no, recognized_on, "
                "title_awarded, plaque_no, certificate_no, status, id, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                recognitions,
            )
            con.executemany(
                "INSERT INTO person (name, organization_id, organization_name, category, status, id, "
                "created_at) VALUES (?,?,?,?,?,?,?)",
                people,
            )
            con.executemany(
                "INSERT INTO director_appointment (center_id, person_id, appointed_on, status, id) "
                "VALUES (?,?,?,?,?)",
                directors,
            )
            con.executemany(
                'INSERT INTO audit_entry (operator, action, operation, entity, entity_id, "before", "after", '
                "txn, at) VALUES (?,?,?,?,?,?,?,?,?)",
                audit,
            )
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


BASELINE = r"""
import sys
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

app = QApplication(sys.argv[:1])
ROWS = [(f"柳州汽车零部件{i:06d}工程技术研究中心", f"柳州测试{i:06d}有限公司", "柳北区", "汽车", "已认定",
         "2020-01-01", "王伟") for i in range(10000)]

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(ROWS)
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 7
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return ROWS[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None

class Probe(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, done)
        return False

def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

def done():
    for what in ("painted", "loaded", "idle"):
        print(f"LZCENTER_STARTUP_PROBE {what} rows=10000 peak_kib={peak_kib()}", flush=True)
    app.quit()

view = QTableView()
model = Model()
view.setModel(model)
probe = Probe()
view.viewport().installEventFilter(probe)
view.resize(1366, 768)
view.show()
app.exec()
"""


@dataclass
class Run:
    painted_s: float  # the list painted with rows, the loop free
    painted_rows: int  # how many rows it had then (the first ones, or all)
    loaded_s: float  # every centre in the list
    loaded_peak_mib: float  # peak memory when every centre is loaded
    idle_peak_mib: float  # … and once the later work is done too


def _environment(scratch: Path, app_root: Path) -> dict[str, str]:
    """The children's environment: offscreen, the probe on, and bytecode written — to a private
    folder — as in an installed application (this machine's sessions set PYTHONDONTWRITEBYTECODE,
    which would compile every module from source on every start); their own data folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LZCENTER_DB")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env[PROBE_PREFIX] = "1"
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env["XDG_DATA_HOME"] = str(scratch / "data")
    env["PYTHONPATH"] = str(app_root)
    return env


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """Start ``argv``, time its probe lines, and collect its peak memory."""
    cwd = env.get("PYTHONPATH") or str(ROOT)
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True
    )
    assert child.stdout is not None
    seen: dict[str, tuple[float, dict[str, str]]] = {}
    for line in child.stdout:
        now = time.perf_counter()
        words = line.split()
        if len(words) >= 2 and words[0] == PROBE_PREFIX:
            seen[words[1]] = (now - start, dict(w.split("=", 1) for w in words[2:] if "=" in w))
    assert child.stderr is not None
    errors = child.stderr.read()
    returncode = child.wait()
    if returncode != 0 or not {"painted", "loaded", "idle"} <= seen.keys():
        raise RuntimeError(f"{argv} ended with {returncode} without its probe lines:\n{errors[-3000:]}")
    return Run(
        painted_s=seen["painted"][0],
        painted_rows=int(seen["painted"][1]["rows"]),
        loaded_s=seen["loaded"][0],
        loaded_peak_mib=int(seen["loaded"][1]["peak_kib"]) / 1024,
        idle_peak_mib=int(seen["idle"][1]["peak_kib"]) / 1024,
    )


def measure(argv: list[str], runs: int, env: dict[str, str]) -> list[Run]:
    run_once(argv, env)  # untimed: warms the disk cache and writes .pyc files
    return [run_once(argv, env) for _ in range(runs)]


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="centres per database, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to build the databases in and keep them (reused)")
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="the checkout whose application is started (default: this one; e.g. an export of the "
        "code before a change, to measure both with the same databases)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="lzcenter-startup-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        env = _environment(Path(tmp), args.app_root.resolve())
        python = sys.executable
        baseline = measure([python, "-c", BASELINE], args.runs, env)
        base = _median([r.painted_s for r in baseline])
        print(
            f"bare Qt (QTableView, 10,000 rows): painted median {base:.3f} s "
            f"(min {min(r.painted_s for r in baseline):.3f}), "
            f"peak {max(r.idle_peak_mib for r in baseline):.0f} MiB"
        )
        for n in sizes:
            path = folder / f"startup-{n}.sqlite"
            if not path.exists():
                t0 = time.perf_counter()
                build_database(path, n)
                print(
                    f"built {n:,} centres in {time.perf_counter() - t0:.1f} s "
                    f"({path.stat().st_size / 2**20:.1f} MiB)"
                )
            runs = measure([python, "-m", "lzcenter_desktop", "--db", str(path)], args.runs, env)
            painted = _median([r.painted_s for r in runs])
            loaded = _median([r.loaded_s for r in runs])
            rows = sorted({r.painted_rows for r in runs})
            print(
                f"{n:>7,} centres: painted median {painted:.3f} s (min {min(r.painted_s for r in runs):.3f}, "
                f"max {max(r.painted_s for r in runs):.3f}; rows then {'/'.join(map(str, rows))}), "
                f"ratio to bare Qt {painted / base:.2f}×; all loaded median {loaded:.3f} s; "
                f"peak {max(r.loaded_peak_mib for r in runs):.0f} MiB when loaded, "
                f"{max(r.idle_peak_mib for r in runs):.0f} MiB after the warm-up"
            )


if __name__ == "__main__":
    main()
