"""Run every Randevu check and end with one summary line.

Called by `scripts/randevu.sh test` (so by `make test` and `.ci/run`) once
PostgreSQL, Odoo and .venv are ready. Steps:

1. lint: ruff (lint + format) on the whole repository, pylint-odoo's mandatory
   checks on addons/;
2. Odoo's test runner: installs every addon into the throwaway database with
   --test-enable, restricted to our addons' tests (at_install and post_install);
3. pytest on tests/ (integration and HTTP tests, pytest-odoo on the same database);
4. chain installs, started in the background with step 2 (the second core): each addon
   that must install without the others (CHAINS) into a database of its own, asserting
   that nothing it must not need (`website`) was installed with it.

A skipped browser test (tour) counts as a failure: Odoo skips tours silently
when Chromium or websocket-client is missing, and a green run without them
would prove nothing.
"""

import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(os.environ["RANDEVU_ROOT"])
DB = os.environ["RANDEVU_TEST_DB"]
CONF = os.environ["RANDEVU_ODOO_CONF"]
ADDONS = [name for name in os.environ.get("RANDEVU_ADDONS", "").split(",") if name]
ODOO_BIN = Path(os.environ["ODOO_SRC"]) / "odoo-bin"
LOG_DIR = ROOT / ".randevu" / "logs"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

# pylint-odoo checks that OCA marks mandatory (oca-addons-repo-template .pylintrc-mandatory).
PYLINT_ODOO_CHECKS = ",".join(
    [
        "attribute-deprecated",
        "attribute-string-redundant",
        "consider-merging-classes-inherited",
        "context-overridden",
        "development-status-allowed",
        "external-request-timeout",
        "invalid-commit",
        "license-allowed",
        "manifest-author-string",
        "manifest-deprecated-key",
        "manifest-maintainers-list",
        "manifest-required-author",
        "manifest-required-key",
        "manifest-version-format",
        "method-compute",
        "method-inverse",
        "method-required-super",
        "method-search",
        "missing-return",
        "no-raise-unlink",
        "print-used",
        "renamed-field-parameter",
        "resource-not-exist",
        "sql-injection",
        "test-folder-imported",
        "translation-contains-variable",
        "translation-field",
        "translation-positional-used",
        "translation-required",
        "website-manifest-key-not-valid-uri",
    ]
)

ODOO_REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
ODOO_SKIP = re.compile(r" INFO \S+ (\S+): skipped (\S+) : (.*)$")
ODOO_LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
BROWSER_SKIP = re.compile(r"chrome|chromium|websocket|browser|devtools", re.IGNORECASE)


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.parts = []
        self.problems = []

    def add(self, label, passed, failed, skipped=0):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped
        self.parts.append(f"{label} {passed}/{passed + failed}")


def banner(text):
    print(f"\n==> {text}", flush=True)


# Addons whose licence is not LGPL-3: they depend on AGPL-3 OCA addons (requirements-oca.txt).
ADDON_LICENSES = {"randevu_inbox": "AGPL-3", "randevu_inbox_marketing": "AGPL-3"}


def addons_by_license():
    """{licence: [addon names]} of ADDONS, LGPL-3 unless ADDON_LICENSES says otherwise."""
    groups = {}
    for name in ADDONS:
        groups.setdefault(ADDON_LICENSES.get(name, "LGPL-3"), []).append(name)
    return groups


def run_lint(tally):
    banner("Lint: ruff check, ruff format --check" + (", pylint-odoo (mandatory checks)" if ADDONS else ""))
    checks = [
        ("ruff check", [str(BIN / "ruff"), "check", "."]),
        ("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
    ]
    # One pylint run per licence: our addons are LGPL-3, except those built on AGPL-3 OCA
    # addons (ADDON_LICENSES), which must be AGPL-3 too; any other licence fails.
    for license_name, names in addons_by_license().items():
        checks.append(
            (
                f"pylint-odoo ({license_name})",
                [
                    str(BIN / "pylint"),
                    "--rcfile=/dev/null",
                    "--load-plugins=pylint_odoo",
                    "--disable=all",
                    f"--enable={PYLINT_ODOO_CHECKS}",
                    "--valid-odoo-versions=18.0",
                    "--manifest-required-authors=Randevu",
                    f"--license-allowed={license_name}",
                    "--score=n",
                    *(str(ROOT / "addons" / name) for name in names),
                ],
            )
        )
    for label, command in checks:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode == 0:
            print(f"    {label}: ok", flush=True)
            tally.add(label, 1, 0)
        else:
            print(f"    {label}: FAILED", flush=True)
            print(result.stdout + result.stderr, flush=True)
            tally.add(label, 0, 1)
            tally.problems.append(f"{label} found problems (run it locally to see them)")


# Optional Odoo apps installed next to the addon that integrates with them (key: the app,
# value: the addon of ADDONS, the env RANDEVU_ADDONS that scripts/randevu.sh computes from
# every addon under addons/). payment_demo: randevu_account's payment link is paid through its
# provider, randevu_booking's tour pays with its form.
OPTIONAL_COMPANIONS = {"hr_holidays": "randevu_calendar", "payment_demo": "randevu_account"}


# Addons that must install on their own chain: (modules to install, modules that must stay
# out). The core without anything else; the payment bridge without the website, for the
# POS and the inbox that build on it; the POS without the website; the inbox (WhatsApp, on
# OCA mail_gateway_whatsapp) without the website.
CHAINS = [
    (["randevu_calendar"], ["website", "randevu_booking", "account"]),
    (["randevu_account", "payment_demo"], ["website", "randevu_booking"]),
    (["randevu_pos"], ["website", "randevu_booking"]),
    (["randevu_inbox"], ["website", "randevu_booking"]),
    (["randevu_marketing"], ["website", "randevu_booking"]),
    (["randevu_inventory"], ["website", "randevu_booking", "point_of_sale", "account"]),
]


def start_chain_installs():
    """Start one background install per chain whose addons exist; returns the runs."""
    runs = []
    for index, (modules, forbidden) in enumerate(CHAINS):
        ours = [name for name in modules if name.startswith("randevu_")]
        if not all(name in ADDONS for name in ours):
            continue
        db = f"{DB}_chain{index}"
        log_path = LOG_DIR / f"chain-{ours[0]}.log"
        command = [PYTHON, str(ODOO_BIN), "-c", CONF, "-d", db, "-i", ",".join(modules), "--stop-after-init"]
        command += [f"--http-port={free_port()}", f"--gevent-port={free_port()}", "--log-level=warn"]
        log = log_path.open("w")
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        runs.append((modules, forbidden, db, log_path, log, process))
    return runs


def finish_chain_installs(tally, runs):
    if not runs:
        return
    banner("Chain installs: " + "; ".join(" + ".join(run[0]) + " alone" for run in runs))
    for modules, forbidden, db, log_path, log, process in runs:
        returncode = process.wait()
        log.close()
        label = " + ".join(modules)
        errors = [line for line in log_path.read_text().splitlines() if ODOO_ERROR.match(line)]
        installed = set()
        try:
            result = subprocess.run(
                [PYTHON, "-c", CHAIN_QUERY, CONF, db], cwd=ROOT, capture_output=True, text=True, check=True
            )
            installed = set(result.stdout.split())
        except subprocess.CalledProcessError as error:
            errors.append(error.stderr.strip())
        finally:
            subprocess.run([PYTHON, "-c", CHAIN_DROP, CONF, db], cwd=ROOT, capture_output=True, check=False)
        problems = []
        if returncode != 0 or errors:
            problems.append(f"install failed or logged errors (exit {returncode}, see {log_path})")
        if missing := [name for name in modules if name not in installed]:
            problems.append(f"not installed: {', '.join(missing)}")
        if pulled := sorted(name for name in forbidden if name in installed):
            problems.append(f"pulled in {', '.join(pulled)}")
        if problems:
            print(f"    {label}: FAILED: {'; '.join(problems)}", flush=True)
        else:
            print(f"    {label}: ok ({len(installed)} modules, none of {', '.join(forbidden)})", flush=True)
        tally.add(f"chain {modules[0]}", int(not problems), int(bool(problems)))
        tally.problems += [f"chain {label}: {problem}" for problem in problems]


ODOO_ERROR = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
CHAIN_QUERY = """
import sys
sys.path.insert(0, "scripts")
from odoo_process import connect
with connect(sys.argv[1], sys.argv[2]).cursor() as cr:
    cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
    print(" ".join(row[0] for row in cr.fetchall()))
"""
CHAIN_DROP = """
import sys
sys.path.insert(0, "scripts")
from odoo_process import connect
with connect(sys.argv[1], "postgres").cursor() as cr:
    cr.execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[2].replace('"', ''))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_odoo_tests(tally):
    log_path = LOG_DIR / "odoo-tests.log"
    # Optional Odoo apps our addons integrate with when present, installed next to them
    # so that the integration is tested (Time Off: approved leave blocks bookings; the demo
    # payment provider: deposits paid through the real payment form).
    companions = [name for name, needed_by in OPTIONAL_COMPANIONS.items() if needed_by in ADDONS]
    install = ",".join(ADDONS + companions) or "base"
    command = [PYTHON, str(ODOO_BIN), "-c", CONF, "-d", DB, "-i", install, "--stop-after-init"]
    # Free ports: browser tours need the HTTP server, and `make run` may hold 8069.
    command += [f"--http-port={free_port()}", f"--gevent-port={free_port()}"]
    if ADDONS:
        command += ["--test-enable", "--test-tags", ",".join(f"/{name}" for name in ADDONS)]
    banner(f"Odoo: installing {install} and running their tests (full log: {log_path.relative_to(ROOT)})")
    started = time.time()
    report = None
    skips = []
    stray_errors = 0
    showing = False
    with (
        log_path.open("w") as log,
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        ) as process,
    ):
        for line in process.stdout:
            log.write(line)
            level = ODOO_LEVEL.match(line)
            if level:
                showing = False
                if " Starting " in line and ".tests." in line:
                    # One line per test: the test's dotted path.
                    print("    " + line.split(" Starting ", 1)[1].rstrip(" .\n"), flush=True)
                elif level.group(1) in ("WARNING", "ERROR", "CRITICAL"):
                    showing = True
                    print(line, end="", flush=True)
                    if level.group(1) != "WARNING" and "tests when loading database" not in line:
                        stray_errors += 1
                    elif "Access Rights Inconsistency" in line:
                        # A view showing what its users may not read: broken for some of them.
                        stray_errors += 1
                if match := ODOO_REPORT.search(line):
                    report = tuple(int(n) for n in match.groups())
                if match := ODOO_SKIP.search(line):
                    skips.append(match.groups())
                    print(line, end="", flush=True)
            elif showing:
                print(line, end="", flush=True)
        returncode = process.wait()
    print(f"    finished in {time.time() - started:.0f}s, exit code {returncode}", flush=True)

    if not ADDONS:
        ok = returncode == 0 and not stray_errors
        tally.add("odoo install", int(ok), int(not ok))
        if not ok:
            tally.problems.append(f"installing base failed (see {log_path})")
        return
    if report is None:
        tally.add("odoo", 0, 1)
        tally.problems.append(f"Odoo stopped before reporting test results (see {log_path})")
        return
    failed, errors, run = report
    if run == 0:
        # Addons without a single test run mean a broken test import, not success.
        tally.add("odoo", 0, 1)
        tally.problems.append(f"no Odoo test ran for {install} (see {log_path})")
        return
    skipped = len(skips)
    bad = failed + errors
    if bad == 0 and (returncode != 0 or stray_errors):
        # An install error or an error logged outside any test still fails the run.
        bad = 1
        tally.problems.append(f"Odoo logged {stray_errors} error(s) or exited with {returncode} (see {log_path})")
    tally.add("odoo", run - failed - errors - skipped, bad, skipped)
    for module, test, reason in skips:
        print(f"    skipped {module}.{test}: {reason}")
        if BROWSER_SKIP.search(reason):
            tally.failed += 1
            tally.problems.append(f"browser test {test} was skipped ({reason}): install chromium and websocket-client")


def run_pytest(tally):
    junit = LOG_DIR / "pytest.xml"
    tests_dir = ROOT / "tests"
    if not any(tests_dir.glob("test_*.py")):
        return
    banner("pytest: tests/ (integration, HTTP)")
    command = [
        PYTHON,
        "-m",
        "pytest",
        str(tests_dir),
        f"--odoo-database={DB}",
        f"--odoo-config={CONF}",
        "--odoo-log-level=warn",
        # pytest-odoo imports Odoo's test framework, which logs an error outside test mode;
        # test_enable itself would make loading the registry run Odoo's own tests (minutes).
        "--odoo-extra=log-handler=odoo.tests.common:CRITICAL",
        "-p",
        "no:cacheprovider",
        "-rs",
        f"--junitxml={junit}",
    ]
    returncode = subprocess.run(command, cwd=ROOT, check=False).returncode
    try:
        suite = ET.parse(junit).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total, failures, errors, skipped = (
            int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")
        )
    except (ET.ParseError, FileNotFoundError, AttributeError):
        total, failures, errors, skipped = 0, 1, 0, 0
    bad = failures + errors
    if bad == 0 and returncode not in (0, 5):
        bad = 1
        tally.problems.append(f"pytest exited with {returncode}")
    tally.add("pytest", total - bad - skipped, bad, skipped)


def main():
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    started = time.time()
    tally = Tally()
    run_lint(tally)
    chains = start_chain_installs()
    run_odoo_tests(tally)
    run_pytest(tally)
    finish_chain_installs(tally, chains)
    for problem in tally.problems:
        print(f"!! {problem}")
    verdict = "FAILED" if tally.failed else "OK"
    print(
        f"\n==== Randevu tests {verdict}: {tally.passed} passed, {tally.failed} failed, "
        f"{tally.skipped} skipped ({'; '.join(tally.parts)}) in {time.time() - started:.0f}s ====",
        flush=True,
    )
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
