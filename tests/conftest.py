"""Shared fixtures for the repository-level tests.

`make test` passes the throwaway database and the derived Odoo configuration
through the environment (RANDEVU_TEST_DB, RANDEVU_ODOO_CONF).
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from odoo_process import OdooServer, connect, free_port, read_options  # noqa: E402, F401 (used by test modules)


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
    return read_options(odoo_conf)


@pytest.fixture(scope="session")
def odoo_server(odoo_conf, test_db):
    server = OdooServer(odoo_conf, test_db).wait_ready()
    yield server
    server.stop()
