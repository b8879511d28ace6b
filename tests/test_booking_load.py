"""End-to-end load test: 50 visitors confirm the same time at once on a real
multi-worker Odoo (prefork, 4 HTTP workers), each the way a browser does: the
details page first (session cookie and CSRF token), then the form's POST.

Exactly one of them gets the appointment (303 to its confirmation); the 49 others
get the details form back with HTTP 409 and "Sorry, this time was just taken", and
no customer record is left behind for them. The database is the one `make test`
installed randevu_booking on (demo branches); the attempt limits are raised through
their system parameters before the server starts, and restored after.
"""

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from html import unescape

import pytest
import requests
from booking_pages import bookable_services
from conftest import OdooServer, connect

CLIENTS = 50
WORKERS = 4
LIMIT_PARAMS = ("randevu_booking.attempts_per_ip", "randevu_booking.attempts_per_phone")


@pytest.fixture(scope="module")
def db_connection(odoo_conf, test_db):
    connection = connect(odoo_conf, test_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def raised_limits(db_connection):
    """Every visitor comes from 127.0.0.1: the per-IP limit must let 50 through.
    Set before the server starts (no worker has the old values cached)."""
    with db_connection.cursor() as cr:
        cr.execute("SELECT key, value FROM ir_config_parameter WHERE key IN %s", [LIMIT_PARAMS])
        saved = dict(cr.fetchall())
        for key in LIMIT_PARAMS:
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value) VALUES (%s, '1000') "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key],
            )
    yield
    with db_connection.cursor() as cr:
        for key in LIMIT_PARAMS:
            if key in saved:
                cr.execute("UPDATE ir_config_parameter SET value = %s WHERE key = %s", [saved[key], key])
            else:
                cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", [key])


@pytest.fixture(scope="module")
def prefork_server(odoo_conf, test_db, raised_limits):
    server = OdooServer(odoo_conf, test_db, workers=WORKERS).wait_ready(timeout=120)
    yield server
    server.stop()


def find_slot(server, db_connection):
    """(base URL, staff, start): a free time of one staff member, so that only one
    booking can succeed (with "anyone", each free colleague would take one)."""
    first_day = (date.today() + timedelta(days=2)).isoformat()
    for base, staff_ids in bookable_services(server.url, db_connection):
        for staff in staff_ids:
            days = requests.get(f"{base}/days", params={"staff": staff, "from_day": first_day}, timeout=60)
            for day in days.json().get("days", []):
                slots = requests.get(f"{base}/slots", params={"staff": staff, "day": day["date"]}, timeout=60)
                for slot in slots.json().get("slots", []):
                    return base, staff, slot["start"]
    pytest.fail("no bookable time with a single staff member in the demo data")


def open_details(base, staff, start, **details):
    """A visitor's browser on the details page of `start`: (session, the form it
    posts), with the session's CSRF token and the terms (duration, price) shown."""
    session = requests.Session()
    page = session.get(f"{base}/details", params={"staff": staff, "start": start}, timeout=120)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    terms = re.search(r'name="terms" value="([^"]*)"', page.text).group(1)
    return session, {"csrf_token": token, "terms": terms, "start": start, "staff": staff, "note": "", **details}


def confirm_at_once(base, visitors):
    """Every visitor posts their form at the same moment; their answers, in order."""
    barrier = threading.Barrier(len(visitors))

    def confirm(visitor):
        session, form = visitor
        barrier.wait(timeout=60)
        return session.post(f"{base}/confirm", data=form, allow_redirects=False, timeout=300)

    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        return list(pool.map(confirm, visitors))


def test_fifty_visitors_one_time(prefork_server, db_connection):
    base, staff, start = find_slot(prefork_server, db_connection)
    run = uuid.uuid4().hex[:8]

    def visitor(index):
        details = {
            "name": f"Load {run} {index}",
            "phone": f"+33 6 12 {index // 100:02d} {index % 100:02d} 00",
            "email": f"load-{run}-{index}@example.com",
        }
        return open_details(base, staff, start, **details)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        visitors = list(pool.map(visitor, range(CLIENTS)))
    responses = confirm_at_once(base, visitors)

    booked = [r for r in responses if r.status_code == 303 and "/book/confirmation/" in r.headers["Location"]]
    refused = [r for r in responses if r.status_code == 409 and "Sorry, this time was just taken" in unescape(r.text)]
    others = [(r.status_code, unescape(r.text)[:300]) for r in responses if r not in booked and r not in refused]
    assert len(booked) == 1, f"{len(booked)} bookings; others: {others[:3]}"
    assert len(refused) == CLIENTS - 1, f"unexpected answers: {others[:3]}"
    assert not any("Traceback" in r.text for r in refused)

    appointment_id = int(booked[0].headers["Location"].split("?")[0].rsplit("/", 1)[1])
    with db_connection.cursor() as cr:
        cr.execute(
            "SELECT a.id, to_char(a.start, 'YYYY-MM-DD\"T\"HH24:MI'), a.state FROM randevu_appointment a "
            "JOIN res_partner p ON p.id = a.partner_id WHERE p.email LIKE %s",
            [f"load-{run}-%"],
        )
        appointments = cr.fetchall()
        cr.execute("SELECT count(*) FROM res_partner WHERE email LIKE %s", [f"load-{run}-%"])
        customers = cr.fetchone()[0]
    assert appointments == [(appointment_id, start, "booked")], f"one appointment for all: {appointments}"
    assert customers == 1, f"{customers} customers for {CLIENTS} visitors: the refused ones left records"


def free_days(server, db_connection, count):
    """(base URL, staff, [start, ...]): the first free time of `count` different days
    of one staff member (times that cannot overlap)."""
    first_day = (date.today() + timedelta(days=2)).isoformat()
    for base, staff_ids in bookable_services(server.url, db_connection):
        for staff in staff_ids:
            days = requests.get(f"{base}/days", params={"staff": staff, "from_day": first_day}, timeout=60)
            starts = []
            for day in days.json().get("days", []):
                slots = requests.get(f"{base}/slots", params={"staff": staff, "day": day["date"]}, timeout=60)
                starts += [slot["start"] for slot in slots.json().get("slots", [])[:1]]
                if len(starts) == count:
                    return base, staff, starts
    pytest.fail(f"no staff member with {count} bookable days in the demo data")


def test_one_new_phone_many_bookings_one_customer(prefork_server, db_connection):
    """Ten first bookings by one person (new phone and email) sent at once, each for
    another day: every one is booked, all for one customer (customer find-or-create
    is serialised on the phone and email, and retried when its snapshot is stale)."""
    clients = 10
    base, staff, starts = free_days(prefork_server, db_connection, clients)
    run = uuid.uuid4().int
    phone = f"+33 7 5{run % 10} {run // 10 % 100:02d} {run // 10**3 % 100:02d} {run // 10**5 % 100:02d}"
    email = f"race-{run % 10**10}@example.com"

    details = {"name": "Deniz Race", "phone": phone, "email": email}
    with ThreadPoolExecutor(max_workers=clients) as pool:
        visitors = list(pool.map(lambda start: open_details(base, staff, start, **details), starts))
    responses = confirm_at_once(base, visitors)

    answers = [(r.status_code, unescape(r.text)[:300]) for r in responses if r.status_code != 303]
    assert not answers, f"every booking goes through: {answers[:3]}"
    with db_connection.cursor() as cr:
        cr.execute("SELECT id FROM res_partner WHERE email_normalized = %s", [email])
        customers = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT count(*) FROM randevu_appointment WHERE partner_id = ANY(%s)", [customers])
        appointments = cr.fetchone()[0]
    assert len(customers) == 1, f"{len(customers)} customers for one person's {clients} simultaneous bookings"
    assert appointments == clients


def test_server_healthy_after_the_load(prefork_server):
    """The multi-worker server ran the load without a traceback in its log, and its
    gevent process (live notifications, chat) answers a websocket. Odoo's pinned
    gevent crash-looped there with the newest zope.interface (DistributionNotFound),
    respawned a few times a second, without failing any booking."""
    assert prefork_server.websocket_handshake()
    assert prefork_server.log_problems() == [], f"see {prefork_server.log_path}"
