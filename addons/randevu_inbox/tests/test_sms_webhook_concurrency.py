# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
from odoo.tests import tagged

from .webhook_race import WebhookRaceCase

TOKEN = "sms-concurrency-token-for-tests"


@tagged("post_install", "-at_install")
class TestSmsWebhookDeliveredConcurrently(WebhookRaceCase):
    """The SMS gateway delivering one inbound text several times at once: stored, and
    filed, exactly once (unique gateway message id)."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            branch = env["res.company"].create(
                {"name": f"SMS race {self.tag}", "country_id": env.ref("base.tr").id, "randevu_tz": "Europe/Istanbul"}
            )
            branch.sudo().write({"randevu_sms_provider": "http", "randevu_sms_webhook_token": f"{TOKEN}-{self.tag}"})
            self.branch_id = branch.id

    def test_same_text_posted_at_once_is_stored_once(self):
        body = {"id": f"race-{self.tag}", "from": "+905329998877", "text": "Aynı anda"}
        self.deliver_at_once(self.url(f"/randevu/sms/{TOKEN}-{self.tag}/inbound"), json=body)
        self.assert_stored_and_filed_once(f"sms:{self.branch_id}:race-{self.tag}", "Aynı anda")
