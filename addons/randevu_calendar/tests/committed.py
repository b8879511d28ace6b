import random
import threading
import time
import uuid
from contextlib import contextmanager

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.api import Transaction
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import BaseCase, get_db_name
from odoo.tools import mute_logger


class CommittedCase(BaseCase):
    """Tests on real, committed transactions (requests racing, cron workers): each
    connection is a `committed_env()`, committed when its block ends, so that the other
    connections see what it wrote. `make_salon` commits a salon and removes it after the
    test. Names carry `tag`: an interrupted run leaves nothing that collides."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.tag = uuid.uuid4().hex[:8]

    @contextmanager
    def committed_env(self, context=None):
        """A superuser environment on a connection of its own, committed when the block
        ends (rolled back when it raises)."""
        with self.registry.cursor() as cr:
            # The test runner holds Registry._lock during post-install tests and
            # Environment() would look the registry up under that lock: hand it over.
            cr.transaction = Transaction(self.registry)
            yield api.Environment(cr, SUPERUSER_ID, context or {})

    def run_at_once(self, snapshot, act, done="ok", count=2, loggers=("odoo.sql_db",), timeout=90):
        """`count` connections at once, each like a request of Odoo: `snapshot(env, index)`
        reads first (the transaction's snapshot is taken there; it may return another
        environment, e.g. a user's, for `act`), all wait for each other, then
        `act(env, index)` writes and commits a moment later, so that the others run into
        its writes; retried on serialization failures on a new snapshot, as Odoo's
        request loop does.

        :return: {index: outcome}: (`done`, attempt), ("refused", the UserError's
            message), ("error", repr of anything else) or ("gave up", None)
        """
        barrier = threading.Barrier(count)
        outcomes = {}

        def run(index):
            for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
                try:
                    with self.committed_env() as env:
                        env = snapshot(env, index) or env
                        if not attempt:
                            barrier.wait(30)
                        act(env, index)
                        env.flush_all()
                        time.sleep(0.3)  # the others run into it before it commits
                    outcomes[index] = (done, attempt)
                    return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                    time.sleep(random.uniform(0.0, 0.3))
                except UserError as error:
                    outcomes[index] = ("refused", str(error))
                    return
                except Exception as error:  # reported by the assertion, not lost in the thread
                    outcomes[index] = ("error", repr(error))
                    return
            outcomes[index] = ("gave up", None)

        threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
        with mute_logger(*loggers):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout)
        return outcomes

    def make_salon(self, env, prefix, tz, staff_count=1, hours=None, branch_values=None, service_values=None):
        """A branch in `tz` with its opening hours, `staff_count` bookable staff members on
        them and a service, created in `env` and removed after the test (a cleanup
        registered later, for what the test made of the salon, runs before).

        :param hours: (from, to) opening hours Monday to Saturday; by default those of
            a new resource.calendar
        :param service_values: values of the service (its duration at least); with
            ``staff_lines=True``, the staff members are on its staff list
        :return: (branch, staff, service)
        """
        calendar_values = {"name": f"{prefix} hours {self.tag}", "tz": tz}
        if hours:
            calendar_values["attendance_ids"] = [
                Command.create({"name": str(day), "dayofweek": str(day), "hour_from": hours[0], "hour_to": hours[1]})
                for day in range(6)
            ]
        calendar = env["resource.calendar"].create(calendar_values)
        branch = env["res.company"].create(
            {
                "name": f"{prefix} branch {self.tag}",
                "randevu_tz": tz,
                "resource_calendar_id": calendar.id,
                **(branch_values or {}),
            }
        )
        staff = env["hr.employee"].create(
            [
                {
                    "name": f"{prefix} stylist {n} {self.tag}",
                    "company_id": branch.id,
                    "resource_calendar_id": calendar.id,
                    "randevu_bookable": True,
                }
                for n in range(staff_count)
            ]
        )
        service_values = dict(service_values or {})
        if service_values.pop("staff_lines", False):
            service_values["randevu_staff_line_ids"] = [Command.create({"employee_id": member.id}) for member in staff]
        service = env["product.template"].create(
            {"name": f"{prefix} cut {self.tag}", "type": "service", "is_appointment_service": True, **service_values}
        )
        self.addCleanup(self._remove_salon, branch.id, calendar.id, staff.ids, service.id)
        return branch, staff, service

    def _remove_salon(self, branch_id, calendar_id, staff_ids, service_id):
        with self.committed_env() as env:
            env["product.template"].browse(service_id).unlink()
            env["hr.employee"].browse(staff_ids).unlink()
        with self.committed_env() as env:
            branch = env["res.company"].browse(branch_id)
            try:
                # A refused DELETE is logged by the cursor as an error: expected here.
                with mute_logger("odoo.sql_db"), env.cr.savepoint():
                    branch.unlink()
                    env["resource.calendar"].browse(calendar_id).unlink()
            except psycopg2.IntegrityError:
                # Another installed app made records of its own for the branch (stock's
                # warehouse with its locations and operation types, say) that refuse its
                # deletion: the branch is archived, which hides it from every other test.
                branch.active = False
