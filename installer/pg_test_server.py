#!/usr/bin/env python3
"""A private PostgreSQL server for the test suite's PostgreSQL run (standard library only).

    python3 installer/pg_test_server.py start   # prints the SQLAlchemy URL of the server
    python3 installer/pg_test_server.py stop

Debian's ``postgresql`` package is installed when missing (apt-get). The cluster lives in a
folder of its own under the system's temporary folder (one per checkout), listens only on a Unix
socket there, trusts local connections and runs without fsync (test data only, never a bureau's).
Run as root, the server runs as the ``postgres`` user the package creates (PostgreSQL refuses
root). ``start`` is idempotent: a running server is reused, a stopped one started again.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 55439
# Short, per checkout: a Unix socket path must stay under ~100 characters.
BASE = Path(tempfile.gettempdir()) / ("lzpg-" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:10])
DATA = BASE / "data"
LOG = BASE / "server.log"


def say(message: str) -> None:
    print(f"[pg-test-server] {message}", file=sys.stderr, flush=True)


def url() -> str:
    return f"postgresql+psycopg://postgres@/postgres?host={BASE}&port={PORT}"


def bin_dir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``: Debian keeps them out of PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parent.parent.name
    return tuple(int(p) for p in part.split(".") if p.isdigit())


def ensure_installed() -> Path:
    found = bin_dir()
    if found is not None:
        return found
    if not sys.platform.startswith("linux") or not shutil.which("apt-get"):
        raise SystemExit(
            "[pg-test-server] PostgreSQL is not installed and there is no apt-get: install PostgreSQL "
            "(initdb, pg_ctl on PATH) to run the suite on PostgreSQL"
        )
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say("installing Debian's postgresql package")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env, check=True)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
        env=env,
        check=True,
    )
    found = bin_dir()
    if found is None:
        raise SystemExit("[pg-test-server] postgresql was installed but initdb was not found")
    return found


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.name == "posix" and os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _running(bindir: Path) -> bool:
    if not (DATA / "PG_VERSION").exists():
        return False
    result = subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(DATA), "status"]), capture_output=True
    )
    return result.returncode == 0


def start() -> str:
    bindir = ensure_installed()
    if _running(bindir):
        return url()
    BASE.mkdir(parents=True, exist_ok=True)
    if os.name == "posix" and os.geteuid() == 0:
        shutil.chown(BASE, user="postgres")
    if not (DATA / "PG_VERSION").exists():
        if DATA.exists():
            shutil.rmtree(DATA)
        say(f"creating a test cluster in {DATA}")
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(DATA),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    options = (
        f"-p {PORT} -k {BASE} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_server_user(
            [str(bindir / "pg_ctl"), "-D", str(DATA), "-o", options, "-l", str(LOG), "-w", "start"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if _running(bindir):
            return url()
        time.sleep(0.2)
    raise SystemExit(f"[pg-test-server] the server did not start; see {LOG}")


def stop() -> None:
    bindir = bin_dir()
    if bindir is None or not _running(bindir):
        return
    subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(DATA), "-m", "fast", "-w", "stop"]),
        check=False,
        stdout=subprocess.DEVNULL,
    )


def main(argv: list[str]) -> int:
    if argv == ["start"]:
        print(start())
        return 0
    if argv == ["stop"]:
        stop()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
