"""What the website's booking pages offer, read the way a browser reads them: shared by
the concurrent-booking test (tests/test_booking_load.py) and the HTTP benchmark
(bench/booking_http.py), which both need free times on a running server."""

import re

import requests


def bookable_services(url, connection):
    """(base URL, staff ids) of each service a branch books online, in id order:
    `base` is the service's booking page, `staff ids` the staff a visitor can pick on
    it, or [""] when the page skipped to its only staff member."""
    with connection.cursor() as cr:
        cr.execute(
            "SELECT c.id, t.id FROM res_company c, product_template t "
            "WHERE c.randevu_online_booking AND t.randevu_online AND t.active ORDER BY c.id, t.id"
        )
        candidates = cr.fetchall()
    for branch, service in candidates:
        base = f"{url}/book/{branch}/{service}"
        page = requests.get(base, timeout=60)
        if page.status_code != 200:
            continue
        # The staff step's links, or the one staff member it skipped to ("" = the only one).
        staff_ids = re.findall(r"/time\?staff=(\d+)", page.text) or re.findall(r"staff=(\d+)", page.url) or [""]
        yield base, list(dict.fromkeys(staff_ids))
