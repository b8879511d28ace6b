# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
import threading

import requests

from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import HOST, tagged
from odoo.tools import config

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

from .common import InboxMixin

DELIVERIES = 4
TOKEN = "sms-concurrency-token-for-tests"


@tagged("post_install", "-at_install")
class TestSmsWebhookDeliveredConcurrently(InboxMixin, CommittedCase):
    """The SMS gateway delivering one inbound text several times at once: real HTTP
    connections to the running server, each request in its own committed transaction.
    The text is stored, and filed, exactly once (unique gateway message id)."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            branch = env["res.company"].create(
                {"name": f"SMS race {self.tag}", "country_id": env.ref("base.tr").id, "randevu_tz": "Europe/Istanbul"}
            )
            branch.sudo().write({"randevu_sms_provider": "http", "randevu_sms_webhook_token": f"{TOKEN}-{self.tag}"})
            self.branch_id = branch.id
        self.addCleanup(self._cleanup)
        # The test runner holds Registry._lock while tests run; the server's request
        # threads look the (loaded) registry up under it: hand it over meanwhile.
        saved = Registry._lock
        Registry._lock = DummyRLock()
        self.addCleanup(setattr, Registry, "_lock", saved)

    def _cleanup(self):
        with self.committed_env() as env:
            events = env["randevu.inbox.event"].search([("company_id", "=", self.branch_id)])
            conversations = events.conversation_id
            partners = conversations.partner_id
            events.unlink()
            conversations.unlink()
            partners.unlink()
            branch = env["res.company"].browse(self.branch_id)
            branch.sudo().randevu_sms_webhook_token = False
            branch.active = False

    def test_same_text_posted_at_once_is_stored_once(self):
        url = f"http://{HOST}:{config['http_port']}/randevu/sms/{TOKEN}-{self.tag}/inbound"
        body = {"id": f"race-{self.tag}", "from": "+905329998877", "text": "Aynı anda"}
        barrier = threading.Barrier(DELIVERIES)
        statuses = [None] * DELIVERIES

        def deliver(index):
            barrier.wait(timeout=30)
            statuses[index] = requests.post(url, json=body, timeout=60).status_code

        threads = [threading.Thread(target=deliver, args=(index,)) for index in range(DELIVERIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        self.assertEqual(statuses, [200] * DELIVERIES, "every delivery is acknowledged")
        key = f"sms:{self.branch_id}:race-{self.tag}"
        with self.committed_env() as env:
            self.assertEqual(env["randevu.inbox.event"].search_count([("wa_message_id", "=", key)]), 1, "stored once")
            env["randevu.inbox.event"]._cron_process()
        with self.committed_env() as env:
            event = env["randevu.inbox.event"].search([("wa_message_id", "=", key)])
            self.assertEqual(event.state, "done")
            posted = event.conversation_id.message_ids.filtered(lambda msg: "Aynı anda" in (msg.body or ""))
            self.assertEqual(len(posted), 1, "filed once")
