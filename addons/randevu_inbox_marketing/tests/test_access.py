from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import ConsentInboxMixin


@tagged("post_install", "-at_install")
class TestConsentInboxAccess(ConsentInboxMixin, JsonRpcMixin, HttpCase):
    """The consents beside the chat are the office's, as consents are: receptionists and
    managers read them and ask or record one; staff read the chat but neither the consents
    nor the buttons; another branch's receptionist reaches nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_consent_fixtures("access")
        cls.other_branch, _gateway = cls.make_branch(cls.env, "access-other", cls.fake)

        def user(login, group, branch):
            return new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=f"base.group_user,randevu_calendar.{group}",
                company_id=branch.id,
                company_ids=[(6, 0, branch.ids)],
            )

        user("cim_staff", "group_randevu_staff", cls.branch)
        user("cim_user", "group_randevu_user", cls.branch)
        user("cim_manager", "group_randevu_manager", cls.branch)
        user("cim_other", "group_randevu_user", cls.other_branch)
        cls.conversation = cls.env["randevu.conversation"]._randevu_get(
            cls.branch, "whatsapp", cls.number, cls.gateway, partner=cls.customer
        )
        cls.conversation.last_customer_message_at = fields.Datetime.now() - timedelta(hours=1)
        cls.env["randevu.consent"]._randevu_record(cls.customer, "sms", "granted", "till", "SMS ile kampanyalar")

    def test_office_reads_the_consents_and_asks(self):
        for login in ("cim_user", "cim_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                [row] = self.call_kw_result(
                    "randevu.conversation", "read", self.conversation.ids, ["marketing_consent_ids"]
                )
                self.assertEqual(row["marketing_consent_ids"], self.consent("sms").ids)
                [consent] = self.call_kw_result(
                    "randevu.consent", "read", row["marketing_consent_ids"], ["channel", "state", "date", "source"]
                )
                self.assertEqual((consent["channel"], consent["state"], consent["source"]), ("sms", "granted", "till"))
                self.call_kw_result("randevu.conversation", "action_record_marketing_consent", self.conversation.ids)
        self.authenticate("cim_manager", "cim_manager")
        self.call_kw_result("randevu.conversation", "action_ask_marketing_consent", self.conversation.ids)
        self.assertEqual(self.consent("whatsapp").state, "pending")

    def test_staff_read_the_chat_not_the_consents(self):
        self.authenticate("cim_staff", "cim_staff")
        self.call_kw_result("randevu.conversation", "read", self.conversation.ids, ["partner_id", "phone"])
        self.assert_access_error(
            self.call_kw("randevu.conversation", "read", self.conversation.ids, ["marketing_consent_ids"]),
            "staff read consents",
        )
        for method in ("action_ask_marketing_consent", "action_record_marketing_consent"):
            with self.subTest(method=method):
                self.assert_access_error(self.call_kw("randevu.conversation", method, self.conversation.ids), method)
        self.assertFalse(self.consent("whatsapp"))

    def test_another_branch_reaches_nothing(self):
        self.authenticate("cim_other", "cim_other")
        for method, args in (
            ("read", [["marketing_consent_ids"]]),
            ("action_ask_marketing_consent", []),
            ("action_record_marketing_consent", []),
        ):
            with self.subTest(method=method):
                self.assert_access_error(
                    self.call_kw("randevu.conversation", method, self.conversation.ids, *args), method
                )
        self.assertFalse(self.consent("whatsapp"))

    def test_instagram_has_no_consent_channel(self):
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.branch, "instagram", "1784000111", self.gateway, partner=self.customer
        )
        self.authenticate("cim_user", "cim_user")
        answer = self.call_kw("randevu.conversation", "action_ask_marketing_consent", conversation.ids)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")


@tagged("post_install", "-at_install")
class TestWhatsAppCampaignAccess(ConsentInboxMixin, JsonRpcMixin, HttpCase):
    """WhatsApp campaigns as the web client creates them: a Randevu manager with Email
    Marketing creates one to her branch's segment with her branch's approved marketing
    template and sends it; receptionists and staff (no Email Marketing) create none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_consent_fixtures("campaign-access")
        cls.segment = cls.env["randevu.segment"].create({"name": "Everyone", "company_id": cls.branch.id})
        cls.template = cls.env["mail.whatsapp.template"].create(
            {
                "name": "winter_offer",
                "body": "Kış kampanyası!",  # noqa: RUF001,
                "category": "marketing",
                "language": "tr",
                "gateway_id": cls.gateway.id,
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
            }
        )
        cls.template.state = "approved"
        for login, groups in (
            ("wac_staff", "randevu_calendar.group_randevu_staff"),
            ("wac_user", "randevu_calendar.group_randevu_user"),
            ("wac_manager", "randevu_calendar.group_randevu_manager,mass_mailing.group_mass_mailing_user"),
        ):
            new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=f"base.group_user,{groups}",
                company_id=cls.branch.id,
                company_ids=[(6, 0, cls.branch.ids)],
            )

    def values(self):
        return {
            "name": "Winter",
            "subject": "Winter",
            "mailing_type": "whatsapp",
            "randevu_segment_id": self.segment.id,
            "randevu_whatsapp_template_id": self.template.id,
        }

    def test_manager_with_email_marketing_creates_and_sends(self):
        self.authenticate("wac_manager", "wac_manager")
        mailing_id = self.call_kw_result("mailing.mailing", "create", self.values())
        [row] = self.call_kw_result("mailing.mailing", "read", [mailing_id], ["randevu_whatsapp_template_id"])
        self.assertEqual(row["randevu_whatsapp_template_id"][0], self.template.id)
        answer = self.call_kw("mailing.mailing", "action_put_in_queue", [mailing_id])
        self.assertNotIn("error", answer, answer)
        self.assertEqual(self.env["mailing.mailing"].browse(mailing_id).state, "in_queue")

    def test_receptionist_and_staff_create_none(self):
        for login in ("wac_user", "wac_staff"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assert_access_error(self.call_kw("mailing.mailing", "create", self.values()), login)
