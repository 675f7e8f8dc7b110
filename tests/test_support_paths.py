"""RUNFORM_DATA_DIR is honoured by the tests, and RUNFORM_REQUIRE_DATA=1 fails absent data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import paths

TESTS = Path(__file__).resolve().parent

SKIPPED_BY_MARKER = """
import pytest

@pytest.mark.skipif(True, reason="Fukuchi data not found in ../shared/data")
def test_needs_data():
    pass

@pytest.mark.browser
@pytest.mark.skipif(True, reason="Python package playwright is not installed")
def test_needs_browser():
    pass

@pytest.mark.skipif(True, reason="only on Windows")
def test_other_skip():
    pass
"""

CONFTEST = f"""
import importlib.util, sys
sys.path.insert(0, {str(TESTS)!r})
spec = importlib.util.spec_from_file_location("runform_tests_conftest",
                                              {str(TESTS / "conftest.py")!r})
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
pytest_runtest_makereport = mod.pytest_runtest_makereport
"""


def _pytest(args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if k not in (paths.ENV_REQUIRE,)}
    env.update(env_extra)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::pytest.PytestUnknownMarkWarning",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.ENV_DATA, str(tmp_path))
    assert paths.data_dir() == tmp_path
    monkeypatch.delenv(paths.ENV_DATA)
    assert paths.data_dir() == paths.ROOT.parent / "shared" / "data"


def test_absence_reasons_are_recognised():
    assert paths.is_absence("Fukuchi 2017 data not found in ../shared/data")
    assert paths.is_absence("/usr/bin/chromium not found (apt-get install chromium)")
    assert not paths.is_absence("unshare -n is not permitted here")


def test_real_test_skips_or_fails_with_a_missing_data_dir(tmp_path):
    """A real data test: skipped without the data, failed when data are required."""
    test = f"{TESTS / 'test_data.py'}::test_mirror_resolves_real_clip_without_network"
    gone = {paths.ENV_DATA: str(tmp_path / "no-such-folder")}
    skip = _pytest([test, "-rs"], gone, TESTS.parent)
    assert skip.returncode == 0 and "1 skipped" in skip.stdout, skip.stdout
    fail = _pytest([test], {**gone, paths.ENV_REQUIRE: "1"}, TESTS.parent)
    assert fail.returncode == 1 and "1 failed" in fail.stdout, fail.stdout
    assert "RUNFORM_REQUIRE_DATA=1" in fail.stdout


def test_marker_skips_become_failures_only_for_absent_data_or_browser(tmp_path):
    (tmp_path / "test_x.py").write_text(SKIPPED_BY_MARKER)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    plain = _pytest([], {}, tmp_path)
    assert "3 skipped" in plain.stdout, plain.stdout
    strict = _pytest(["-rA"], {paths.ENV_REQUIRE: "1"}, tmp_path)
    # a skipif marker acts at setup, so pytest reports the converted skip as an error
    assert strict.returncode == 1 and "1 skipped, 2 errors" in strict.stdout, strict.stdout
    assert "ERROR test_x.py::test_needs_data" in strict.stdout
    assert "ERROR test_x.py::test_needs_browser" in strict.stdout
