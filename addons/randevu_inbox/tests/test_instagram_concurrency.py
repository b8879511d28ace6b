# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
import threading

import requests

from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import HOST, tagged
from odoo.tools import config

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

from .common import InboxMixin, instagram_message, instagram_update, make_instagram_gateway, signed

DELIVERIES = 4


@tagged("post_install", "-at_install")
class TestInstagramDeliveredConcurrently(InboxMixin, CommittedCase):
    """Meta delivering one Instagram message several times at once (a retry racing the first
    delivery): real HTTP connections to the running server, each request in its own
    committed transaction. The message is stored, and filed, exactly once."""

    def setUp(self):
        super().setUp()
        self.fake = self.start_fake_graph()
        with self.committed_env() as env:
            branch, _whatsapp = self.make_branch(env, self.tag, self.fake)
            gateway = make_instagram_gateway(env, branch, self.tag, self.fake)
            self.branch_id, self.gateway_key = branch.id, gateway.webhook_key
            self.account = gateway.instagram_account_id
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
            branch.active = False

    def test_same_message_posted_at_once_is_stored_once(self):
        item = instagram_message(self.account, "880011", "Aynı anda")
        raw, signature = signed(instagram_update(self.account, [item]))
        key = f"ig:{item['message']['mid']}"
        url = f"http://{HOST}:{config['http_port']}/gateway/instagram/{self.gateway_key}/update"
        barrier = threading.Barrier(DELIVERIES)
        statuses = [None] * DELIVERIES

        def deliver(index):
            barrier.wait(timeout=30)
            response = requests.post(
                url,
                data=raw,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
                timeout=60,
            )
            statuses[index] = response.status_code

        threads = [threading.Thread(target=deliver, args=(index,)) for index in range(DELIVERIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        self.assertEqual(statuses, [200] * DELIVERIES, "every delivery is acknowledged")
        with self.committed_env() as env:
            events = env["randevu.inbox.event"].search([("wa_message_id", "=", key)])
            self.assertEqual(len(events), 1, "stored once")
            env["randevu.inbox.event"]._cron_process()
        with self.committed_env() as env:
            events = env["randevu.inbox.event"].search([("wa_message_id", "=", key)])
            self.assertEqual(events.state, "done")
            posted = events.conversation_id.message_ids.filtered(lambda msg: "Aynı anda" in (msg.body or ""))
            self.assertEqual(len(posted), 1, "filed once")
