# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
from odoo.tests import tagged

from .common import instagram_message, instagram_update, make_instagram_gateway, signed
from .webhook_race import WebhookRaceCase


@tagged("post_install", "-at_install")
class TestInstagramDeliveredConcurrently(WebhookRaceCase):
    """Meta delivering one Instagram message several times at once (a retry racing the
    first delivery): stored, and filed, exactly once."""

    def setUp(self):
        super().setUp()
        self.fake = self.start_fake_graph()
        with self.committed_env() as env:
            branch, _whatsapp = self.make_branch(env, self.tag, self.fake)
            gateway = make_instagram_gateway(env, branch, self.tag, self.fake)
            self.branch_id, self.gateway_key = branch.id, gateway.webhook_key
            self.account = gateway.instagram_account_id

    def test_same_message_posted_at_once_is_stored_once(self):
        item = instagram_message(self.account, "880011", "Aynı anda")
        raw, signature = signed(instagram_update(self.account, [item]))
        self.deliver_at_once(
            self.url(f"/gateway/instagram/{self.gateway_key}/update"),
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )
        self.assert_stored_and_filed_once(f"ig:{item['message']['mid']}", "Aynı anda")
