from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

from .common import PDF, PNG, InboxMixin


@tagged("post_install", "-at_install")
class TestMediaAndDocuments(InboxMixin, RandevuMessagingCase):
    """Photos and PDFs a customer sends on WhatsApp are downloaded through the adapter (the
    fake Graph API serves the media), kept on the chat's message and shown on their next
    appointment; documents go to the customer from the appointment (WhatsApp within 24 h,
    else email)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.gateway = cls.env["mail.gateway"].create(
            {
                "name": "Paris WhatsApp",
                "gateway_type": "whatsapp",
                "token": "paris-token",
                "webhook_key": "paris-media-key",
                "webhook_secret": "paris-secret",
                "whatsapp_from_phone": "106540352242922",
                "company_id": cls.branch.id,
                "randevu_graph_url": cls.fake.url,
            }
        )
        cls.gateway.integrated_webhook_state = "integrated"
        cls.fake.media["media-png"] = (PNG, "image/png")
        cls.fake.media["media-pdf"] = (PDF, "application/pdf")
        cls.fake.media["media-zip"] = (b"PK\x03\x04", "application/zip")
        cls.receptionist = new_test_user(
            cls.env, login="paris_reception", groups="randevu_calendar.group_randevu_user", company_id=cls.branch.id
        )
        cls.other_branch = cls.env["res.company"].create({"name": "Lyon media"})
        cls.other_receptionist = new_test_user(
            cls.env,
            login="lyon_reception",
            groups="randevu_calendar.group_randevu_user",
            company_id=cls.other_branch.id,
        )
        cls.wa_sender = cls.customer.phone.lstrip("+")

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()

    def receive(self, message):
        Event = self.env["randevu.inbox.event"]
        event = Event._randevu_store(self.gateway, dict(message, **{"from": self.wa_sender}), "Chloé Martin")
        Event._cron_process()
        self.assertEqual(event.state, "done", event.error)
        return event.conversation_id

    def media_message(self, kind, media_id, caption="", filename=None, mid=None):
        media = {"id": media_id, "mime_type": "x"}
        if caption:
            media["caption"] = caption
        if filename:
            media["filename"] = filename
        return {"id": mid or f"wamid.media.{media_id}.{kind}", "timestamp": "", "type": kind, kind: media}

    def test_photo_and_pdf_kept_and_shown_on_the_next_appointment(self):
        with freeze_time(self.monday - timedelta(days=3)):
            later = self.book(self.monday + timedelta(days=7, hours=10))
            appointment = self.book(self.monday + timedelta(hours=10))
            conversation = self.receive(self.media_message("image", "media-png", caption="Bu model"))
            self.receive(self.media_message("document", "media-pdf", filename="consent.pdf"))
        attachments = conversation.message_ids.attachment_ids
        self.assertEqual(sorted(attachments.mapped("name")), ["consent.pdf", "image-media-png.png"])
        self.assertEqual(sorted(attachments.mapped("raw")), sorted([PDF, PNG]))
        self.assertTrue(all(a.res_model == "randevu.conversation" and a.res_id == conversation.id for a in attachments))
        self.assertIn("Bu model", "".join(conversation.message_ids.mapped("body")))
        # The media URL was asked with the token, then downloaded with it.
        paths = [
            path for path, headers, _body in self.fake.requests if headers.get("Authorization") == "Bearer paris-token"
        ]
        self.assertIn("/v23.0/media-png", paths)
        self.assertIn("/media/media-png", paths)
        self.assertEqual(appointment.randevu_inbox_attachment_ids, attachments, "on the next appointment")
        self.assertEqual(appointment.randevu_inbox_attachment_count, 2)
        self.assertFalse(later.randevu_inbox_attachment_ids)
        action = appointment.action_view_randevu_inbox_attachments()
        self.assertEqual(self.env["ir.attachment"].search(action["domain"]), attachments)
        # Who may read the files follows the conversation: the branch's receptionist, not another's.
        self.assertEqual(attachments.with_user(self.receptionist).read(["name"])[0]["name"], attachments[0].name)
        with self.assertRaises(AccessError):
            attachments.with_user(self.other_receptionist).read(["name"])

    def test_other_file_types_and_big_files_are_refused_with_a_note(self):
        self.env["ir.config_parameter"].sudo().set_param("randevu_inbox.media_max_bytes", "64")
        conversation = self.receive(self.media_message("document", "media-zip", filename="photos.zip"))
        self.receive(self.media_message("document", "media-pdf", filename="big.pdf"))
        self.assertFalse(conversation.message_ids.attachment_ids)
        notes = conversation.message_ids.filtered(lambda msg: "was not kept" in (msg.body or ""))
        self.assertEqual(len(notes), 2)
        self.assertIn("photos.zip", notes.mapped("body")[1] + notes.mapped("body")[0])
        self.assertIn("big.pdf", notes.mapped("body")[1] + notes.mapped("body")[0])
        self.assertFalse(
            [path for path, _headers, _body in self.fake.requests if path.startswith("/media/")],
            "neither is downloaded: the media's type and size are read first",
        )

    def consent_form(self):
        return (
            self.env["ir.attachment"]
            .with_user(self.receptionist)
            .create(
                {"name": "consent.pdf", "raw": PDF, "mimetype": "application/pdf", "res_model": "randevu.send.document"}
            )
        )

    def test_send_document_on_whatsapp_within_24_hours(self):
        appointment = self.book(self.monday + timedelta(hours=10))
        conversation = self.receive({"id": "wamid.hello", "timestamp": "", "type": "text", "text": {"body": "Hi"}})
        form = self.consent_form()
        wizard = (
            self.env["randevu.send.document"]
            .with_user(self.receptionist)
            .create(
                {
                    "appointment_id": appointment.id,
                    "attachment_ids": [(6, 0, form.ids)],
                    "body": "Please sign before your visit.",
                    "channel": "whatsapp",
                }
            )
        )
        self.assertFalse(wizard.whatsapp_note)
        wizard.action_send()
        self.assertEqual(len(self.fake.uploads()), 1)
        upload = self.fake.uploads()[0]
        self.assertIn(PDF, upload)
        self.assertIn(b'name="messaging_product"', upload)
        self.assertEqual(
            self.fake.sent(),
            [
                {
                    "to": self.wa_sender,
                    "type": "document",
                    "document": {
                        "id": "media.fake1",
                        "filename": "consent.pdf",
                        "caption": "Please sign before your visit.",
                    },
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                }
            ],
        )
        self.assertIn("consent.pdf", conversation.message_ids[0].body)

    def test_send_document_outside_the_window_says_why_and_email_works(self):
        appointment = self.book(self.monday + timedelta(hours=10))
        self.receive({"id": "wamid.old", "timestamp": "", "type": "text", "text": {"body": "Hi"}})
        form = self.consent_form()
        values = {"appointment_id": appointment.id, "attachment_ids": [(6, 0, form.ids)], "channel": "whatsapp"}
        Wizard = self.env["randevu.send.document"].with_user(self.receptionist)
        with freeze_time(self.monday + timedelta(days=2)):
            wizard = Wizard.create(values)
            self.assertIn("24 hours", wizard.whatsapp_note)
            with self.assertRaisesRegex(UserError, "24 hours"):
                wizard.action_send()
        self.assertFalse(self.fake.requests, "nothing reached WhatsApp")
        # Never wrote on WhatsApp: the wizard says so too.
        self.env["randevu.conversation"].search([("partner_id", "=", self.customer.id)]).unlink()
        self.assertIn("never written", Wizard.create(values).whatsapp_note)
        # By email: the appointment's customer gets it with the file.
        Wizard.create(dict(values, channel="email", body="Your consent form")).action_send()
        message = appointment.message_ids.filtered(lambda msg: "Your consent form" in (msg.body or ""))
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(message.attachment_ids, form)
        self.assertEqual((form.res_model, form.res_id), ("randevu.appointment", appointment.id), "kept on the visit")
        self.assertEqual(
            message.notification_ids.filtered(lambda n: n.notification_type == "email").res_partner_id,
            self.customer,
            "an email goes to the customer",
        )


@tagged("post_install", "-at_install")
class TestSendDocumentTour(HttpCase, InboxMixin, RandevuMessagingCase):
    """In the browser, as the receptionist: Send Document on an appointment of a customer who
    last wrote on WhatsApp two days ago says why WhatsApp cannot take the file; by email it goes."""

    def test_send_document_tour(self):
        receptionist = new_test_user(
            self.env,
            login="tour_reception",
            groups="base.group_user,randevu_calendar.group_randevu_user",
            company_id=self.branch.id,
            company_ids=[(6, 0, self.branch.ids)],
        )
        appointment = self.book(self.monday + timedelta(hours=10))
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.branch, "whatsapp", self.customer.phone, self.env["mail.gateway"], partner=self.customer
        )
        conversation.last_customer_message_at = fields.Datetime.now() - timedelta(days=2)
        self.start_tour(
            f"/odoo/randevu.appointment/{appointment.id}?cids={self.branch.id}",
            "randevu_inbox_send_document_tour",
            login=receptionist.login,
        )
        message = appointment.message_ids.filtered(lambda msg: "Please sign the consent form" in (msg.body or ""))
        self.assertEqual(message.attachment_ids.mapped("name"), ["consent.pdf"])
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(message.author_id, receptionist.partner_id)
