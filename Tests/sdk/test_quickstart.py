"""The README's quickstart (examples/quickstart.py), run unchanged against a fresh server, so
the walk-through a newcomer follows cannot rot."""
import os
import subprocess
import sys

from conftest import APPID, ROOT, SECRET


def test_quickstart_runs_unchanged(server):
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "quickstart.py"), APPID, SECRET, "--base", server.base],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:8]] == ["%d." % n for n in range(1, 9)]
    assert '"bonus": 160' in result.stdout
    assert '"new token": true' in result.stdout
    assert lines[-1] == "done: every step answered errcode 0"
