# ruff: noqa: RUF001 (Turkish dotless i)
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import InboxMixin

ACCOUNT = "102290129340398"


def meta_template(ident, name, language, status, body, category="UTILITY", header=None):
    """A template as GET /{waba id}/message_templates lists it (Meta's documented fields)."""
    components = []
    if header:
        components.append({"type": "HEADER", "format": "TEXT", "text": header})
    components.append({"type": "BODY", "text": body})
    components.append({"type": "FOOTER", "text": "Randevu"})
    return {
        "id": ident,
        "name": name,
        "language": language,
        "status": status,
        "category": category,
        "components": components,
    }


@tagged("post_install", "-at_install")
class TestWhatsAppTemplateSync(InboxMixin, TransactionCase):
    """The account's message templates synchronised from Meta through our adapter, against
    the local fake Graph API: statuses, variables, a template removed at Meta, pagination."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.branch, cls.gateway = cls.make_branch(cls.env, "templates", cls.fake)
        cls.gateway.whatsapp_account_id = ACCOUNT

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.templates[ACCOUNT] = [
            meta_template("1001", "appointment_reminder", "tr", "APPROVED", "Merhaba {{1}}, {{2}} randevunuz {{3}}."),
            meta_template("1002", "appointment_reminder", "fr", "REJECTED", "Bonjour {{1}}, votre {{2}} est {{3}}."),
            meta_template("1003", "winter_offer", "en", "PAUSED", "Hello {{1}}!", category="MARKETING"),
            meta_template("1004", "appointment_confirmation", "en", "APPROVED", "See you on {{1}}.", header="Hi {{1}}"),
        ]

    def templates(self):
        return self.env["mail.whatsapp.template"].search([("gateway_id", "=", self.gateway.id)], order="template_uid")

    def sync(self):
        return self.gateway._randevu_sync_whatsapp_templates()

    def test_statuses_and_variables(self):
        self.assertEqual(self.sync(), {"created": 4, "updated": 0, "removed": 0})
        self.assertRecordValues(
            self.templates(),
            [
                {
                    "template_uid": "1001",
                    "template_name": "appointment_reminder",
                    "language": "tr",
                    "state": "approved",
                },
                {
                    "template_uid": "1002",
                    "template_name": "appointment_reminder",
                    "language": "fr",
                    "state": "rejected",
                },
                {"template_uid": "1003", "template_name": "winter_offer", "language": "en", "state": "paused"},
                {
                    "template_uid": "1004",
                    "template_name": "appointment_confirmation",
                    "language": "en",
                    "state": "approved",
                },
            ],
        )
        reminder, _fr, offer, confirmation = self.templates()
        self.assertEqual(reminder.body, "Merhaba {{1}}, {{2}} randevunuz {{3}}.")
        self.assertEqual(reminder.footer, "Randevu")
        self.assertEqual(reminder.category, "utility")
        self.assertEqual(offer.category, "marketing")
        self.assertEqual(
            sorted(reminder.variable_ids.mapped("name")), ["{{1}}", "{{2}}", "{{3}}"], "the {{n}} variables"
        )
        self.assertEqual(confirmation.header, "Hi {{1}}")
        self.assertEqual(
            sorted((variable.line_type, variable.name) for variable in confirmation.variable_ids),
            [("body", "{{1}}"), ("header", "{{1}}")],
        )
        # Asked of the account's endpoint with the token and Meta's documented fields.
        path, headers, _body = self.fake.requests[0]
        self.assertTrue(path.startswith(f"/v23.0/{ACCOUNT}/message_templates?"), path)
        self.assertIn("fields=id%2Cname%2Clanguage%2Cstatus%2Ccategory%2Ccomponents", path)
        self.assertEqual(headers["Authorization"], "Bearer token-templates")

    def test_status_changes_and_kind_kept(self):
        self.sync()
        reminder = self.templates()[0]
        # The business maps the variables and the kind once; a sync keeps them.
        reminder.write(
            {
                "name": "Hatırlatma",
                "randevu_kind": "reminder",
                "model_id": self.env["ir.model"]._get_id("randevu.appointment"),
            }
        )
        reminder.variable_ids.filtered(lambda variable: variable.name == "{{1}}").field_name = "partner_id.name"
        self.fake.templates[ACCOUNT][0]["status"] = "PAUSED"
        self.fake.templates[ACCOUNT][1]["status"] = "APPROVED"
        self.assertEqual(self.sync(), {"created": 0, "updated": 4, "removed": 0})
        reminder, french = self.templates()[:2]
        self.assertRecordValues(reminder, [{"state": "paused", "name": "Hatırlatma", "randevu_kind": "reminder"}])
        self.assertEqual(
            reminder.variable_ids.filtered(lambda variable: variable.name == "{{1}}").field_name, "partner_id.name"
        )
        self.assertEqual(french.state, "approved")
        self.assertEqual(len(self.templates()), 4, "nothing created twice")

    def test_template_removed_upstream(self):
        self.sync()
        draft = self.env["mail.whatsapp.template"].create(
            {
                "name": "Local draft",
                "body": "Not exported yet",
                "category": "utility",
                "language": "en",
                "gateway_id": self.gateway.id,
            }
        )
        del self.fake.templates[ACCOUNT][2]  # winter_offer deleted in WhatsApp Manager
        self.assertEqual(self.sync(), {"created": 0, "updated": 3, "removed": 1})
        self.assertEqual(self.templates().filtered(lambda template: template.template_uid == "1003").state, "deleted")
        self.assertEqual(draft.state, "draft", "a template never exported is not Meta's to remove")
        self.assertEqual(self.sync()["removed"], 0, "removed once")

    def test_pagination(self):
        self.fake.templates[ACCOUNT] = [
            meta_template(str(2000 + index), f"template_{index}", "en", "APPROVED", f"Text {index} {{{{1}}}}")
            for index in range(7)
        ]
        from ..tools.whatsapp_api import WhatsAppCloudApi

        listed = WhatsAppCloudApi(self.gateway).list_templates(ACCOUNT, page_size=3)
        self.assertEqual([template["name"] for template in listed], [f"template_{index}" for index in range(7)])
        self.assertEqual(len(self.fake.requests), 3, "three pages, following paging.next")
        self.assertIn("after=6", self.fake.requests[2][0])
        self.fake.requests.clear()
        self.assertEqual(self.sync()["created"], 7)
        self.assertEqual(len(self.templates()), 7)

    def test_button_and_cron(self):
        action = self.gateway.button_import_whatsapp_template()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("4 new", action["params"]["message"])
        self.fake.templates[ACCOUNT][0]["status"] = "DISABLED"
        self.env["mail.gateway"]._cron_randevu_sync_whatsapp_templates()
        self.assertEqual(self.templates()[0].state, "disabled")

    def test_refused_by_meta(self):
        del self.fake.templates[ACCOUNT]  # the fake answers 404 with Meta's error
        with self.assertRaisesRegex(UserError, "Unknown path"):
            self.gateway.button_import_whatsapp_template()
        self.gateway.whatsapp_account_id = False
        with self.assertRaises(UserError):
            self.gateway.button_import_whatsapp_template()

    def test_one_template_synchronised(self):
        self.sync()
        reminder = self.templates()[0]
        reminder.name = "Hatırlatma"
        self.fake.templates[ACCOUNT][0].update(status="PAUSED", category="SOMETHING_NEW")
        self.fake.requests.clear()
        reminder.button_sync_template()
        self.assertRecordValues(reminder, [{"state": "paused", "category": "utility", "name": "Hatırlatma"}])
        [(path, headers, _body)] = self.fake.requests
        self.assertTrue(path.startswith("/v23.0/1001?"), "through our adapter, at the gateway's URL")
        self.assertEqual(headers["Authorization"], "Bearer token-templates")
        draft = self.env["mail.whatsapp.template"].create(
            {"name": "Draft", "body": "x", "category": "utility", "language": "en", "gateway_id": self.gateway.id}
        )
        with self.assertRaises(UserError):
            draft.button_sync_template()

    def test_status_webhook(self):
        self.sync()
        reminder = self.templates()[0]
        update = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": ACCOUNT,
                    "time": 1767000000,
                    "changes": [
                        {
                            "field": "message_template_status_update",
                            "value": {
                                "event": "PAUSED",
                                "message_template_id": 1001,
                                "message_template_name": "appointment_reminder",
                                "message_template_language": "tr",
                                "reason": "Low quality",
                            },
                        }
                    ],
                }
            ],
        }
        self.env["mail.gateway.whatsapp"]._receive_update(self.gateway, update)
        self.assertEqual(reminder.state, "paused")
        update["entry"][0]["changes"][0]["value"]["event"] = "SOMETHING_NEW"
        self.env["mail.gateway.whatsapp"]._receive_update(self.gateway, update)
        self.assertEqual(reminder.state, "paused", "an unknown event changes nothing")
        self.assertFalse(self.env["randevu.inbox.event"].search([("gateway_id", "=", self.gateway.id)]))
