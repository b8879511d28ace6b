import json
from datetime import datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sms.tests.common import MockSMS


class RandevuCase(TransactionCase):
    """A branch in Paris (DST) open Mon-Sat 09:00-18:00, two stylists with a lunch
    break, a haircut with a 15-minute buffer after, a colour with a processing
    gap that needs the colour room. Never relies on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.branch = cls._make_branch("Paris", "Europe/Paris")
        cls.stylist_hours = cls._make_calendar("Stylist hours", cls.branch, [(9, 13), (14, 18)])
        cls.anna = cls._make_staff("Anna", cls.branch, cls.stylist_hours)
        cls.bruno = cls._make_staff("Bruno", cls.branch, cls.stylist_hours)
        cls.room = cls.env["resource.resource"].create(
            {"name": "Colour room", "resource_type": "material", "company_id": cls.branch.id, "calendar_id": False}
        )
        cls.haircut = cls._make_service("Haircut", 0.5, cls.anna | cls.bruno, randevu_buffer_after=0.25)
        cls.colour = cls._make_service(
            "Colour",
            2.0,
            cls.anna | cls.bruno,
            randevu_processing_start=0.5,
            randevu_processing_duration=1.0,
            randevu_resource_ids=[(6, 0, cls.room.ids)],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Chloé Martin", "phone": "+33645019283"})
        # A Monday far from any DST change; times below are UTC (Paris = UTC+1 in January).
        cls.monday = datetime(2031, 1, 6)
        cls.past = datetime(2030, 12, 1)  # "now" for the engine: no minimum-notice effect

    @classmethod
    def _make_branch(cls, name, tz, **values):
        calendar = cls.env["resource.calendar"].create(
            {
                "name": f"{name} opening hours",
                "tz": tz,
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "morning",
                        },
                    )
                    for day in range(6)
                ],
            }
        )
        branch = cls.env["res.company"].create(
            {
                "name": f"Salon {name}",
                "parent_id": cls.env.ref("base.main_company").id,
                "randevu_tz": tz,
                "resource_calendar_id": calendar.id,
                "randevu_min_notice": 2,
                "randevu_slot_step": 15,
                **values,
            }
        )
        calendar.company_id = branch
        cls.env.user.company_ids |= branch
        return branch

    @classmethod
    def _make_calendar(cls, name, branch, periods, days=range(6)):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "company_id": branch.id,
                "tz": branch.randevu_tz,
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{day}-{start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": "morning",
                        },
                    )
                    for day in days
                    for start, stop in periods
                ],
            }
        )

    @classmethod
    def _make_staff(cls, name, branch, calendar, user=None):
        return cls.env["hr.employee"].create(
            {
                "name": name,
                "company_id": branch.id,
                "resource_calendar_id": calendar.id,
                "user_id": user and user.id,
                "randevu_bookable": True,
            }
        )

    @classmethod
    def _make_service(cls, name, duration, staff, **values):
        return cls.env["product.template"].create(
            {
                "name": name,
                "type": "service",
                "is_appointment_service": True,
                "randevu_duration": duration,
                "list_price": 40,
                "randevu_staff_line_ids": [
                    (0, 0, {"employee_id": employee.id, "sequence": index}) for index, employee in enumerate(staff)
                ],
                **values,
            }
        )

    def book(self, start, staff=None, service=None, **values):
        """An appointment through the ORM, as the backend creates it."""
        service = service if service is not None else self.haircut
        vals = {
            "company_id": self.branch.id,
            "service_id": service.id if service else False,
            "employee_id": (staff or self.anna).id,
            "start": start,
            "partner_id": self.customer.id,
        }
        if service and service.randevu_resource_ids and "resource_ids" not in values:
            vals["resource_ids"] = [(6, 0, service.randevu_resource_ids[:1].ids)]
        vals.update(values)
        return self.env["randevu.appointment"].create(vals)

    def confirmations(self, appointment):
        """The confirmation messages of `appointment` (randevu.message rows)."""
        return appointment.randevu_message_ids.filtered(lambda msg: msg.kind == "confirmation")

    def run_outbox(self, when=None, **kwargs):
        """Run the outbox worker (the cron a booking, a move or a cancellation triggers
        to send the messages it queued), at `when` if given. Returns what it handled."""
        if when is None:
            return self.env["randevu.message"]._cron_send_queued(**kwargs)
        with freeze_time(when):
            return self.env["randevu.message"]._cron_send_queued(**kwargs)

    def run_calendar_sync(self):
        """Run the calendar cron (triggered by every booking, move or cancellation to
        write the staff members' calendar events). Returns how many it handled."""
        return self.env["randevu.appointment"]._cron_sync_calendar_events()

    @classmethod
    def make_portal_customer(cls, login, phone, name="Portal Paula"):
        """A portal user of the main company (not of the branch: her own appointments
        must show anyway), her partner named `name` with `phone`."""
        user = cls.make_user(login, "base.group_portal", cls.env.ref("base.main_company"))
        user.partner_id.write({"name": name, "phone": phone})
        return user

    @classmethod
    def make_user(cls, login, groups, company, companies=None, **kw):
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[(6, 0, (companies or company).ids)],
            **kw,
        )


class UpcomingDayMixin:
    """Dates relative to today, not frozen (a tour's browser and the server must agree
    on "now"): `day` is the first Monday-to-Saturday at least two days ahead, `local`
    gives a Paris time on a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tz = pytz.timezone("Europe/Paris")
        today = datetime.now(cls.tz).date()
        cls.day = next(
            today + timedelta(days=offset) for offset in range(2, 9) if (today + timedelta(days=offset)).weekday() < 6
        )

    @classmethod
    def local(cls, day, hour, minute=0):
        """Naive UTC datetime of `hour`:`minute` on `day`, Paris time."""
        local = cls.tz.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)


class JsonRpcMixin:
    """JSON-RPC calls as the web client and the payment form make them, for HttpCase
    tests, with the session's user (`authenticate` first). Each returns the JSON answer,
    errors included: a refusal is an answer whose ``error.data.name`` is
    ``odoo.exceptions.AccessError``."""

    def json_call(self, url, params):
        """POST a JSON-RPC call to `url`; the HTTP status is asserted 200."""
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def call_kw(self, model, method, *args, companies=None, **kwargs):
        """`method` of `model` through /web/dataset/call_kw, with `companies` as the
        allowed companies of the context when given. The server's error log is muted:
        refusals are asserted on the answer."""
        if companies is not None:
            kwargs["context"] = {"allowed_company_ids": companies.ids, **kwargs.get("context", {})}
        with mute_logger("odoo.http"):
            return self.json_call(
                "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
            )

    def call_kw_result(self, model, method, *args, **kwargs):
        """The result of `call_kw`, failing the test on an error answer."""
        answer = self.call_kw(model, method, *args, **kwargs)
        self.assertNotIn("error", answer, answer)
        return answer["result"]

    def assert_access_error(self, answer, what="", message=None):
        """`answer` is an AccessError (saying `message` when given); `what` names the
        call in a failure's message."""
        self.assertIn("error", answer, f"{what}: refused")
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError", f"{what}: {answer}")
        if message:
            self.assertEqual(answer["error"]["data"]["message"], message)

    def assert_rpc_error(self, answer, name):
        """`answer` is an error whose exception name matches the regular expression `name`."""
        self.assertIn("error", answer, answer)
        self.assertRegex(answer["error"]["data"]["name"], name, answer)


class RandevuMessagingCase(RandevuCase, MockEmail, MockSMS):
    """RandevuCase with a customer reachable by email and SMS, a staff member with a
    user, and the mail and SMS gateways mocked at Odoo's boundaries (SMTP and IAP):
    nothing leaves the machine. Paris is UTC+1 in January; quiet hours 21:00-08:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"email": "chloe@example.com", "lang": "en_US"})
        cls.branch.write({"street": "1 rue de Rivoli", "zip": "75001", "city": "Paris", "email": "paris@salon.example"})
        cls.stylist_user = new_test_user(
            cls.env, login="anna_stylist", groups="randevu_calendar.group_randevu_staff", company_id=cls.branch.id
        )
        cls.anna.user_id = cls.stylist_user
        cls.rule_email, cls.rule_sms = cls.branch.randevu_reminder_rule_ids.sorted("offset_hours", reverse=True)

    def messages(self, appointment, **filters):
        """The randevu.message rows of `appointment`, narrowed by field values."""
        rows = appointment.randevu_message_ids
        for field, value in filters.items():
            rows = rows.filtered(lambda msg, field=field, value=value: msg[field] == value)
        return rows

    def outgoing_mails(self, appointment):
        return self.env["mail.mail"].sudo().search([("model", "=", appointment._name), ("res_id", "=", appointment.id)])

    def outgoing_texts(self, appointment):
        chatter = appointment.message_ids.filtered(lambda msg: msg.message_type == "sms")
        return self.env["sms.sms"].sudo().search([("mail_message_id", "in", chatter.ids)])

    def run_reminders(self, when, **kwargs):
        with freeze_time(when):
            return self.env["randevu.message"]._cron_send_reminders(**kwargs)

    def run_followups(self, when, **kwargs):
        with freeze_time(when):
            return self.env["randevu.message"]._cron_send_followups(**kwargs)
