"""A clerk's keyboard-only run of the real program under a real X server, with a screenshot per step
(issue 12): filter the 中心 list, a new declaration with typed dates, a committee change saved with
Ctrl+S, and closing the window with an unsaved edit, which asks 保存 / 不保存 / 取消.

Run it from the project folder:

    apt-get install -y xvfb xdotool imagemagick     # once (ImageMagick's ``import`` takes the shots)
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/keyboard_run.py [OUT_DIR]

OUT_DIR (default /tmp/keyboard_run/) receives ``NN-step.png`` for every step, ``demo.sqlite`` (the
demo database, built afresh) and ``run.log``; look at the PNGs. The program is started as a clerk
starts it (``python -m lzcenter_desktop --db OUT_DIR/demo.sqlite``) and driven by ``xdotool key`` /
``xdotool type`` only — no mouse, nothing called inside the program. Chinese is typed by xdotool
through a keysym it maps for the moment, as an input method would commit it.

``xvfb-run`` starts no window manager: nothing gives the keyboard back to the main window when a
dialog or the wizard closes (Windows does). The script says so in the log and then does what a
window manager does (``xdotool windowfocus``) — only at those points, and only when the keyboard
has really gone nowhere.

At the end the database is read (through the services) to check what the keys did: the new
declaration with its typed dates, the committee change saved, the unsaved change not saved. The
exit status is 0 when every check passed, 1 otherwise (each failure is in the log).
Without an X display (``DISPLAY`` unset) it stops at once with a message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

APP_TITLE = "柳州市工程技术研究中心管理系统"
UNSAVED_TITLE = "有未保存的修改"
ERRORS_TITLE = "记录中仍有错误"
YEAR_TITLE = "新建申报书"
CENTRE = "柳州螺蛳粉风味工程技术研究中心（柳州嘉铖食品科技有限公司）"
HOST = "柳州嘉铖食品科技有限公司"
# Tab presses from the navigation list to 任期结束日期 on the 委员会 page: 中心, 修改原因, 保存, the
# five file buttons, the tab bar, 届次, 换届, 添加委员, 移除委员, 上移, 下移, 任期自, 至 (the order
# is checked by tests/gui/test_tab_order_sections.py).
TABS_TO_TERM_END = 17
PAUSE = 0.5


class Run:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.count = 0
        self.failures: list[str] = []
        self.log_file = (out / "run.log").open("w", encoding="utf-8")

    # -- log, shots --------------------------------------------------------------------------------
    def log(self, text: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {text}"
        print(line, flush=True)
        self.log_file.write(line + "\n")
        self.log_file.flush()

    def check(self, ok: bool, what: str) -> None:
        self.log(("通过：" if ok else "未通过：") + what)
        if not ok:
            self.failures.append(what)

    def shot(self, name: str) -> Path:
        """The whole screen as OUT_DIR/NN-name.png."""
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        if shutil.which("import"):
            subprocess.run(["import", "-window", "root", str(path)], check=True)
        else:
            xwd_to_png(
                subprocess.run(["xwd", "-root", "-silent"], check=True, capture_output=True).stdout, path
            )
        self.log(f"截图 {path.name}")
        return path

    # -- keys ----------------------------------------------------------------------------------------
    def key(self, *keys: str, pause: float = PAUSE) -> None:
        """Keys as xdotool names them (``ctrl+s``, ``Tab``), pressed one after the other."""
        xdo("key", "--delay", "80", *keys)
        time.sleep(pause)

    def tab(self, times: int) -> None:
        self.key(*(["Tab"] * times))

    def type(self, text: str, pause: float = PAUSE) -> None:
        xdo("type", "--delay", "60", text)
        time.sleep(pause)

    # -- windows -------------------------------------------------------------------------------------
    def wait_for(self, title: str, timeout: float = 20.0) -> str | None:
        """The id of a visible window whose title contains ``title``, once there is one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = windows(title)
            if found:
                return found[-1]
            time.sleep(0.2)
        return None

    def wait_gone(self, title: str, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not windows(title):
                return True
            time.sleep(0.2)
        return False

    def keyboard_to(self, title: str) -> None:
        """What a window manager does when a window opens or closes: the keyboard goes to the window
        ``title`` — done here only when the X input focus is elsewhere (or nowhere), and logged."""
        target = self.wait_for(title, 10)
        if target is None:
            self.check(False, f"窗口“{title}”出现")
            return
        focus = xdo("getwindowfocus", check=False).strip()
        name = xdo("getwindowname", focus, check=False).strip() if focus.isdigit() and int(focus) > 1 else ""
        if title in name:
            return
        self.log(f"键盘焦点不在“{title}”（在“{name or '无'}”）：没有窗口管理器，按窗口管理器的做法交给它")
        xdo("windowfocus", "--sync", target)
        time.sleep(PAUSE)


def xdo(*args: str, check: bool = True) -> str:
    done = subprocess.run(["xdotool", *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"xdotool {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def windows(title: str) -> list[str]:
    return xdo("search", "--onlyvisible", "--name", title, check=False).split()


def xwd_to_png(data: bytes, path: Path) -> None:
    """An ``xwd -root`` dump (ZPixmap, 24 or 32 bits per pixel, as Xvfb writes it) saved as PNG."""
    import struct

    from PySide6.QtGui import QImage

    header = struct.unpack(">25I", data[:100])
    header_size, width, height = header[0], header[4], header[5]
    bits_per_pixel, line_bytes, colours = header[11], header[12], header[19]
    if bits_per_pixel != 32:
        raise RuntimeError(f"xwd：不支持每像素 {bits_per_pixel} 位的截图，请安装 ImageMagick")
    start = header_size + colours * 12
    pixels = data[start : start + line_bytes * height]
    byte_order = header[7]  # 0: LSBFirst — BGRA in memory, which QImage.Format_RGB32 reads
    if byte_order != 0:
        pixels = b"".join(pixels[i : i + 4][::-1] for i in range(0, len(pixels), 4))
    image = QImage(pixels, width, height, line_bytes, QImage.Format.Format_RGB32)
    if not image.copy().save(str(path)):
        raise RuntimeError(f"未能保存截图 {path}")


# -- the steps -------------------------------------------------------------------------------------------


def filter_the_centres(run: Run) -> None:
    run.key("ctrl+1")
    run.shot("centres")
    run.key("ctrl+f")  # 编辑 → 查找中心
    run.type("汽车", pause=1.0)
    run.shot("centres-filtered")
    run.tab(4)  # past 县区, 产业, 状态 to the list
    run.key("Down", "Return", pause=1.5)
    run.shot("centres-detail")
    run.key("Escape", pause=1.0)
    run.shot("centres-filter-cleared")


def new_declaration(run: Run) -> None:
    run.key("ctrl+2", pause=1.5)
    run.shot("declarations")
    run.key("alt+n")
    run.check(run.wait_for(YEAR_TITLE, 10) is not None, "Alt+N 打开“新建申报书”的年度询问")
    run.keyboard_to(YEAR_TITLE)
    run.key("ctrl+a")
    run.type("2026")
    run.shot("declaration-year")
    run.key("Return")
    run.check(run.wait_for("2026 年度", 20) is not None, "申报书填写向导打开")
    time.sleep(1.0)
    run.keyboard_to("2026 年度")
    run.shot("wizard-opened")
    run.type("2026/5/20")
    run.key("Tab")
    run.type(CENTRE)
    run.key("Tab")
    run.type("Liuzhou Luosifen Flavour Research Center of Engineering Technology")
    run.key("Tab")
    run.type("螺蛳粉风味保持与工业化生产")
    run.key("Tab", "space", "Tab")  # the first 重点产业领域 ticked with the space bar
    run.type("20150301")
    run.key("Return")  # finishes the date; the page stays
    run.shot("wizard-first-page-typed")
    run.key("ctrl+Return", pause=1.0)  # the next page
    run.type(HOST)
    run.shot("wizard-host-page")
    run.key("Escape", pause=1.5)  # closes the wizard (everything was saved as it was typed)
    run.check(run.wait_gone("2026 年度", 10), "Esc 关闭申报书填写向导")
    run.keyboard_to(APP_TITLE)
    run.shot("declarations-after-wizard")


def to_term_end(run: Run) -> None:
    """From anywhere: Ctrl+F (the 中心 filter), Shift+Tab (the navigation), Ctrl+4, Tab to 任期结束日期."""
    run.key("ctrl+f", "shift+Tab", "ctrl+4", pause=2.0)
    run.tab(TABS_TO_TERM_END)


def save_a_committee_change(run: Run) -> None:
    to_term_end(run)
    run.shot("committees")
    run.key("ctrl+a")
    run.type("2028/1/31")
    run.key("ctrl+s", pause=1.0)  # the reason is required: the page says so and puts the keyboard there
    run.shot("committees-reason-asked")
    run.type("更正任期结束日期")
    run.key("ctrl+s", pause=1.5)
    if run.wait_for(ERRORS_TITLE, 2):
        run.keyboard_to(ERRORS_TITLE)
        run.shot("committees-errors-asked")
        run.key("alt+s", pause=1.5)  # 保存 anyway: the errors stay listed on the page
        run.keyboard_to(APP_TITLE)
    run.shot("committees-saved")


def close_with_an_unsaved_change(run: Run) -> None:
    to_term_end(run)
    run.key("ctrl+a")
    run.type("2028/1/30")
    run.key("Tab")  # taken into the record: an unsaved change
    run.shot("committees-unsaved")
    run.key("alt+f", pause=0.8)
    run.shot("menu-file")
    run.key("x", pause=1.0)  # 退出
    run.check(run.wait_for(UNSAVED_TITLE, 10) is not None, "关闭窗口时询问“保存 / 不保存 / 取消”")
    run.keyboard_to(UNSAVED_TITLE)
    run.shot("close-asked")
    run.key("Escape", pause=1.0)  # 取消: the window stays
    run.check(run.wait_gone(UNSAVED_TITLE, 5) and bool(windows(APP_TITLE)), "取消后主窗口仍在")
    run.keyboard_to(APP_TITLE)
    run.shot("close-cancelled")
    run.key("alt+f", "x", pause=1.0)
    run.check(run.wait_for(UNSAVED_TITLE, 10) is not None, "再次退出时又询问")
    run.keyboard_to(UNSAVED_TITLE)
    run.key("alt+n", pause=1.5)  # 不保存


# -- the run ----------------------------------------------------------------------------------------------


def check_the_database(run: Run, db: Path, declarations_before: int, centre_id: int) -> None:
    from lzcenter_desktop.services import committees
    from lzcenter_desktop.services import declarations as decl
    from lzcenter_desktop.services.context import open_app

    ctx = open_app(str(db))
    try:
        rows = decl.list_declarations(ctx)
        run.check(
            len(rows) == declarations_before + 1, f"新建了一份申报书（{declarations_before} → {len(rows)}）"
        )
        newest = max(rows, key=lambda r: r.id)
        data = decl.get_declaration(ctx, newest.id).data
        run.check(
            data.get("application_date") == "2026-05-20",
            f"申报日期按“2026/5/20”存为 {data.get('application_date')}",
        )
        center = data.get("center") or {}
        run.check(
            center.get("rd_org_established") == "2015-03-01",
            f"研发机构成立日期按“20150301”存为 {center.get('rd_org_established')}",
        )
        run.check(center.get("name_zh") == CENTRE, f"中心名称（中文）存为 {center.get('name_zh')}")
        run.check((data.get("host") or {}).get("name") == HOST, "依托单位名称已保存")
        terms = committees.load_committees(ctx, center_id=centre_id).expert_committee_terms
        end = terms[-1].end if terms else None
        run.check(
            end == date(2028, 1, 31),
            f"委员会修改（Ctrl+S）已保存：任期结束日期 {end}；未保存的修改（2028-01-30）已放弃",
        )
    finally:
        ctx.db.dispose()


def main(argv: list[str]) -> int:
    if not os.environ.get("DISPLAY"):
        print(
            '没有 X 显示：请用 xvfb-run -a -s "-screen 0 1366x768x24" 运行本脚本（见文件开头）',
            file=sys.stderr,
        )
        return 2
    for tool in ("xdotool",):
        if shutil.which(tool) is None:
            print(f"缺少 {tool}：apt-get install -y xvfb xdotool imagemagick", file=sys.stderr)
            return 2
    out = Path(argv[0] if argv else "/tmp/keyboard_run").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    run = Run(out)
    db = out / "demo.sqlite"
    db.unlink(missing_ok=True)
    env = dict(os.environ, XDG_DATA_HOME=str(out / "data"), LZCENTER_OPERATOR="键盘测试")
    env.pop("QT_QPA_PLATFORM", None)  # the real X server, not offscreen
    python = [sys.executable, "-m", "lzcenter_desktop", "--db", str(db)]
    subprocess.run([*python, "demo"], check=True, cwd=ROOT, env=env, capture_output=True)
    run.log(f"演示数据库：{db}")

    from lzcenter_desktop.services import committees
    from lzcenter_desktop.services import declarations as decl
    from lzcenter_desktop.services.context import open_app

    ctx = open_app(str(db))
    declarations_before = len(decl.list_declarations(ctx))
    centre_id = committees.list_committee_centres(ctx)[0].id  # the one the 委员会 page opens first
    ctx.db.dispose()

    app = subprocess.Popen(
        python, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    steps: list[Callable[[Run], None]] = [
        filter_the_centres,
        new_declaration,
        save_a_committee_change,
        close_with_an_unsaved_change,
    ]
    try:
        window = run.wait_for(APP_TITLE, 60)
        if window is None:
            run.check(False, "主窗口在 60 秒内打开")
            return 1
        time.sleep(2.0)  # the centre list is read in the background
        geometry = xdo("getwindowgeometry", window)
        run.log("主窗口：" + " ".join(geometry.split()))
        run.shot("start")
        run.keyboard_to(APP_TITLE)  # a window manager gives the keyboard to a new window
        for step in steps:
            run.log(f"—— {step.__name__}")
            step(run)
        try:
            code = app.wait(20)
            run.check(code == 0, f"程序在“不保存”后退出（退出码 {code}）")
        except subprocess.TimeoutExpired:
            run.shot("still-open")
            run.check(False, "程序在“不保存”后退出")
    finally:
        if app.poll() is None:
            app.terminate()
            app.wait(10)
        output = app.stdout.read() if app.stdout is not None else ""
        if output.strip():
            run.log("程序输出：\n" + output.strip())
    check_the_database(run, db, declarations_before, centre_id)
    run.log(f"截图在 {out}；{'全部通过' if not run.failures else '未通过：' + '；'.join(run.failures)}")
    return 0 if not run.failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
