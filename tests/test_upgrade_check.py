"""scripts/upgrade_check.py, run for real: a database built by the code before issue 11
(demo data, a paid deposit, an invoice, a waitlist entry, their messages) upgrades to
this checkout with every record intact. Minutes: it installs the old addons, then
runs `-u all`. Needs the git history down to the script's BASE commit (a clone does)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from upgrade_check import BASE  # noqa: E402


def test_a_database_of_the_code_before_upgrades_intact(odoo_conf):
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{BASE}^{{commit}}"], check=False)
    assert known.returncode == 0, f"commit {BASE} is not in this history (shallow clone?): git fetch --unshallow"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "upgrade_check.py"), "--conf", odoo_conf],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert f"==== upgrade check OK ({BASE} -> this checkout)" in output, output[-5000:]
