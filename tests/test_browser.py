"""The frame-player notebook in a real browser: JupyterLab and Voilà in headless Chromium.

Each test serves a temporary copy of ``notebooks/00_frame_player.ipynb`` (synthetic
runner: ``RUNFORM_NOTEBOOK_SAMPLE=synthetic``) on 127.0.0.1 with a token and a free
port, runs it, moves the frame slider with the keyboard and checks that the readout
and the rendered frame changed; screenshots go to ``artifacts/``. Servers are stopped
by process id. See ``shared/notebook-testing.md`` for the pitfalls handled here.

Needs Debian's ``/usr/bin/chromium`` and the ``playwright`` Python package (never
``playwright install``), JupyterLab and Voilà; skipped otherwise.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_frame_player.ipynb"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    for mod in ("playwright", "jupyterlab", "voila", "ipywidgets"):
        if importlib.util.find_spec(mod) is None:
            return f"Python package {mod} is not installed"
    return None


pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(_missing() is not None, reason=str(_missing()))]


# ------------------------------------------------------------------ servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout} s:\n{log.read_text()[-3000:]}")


def kernel_pids(runtime_dir: Path) -> list[int]:
    """Processes whose command line names our private Jupyter runtime folder (kernels)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            with contextlib.suppress(OSError):
                if str(runtime_dir).encode() in (d / "cmdline").read_bytes():
                    out.append(int(d.name))
    return out


def stop(proc: subprocess.Popen, runtime_dir: Path) -> None:
    """SIGTERM by pid, then the process group after 10 s; then leftover kernels by pid."""
    kernels = kernel_pids(runtime_dir)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    deadline = time.monotonic() + 5
    for pid in kernels:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)


@pytest.fixture()
def workdir(tmp_path):
    """A served folder with a copy of the notebook, and an environment for the kernel."""
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(NOTEBOOK, served / NOTEBOOK.name)
    runtime = tmp_path / "runtime"
    env = dict(os.environ)
    env.update(
        RUNFORM_NOTEBOOK_SAMPLE="synthetic", RUNFORM_CACHE_DIR=str(tmp_path / "cache"),
        JUPYTER_RUNTIME_DIR=str(runtime), PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        MPLBACKEND="Agg",
    )
    return tmp_path, served, env, runtime


@contextlib.contextmanager
def server(cmd: list[str], ready_url: str, env: dict, runtime: Path, log: Path):
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True, stdin=subprocess.DEVNULL)
    try:
        wait_http(ready_url, proc, log)
        yield proc
    finally:
        stop(proc, runtime)


@contextlib.contextmanager
def browser(profile: Path, height: int = 1000):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": height})
        # offline: abort every request that is not to this machine (Voilà's CDN css)
        ctx.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"),
                  lambda route: route.abort())
        try:
            yield ctx.new_page()
        finally:
            ctx.close()


# ------------------------------------------------------------------ helpers
class Clock:
    """Prints the time of each phase (visible with ``pytest -s``)."""

    def __init__(self, name: str):
        self.name, self.t0 = name, time.monotonic()

    def __call__(self, what: str) -> None:
        print(f"[{self.name}] {time.monotonic() - self.t0:5.1f} s  {what}", flush=True)


def readout(page) -> str:
    return page.locator(".runform-player .runform-readout").first.inner_text()


def wait_frame(page, k: int, timeout: float = 20_000) -> None:
    page.wait_for_function(
        """k => { const r = document.querySelector('.runform-player .runform-readout');
                  return r && r.innerText.includes('frame ' + k + ' /'); }""",
        arg=k, timeout=timeout)


def frame_src(page) -> str:
    return page.locator(".runform-player img.runform-frame").first.get_attribute("src") or ""


def wait_stable(page, quiet_s: float = 0.3, timeout_s: float = 10.0) -> None:
    """Wait until the frame image has not changed for ``quiet_s`` seconds."""
    end = time.monotonic() + timeout_s
    last, since = frame_src(page), time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.05)
        now = frame_src(page)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


def press_right(page, n: int) -> None:
    handle = page.locator(".runform-player .runform-slider .noUi-handle").first
    handle.focus()
    for _ in range(n):
        page.keyboard.press("ArrowRight")


def frame_pixels(page) -> bytes:
    return page.locator(".runform-player img.runform-frame").first.screenshot()


def check_scrub(page, name: str, steps: int, clock) -> None:
    """Keyboard on the slider: readout and frame change; save screenshots."""
    wait_frame(page, 0, timeout=45_000)
    clock("player shown")
    wait_stable(page)
    before_src, before_px = frame_src(page), frame_pixels(page)
    before_text = readout(page)
    press_right(page, steps)
    wait_frame(page, steps)
    clock(f"{steps} x ArrowRight: readout updated")
    wait_stable(page)
    assert readout(page) != before_text
    assert frame_src(page) != before_src
    assert frame_pixels(page) != before_px
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".runform-player").first.screenshot(path=str(ARTIFACTS / f"{name}_player.png"))
    page.screenshot(path=str(ARTIFACTS / f"{name}_page.png"))


def notification_settings(folder: Path) -> Path:
    path = folder / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return folder


# -------------------------------------------------------------------- tests
def test_frame_player_in_jupyterlab(workdir):
    tmp, served, env, runtime = workdir
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", "--ServerApp.allow_root=True",
           f"--ServerApp.root_dir={served}", "--LabApp.expose_app_in_browser=True",
           f"--LabApp.user_settings_dir={notification_settings(tmp / 'settings')}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--LabApp.news_url=None"]
    clock = Clock("lab")
    with server(cmd, f"{base}/api/status?token={token}", env, runtime, tmp / "lab.log"), \
            browser(tmp / "profile") as page:
        clock("server and browser up")
        page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{NOTEBOOK.name}"
                  f"?token={token}", wait_until="domcontentloaded")
        page.wait_for_function(
            """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                       const k = w && w.sessionContext && w.sessionContext.session
                                 && w.sessionContext.session.kernel;
                       return k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
            timeout=45_000)
        clock("kernel idle")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        check_scrub(page, "lab", 5, clock)
        assert "frame 5 / 104" in readout(page)
        # play (slow motion) for a moment, then pause: the frame moved on and stays
        buttons = page.locator(".runform-player .widget-play button")
        buttons.nth(0).click()
        page.wait_for_function(
            """() => { const m = document.querySelector('.runform-player .runform-readout')
                       .innerText.match(/frame (\\d+) \\//); return m && +m[1] >= 9; }""",
            timeout=10_000)
        buttons.nth(1).click()
        wait_stable(page)
        paused = readout(page)
        time.sleep(0.4)
        assert readout(page) == paused
        clock("played and paused")
        _delete_sessions(base, token)


def _delete_sessions(base: str, token: str) -> None:
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(f"{base}/api/sessions/{s['id']}?token={token}",
                                     method="DELETE")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(req, timeout=5).close()


def test_frame_player_in_voila(workdir):
    tmp, served, env, runtime = workdir
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "voila", str(served / NOTEBOOK.name), "--no-browser",
           "--Voila.ip=127.0.0.1", f"--port={port}", "--Voila.port_retries=0",
           f"--token={token}", "--show_tracebacks=True"]
    clock = Clock("voila")
    with server(cmd, f"{base}/voila/static/voila.js", env, runtime, tmp / "voila.log"), \
            browser(tmp / "profile", height=3400) as page:
        clock("server and browser up")
        page.goto(f"{base}/?token={token}", wait_until="domcontentloaded")
        check_scrub(page, "voila", 3, clock)
        assert "frame 3 / 104" in readout(page)
        page.locator(".runform-player button", has_text="IC ▶").first.click()
        page.wait_for_function(
            """() => /(left|right) IC/.test(document.querySelector(
                     '.runform-player .runform-readout').innerText)""", timeout=10_000)
        clock("jumped to the next initial contact")
        if importlib.util.find_spec("ipyevents") is not None:
            # a click on the plot moves the player to the time under the pointer
            plot = page.locator(".runform-player img.runform-plot").first
            box = plot.bounding_box()
            plot.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.3})
            page.wait_for_function(
                """() => { const m = document.querySelector('.runform-player .runform-readout')
                           .innerText.match(/frame (\\d+) \\//); return m && +m[1] > 50; }""",
                timeout=10_000)
            frame = int(re.search(r"frame (\d+) /", readout(page)).group(1))
            clock(f"click on the plot: frame {frame}")
            assert frame > 50
            wait_stable(page)
            page.screenshot(path=str(ARTIFACTS / "voila_after_click_page.png"), full_page=True)
