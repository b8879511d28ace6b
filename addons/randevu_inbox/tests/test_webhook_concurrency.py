# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
from odoo.tests import tagged

from .common import signed, text_message, whatsapp_update
from .webhook_race import WebhookRaceCase


@tagged("post_install", "-at_install")
class TestWebhookDeliveredConcurrently(WebhookRaceCase):
    """Meta delivering one WhatsApp message several times at once (a retry racing the
    first delivery): stored, and filed, exactly once."""

    def setUp(self):
        super().setUp()
        self.fake = self.start_fake_graph()
        with self.committed_env() as env:
            branch, gateway = self.make_branch(env, self.tag, self.fake)
            self.branch_id, self.gateway_key = branch.id, gateway.webhook_key
            self.phone_number_id = gateway.whatsapp_from_phone

    def test_same_message_posted_at_once_is_stored_once(self):
        message = text_message("905329998877", "Aynı anda")
        raw, signature = signed(
            whatsapp_update(self.phone_number_id, messages=[message], contacts=[("905329998877", "Deniz")])
        )
        self.deliver_at_once(
            self.url(f"/gateway/whatsapp/{self.gateway_key}/update"),
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )
        self.assert_stored_and_filed_once(message["id"], "Aynı anda")
