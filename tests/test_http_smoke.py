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
    assert response.status_code != 200 or "Database Management" not in response.text
