"""Shared fixtures for the repository-level tests.

`make test` passes the throwaway database and the derived Odoo configuration
through the environment (RANDEVU_TEST_DB, RANDEVU_ODOO_CONF).
"""

import configparser
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def test_db():
    name = os.environ.get("RANDEVU_TEST_DB")
    if not name:
        pytest.fail("RANDEVU_TEST_DB is not set: run these tests through `make test`.")
    return name


@pytest.fixture(scope="session")
def odoo_conf():
    path = os.environ.get("RANDEVU_ODOO_CONF")
    if not path:
        pytest.fail("RANDEVU_ODOO_CONF is not set: run these tests through `make test`.")
    return path


@pytest.fixture(scope="session")
def odoo_options(odoo_conf):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(odoo_conf)
    return parser["options"]


class OdooServer:
    """A real Odoo HTTP server in a child process, on free ports."""

    def __init__(self, conf, db, workers=0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ROOT / ".randevu" / "logs" / f"server-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        odoo_bin = Path(os.environ["ODOO_SRC"]) / "odoo-bin"
        command = [
            sys.executable,
            str(odoo_bin),
            "-c",
            conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=90):
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()  # the fixture never gets to stop a server that failed to start
            raise
        return self

    def _wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited with {self.process.returncode}; see {self.log_path}")
            try:
                # A loaded machine may take longer than this to answer the first request:
                # a timeout means "not yet", like a refused connection.
                requests.get(f"{self.url}/web/health", timeout=10)
                return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer within {timeout}s; see {self.log_path}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def odoo_server(odoo_conf, test_db):
    server = OdooServer(odoo_conf, test_db).wait_ready()
    yield server
    server.stop()
