"""A real Odoo HTTP server answers on the test database."""

import requests


def test_login_page_answers(odoo_server):
    response = requests.get(f"{odoo_server.url}/web/login", timeout=30)
    assert response.status_code == 200
    assert 'name="login"' in response.text, "the login form is missing from /web/login"
    assert 'name="csrf_token"' in response.text, "the login form must carry a CSRF token"


def test_database_manager_is_hidden(odoo_server):
    """list_db is off (odoo.conf): the database manager must not be reachable."""
    response = requests.get(f"{odoo_server.url}/web/database/manager", timeout=30)
    assert response.status_code == 404 or "disabled by the administrator" in response.text, (
        "the database manager must not list or manage databases"
    )
    listing = requests.post(
        f"{odoo_server.url}/web/database/list", json={"jsonrpc": "2.0", "method": "call", "params": {}}, timeout=30
    ).json()
    assert "error" in listing and "result" not in listing, "database names must not be listed"
