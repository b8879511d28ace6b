"""What the webhook race tests share: one message delivered several times at once over
real HTTP connections to the running server, each request in its own committed
transaction, then stored and filed exactly once."""

import threading

import requests

from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import HOST
from odoo.tools import config

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

from .common import InboxMixin

DELIVERIES = 4


class WebhookRaceCase(InboxMixin, CommittedCase):
    """Set `self.branch_id` in setUp (inside `committed_env()`); everything of that
    branch (events, conversations, their customers, gateways) is removed afterwards."""

    def setUp(self):
        super().setUp()
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
            env["mail.gateway"].search([("company_id", "=", self.branch_id)]).unlink()
            branch = env["res.company"].browse(self.branch_id)
            branch.sudo().randevu_sms_webhook_token = False
            branch.active = False

    def url(self, path):
        return f"http://{HOST}:{config['http_port']}{path}"

    def deliver_at_once(self, url, **request):
        """POST `request` (requests' keyword arguments) to `url` from DELIVERIES threads
        released together; asserts every delivery was acknowledged."""
        barrier = threading.Barrier(DELIVERIES)
        statuses = [None] * DELIVERIES

        def deliver(index):
            barrier.wait(timeout=30)
            statuses[index] = requests.post(url, timeout=60, **request).status_code

        threads = [threading.Thread(target=deliver, args=(index,)) for index in range(DELIVERIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        self.assertEqual(statuses, [200] * DELIVERIES, "every delivery is acknowledged")

    def assert_stored_and_filed_once(self, key, text):
        """The message of gateway id `key` is stored once, and once the inbox worker has
        run, filed once in its conversation (`text` in one message)."""
        with self.committed_env() as env:
            self.assertEqual(env["randevu.inbox.event"].search_count([("wa_message_id", "=", key)]), 1, "stored once")
            env["randevu.inbox.event"]._cron_process()
        with self.committed_env() as env:
            event = env["randevu.inbox.event"].search([("wa_message_id", "=", key)])
            self.assertEqual(event.state, "done")
            posted = event.conversation_id.message_ids.filtered(lambda msg: text in (msg.body or ""))
            self.assertEqual(len(posted), 1, "filed once")
