"""Offline use: no network at import or during analysis, MediaPipe loaded only on demand,
and nothing in the package that can run code hidden in a data file (pickle, eval).

An offline classroom pays every network timeout; a hostile cache or CSV must not run
code. Network use is caught by replacing ``socket.socket.connect`` (and the name
lookups) with a function that records the attempt and raises.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import runform as rf
from runform import RunformWarning

try:
    from tests.support import corpus as C
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from support import corpus as C

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "runform"

GUARD = """
import json, socket, sys
ATTEMPTS = []
def _blocked(*args, **kwargs):
    ATTEMPTS.append(repr(args)[:200])
    raise OSError("network disabled by test_offline")
_connect = socket.socket.connect
def connect(self, address):
    if self.family == getattr(socket, "AF_UNIX", None):
        return _connect(self, address)
    _blocked(address)
socket.socket.connect = connect
socket.socket.connect_ex = connect
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
"""


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Make every internet connection or name lookup in this process fail loudly."""
    attempts: list = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect(self, address)
        attempts.append(address)
        raise NetworkUsed(f"network connection attempted to {address!r}")

    def lookup(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"name lookup attempted for {args!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", lookup)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    yield attempts
    assert attempts == [], f"network used: {attempts}"


def run_child(code: str, env_extra: dict | None = None, prefix: tuple = ()):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.run(
        [*prefix, sys.executable, "-c", GUARD + code],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_import_runform_loads_no_mediapipe_and_no_network():
    res = run_child("""
import runform, runform.cli, runform.data
heavy = sorted(m for m in ("mediapipe", "pooch", "requests", "urllib3", "tensorflow")
               if m in sys.modules)
print(json.dumps({"heavy": heavy, "attempts": ATTEMPTS}))
""")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out == {"heavy": [], "attempts": []}


def test_keypoints_csv_analysis_is_offline(tmp_path, no_network):
    from runform.model import simulate

    csv = rf.io.write_keypoints_csv(
        simulate(fps=60, duration_s=3.0).to_clip(), tmp_path / "runner.csv"
    )
    clip = rf.read_keypoints_csv(csv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)
        cleaned = clip.clean().oriented()
        table = cleaned.angles()
        result = rf.analyze(csv, fps=60)
    assert len(table) == clip.n_frames == 180
    rf.save_analysis(result, tmp_path / "out")
    assert (tmp_path / "out" / "metrics.json").is_file()
    assert np.isfinite(result.metrics["cadence_spm"].value)


BUNDLED_CSV = ROOT / "data" / "keypoints" / "sim_rearfoot_60fps_keypoints.csv"


@pytest.mark.skipif(not BUNDLED_CSV.is_file(), reason=f"{BUNDLED_CSV} not in this checkout")
def test_bundled_keypoints_csv_analysis_is_offline(tmp_path, no_network):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)
        result = rf.analyze(BUNDLED_CSV, fps=60)
    rf.save_analysis(result, tmp_path / "out")
    assert np.isfinite(result.metrics["cadence_spm"].value)


def test_bundled_sample_and_offline_remote(tmp_path, no_network, monkeypatch):
    from runform import DataError, data

    bundled = data.names("bundled")
    assert len(bundled) >= 7
    for name in bundled:  # package data: always present, verified by sha256, no network
        p = data.path(name)
        assert p.is_file()
        with rf.Video(p) as vid:
            assert len(vid) > 1
    monkeypatch.setenv("RUNFORM_OFFLINE", "1")
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("RUNFORM_DATA_DIR", raising=False)
    for name in data.names("remote"):
        with pytest.raises(DataError):
            data.path(name)


def test_pose_extraction_is_offline(tmp_path, no_network):
    """MediaPipe's full model ships in the wheel: no download, no connection."""
    if C.person_source() is None:
        path = C.plain_video(tmp_path / "empty.mp4", n_frames=10, size=(320, 240))
        with pytest.raises(rf.PoseError):
            rf.extract_pose(path, progress=False)
        return
    path = C.person_video(tmp_path / "runner.mp4", 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)
        clip = rf.extract_pose(path, progress=False)
    assert clip.provenance["detection_rate"] > 0.5


@pytest.mark.skipif(
    shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root and unshare(1) to drop the network namespace",
)
def test_pose_extraction_without_any_network_interface(tmp_path):
    """The strongest check: a child process with no network at all (not even for C++)."""
    if subprocess.run(["unshare", "-n", "true"], check=False).returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    path = C.plain_video(tmp_path / "empty.mp4", n_frames=6, size=(320, 240))
    res = run_child(
        f"""
import runform
try:
    runform.extract_pose({str(path)!r}, progress=False)
except runform.PoseError as exc:
    print("POSE-ERROR", exc)
""",
        {"RUNFORM_CACHE_DIR": str(tmp_path / "c")},
        prefix=("unshare", "-n"),
    )
    assert res.returncode == 0, res.stderr
    assert "POSE-ERROR No person was detected" in res.stdout


# ------------------------------------------------------------ no unsafe loading
def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            owner = (
                f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            )
            yield node, owner, name


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_pickle_eval_or_unsafe_load(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            banned = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib"}
            if module.name == "cli_batch.py":  # joblib.Parallel runs clips; never joblib.load
                banned.discard("joblib")
            assert not banned & set(m.split(".")[0] for m in mods), (
                f"{module.name}:{node.lineno} imports {mods}"
            )
    for node, owner, name in _calls(tree):
        where = f"{module.name}:{node.lineno}"
        assert not (owner == "joblib" and name in ("load", "dump")), where
        assert name not in ("eval", "exec", "read_pickle", "to_pickle") or owner not in (
            "",
            "builtins",
            "pd",
            "pandas",
        ), f"{where} calls {name}"
        if name == "load" and owner in ("np", "numpy"):
            kw = {k.arg: k.value for k in node.keywords}
            assert (
                "allow_pickle" in kw
                and isinstance(kw["allow_pickle"], ast.Constant)
                and kw["allow_pickle"].value is False
            ), f"{where}: np.load without allow_pickle=False"
        if name == "load" and owner == "yaml":
            raise AssertionError(f"{where}: yaml.load (use yaml.safe_load)")
        if name == "load" and owner == "torch":
            raise AssertionError(f"{where}: torch.load unpickles")


def test_missing_or_too_new_mediapipe_says_how_to_fix(tmp_path, monkeypatch):
    import types

    path = C.plain_video(tmp_path / "clip.mp4", n_frames=3)
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # import fails
    with pytest.raises(rf.PoseError, match=r"pip install 'mediapipe==0\.10\.21'"):
        rf.extract_pose(path, progress=False, cache=False)
    monkeypatch.setitem(sys.modules, "mediapipe", types.ModuleType("mediapipe"))
    with pytest.raises(rf.PoseError, match=r"no mp\.solutions\.pose \(removed in 0\.10\.30\)"):
        rf.extract_pose(path, progress=False, cache=False)
