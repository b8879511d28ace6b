import html
import json
import re
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuBookingCase

POLICY = "odoo.addons.randevu_calendar.models.res_partner.ResPartner._randevu_online_booking_policy"


@tagged("post_install", "-at_install")
class TestDeposits(RandevuBookingCase):
    """Services with a deposit booked online: the booking is held while the customer
    pays with Odoo's payment form, confirmed once paid, cancelled by the cron when
    the hold expires (freeing the time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deposit.list_price = 120
        cls.branch.randevu_hold_minutes = 20
        # A provider of `payment` itself (code 'none'), as Odoo's PaymentCommon does:
        # no payment_demo needed, transactions are driven by hand.
        cls.provider = cls._make_test_provider(cls.branch)

    # ------------------------------------------------------------------ helpers
    def held_booking(self, service=None, **values):
        """Book `service` online and follow the redirect to the payment page."""
        response = self.post_booking(service or self.deposit, **values)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        location = urlsplit(response.headers["Location"])
        self.assertRegex(location.path, r"^/my/appointments/\d+/pay$")
        appointment = self.Appointment.browse(int(location.path.split("/")[3]))
        return appointment, parse_qs(location.query)["access_token"][0]

    # ------------------------------------------------------------------ the flow
    def test_deposit_service_offered_only_with_a_provider(self):
        response = self.url_open(f"{self.url()}?category={self.hair.id}")
        self.assertIn("Bridal hair", response.text)
        self.provider.state = "disabled"
        response = self.url_open(f"{self.url()}?category={self.hair.id}")
        self.assertNotIn("Bridal hair", response.text, "no way to pay the deposit online")
        self.assertEqual(self.url_open(self.url(self.deposit)).status_code, 404)

    def test_held_then_paid_is_confirmed_and_deposit_kept(self):
        now = fields.Datetime.now()
        appointment, token = self.held_booking()
        self.assertRecordValues(
            appointment,
            [
                {
                    "state": "booked",
                    "payment_state": "not_paid",
                    "randevu_deposit_amount": 50,
                    "randevu_deposit_due": 50,
                    "randevu_deposit_paid": 0,
                }
            ],
        )
        self.assertAlmostEqual(appointment.randevu_hold_until, now + timedelta(minutes=20), delta=timedelta(minutes=1))
        self.assertFalse(self.confirmations(appointment), "not confirmed to the customer before the deposit")
        self.assertTrue(appointment.segment_ids, "the held booking keeps its time")

        page = self.url_open(f"/my/appointments/{appointment.id}/pay?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_payment_form", page.text)
        self.assertIn(f"/my/appointments/{appointment.id}/transaction", page.text)
        self.assertIn("Awaiting deposit", page.text)

        result = self.json_call(
            f"/my/appointments/{appointment.id}/transaction",
            self.payment_params(
                access_token=token, amount=1.0, landing_route="https://evil.example"
            ),  # ignored: the deposit due is charged,
        )
        self.assertNotIn("error", result, result)
        transaction = appointment.randevu_transaction_ids
        self.assertEqual(len(transaction), 1)
        self.assertEqual(transaction.amount, 50)
        self.assertTrue(transaction.landing_route.startswith(f"/book/confirmation/{appointment.id}?"))
        self.assertIn(f"access_token={token}", transaction.landing_route)
        self.assertNotIn("embed", transaction.landing_route)

        transaction._set_done()
        transaction._post_process()
        confirmations = self.assert_confirmed_once_paid(appointment, transaction)
        self.assertEqual(len(confirmations), len(set(confirmations.mapped("channel"))), "once per channel")
        page = self.url_open(f"/my/appointments/{appointment.id}/pay?access_token={token}")
        self.assertIn("nothing to pay", page.text)

    def test_failed_payment_stays_held_then_expires_and_frees_the_time(self):
        appointment, _token = self.held_booking()
        transaction = self.deposit_transaction(appointment)
        transaction._set_canceled()
        transaction._post_process()
        self.assertEqual((appointment.state, appointment.payment_state), ("booked", "not_paid"))
        self.assertTrue(appointment._randevu_is_held())
        Appointment = self.env["randevu.appointment"]
        self.assertEqual(Appointment._cron_cancel_expired_holds(), 0, "not expired yet")
        with freeze_time(appointment.randevu_hold_until + timedelta(minutes=1)):
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 1)
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 0, "idempotent")
        self.assertEqual(appointment.state, "cancelled")
        self.assertFalse(appointment.segment_ids, "the time is free again")
        told = appointment.randevu_message_ids.filtered(lambda msg: msg.kind in ("confirmation", "cancellation"))
        self.assertFalse(told, "never confirmed, so nothing is sent")
        # The same time can be booked again, by someone else.
        again, _token = self.held_booking(name="Dana Guest", phone="06 98 76 54 02", email="dana@example.com")
        self.assertEqual(again.start, appointment.start)
        self.assertNotEqual(again, appointment)

    def test_pending_payment_extends_the_hold_until_the_notice(self):
        """A payment the provider is still confirming keeps the booking past its hold,
        until its start minus the branch's minimum notice; paid meanwhile, it is confirmed."""
        appointment, token = self.held_booking()
        transaction = self.deposit_transaction(appointment)
        transaction._set_pending()
        Appointment = self.env["randevu.appointment"]
        self.branch.randevu_min_notice = 2
        with freeze_time(appointment.randevu_hold_until + timedelta(minutes=1)):
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 0, "the payment is pending")
        self.assertTrue(appointment._randevu_is_held())
        page = self.url_open(f"/my/appointments/{appointment.id}/pay?access_token={token}")
        self.assertIn("Your payment is being confirmed", page.text, "the customer is told, not the stale hold")
        self.assertNotIn("o_randevu_hold", page.text)
        self.provider.support_manual_capture = "full_only"  # the provider confirms in two steps
        transaction._set_authorized()
        with freeze_time(appointment.start - timedelta(hours=2, minutes=1)):
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 0, "authorized, before the notice")
        with freeze_time(appointment.start - timedelta(hours=2)):
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 1, "no longer waited for at the notice")
        self.assertEqual(appointment.state, "cancelled")
        self.assertFalse(appointment.segment_ids, "the time is free again")

        again, _token = self.held_booking(name="Dana Guest", phone="06 98 76 54 02", email="dana@example.com")
        pending = self.deposit_transaction(again)
        pending._set_pending()
        with freeze_time(again.randevu_hold_until + timedelta(minutes=1)):
            self.assertEqual(Appointment._cron_cancel_expired_holds(), 0)
        pending._set_done()
        pending._post_process()
        self.assertRecordValues(
            again, [{"state": "confirmed", "randevu_deposit_paid": 50, "randevu_hold_until": False}]
        )
        self.assertTrue(self.confirmations(again), "confirmed to the customer once the provider confirms")

    def test_failed_or_cancelled_pending_payment_lets_the_hold_expire(self):
        for index, end in enumerate(("_set_error", "_set_canceled")):
            with self.subTest(end=end):
                appointment, _token = self.held_booking(
                    phone=f"06 98 76 54 1{index}",
                    email=f"guest{index}@example.com",
                    start=self.local(self.day, 9 + 5 * index),
                )
                transaction = self.deposit_transaction(appointment)
                transaction._set_pending()
                if end == "_set_error":
                    transaction._set_error("Declined")
                else:
                    transaction._set_canceled()
                transaction._post_process()
                self.assertTrue(appointment._randevu_is_held())
                with freeze_time(appointment.randevu_hold_until + timedelta(minutes=1)):
                    self.assertEqual(self.env["randevu.appointment"]._cron_cancel_expired_holds(), 1)
                self.assertEqual(appointment.state, "cancelled")

    # ------------------------------------------------------------------ embedded (iframe)
    def embedded_held_booking(self):
        start = self.local(self.day, 10)
        details = self.url_open(f"{self.url(self.deposit, 'details')}?embed=1&start={start:%Y-%m-%dT%H:%M}")
        token = re.search(r'name="embed_token" value="([^"]+)"', details.text).group(1)
        self.opener.cookies.clear()  # a third-party iframe sends no session cookie
        response = self.url_open(
            f"{self.url(self.deposit, 'confirm')}?embed=1",
            data=self.booking_data(service=self.deposit, csrf_token=None, embed_token=token),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        location = urlsplit(response.headers["Location"])
        self.assertRegex(location.path, r"^/book/embed/pay/\d+$", "the framable payment page")
        appointment = self.Appointment.browse(int(location.path.split("/")[-1]))
        access_token = parse_qs(location.query)["access_token"][0]
        self.assertEqual(access_token, appointment.access_token)
        self.assertTrue(appointment._randevu_is_held())
        return appointment, access_token

    def test_embedded_deposit_pays_inside_the_frame_and_lands_embedded(self):
        appointment, token = self.embedded_held_booking()
        self.opener.cookies.clear()
        page = self.url_open(f"/book/embed/pay/{appointment.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("X-Frame-Options", page.headers)
        self.assertEqual(page.headers.get("Content-Security-Policy"), "frame-ancestors *")
        text = html.unescape(page.text)
        self.assertIn("o_randevu_embedded", text, "the embedded layout")
        self.assertNotIn('id="top"', text, "without the website's header")
        self.assertIn("o_payment_form", text)
        self.assertIn(f"/book/embed/pay/{appointment.id}/transaction", text)
        self.assertIn(f'href="/my/appointments/{appointment.id}/pay?access_token={token}"', text)
        self.assertIn('target="_blank"', text, "open in a new window for providers that refuse framing")
        # The portal's payment page stays unframable by other sites.
        plain = self.url_open(f"/my/appointments/{appointment.id}/pay?access_token={token}")
        self.assertNotEqual(plain.headers.get("Content-Security-Policy"), "frame-ancestors *")

        self.opener.cookies.clear()
        result = self.json_call(
            f"/book/embed/pay/{appointment.id}/transaction",
            self.payment_params(access_token=token, amount=1.0, landing_route="https://evil.example"),
        )
        self.assertNotIn("error", result, result)
        transaction = appointment.randevu_transaction_ids
        self.assertEqual(transaction.amount, 50)
        landing = urlsplit(transaction.landing_route)
        self.assertEqual(landing.path, f"/book/confirmation/{appointment.id}")
        self.assertEqual(parse_qs(landing.query), {"access_token": [token], "embed": ["1"], "message": ["paid"]})
        transaction._set_done()
        transaction._post_process()
        self.assertEqual(appointment.state, "confirmed")
        self.opener.cookies.clear()
        landed = self.url_open(transaction.landing_route)
        self.assertEqual(landed.status_code, 200)
        self.assertEqual(landed.headers.get("Content-Security-Policy"), "frame-ancestors *")
        text = html.unescape(landed.text)
        self.assertIn("o_randevu_embedded", text)
        self.assertIn("Thank you: your payment is received.", text)
        self.assertIn("o_randevu_deposit_paid", text)

    @mute_logger("odoo.http")
    def test_embedded_pay_page_needs_the_token(self):
        appointment, token = self.embedded_held_booking()
        other = self.book(self.local(self.day, 15), service=self.deposit)
        other._portal_ensure_token()
        self.assert_not_found(
            f"/book/embed/pay/{appointment.id}",
            f"/book/embed/pay/{appointment.id}?access_token=wrong",
            f"/book/embed/pay/{appointment.id}?access_token={other.access_token}",
            f"/book/embed/pay/999999?access_token={token}",
        )
        transactions = self.env["payment.transaction"].search_count([])
        params = self.payment_params()
        for access_token in (None, "wrong", other.access_token):
            with self.subTest(access_token=access_token):
                result = self.json_call(
                    f"/book/embed/pay/{appointment.id}/transaction", dict(params, access_token=access_token)
                )
                self.assertIn("error", result)
        self.env.flush_all()
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions, "nothing written")

    def test_late_payment_on_expired_hold_is_kept_for_refund(self):
        appointment, _token = self.held_booking()
        with freeze_time(appointment.randevu_hold_until + timedelta(minutes=1)):
            self.env["randevu.appointment"]._cron_cancel_expired_holds()
        transaction = self.deposit_transaction(appointment, amount=50)
        transaction._set_done()
        transaction._post_process()
        self.assertRecordValues(
            appointment, [{"state": "cancelled", "payment_state": "not_paid", "randevu_deposit_paid": 50}]
        )
        self.assertIn("refund", appointment.message_ids[0].body)

    def test_service_without_deposit_is_confirmed_at_once(self):
        response = self.post_booking()
        self.assertTrue(urlsplit(response.headers["Location"]).path.startswith("/book/confirmation/"))

    def test_noshow_policy_asks_for_a_deposit(self):
        with patch(POLICY, return_value=("deposit", "Over the limit")):
            appointment, _token = self.held_booking(self.haircut)
        self.assertTrue(appointment.noshow_deposit_required)
        self.assertEqual(appointment.randevu_deposit_due, 40, "the service's price")
        self.assertTrue(appointment._randevu_is_held())

    def test_hold_is_decided_before_create(self):
        """The booking service's hook gives a booking with a deposit due its hold in the
        values it is created with (no context flag): created held, no confirmation
        queued; without a deposit, the values are left as they are."""
        service = self.env["randevu.booking.service"]
        start = self.local(self.day, 10)
        with freeze_time(self.local(self.day, 8)):
            values = service._randevu_appointment_values(
                self.branch, self.deposit, self.anna, start, self.customer, {"source": "website"}
            )
            self.assertEqual(values["randevu_hold_until"], fields.Datetime.now() + timedelta(minutes=20))
            values = service._randevu_appointment_values(
                self.branch, self.haircut, self.anna, start, self.customer, {"source": "website"}
            )
            self.assertEqual(values, {"source": "website"})
        details = {"name": "Chloé Martin", "phone": "+33645019283", "email": "", "note": ""}
        created = []
        create = type(self.Appointment).create

        def spy(appointments, vals_list):
            created.extend(vals_list if isinstance(vals_list, list) else [vals_list])
            return create(appointments, vals_list)

        with patch.object(type(self.Appointment), "create", autospec=True, side_effect=spy):
            appointment = service._book(self.branch, self.deposit, self.anna, start, details)
        self.assertTrue(created[0].get("randevu_hold_until"), "held in the values it is created with")
        self.assertTrue(appointment._randevu_is_held())
        self.assertFalse(self.confirmations(appointment), "confirmed once the deposit is paid")

    # ------------------------------------------------------------------ bad requests
    def test_wrong_token_is_not_found_and_writes_nothing(self):
        appointment, token = self.held_booking()
        self.assert_not_found(
            f"/my/appointments/{appointment.id}/pay?access_token=wrong",
            f"/my/appointments/{appointment.id}/pay",
            f"/my/appointments/999999/pay?access_token={token}",
        )
        transactions = self.env["payment.transaction"].search_count([])
        params = self.payment_params()
        with mute_logger("odoo.http"):
            wrong = self.json_call(f"/my/appointments/{appointment.id}/transaction", dict(params, access_token="wrong"))
            junk = self.json_call(
                f"/my/appointments/{appointment.id}/transaction", dict(params, access_token=token, partner_id=1)
            )
            self.provider.state = "disabled"
            appointment.payment_state = "deposit"
            nothing_due = self.json_call(
                f"/my/appointments/{appointment.id}/transaction", dict(params, access_token=token)
            )
        for result in (wrong, junk, nothing_due):
            self.assertIn("error", result)
        self.env.flush_all()
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions, "nothing written")
        self.assertFalse(appointment.randevu_transaction_ids)

    def assert_clean_error(self, response, message):
        """A JSON-RPC error for a visitor: `message`, no traceback, no server path."""
        self.assertEqual(response.status_code, 200)
        for leak in ("Traceback", "/odoo/", ".py", "debug", "psycopg2", "File "):
            self.assertNotIn(leak, response.text)
        body = response.json()
        self.assertNotIn("result", body)
        self.assertEqual(body["error"]["message"], message)
        self.assertEqual(body["error"]["data"]["message"], message, "what payment.form shows")
        self.assertEqual(body["error"]["data"]["name"], "odoo.exceptions.UserError")

    def test_transaction_routes_answer_clean_errors_to_visitors(self):
        """Whatever fails in the deposit transaction routes (a wrong type, an unknown
        id, missing params, params that are not an object), an anonymous caller gets a
        clean message and the traceback stays in the server's log."""
        appointment, token = self.held_booking()
        self.opener.cookies.clear()
        transactions = self.env["payment.transaction"].search_count([])
        params = self.payment_params(access_token=token)
        generic = "Something went wrong, please try again."
        failures = {
            "wrong type": dict(params, provider_id="junk"),
            "unknown id": dict(params, payment_method_id=999999),
            "missing params": {"access_token": token},
            "params not an object": [token, self.provider.id],
        }
        for url in (f"/my/appointments/{appointment.id}/transaction", f"/book/embed/pay/{appointment.id}/transaction"):
            for case, case_params in failures.items():
                with self.subTest(url=url, case=case), self.assertLogs("odoo", "WARNING") as logs:
                    response = self.url_open(
                        url,
                        data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 7, "params": case_params}),
                        headers={"Content-Type": "application/json"},
                    )
                    self.assert_clean_error(response, generic)
                    self.assertEqual(response.json()["id"], 7)
                self.assertIn("Traceback", "\n".join(logs.output), "the server logs the traceback")
            with self.subTest(url=url, case="a message for the visitor"), mute_logger("odoo.http"):
                wrong_token = self.url_open(
                    url,
                    data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": dict(params, access_token="x")}),
                    headers={"Content-Type": "application/json"},
                )
                self.assert_clean_error(wrong_token, "The access token is invalid.")
        self.env.flush_all()
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions, "nothing written")
        self.assertFalse(appointment.randevu_transaction_ids)
        # An id that is not a number matches no route: the 404 page, no traceback either.
        with mute_logger("odoo.http"):
            not_found = self.url_open(
                "/my/appointments/junk/transaction",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(not_found.status_code, 404)
        self.assertNotIn("Traceback", not_found.text)
        # A body that is not JSON: Odoo's plain 400, before any route code.
        junk = self.url_open(
            f"/my/appointments/{appointment.id}/transaction", data="{junk", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(junk.status_code, 400)
        self.assertNotIn("Traceback", junk.text)

    def test_tr_and_fr_terms(self):
        # "Deposit not paid in time" is randevu_account's: its test_translations.py.
        for lang, failed in (
            ("tr_TR", "Bir şeyler ters gitti, lütfen tekrar deneyin."),
            ("fr_FR", "Une erreur s'est produite, veuillez réessayer."),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_booking"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._("Something went wrong, please try again."), failed)
