"""Print the URL, the demo logins that exist in a Randevu database and what to try first
with each; with --warm-up, first wait for the server and load the assets of its pages
once, so that the first login does not wait a minute for them."""

import argparse
import configparser
import os
import re
import sys
import time

import psycopg2
import requests

# (login, password, who, what to try first) in the order a new user wants to try them.
DEMO_LOGINS = [
    (
        "admin",
        "admin",
        "the owner (English), both branches",
        "her overview of Kadikoy and Paris; Randevu > Reporting and Commissions (the tills' last three "
        "days, the last 7 days' commissions computed); Settings",
    ),
    (
        "reception",
        "reception",
        "receptionist in Kadikoy (Turkish)",
        "today's Day planner: book a walk-in, check a client in, find Zeynep Arslan; "
        "then Point of Sale > the Kadikoy Front Desk till: log in as Merve Aksoy (PIN 1111; stylists "
        "2001-2003, the owner 9999, whose PIN also approves refunds), Appointments, pay a visit",
    ),
    (
        "stylist",
        "stylist",
        "stylist in Kadikoy (Turkish)",
        "her day on a phone: the next client, her allergy note, start and finish",
    ),
    ("camille", "camille", "stylist in Paris (French)", "the same day, in French and in euros"),
    (
        "customer",
        "customer",
        "customer Zeynep Arslan (Turkish portal)",
        "/my: her visits every 5 weeks; move or cancel the next one",
    ),
]
ASSET = re.compile(r"""(?:href|src)=["'](/web/assets/[^"']+)["']""")


def options_of(conf):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    return parser["options"]


def existing_logins(db, opts):
    def opt(key):
        value = opts.get(key, "")
        return None if value in ("", "False") else value

    connection = psycopg2.connect(
        dbname=db, host=opt("db_host"), port=opt("db_port"), user=opt("db_user"), password=opt("db_password")
    )
    with connection, connection.cursor() as cr:
        cr.execute("SELECT login FROM res_users WHERE active AND login = ANY(%s)", [[row[0] for row in DEMO_LOGINS]])
        existing = {row[0] for row in cr.fetchall()}
    connection.close()
    return existing


def load_with_assets(session, url, timeout):
    """GET `url` and every asset bundle its page links to; returns the response."""
    response = session.get(url, timeout=timeout)
    for asset in sorted(set(ASSET.findall(response.text))):
        session.get(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + asset, timeout=timeout)
    return response


def warm_up(base, timeout=900):
    """Wait until the server answers, then load the login page, the website and the
    backend (as admin) with their asset bundles: Odoo builds a bundle on its first
    request. Returns the seconds it took, or None when the server never answered."""
    started = time.time()
    while True:
        try:
            requests.get(f"{base}/web/health", timeout=5).raise_for_status()
            break
        except requests.RequestException:
            if time.time() - started > timeout:
                return None
            time.sleep(1)
    session = requests.Session()
    try:
        login_page = load_with_assets(session, f"{base}/web/login", timeout)
        load_with_assets(session, f"{base}/", timeout)
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page.text)
        if token:
            session.post(
                f"{base}/web/login",
                data={"login": "admin", "password": "admin", "csrf_token": token.group(1), "redirect": "/odoo"},
                timeout=timeout,
            )
            load_with_assets(session, f"{base}/odoo", timeout)
            session.get(f"{base}/web/session/logout", timeout=timeout)
    except requests.RequestException as error:
        print(f"    (warming the assets failed: {error}; the first page will take longer)", flush=True)
    return time.time() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--warm-up", action="store_true", help="wait for the server and load its assets first")
    parser.add_argument("--outbox", help="URL of the demo outbox")
    parser.add_argument("--outbox-dir", help="folder of the demo outbox")
    args = parser.parse_args()
    opts = options_of(args.conf)
    port = opts.get("http_port", "8069")
    base = f"http://127.0.0.1:{port}"
    if args.warm_up:
        took = warm_up(base)
        if took is None:
            print("\n    The server did not answer: see its log above.", flush=True)
            return 1
        ready = f" (ready in {took:.0f}s, pages warmed)"
    else:
        ready = ""
    existing = existing_logins(args.db, opts)
    bold = "\033[1m" if sys.stdout.isatty() else ""
    plain = "\033[0m" if bold else ""
    print(f"\n{bold}==> Randevu is ready on http://localhost:{port}/web/login{ready}{plain}   (database {args.db})")
    print("    First steps, one per role (login / password: who; what to try first):")
    for login, password, who, first in DEMO_LOGINS:
        if login in existing:
            print(f"      {login + ' / ' + password:<22} {who}: {first}")
    if existing:
        print("      (each user's language is in their preferences; admin sees every menu)")
    print(f"    Website:   http://localhost:{port}/   book at /book, /tr/book, /fr/book;")
    print("               deposits are paid with Odoo's demo provider (any card, nothing charged)")
    if args.outbox:
        where = f" (files in {args.outbox_dir})" if args.outbox_dir else ""
        print(f"    Outbox:    {args.outbox}/   every email and SMS of the demo, caught, never sent{where}")
    print("    Stop with Ctrl+C.\n", flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PGCONNECT_TIMEOUT", "5")
    raise SystemExit(main())
