"""Binder opens ready: what repo2docker reads in ``binder/`` is consistent and runs.

Without Docker the image cannot be built here; these tests check what can be checked:
the Python pin agrees with the package, the requirements install this repository and
nothing that fights MediaPipe's OpenCV, the system library OpenCV loads is listed,
``postBuild`` is executable and, run offline in a copy of the repository, writes the
student copy the README badge opens, and the badge opens JupyterLab on it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def _badge_url() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
    assert m, "README has no Binder badge link"
    return m.group(1)


def test_runtime_pins_a_python_the_package_supports():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert m, f"binder/runtime.txt should read python-3.X, got {runtime!r}"
    minor = int(m.group(1))
    pyproject = (ROOT / "pyproject.toml").read_text()
    spec = re.search(r'^requires-python = "([^"]+)"', pyproject, re.M).group(1)
    lo, hi = (int(x) for x in re.findall(r"3\.(\d+)", spec))
    assert lo <= minor < hi, (runtime, spec)  # ">=3.10,<3.13"; mediapipe 0.10.21 has cp310-312


def test_requirements_install_this_repository_without_a_second_opencv():
    lines = [
        ln.strip()
        for ln in (BINDER / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    assert any(re.fullmatch(r"(-e\s+)?\.(\[[\w,]+\])?", ln) for ln in lines), lines
    assert not any(ln.startswith("opencv-python") for ln in lines), "two cv2 wheels would fight"


def test_apt_lists_the_library_opencv_loads():
    pkgs = [
        ln.strip() for ln in (BINDER / "apt.txt").read_text().splitlines() if ln.strip()[:1] != "#"
    ]
    assert "libgl1" in pkgs  # opencv-contrib-python dlopens libGL.so.1 at import


def test_postbuild_is_an_executable_strict_script():
    post = BINDER / "postBuild"
    text = post.read_text()
    assert text.startswith("#!/bin/bash") and "set -euo pipefail" in text
    mode = subprocess.run(
        ["git", "ls-files", "-s", "binder/postBuild"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    if mode:  # a git checkout: the executable bit is what repo2docker gets
        assert mode.startswith("100755"), mode
    else:
        assert os.access(post, os.X_OK)


def test_badge_opens_jupyterlab_on_the_start_here_student_copy():
    url = urlparse(_badge_url())
    (path,) = parse_qs(url.query)["urlpath"]
    assert path.startswith("lab/tree/"), path  # JupyterLab, not the classic notebook
    assert path.removeprefix("lab/tree/") == "notebooks/student/00_start_here.ipynb"


@pytest.mark.timeout(300)
def test_postbuild_runs_offline_and_writes_what_the_badge_opens(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "notebooks", repo / "notebooks")
    shutil.copytree(BINDER, repo / "binder")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k not in ("RUNFORM_DATA_DIR", "RUNFORM_TEST_CACHE")
    }
    env.update(
        HOME=str(home),
        MPLCONFIGDIR=str(home / "mpl"),
        RUNFORM_OFFLINE="1",
        RUNFORM_CACHE_DIR=str(home / "cache"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    run = subprocess.run(
        ["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    masters = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    students = sorted(p.name for p in (repo / "notebooks" / "student").glob("*.ipynb"))
    assert students == masters
    (path,) = parse_qs(urlparse(_badge_url()).query)["urlpath"]
    assert (repo / path.removeprefix("lab/tree/")).is_file()
    assert "landmarks shipped" in run.stdout  # every bundled sample was checked
