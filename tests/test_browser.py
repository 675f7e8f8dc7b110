"""The notebooks in a real browser: JupyterLab and Voilà in headless Chromium.

Every notebook (``notebooks/*.ipynb``, parametrized) gets a smoke test in JupyterLab: run
all, every code cell executed with no error output, and the first slider, stepped with the
keyboard, changes what its cell shows. The start-here notebook and the clinic app of
notebook 05 get deeper tests (below).

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


def student_env(tmp: Path, runtime: Path) -> dict:
    """A fresh student's kernel environment: no shared data or test cache, offline, its own
    pose cache under ``tmp`` and Jupyter runtime folder ``runtime``."""
    drop = ("RUNFORM_DATA_DIR", "RUNFORM_TEST_CACHE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        RUNFORM_CACHE_DIR=str(tmp / "cache"),
        RUNFORM_OFFLINE="1",
        JUPYTER_RUNTIME_DIR=str(runtime),
        MPLBACKEND="Agg",
    )
    return env


@pytest.fixture()
def workdir(tmp_path):
    """A served folder with the student copy, and a fresh student's kernel environment."""
    from runform import teach

    served = tmp_path / "served"
    teach.write_copies("student", NOTEBOOK, served)
    runtime = tmp_path / "runtime"
    env = student_env(tmp_path, runtime)
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
def lab_command(tmp: Path, served: Path, port: int, token: str) -> list[str]:
    """JupyterLab on 127.0.0.1:port serving ``served``, with private settings."""
    return [
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


def open_notebook(page, base: str, token: str, name: str) -> None:
    """Open a notebook in a fresh workspace and wait until its kernel is idle."""
    page.goto(
        f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{name}?token={token}",
        wait_until="domcontentloaded",
    )
    page.wait_for_function(
        """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                   const k = w && w.sessionContext && w.sessionContext.session
                             && w.sessionContext.session.kernel;
                   return k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
        timeout=60_000,
    )


@pytest.mark.timeout(240)
def test_start_here_in_jupyterlab(workdir):
    tmp, served, env, runtime = workdir
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    cmd = lab_command(tmp, served, port, token)
    clock = Clock("lab")
    with (
        server(cmd, f"{base}/api/status?token={token}", env, runtime, tmp / "lab.log"),
        browser(tmp / "profile") as page,
    ):
        clock("server and browser up")
        open_notebook(page, base, token, NOTEBOOK.name)
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


# ------------------------------------------------------- every notebook: smoke test
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: State of the open notebook: code cells not yet executed, error outputs, kernel status.
RUN_STATE_JS = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const k = w.sessionContext.session && w.sessionContext.session.kernel;
    let pending = 0; const errors = [];
    w.content.widgets.forEach((c, i) => {
        if (c.model.type !== 'code') return;
        if (c.model.executionCount === null || c.model.executionCount === undefined) pending++;
        const outs = c.model.outputs;
        for (let j = 0; j < outs.length; j++) {
            const o = outs.get(j).toJSON();
            if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
            if (o.output_type === 'stream' && o.name === 'stderr'
                && String(o.text).includes('Traceback')) errors.push(`cell ${i}: ${o.text}`);
        }
    });
    return {pending, errors, status: k ? k.status : 'none'};
}"""

#: What a cell shows, minus its sliders: text and a hash of every image source.
CELL_VIEW_JS = """cell => {
    const area = cell.querySelector('.jp-Cell-outputArea').cloneNode(true);
    area.querySelectorAll('.widget-slider, .jupyter-widget-slider, .widget-readout')
        .forEach(e => e.remove());
    const hash = s => { let h = 0; for (let i = 0; i < s.length; i++)
                          h = (h * 31 + s.charCodeAt(i)) | 0; return h; };
    const imgs = [...area.querySelectorAll('img')].map(i => hash(i.src));
    return area.textContent + '|' + imgs.join(',');
}"""


@pytest.fixture(scope="module")
def lab_all(tmp_path_factory):
    """One JupyterLab serving the student copies of every notebook (each test opens its own
    browser: a Playwright session left open across tests would block the next test's)."""
    from runform import teach

    tmp = tmp_path_factory.mktemp("lab-all")
    served, runtime = tmp / "served", tmp / "runtime"
    for nb in NOTEBOOKS:
        teach.write_copies("student", nb, served)
    env = student_env(tmp, runtime)
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    with server(
        lab_command(tmp, served, port, token),
        f"{base}/api/status?token={token}",
        env,
        runtime,
        tmp / "lab.log",
    ):
        yield tmp, base, token


def run_all_and_wait(page, timeout_s: float) -> dict:
    """Run every cell; wait until all code cells ran and the kernel is idle (or an error)."""
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        time.sleep(0.5)
        state = page.evaluate(RUN_STATE_JS)
        if state["errors"] or (state["pending"] == 0 and state["status"] == "idle"):
            return state
    return page.evaluate(RUN_STATE_JS)


def first_visible_slider(page):
    handles = page.locator(".jp-OutputArea .noUi-handle")
    for i in range(handles.count()):
        if handles.nth(i).is_visible():
            return handles.nth(i)
    return None


@pytest.mark.timeout(300)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab_and_a_slider_changes_its_output(lab_all, path):
    tmp, base, token = lab_all
    with browser(tmp / f"profile-{path.stem}") as page:
        _smoke(page, base, token, path)


def _smoke(page, base: str, token: str, path: Path) -> None:
    clock = Clock(path.stem[:12])
    open_notebook(page, base, token, path.name)
    clock("kernel idle")
    state = run_all_and_wait(page, timeout_s=180)
    clock(f"ran: {state}")
    assert not state["errors"], f"{path.name}: error output in JupyterLab: {state['errors']}"
    assert state["pending"] == 0, f"{path.name}: {state['pending']} code cells did not run"
    handle = first_visible_slider(page)
    assert handle is not None, f"{path.name} shows no slider"
    handle.scroll_into_view_if_needed()
    cell = handle.locator(
        "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), "
        "' '), ' jp-CodeCell ')][1]"
    )
    before = cell.evaluate(CELL_VIEW_JS)
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + 20
    after = before
    while after == before and time.monotonic() < deadline:
        time.sleep(0.2)
        after = cell.evaluate(CELL_VIEW_JS)
    assert after != before, f"{path.name}: 3 x ArrowRight on the first slider changed nothing"
    settled, quiet = time.monotonic() + 10, time.monotonic()
    while time.monotonic() < settled and time.monotonic() - quiet < 1.0:  # last step drawn
        time.sleep(0.2)
        now = cell.evaluate(CELL_VIEW_JS)
        if now != after:
            after, quiet = now, time.monotonic()
    ARTIFACTS.mkdir(exist_ok=True)
    cell.screenshot(path=str(ARTIFACTS / f"lab_{path.stem}_slider.png"))
    clock("slider moved: its cell's output changed")
    _delete_sessions(base, token)


# ------------------------------------------------- notebook 05: the clinic app in Voilà
CLINIC = ROOT / "notebooks" / "05_your_runner.ipynb"
#: The Voilà command of the README (uploads up to 200 MB).
VOILA_UPLOAD_SETTING = "--Voila.tornado_settings={'websocket_max_message_size': 209715200}"


def _upload(page, name: str, content: bytes, mime: str = "video/mp4") -> None:
    """Pick a file with the upload button (ipywidgets opens the browser's file chooser
    from an input it never attaches to the page), then press Analyse."""
    app = page.locator(".runform-clinic").first
    with page.expect_file_chooser() as chooser:
        app.locator(".widget-upload, .jupyter-widget-upload").first.click()
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": content})
    page.wait_for_function(
        """() => /Upload video \\(1\\)/.test(
        document.querySelector('.runform-clinic').innerText)""",
        timeout=30_000,
    )
    app.get_by_role("button", name="Analyse").click()


def _status(page) -> str:
    return page.locator(".runform-clinic").first.inner_text()


@pytest.mark.timeout(300)
def test_clinic_app_in_voila_uploads_analyses_compares(tmp_path):
    """Notebook 05 served as the README says: the sample analysed at start, a broken
    upload answered with runform's message, a 12 MB upload past the server's default
    limit, a real upload (the overstriding sample's video, through the browser, MediaPipe
    in the kernel) analysed with its reaching finding (shank 27° against a 15° threshold:
    not borderline, so any tracking history finds it), written under a safe
    name inside the working folder, compared with the sample, and the report offered as a
    download link that holds the report."""
    import base64

    from runform import data, teach

    served, runtime = tmp_path / "served", tmp_path / "runtime"
    teach.write_copies("student", CLINIC, served)
    env = student_env(tmp_path, runtime)
    port, token = free_port(), uuid.uuid4().hex
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(served / CLINIC.name),
        VOILA_UPLOAD_SETTING,
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--show_tracebacks=True",
    ]
    clock = Clock("clinic")
    ARTIFACTS.mkdir(exist_ok=True)
    # a page tall enough for the whole app: Voilà scrolls inside a container, which
    # Chromium's element and full-page screenshots leave blank below the viewport
    with (
        server(cmd, f"{base}/voila/static/voila.js", env, runtime, tmp_path / "voila.log"),
        browser(tmp_path / "profile", height=9000) as page,
    ):
        page.goto(f"{base}/?token={token}", wait_until="domcontentloaded")
        page.get_by_text("measurements changed beyond their uncertainty").first.wait_for(
            timeout=120_000
        )
        clock("sample analysed and compared at start")
        assert "Done: rearfoot_treadmill" in _status(page)
        page.screenshot(path=str(ARTIFACTS / "voila_clinic_start.png"))
        # a text file named like a video, with a hostile name: runform's message, no traceback
        _upload(page, "../../my bad clip.MP4", b"this is not a video")
        err = page.locator(".runform-clinic .runform-error").first
        err.wait_for(timeout=30_000)
        assert "is a text file, not a video" in err.inner_text()
        assert "Traceback" not in page.content()
        work = served / "runform-work"
        # written under the safe name inside uploads/, then removed as unusable
        assert (work / "uploads").is_dir() and not list((work / "uploads").glob("my*"))
        assert not list(tmp_path.glob("my*")) and not list(served.glob("my*"))
        clock("broken upload: clear message, not kept")
        # 12 MB: past the web server's 10 MB default, so the README's setting is in force
        _upload(page, "big.mp4", bytes(12_000_000))
        page.get_by_text("Cannot read big.mp4 as a video").first.wait_for(timeout=60_000)
        # the kernel read it (the websocket took 12 MB), then removed it as unusable
        assert not (work / "uploads" / "big.mp4").exists()
        clock("12 MB upload arrived (then refused as not a video, not kept)")
        # a real video through the browser: pose model in the kernel, then findings
        _upload(page, "overstride (phone).mp4", data.path("overstride_treadmill").read_bytes())
        page.get_by_text("Done: overstride_phone.mp4").wait_for(timeout=180_000)
        clock("uploaded video analysed")
        page.screenshot(path=str(ARTIFACTS / "voila_clinic_upload.png"))
        present = page.locator(".runform-clinic .card.present").all_inner_texts()
        assert any("Reaching out with the lower leg" in t for t in present), present
        assert (work / "results" / "overstride_phone" / "report.html").is_file()
        href = page.locator("a.runform-download[download='report.html']").first.get_attribute(
            "href"
        )
        assert href.startswith("data:text/html;base64,")
        assert "Running form report" in base64.b64decode(href.split(",", 1)[1]).decode()
        # before/after: the sample vs the upload
        app = page.locator(".runform-clinic").first
        app.locator(".widget-dropdown", has_text="before").locator("select").select_option(
            "rearfoot_treadmill"
        )
        app.locator(".widget-dropdown", has_text="after").locator("select").select_option(
            "overstride_phone.mp4"
        )
        app.get_by_role("button", name="Compare").click()
        page.get_by_text("rearfoot_treadmill → overstride_phone.mp4").first.wait_for(timeout=60_000)
        clock("compared the sample with the upload")
        page.screenshot(path=str(ARTIFACTS / "voila_clinic_compare.png"))
