"""The start-here notebook in a real browser: JupyterLab and Voilà in headless Chromium.

Each test serves the *student copy* of ``notebooks/00_start_here.ipynb`` (written by
``runform.teach`` into a temporary folder with no ``../shared`` beside it; the kernel has
no ``RUNFORM_DATA_DIR`` and is offline) on 127.0.0.1 with a token and a free port, runs
it, and checks what a student sees: a video frame of the rendered runner with the
skeleton drawn over it (compared pixel by pixel with the video itself), a slider step
that changes the frame, and an exercise answered wrong (a hint) then right (a
confirmation). Screenshots go to ``artifacts/``. Servers are stopped by process id.
Pitfalls handled: root, kernel-ready race, restored tabs, news pop-up, ports, tokens,
offline CDN requests (see the project's notebook-testing notes).

Needs Debian's ``/usr/bin/chromium`` and the ``playwright`` Python package (never
``playwright install``), JupyterLab and Voilà; skipped otherwise.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
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
NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"
SAMPLE = "rearfoot_treadmill"  # the clip the start-here notebook opens on
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    for mod in ("playwright", "jupyterlab", "voila", "ipywidgets"):
        if importlib.util.find_spec(mod) is None:
            return f"Python package {mod} is not installed"
    return None


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(_missing() is not None, reason=str(_missing())),
]


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
    """A served folder with the student copy, and a fresh student's kernel environment."""
    from runform import teach

    served = tmp_path / "served"
    teach.write_copies("student", NOTEBOOK, served)
    runtime = tmp_path / "runtime"
    env = {
        k: v for k, v in os.environ.items() if k not in ("RUNFORM_DATA_DIR", "RUNFORM_TEST_CACHE")
    }
    env.update(
        RUNFORM_CACHE_DIR=str(tmp_path / "cache"),
        RUNFORM_OFFLINE="1",
        JUPYTER_RUNTIME_DIR=str(runtime),
        MPLBACKEND="Agg",
    )
    assert not (served.parent / "shared").exists()
    return tmp_path, served, env, runtime


@contextlib.contextmanager
def server(cmd: list[str], ready_url: str, env: dict, runtime: Path, log: Path):
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            cmd,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
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
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": height},
        )
        # offline: abort every request that is not to this machine (Voilà's CDN css)
        ctx.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
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
        arg=k,
        timeout=timeout,
    )


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


def decode_png(png: bytes):
    import cv2
    import numpy as np

    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)


def check_runner_frame(png: bytes, k: int) -> dict:
    """The shown frame is video frame ``k`` of the sample with a skeleton drawn on it.

    Returns the figures compared: the correlation with the video frame (a stick figure on
    a plain background would not correlate), the median pixel difference (the video is
    shown as it is) and the difference at the near knee landmark (the skeleton is there).
    """
    import cv2
    import numpy as np

    from runform import data

    shown = decode_png(png)
    cap = cv2.VideoCapture(str(data.path(SAMPLE)))
    cap.set(cv2.CAP_PROP_POS_FRAMES, k)
    ok, video = cap.read()
    cap.release()
    assert ok
    h, w = shown.shape[:2]
    video = cv2.resize(video, (w, h), interpolation=cv2.INTER_AREA)
    diff = np.abs(shown.astype(int) - video.astype(int)).max(axis=2)
    corr = float(
        np.corrcoef(
            cv2.cvtColor(shown, cv2.COLOR_BGR2GRAY).ravel(),
            cv2.cvtColor(video, cv2.COLOR_BGR2GRAY).ravel(),
        )[0, 1]
    )
    lm = data.landmarks(SAMPLE)
    near = data.load_truth(SAMPLE)["near_side"]
    x, y = lm.point(f"{near}_knee")[k] * [w / lm.width, h / lm.height]
    patch = diff[int(y) - 4 : int(y) + 5, int(x) - 4 : int(x) + 5]
    figures = {
        "corr": corr,
        "median_diff": float(np.median(diff)),
        "knee_diff": float(patch.max()),
        "size": (w, h),
    }
    assert corr > 0.6, figures
    assert figures["median_diff"] < 12, figures
    assert figures["knee_diff"] > 60, figures
    return figures


def check_scrub(page, name: str, steps: int, clock) -> None:
    """Keyboard on the slider: readout and frame change; the frame is the runner video."""
    wait_frame(page, 0, timeout=60_000)
    clock("player shown")
    wait_stable(page)
    before_src, before_px = frame_src(page), frame_pixels(page)
    clock(f"frame 0 vs the video: {check_runner_frame(before_px, 0)}")
    before_text = readout(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".runform-player").first.screenshot(
        path=str(ARTIFACTS / f"{name}_player_frame0.png")
    )
    press_right(page, steps)
    wait_frame(page, steps)
    clock(f"{steps} x ArrowRight: readout updated")
    wait_stable(page)
    assert readout(page) != before_text
    assert frame_src(page) != before_src
    after_px = frame_pixels(page)
    assert after_px != before_px
    clock(f"frame {steps} vs the video: {check_runner_frame(after_px, steps)}")
    page.locator(".runform-player").first.screenshot(
        path=str(ARTIFACTS / f"{name}_player_frame{steps}.png")
    )


def answer_wrong_then_right(page, name: str, clock) -> None:
    """The first exercise: a wrong option shows a hint, the right one a confirmation."""
    ex = page.locator(".runform-exercise").filter(has_text="Landmarks.").first
    ex.scroll_into_view_if_needed()
    ex.get_by_text("Nothing: the point is missing in that frame").click()
    ex.locator("button.runform-check").click()
    hint = ex.locator(".runform-feedback .runform-hint")
    hint.wait_for(timeout=10_000)
    assert "Hint 1 of 2" in hint.inner_text()
    assert "always returns all 33 points" in ex.locator(".runform-wrong").inner_text()
    ex.screenshot(path=str(ARTIFACTS / f"{name}_exercise_wrong.png"))
    clock("wrong answer: hint shown")
    ex.get_by_text("A guessed position with a lower visibility score").click()
    ex.locator("button.runform-check").click()
    ex.locator(".runform-feedback .runform-correct").wait_for(timeout=10_000)
    assert ex.locator(".runform-hint").count() == 0
    ex.screenshot(path=str(ARTIFACTS / f"{name}_exercise_right.png"))
    clock("right answer: confirmation shown")


def lab_settings(folder: Path) -> Path:
    """No news pop-up; every cell kept in the page (no windowing) so widgets are found."""
    for rel, content in (
        (
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        ),
        ("@jupyterlab/notebook-extension/tracker.jupyterlab-settings", {"windowingMode": "none"}),
    ):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    return folder


# -------------------------------------------------------------------- tests
@pytest.mark.timeout(240)
def test_start_here_in_jupyterlab(workdir):
    tmp, served, env, runtime = workdir
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={served}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={lab_settings(tmp / 'settings')}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        "--LabApp.news_url=None",
    ]
    clock = Clock("lab")
    with (
        server(cmd, f"{base}/api/status?token={token}", env, runtime, tmp / "lab.log"),
        browser(tmp / "profile") as page,
    ):
        clock("server and browser up")
        page.goto(
            f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{NOTEBOOK.name}?token={token}",
            wait_until="domcontentloaded",
        )
        page.wait_for_function(
            """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                       const k = w && w.sessionContext && w.sessionContext.session
                                 && w.sessionContext.session.kernel;
                       return k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
            timeout=45_000,
        )
        clock("kernel idle")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.locator(".runform-player").first.scroll_into_view_if_needed(timeout=60_000)
        check_scrub(page, "lab", 1, clock)
        assert "frame 1 / 299" in readout(page)
        page.wait_for_function(
            """() => document.querySelectorAll('.runform-exercise').length >= 8""", timeout=60_000
        )
        answer_wrong_then_right(page, "lab", clock)
        page.screenshot(path=str(ARTIFACTS / "lab_page.png"))
        assert (
            "Error"
            not in page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            ).all_inner_texts()
        )
        _delete_sessions(base, token)


def _delete_sessions(base: str, token: str) -> None:
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(
            f"{base}/api/sessions/{s['id']}?token={token}", method="DELETE"
        )
        with contextlib.suppress(OSError):
            urllib.request.urlopen(req, timeout=5).close()


@pytest.mark.timeout(240)
def test_start_here_in_voila(workdir):
    tmp, served, env, runtime = workdir
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(served / NOTEBOOK.name),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--show_tracebacks=True",
    ]
    clock = Clock("voila")
    with (
        server(cmd, f"{base}/voila/static/voila.js", env, runtime, tmp / "voila.log"),
        browser(tmp / "profile", height=1200) as page,
    ):
        clock("server and browser up")
        page.goto(f"{base}/?token={token}", wait_until="domcontentloaded")
        check_scrub(page, "voila", 3, clock)
        assert "frame 3 / 299" in readout(page)
        page.locator(".runform-player button", has_text="IC ▶").first.click()
        page.wait_for_function(
            """() => /(left|right) IC/.test(document.querySelector(
                     '.runform-player .runform-readout').innerText)""",
            timeout=10_000,
        )
        clock("jumped to the next initial contact")
        answer_wrong_then_right(page, "voila", clock)
