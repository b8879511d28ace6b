"""A real Odoo server in a child process, and a database connection from an Odoo
config file: shared by the HTTP tests (tests/conftest.py) and the HTTP benchmark
(bench/booking_http.py), which both run outside Odoo's own test runner."""

import configparser
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_options(conf):
    """The [options] section of an Odoo config file."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    return parser["options"]


def connect(conf, db):
    """An autocommit psycopg2 connection to `db` with the credentials of `conf`."""
    options = read_options(conf)

    def option(key):
        value = options.get(key)
        return None if value in (None, "", "False") else value

    connection = psycopg2.connect(
        dbname=db,
        host=option("db_host"),
        port=option("db_port"),
        user=option("db_user"),
        password=option("db_password"),
    )
    connection.autocommit = True
    return connection


def odoo_bin():
    """odoo-bin of the Odoo checkout `import odoo` finds (.venv has a .pth to it)."""
    import odoo

    return Path(odoo.__file__).resolve().parent.parent / "odoo-bin"


class OdooServer:
    """A real Odoo HTTP server in a child process, on free ports."""

    def __init__(self, conf, db, workers=0, log_name=None, cron_threads=0):
        self.port = free_port()
        self.gevent_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ROOT / ".randevu" / "logs" / (log_name or f"server-{self.port}.log")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            str(odoo_bin()),
            "-c",
            conf,
            "-d",
            db,
            # The one database as db_name, no filter, as odoo.conf serves it: with a filter,
            # Odoo lists the databases (a connection to "postgres") on every request
            # without a session, which is most of a visitor's.
            "--db-filter=",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            f"--workers={workers}",
            f"--max-cron-threads={cron_threads}",
            "--log-level=warn",
        ]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=90):
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()  # never leave a server behind when it failed to start
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
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer within {timeout}s; see {self.log_path}")

    def websocket_handshake(self, timeout=120):
        """Open a websocket on the server's gevent port and subscribe, as the web
        client's bus does. With workers, a separate process serves it: it is given until
        `timeout` to start listening (a refused connection means "not yet"); it never
        does when it crash-loops (see `log_problems` for why)."""
        import websocket  # websocket-client, in requirements.txt

        origin = f"http://127.0.0.1:{self.gevent_port}"
        deadline = time.time() + timeout
        while True:
            try:
                connection = websocket.create_connection(
                    f"ws://127.0.0.1:{self.gevent_port}/websocket", timeout=timeout, origin=origin
                )
                break
            except ConnectionRefusedError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        try:
            connection.send('{"event_name": "subscribe", "data": {"channels": [], "last": 0}}')
            return connection.connected
        finally:
            connection.close()

    def log_problems(self):
        """Lines of the server's log that mean something went wrong: Python tracebacks
        (a worker or the gevent process crashing, possibly respawned in a loop), errors."""
        self._log.flush()
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or " ERROR " in line or " CRITICAL " in line]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
