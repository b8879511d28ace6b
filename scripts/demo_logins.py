"""Print the URL and the demo logins that exist in a Randevu database."""

import argparse
import configparser
import os

import psycopg2

# (login, password, who) in the order a new user wants to try them.
DEMO_LOGINS = [
    ("admin", "admin", "administrator (every menu)"),
    ("reception", "reception", "receptionist (Randevu User)"),
    ("stylist", "stylist", "staff member (Randevu Staff)"),
    ("customer", "customer", "portal customer (/my)"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", required=True)
    args = parser.parse_args()
    options = configparser.ConfigParser(interpolation=None)
    options.read(args.conf)
    opts = options["options"]

    def opt(key):
        value = opts.get(key, "")
        return None if value in ("", "False") else value

    connection = psycopg2.connect(
        dbname=args.db,
        host=opt("db_host"),
        port=opt("db_port"),
        user=opt("db_user"),
        password=opt("db_password"),
    )
    with connection, connection.cursor() as cr:
        logins = [login for login, *_ in DEMO_LOGINS]
        cr.execute("SELECT login FROM res_users WHERE active AND login = ANY(%s)", [logins])
        existing = {row[0] for row in cr.fetchall()}
    connection.close()
    port = opts.get("http_port", "8069")
    print(f"\n    URL:       http://localhost:{port}/web/login   (database {args.db})")
    print("    Logins (login / password):")
    for login, password, who in DEMO_LOGINS:
        if login in existing:
            print(f"      {login + ' / ' + password:<24} {who}")
    print(f"    Website:   http://localhost:{port}/\n", flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PGCONNECT_TIMEOUT", "5")
    raise SystemExit(main())
