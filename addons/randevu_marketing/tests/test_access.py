from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestConsentAccess(ConsentMixin, JsonRpcMixin, HttpCase):
    """Through JSON-RPC as the web client calls it: staff see no consent; a receptionist
    (User) reads and records one at the desk but changes no history; a manager also
    exports; nobody rewrites or deletes the history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.role_user("consent_staff", "group_randevu_staff")
        cls.receptionist = cls.role_user("consent_user", "group_randevu_user")
        cls.manager = cls.role_user("consent_manager", "group_randevu_manager")
        cls.event = cls.Consent._randevu_record(cls.ayse, "email", "granted", "till", "Text shown at the till")
        cls.ayse_consent = cls.event.consent_id

    def test_staff_see_no_consent(self):
        self.authenticate("consent_staff", "consent_staff")
        for model in ("randevu.consent", "randevu.consent.event"):
            with self.subTest(model=model):
                self.assert_access_error(self.call_kw(model, "search_read", [], ["id"]))
        self.assert_access_error(self.call_kw("res.partner", "read", self.ayse.ids, ["randevu_consent_ids"]))
        self.assert_access_error(self.call_kw("randevu.consent.record", "create", {"partner_id": self.chloe.id}))

    def test_receptionist_records_a_consent_but_rewrites_nothing(self):
        self.authenticate("consent_user", "consent_user")
        rows = self.call_kw_result("randevu.consent", "search_read", [("partner_id", "=", self.ayse.id)], ["state"])
        self.assertEqual([row["state"] for row in rows], ["granted"])
        wizard_id = self.call_kw_result(
            "randevu.consent.record",
            "create",
            {"partner_id": self.chloe.id, "channel": "sms", "state": "granted", "source": "till"},
        )
        self.call_kw_result("randevu.consent.record", "action_record", [wizard_id])
        consent = self.consent(self.chloe, "sms")
        self.assertEqual((consent.state, consent.address), ("granted", "+33645019283"))
        self.assertEqual(consent.event_ids.user_id, self.receptionist)
        self.assertIn("SMS", consent.event_ids.text)
        self.assert_access_error(self.call_kw("randevu.consent.event", "write", self.event.ids, {"text": "other"}))
        self.assert_access_error(self.call_kw("randevu.consent.event", "unlink", self.event.ids))
        self.assert_access_error(self.call_kw("randevu.consent", "write", self.ayse_consent.ids, {"channel": "sms"}))
        self.assert_access_error(self.call_kw("randevu.consent", "unlink", self.ayse_consent.ids))
        self.assert_access_error(self.call_kw("randevu.consent.export", "create", {"file_format": "csv"}))
        # A direct create of an event keeps the server's time and the real recorder.
        event_id = self.call_kw_result(
            "randevu.consent.event",
            "create",
            {
                "consent_id": self.ayse_consent.id,
                "partner_id": self.ayse.id,
                "channel": "email",
                "purpose": "marketing",
                "state": "withdrawn",
                "source": "backend",
                "text": "Asked to stop at the desk",
                "address": "ayse@example.com",
                "user_id": self.manager.id,
                "date": "2020-01-01 00:00:00",
            },
        )
        event = self.env["randevu.consent.event"].browse(event_id)
        self.assertEqual(event.user_id, self.receptionist)
        self.assertGreater(event.date.year, 2020)
        self.ayse_consent.invalidate_recordset()
        self.assertEqual(self.ayse_consent.state, "withdrawn")

    def test_manager_exports_but_cannot_rewrite_the_history(self):
        self.authenticate("consent_manager", "consent_manager")
        self.assert_rpc_error(
            self.call_kw("randevu.consent.event", "write", self.event.ids, {"text": "other"}), r"AccessError|UserError"
        )
        self.assert_rpc_error(self.call_kw("randevu.consent.event", "unlink", self.event.ids), r"AccessError|UserError")
        self.assert_rpc_error(
            self.call_kw("randevu.consent", "write", self.ayse_consent.ids, {"state": "withdrawn"}), "UserError"
        )
        self.assert_rpc_error(self.call_kw("randevu.consent", "unlink", self.ayse_consent.ids), "UserError")
        wizard_id = self.call_kw_result("randevu.consent.export", "create", {"file_format": "csv"})
        action = self.call_kw_result("randevu.consent.export", "action_export", [wizard_id])
        self.assertIn("/web/content/", action["url"])
        self.assertEqual(self.event.text, "Text shown at the till")

    def test_a_branch_sees_only_its_own_and_shared_customers_consents(self):
        other_branch = self.env["res.company"].create({"name": "Other branch"})
        theirs = self.env["res.partner"].create(
            {"name": "Other branch customer", "email": "other@example.com", "company_id": other_branch.id}
        )
        their_event = self.Consent._randevu_record(theirs, "email", "granted", "till", "Text shown at the till")
        self.authenticate("consent_user", "consent_user")
        for model, ours, other in (
            ("randevu.consent", self.ayse_consent, their_event.consent_id),
            ("randevu.consent.event", self.event, their_event),
        ):
            with self.subTest(model=model):
                ids = {row["id"] for row in self.call_kw_result(model, "search_read", [], ["id"])}
                self.assertIn(ours.id, ids, "a shared customer's")
                self.assertNotIn(other.id, ids, "another branch's customer")
                self.assert_access_error(self.call_kw(model, "read", other.ids, ["address"]))

    def test_the_client_profile_shows_consents_to_reception_not_to_staff(self):
        """The salon's client form (Clients menu, an appointment's customer) has the
        Consents tab for reception; staff get the form without it."""
        for login, shown in (("consent_user", True), ("consent_staff", False)):
            with self.subTest(login=login):
                self.authenticate(login, login)
                result = self.call_kw_result(
                    "res.partner",
                    "get_views",
                    views=[[self.env.ref("randevu_calendar.res_partner_view_form_randevu_client").id, "form"]],
                    options={},
                )
                arch = result["views"]["form"]["arch"]
                self.assertEqual('name="randevu_consent_ids"' in arch, shown)
                self.assertEqual('name="randevu_consents"' in arch, shown)
