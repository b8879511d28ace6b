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


def _from_make_test(variable):
    """The value `make test` passes in the environment `variable`."""
    value = os.environ.get(variable)
    if not value:
        pytest.fail(f"{variable} is not set: run these tests through `make test`.")
    return value


@pytest.fixture(scope="session")
def test_db():
    return _from_make_test("RANDEVU_TEST_DB")


@pytest.fixture(scope="session")
def odoo_conf():
    return _from_make_test("RANDEVU_ODOO_CONF")


@pytest.fixture(scope="session")
def odoo_options(odoo_conf):
    return read_options(odoo_conf)


@pytest.fixture(scope="session")
def odoo_server(odoo_conf, test_db):
    server = OdooServer(odoo_conf, test_db).wait_ready()
    yield server
    server.stop()
