import time

from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_inbox.tests.common import signed, whatsapp_update

from .common import CampaignMixin


@tagged("post_install", "-at_install")
class TestWhatsAppCampaignStatuses(CampaignMixin, HttpCase):
    """Meta's status webhooks (sent, delivered, read, failed, naming the wamid), posted
    signed to the gateway's URL, update the campaign's traces: Sent when Meta accepted
    the message, Delivered, Opened when read, an error with WhatsApp's reason when it
    failed; the campaign's statistics count them; a late status never goes back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_campaign_fixtures("statuses")

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()

    def post_statuses(self, *statuses):
        body = whatsapp_update(self.gateway.whatsapp_from_phone, statuses=statuses)
        raw, signature = signed(body)
        response = self.url_open(
            f"/gateway/whatsapp/{self.gateway.webhook_key}/update",
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()

    def status(self, trace, value, at, **extra):
        return dict(
            {"id": trace.whatsapp_message_id, "status": value, "timestamp": str(at), "recipient_id": trace.sms_number},
            **extra,
        )

    def test_delivered_read_failed_on_the_traces_and_statistics(self):
        mailing = self.campaign()
        mailing.action_launch()
        self.run_queue()
        ayse, selin = (
            mailing.mailing_trace_ids.filtered(lambda trace, partner=partner: trace.res_id == partner.id)
            for partner in (self.ayse, self.selin)
        )
        self.assertEqual((ayse.trace_status, selin.trace_status), ("pending", "pending"))
        self.assertTrue(ayse.whatsapp_message_id and selin.whatsapp_message_id)
        self.assertEqual((mailing.sent, mailing.delivered, mailing.opened), (2, 0, 0))
        now = int(time.time())
        # Meta's "sent": nothing more than what the trace says already.
        self.post_statuses(self.status(ayse, "sent", now), self.status(selin, "sent", now))
        self.assertEqual((ayse.trace_status, selin.trace_status), ("pending", "pending"))
        self.post_statuses(self.status(ayse, "delivered", now + 5))
        self.assertEqual(ayse.trace_status, "sent", "Delivered (Odoo's 'sent')")
        self.assertEqual((mailing.delivered, mailing.opened), (1, 0))
        self.post_statuses(self.status(ayse, "read", now + 60))
        self.assertEqual(ayse.trace_status, "open")
        self.assertEqual(int(ayse.open_datetime.timestamp()), now + 60, "read when Meta says")
        # A late "delivered" (webhooks come in any order) does not undo the read.
        self.post_statuses(self.status(ayse, "delivered", now + 5))
        self.assertEqual(ayse.trace_status, "open")
        self.post_statuses(
            self.status(
                selin,
                "failed",
                now + 10,
                errors=[{"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}],
            )
        )
        self.assertRecordValues(selin, [{"trace_status": "error", "failure_type": "whatsapp_undelivered"}])
        self.assertIn("Message undeliverable", selin.failure_reason)
        self.assertIn("131026", selin.failure_reason)
        mailing.invalidate_recordset()
        self.assertEqual((mailing.sent, mailing.delivered, mailing.opened, mailing.failed), (2, 1, 1, 1))
        # A status of a message nobody sent from here changes nothing.
        self.post_statuses(
            {"id": "wamid.unknown", "status": "read", "timestamp": str(now), "recipient_id": "905321110011"}
        )
        self.assertEqual(ayse.trace_status, "open")
