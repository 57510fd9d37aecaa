"""`make install` (the first step of `make run`) and `make test`, each into a .venv of its own.

They install from uv.lock as a newcomer's machine does (from uv's cache when it has the
packages); the project's own .venv is never touched.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV_VERSION = "0.13.8"  # the Makefile's pin

pytestmark = pytest.mark.slow


def make(venv: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        ["make", "--no-print-directory", *args, f"VENV={venv}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def imports(venv: Path, module: str) -> bool:
    return subprocess.run([venv / "bin" / "python", "-c", f"import {module}"]).returncode == 0


def venv_cut_short_in_pip(venv: Path) -> None:
    """Interrupted while the venv module installed pip: pip's metadata, not pip."""
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    site_packages = next(venv.glob("lib/python3*/site-packages"))
    subprocess.run(["rm", "-rf", site_packages / "pip" / "_internal"], check=True)
    for script in venv.glob("bin/pip*"):
        script.unlink()


def venv_whose_python_is_gone(venv: Path) -> None:
    """uv installed, then the Python it was made from removed (or the .venv copied)."""
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"]
    subprocess.run(pip, check=True)
    for python in venv.glob("bin/python*"):
        python.unlink()
        python.symlink_to("/nonexistent/python3")


@pytest.mark.parametrize("half_make", [venv_cut_short_in_pip, venv_whose_python_is_gone])
def test_a_half_made_venv_is_made_again(tmp_path, half_make):
    venv = tmp_path / ".venv"
    half_make(venv)
    process = make(venv, "install")
    assert process.returncode == 0, process.stdout + process.stderr
    assert "unusable (half-made?): making it again" in process.stdout
    assert imports(venv, "django")


def test_run_installs_what_running_needs_and_test_adds_the_test_tools(tmp_path):
    venv = tmp_path / ".venv"
    process = make(venv, "install")
    assert process.returncode == 0, process.stdout + process.stderr
    assert imports(venv, "django") and imports(venv, "gunicorn")
    assert not imports(venv, "playwright") and not imports(venv, "pytest")

    collect = "PYTEST_ARGS=--collect-only -q tests/project_tests/test_layout.py"
    process = make(venv, "test", collect)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "2 tests collected" in process.stdout
    assert imports(venv, "playwright") and imports(venv, "pytest")
    (venv / ".installed").unlink()  # as after a change of uv.lock
    make(venv, "install")  # `make run` again: the test tools stay (run and test do not fight)
    assert imports(venv, "pytest")
