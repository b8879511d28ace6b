# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PDF, PNG, InboxMixin, instagram_message, instagram_update, make_instagram_gateway, signed


@tagged("post_install", "-at_install")
class TestInstagram(InboxMixin, HttpCase):
    """OCA's Instagram webhook URL (/gateway/instagram/<key>/update) as Meta calls it, against
    a local fake Graph API: signed, queued once per mid, filed by the inbox worker in the
    customer's Instagram conversation, with their photos and PDFs; replies through the adapter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.branch, _whatsapp = cls.make_branch(cls.env, "instagram", cls.fake)
        cls.gateway = make_instagram_gateway(cls.env, cls.branch, "instagram", cls.fake)
        cls.account = cls.gateway.instagram_account_id
        cls.url = f"/gateway/instagram/{cls.gateway.webhook_key}/update"
        cls.cron = cls.env.ref("randevu_inbox.ir_cron_randevu_inbox")
        cls.fake.profiles["5501"] = {"name": "Elif Demir", "username": "elif.d"}

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()

    def post(self, *items, secret=None, signature=None):
        raw, good = signed(instagram_update(self.account, list(items)), **({"secret": secret} if secret else {}))
        headers = {"Content-Type": "application/json"}
        if signature is not False:
            headers["X-Hub-Signature-256"] = signature or good
        return self.url_open(self.url, data=raw, headers=headers)

    def events(self, mid):
        return self.env["randevu.inbox.event"].search([("wa_message_id", "=", f"ig:{mid}")])

    def conversation(self, igsid="5501"):
        return self.env["randevu.conversation"].search(
            [("company_id", "=", self.branch.id), ("channel", "=", "instagram"), ("phone", "=", igsid)]
        )

    def test_bad_signature_is_refused_and_nothing_stored(self):
        item = instagram_message(self.account, "5501", "Merhaba")
        with mute_logger("odoo.addons.randevu_inbox.controllers.gateway"):
            wrong = self.post(item, secret="not-the-secret")
            missing = self.post(item, signature=False)
        self.assertEqual([wrong.status_code, missing.status_code], [403, 403])
        self.assertFalse(self.events(item["message"]["mid"]))

    def test_message_is_queued_then_filed_and_duplicates_dropped(self):
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        item = instagram_message(self.account, "5501", "Cumartesi yeriniz var mı?")
        self.assertEqual(self.post(item).status_code, 200)
        self.assertEqual(self.post(item).status_code, 200, "a second delivery is acknowledged")
        event = self.events(item["message"]["mid"])
        self.assertRecordValues(event, [{"state": "queued", "channel": "instagram", "sender": "5501"}])
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers + 1,
            "the worker is triggered once: the duplicate is dropped",
        )
        self.assertFalse(self.conversation(), "the webhook files nothing itself")
        self.env["randevu.inbox.event"]._cron_process()
        conversation = self.conversation()
        self.assertEqual(event.state, "done")
        self.assertEqual(conversation.partner_id.name, "Elif Demir", "named from the profile, through the adapter")
        self.assertFalse(conversation.partner_id.phone)
        self.assertRecordValues(conversation, [{"waiting": True, "unread_count": 1, "gateway_id": self.gateway.id}])
        posted = conversation.message_ids.filtered(lambda msg: "Cumartesi" in (msg.body or ""))
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.author_id, conversation.partner_id)
        # A second message, an unknown profile: the same conversation; another sender, their own.
        self.post(instagram_message(self.account, "5501", "Saat 11 olur mu?"))
        self.post(instagram_message(self.account, "7702", "Fiyat?"))
        self.env["randevu.inbox.event"]._cron_process()
        self.assertEqual(conversation.unread_count, 2)
        self.assertEqual(self.conversation("7702").partner_id.name, "Instagram 7702")

    def test_wrong_account_and_echoes_are_ignored(self):
        item = instagram_message(self.account, "5501", "Bizim mesajımız")
        item["message"]["is_echo"] = True
        other = instagram_message("999", "5501", "Başka hesap")
        raw, signature = signed(instagram_update("999", [other]))
        self.url_open(
            self.url, data=raw, headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature}
        )
        self.post(item)
        self.assertFalse(self.events(item["message"]["mid"]) | self.events(other["message"]["mid"]))

    def test_photo_and_pdf_kept_a_video_linked(self):
        self.fake.files["/cdn/photo.png"] = (PNG, "image/png")
        self.fake.files["/cdn/consent.pdf"] = (PDF, "application/pdf")
        self.fake.files["/cdn/clip.mp4"] = (b"\x00\x00\x00\x18ftypmp42", "video/mp4")
        item = instagram_message(
            self.account,
            "5501",
            "Bu model ve form",
            attachments=[
                ("image", f"{self.fake.url}/cdn/photo.png"),
                ("file", f"{self.fake.url}/cdn/consent.pdf"),
                ("video", f"{self.fake.url}/cdn/clip.mp4"),
            ],
        )
        self.post(item)
        self.env["randevu.inbox.event"]._cron_process()
        conversation = self.conversation()
        message = conversation.message_ids.filtered(lambda msg: "Bu model" in (msg.body or ""))
        self.assertEqual(sorted(message.attachment_ids.mapped("mimetype")), ["application/pdf", "image/png"])
        self.assertEqual(sorted(message.attachment_ids.mapped("raw")), sorted([PDF, PNG]))
        self.assertIn("[video]", message.body, "a video is not downloaded: its link is shown")

    def test_refused_file_is_said_on_the_conversation(self):
        self.fake.files["/cdn/big.pdf"] = (PDF + b"0" * 2048, "application/pdf")
        self.fake.files["/cdn/notes.txt"] = (b"hello", "text/plain")
        self.env["ir.config_parameter"].sudo().set_param("randevu_inbox.media_max_bytes", "1024")
        item = instagram_message(
            self.account,
            "5501",
            attachments=[("file", f"{self.fake.url}/cdn/big.pdf"), ("file", f"{self.fake.url}/cdn/notes.txt")],
        )
        self.post(item)
        self.env["randevu.inbox.event"]._cron_process()
        conversation = self.conversation()
        self.assertFalse(conversation.message_ids.attachment_ids)
        notes = conversation.message_ids.filtered(lambda msg: "was not kept" in (msg.body or ""))
        self.assertEqual(len(notes), 2)
        self.assertTrue(any("text/plain" in note.body for note in notes))
        self.assertTrue(any("size" in note.body for note in notes))

    def test_read_receipt_is_recorded(self):
        self.post(instagram_message(self.account, "5501", "Merhaba"))
        self.env["randevu.inbox.event"]._cron_process()
        seen = int(datetime(2026, 3, 1, 12, 0).timestamp() * 1000)
        receipt = {"sender": {"id": "5501"}, "recipient": {"id": self.account}, "timestamp": seen, "read": {"mid": "m"}}
        self.assertEqual(self.post(receipt).status_code, 200)
        self.assertTrue(self.conversation().customer_seen_at)

    def test_reply_goes_through_the_adapter_within_24_hours(self):
        self.post(instagram_message(self.account, "5501", "Merhaba"))
        self.env["randevu.inbox.event"]._cron_process()
        conversation = self.conversation()
        conversation.message_post(body="Cumartesi 11:00 boş.", message_type="comment", subtype_xmlid="mail.mt_comment")
        sent = self.fake.sent()
        self.assertEqual(sent, [{"recipient": {"id": "5501"}, "message": {"text": "Cumartesi 11:00 boş."}}])
        path, headers, _body = next(request for request in self.fake.requests if request[0].endswith("/messages"))
        self.assertEqual(path, f"/v26.0/{self.account}/messages")
        self.assertEqual(headers["Authorization"], "Bearer ig-token-instagram")
        self.assertFalse(conversation.waiting)
        # Instagram refuses: nothing posted.
        self.fake.errors.append({"message": "User not reachable", "code": 551})
        count = len(conversation.message_ids)
        with self.assertRaisesRegex(UserError, "User not reachable"), self.env.cr.savepoint():
            conversation.message_post(body="Tekrar", message_type="comment", subtype_xmlid="mail.mt_comment")
        # More than 24 hours later: refused.
        with (
            freeze_time(conversation.last_customer_message_at + timedelta(hours=25)),
            self.assertRaisesRegex(UserError, "24 hours"),
            self.env.cr.savepoint(),
        ):
            conversation.message_post(body="Geç", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.env.invalidate_all()
        self.assertEqual(len(conversation.message_ids), count, "nothing posted")
        self.assertEqual(len(self.fake.sent()), 2, "the late one never reached Instagram")

    def test_verification_handshake_still_works(self):
        """OCA's GET handshake (hub.verify_token) is untouched."""
        gateway = self.env["mail.gateway"].create(
            {
                "name": "Pending Instagram",
                "gateway_type": "instagram",
                "token": "pending-ig-token",
                "webhook_key": "pending-ig-key",
                "webhook_secret": "s",
                "instagram_security_key": "verify-me",
                "company_id": self.branch.id,
            }
        )
        gateway.integrated_webhook_state = "pending"
        response = self.url_open(
            "/gateway/instagram/pending-ig-key/update?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42"
        )
        self.assertEqual(response.text, "42")
        self.assertEqual(gateway.integrated_webhook_state, "integrated")
