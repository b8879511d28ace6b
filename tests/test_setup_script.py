"""scripts/randevu.sh's Debian installs (PostgreSQL, Chromium) on a machine where
another apt-get holds dpkg's lock, as a freshly booted machine often does: apt-get
is told to wait for the lock, and a failure names its fix. A fake `apt-get` first
on PATH answers the way Debian's does; nothing is installed."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_APT_GET = """#!/bin/sh
echo "$@" >> "{calls}"
case "{scenario}" in
    ok) exit 0 ;;
    lock) echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 812 (apt-get)" >&2 ;;
    interrupted) echo "E: dpkg was interrupted, you must manually run 'dpkg --configure -a'" \
        "to correct the problem." >&2 ;;
esac
exit 100
"""


def install(tmp_path, scenario):
    """(exit code, output, apt-get calls) of `apt_install chromium`, then of
    `apt_fix_hint` when it failed, with a fake apt-get behaving as `scenario`."""
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "apt-get"
    fake.parent.mkdir()
    fake.write_text(FAKE_APT_GET.format(calls=calls, scenario=scenario))
    fake.chmod(0o755)
    script = (
        f'source "{ROOT}/scripts/randevu.sh"; APT_LOG="{tmp_path}/apt.log"; '
        'if apt_install chromium; then echo INSTALLED; else echo "HINT: $(apt_fix_hint)"; exit 1; fi'
    )
    result = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": f"{fake.parent}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr, calls.read_text().splitlines()


def test_apt_get_waits_for_the_lock(tmp_path):
    code, output, calls = install(tmp_path, "ok")
    assert code == 0 and "INSTALLED" in output, output
    assert calls == ["-o DPkg::Lock::Timeout=300 -y -q install chromium"]


@pytest.mark.parametrize(
    ("scenario", "fix"),
    [
        ("lock", "held Debian's lock for more than 300s: wait for it to finish"),
        ("interrupted", "run 'dpkg --configure -a' as root, then try again"),
    ],
)
def test_a_failure_names_its_fix(tmp_path, scenario, fix):
    code, output, calls = install(tmp_path, scenario)
    assert code == 1, output
    assert fix in output, output
    # Tried with the package lists as they are, refreshed them, and did not go on.
    assert [call.split()[-1] for call in calls] == ["chromium", "update"]
