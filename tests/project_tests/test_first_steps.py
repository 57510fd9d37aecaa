"""What a newcomer meets straight after cloning: Django run too early, git status."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_manage_py_before_the_install_says_what_to_do(tmp_path):
    # -S leaves out site-packages: a Python without the project's install, as after cloning.
    process = subprocess.run(
        [sys.executable, "-S", str(ROOT / "manage.py"), "runserver"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert process.returncode == 1
    assert "Traceback" not in process.stderr
    assert "`make run` (or `make install`)" in process.stderr
    assert ".venv/bin/python manage.py runserver" in process.stderr


def test_sqlite_side_files_stay_out_of_git_status():
    side_files = ["db.sqlite3-wal", "db.sqlite3-shm", "db.sqlite3-journal"]
    process = subprocess.run(
        ["git", "check-ignore", "--no-index", *side_files],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert process.stdout.split() == side_files
