import time
from collections import Counter

import psycopg2

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.tests.committed import CommittedCase
from odoo.addons.randevu_inbox.tests.common import InboxMixin

RECIPIENTS = 4


@tagged("post_install", "-at_install")
class TestWhatsAppCampaignNeverTwice(InboxMixin, CommittedCase):
    """A WhatsApp campaign sent by mass_mailing's queue on real, committed connections
    against the local fake Graph API: two runs of the queue at once, and a run whose
    connection dies while WhatsApp has a request, then a new run: every customer gets
    exactly one request (the one whose answer was lost is marked for a person to check)."""

    def setUp(self):
        super().setUp()
        self.fake = self.start_fake_graph()
        base = int(self.tag, 16) % 10**5
        with self.committed_env() as env:
            branch, gateway = self.make_branch(env, self.tag, self.fake)
            branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
            tag = env["res.partner.category"].create({"name": f"WhatsApp offer {self.tag}"})
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Customer {index} {self.tag}",
                        "phone": f"+90532{base:05d}{index:02d}",
                        "randevu_client": True,
                        "company_id": branch.id,
                        "category_id": [Command.link(tag.id)],
                    }
                    for index in range(RECIPIENTS)
                ]
            )
            for partner in partners:
                env["randevu.consent"]._randevu_record(
                    partner, "whatsapp", "granted", "till", "WhatsApp ile kampanyalar"
                )
            template = env["mail.whatsapp.template"].create(
                {
                    "name": f"offer_{self.tag}",
                    "body": "Merhaba {{1}}, spring offer!",
                    "category": "marketing",
                    "language": "tr",
                    "gateway_id": gateway.id,
                    "model_id": env["ir.model"]._get_id("res.partner"),
                    "variable_ids": [Command.create({"name": "{{1}}", "line_type": "body", "field_name": "name"})],
                }
            )
            template.state = "approved"
            segment = env["randevu.segment"].create(
                {"name": f"Offer {self.tag}", "tag_ids": tag.ids, "company_id": branch.id}
            )
            mailing = env["mailing.mailing"].create(
                {
                    "name": f"Offer {self.tag}",
                    "subject": f"Offer {self.tag}",
                    "mailing_type": "whatsapp",
                    "randevu_segment_id": segment.id,
                    "randevu_whatsapp_template_id": template.id,
                }
            )
            mailing.action_launch()
            self.branch_id, self.mailing_id, self.template_id = branch.id, mailing.id, template.id
            self.segment_id, self.tag_id = segment.id, tag.id
            self.partner_ids = partners.ids
            self.numbers = sorted(number.lstrip("+") for number in partners.mapped("phone_sanitized"))
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            env["randevu.conversation"].search([("company_id", "=", self.branch_id)]).unlink()
            env["mailing.mailing"].browse(self.mailing_id).unlink()
            env["randevu.segment"].browse(self.segment_id).unlink()
            env["mail.whatsapp.template"].browse(self.template_id).unlink()
            env["mail.gateway"].search([("company_id", "=", self.branch_id)]).unlink()
            # Their consent history is append-only: the customers are archived.
            env["res.partner"].browse(self.partner_ids).write({"active": False, "category_id": [Command.clear()]})
            env["res.partner.category"].browse(self.tag_id).unlink()
            env["res.company"].browse(self.branch_id).active = False

    def run_queue(self, env):
        # A worker's run: committed step by step, as outside tests.
        env["mailing.mailing"].with_context(randevu_auto_commit=True)._process_mass_mailing_queue()

    def requests_per_number(self):
        return Counter(body["to"] for body in self.fake.sent() if body["type"] == "template")

    def traces(self, env):
        traces = env["mailing.trace"].search([("mass_mailing_id", "=", self.mailing_id)])
        return {trace.res_id: (trace.trace_status, trace.failure_type or False) for trace in traces}

    def test_two_queue_runs_at_once_send_once_each(self):
        # WhatsApp answers slowly: the two runs overlap.
        self.fake.on_post = lambda path, body: time.sleep(0.2)

        def snapshot(env, index):
            env["mailing.trace"].search_count([("mass_mailing_id", "=", self.mailing_id)])

        outcomes = self.run_at_once(snapshot, lambda env, index: self.run_queue(env))
        self.assertEqual({outcome[0] for outcome in outcomes.values()}, {"ok"}, outcomes)
        with self.committed_env() as env:
            self.run_queue(env)  # the next run: nothing left, the campaign is done
        with self.committed_env() as env:
            self.assertEqual(env["mailing.mailing"].browse(self.mailing_id).state, "done")
            self.assertEqual(
                self.traces(env), dict.fromkeys(self.partner_ids, ("pending", False)), "one trace each, sent"
            )
        self.assertEqual(self.requests_per_number(), dict.fromkeys(self.numbers, 1), "one request each")

    def test_a_run_whose_connection_dies_mid_way_then_a_new_run(self):
        worker = {}
        templates_posted = []

        def on_post(path, body):
            # WhatsApp has the second message when the worker's database connection dies:
            # its answer is never recorded.
            if isinstance(body, dict) and body.get("type") == "template":
                templates_posted.append(body["to"])
                if len(templates_posted) == 2:
                    with self.committed_env() as env:
                        env.cr.execute("SELECT pg_terminate_backend(%s, 10000)", [worker["pid"]])

        self.fake.on_post = on_post
        crashed = None
        with mute_logger("odoo.sql_db", "odoo.addons.randevu_inbox_marketing.models.mailing_mailing"):
            try:
                with self.committed_env() as env:
                    worker["pid"] = env.cr._cnx.get_backend_pid()
                    self.run_queue(env)
            except psycopg2.Error as error:
                crashed = error
        self.assertTrue(crashed, "the worker's connection died mid-way")
        self.assertEqual(len(templates_posted), 2)
        # (The numbers are made from the customers' order: sorted, they follow their ids.)
        first, second = (self.partner_ids[self.numbers.index(number)] for number in templates_posted)
        with self.committed_env() as env:
            state = self.traces(env)
        # What the crash left, committed: the first sent, the second's request started
        # (its answer lost), the others prepared.
        self.assertEqual(state.pop(first), ("pending", False))
        self.assertEqual(state.pop(second), ("process", False))
        self.assertEqual(set(state.values()), {("outgoing", False)})
        self.fake.on_post = None
        for _run in range(2):
            with self.committed_env() as env:
                self.run_queue(env)
        with self.committed_env() as env:
            state = self.traces(env)
            self.assertEqual(state.pop(second), ("error", "whatsapp_interrupted"), "for a person to check")
            self.assertEqual(set(state.values()), {("pending", False)})
            self.assertEqual(env["mailing.mailing"].browse(self.mailing_id).state, "done")
        self.assertEqual(
            self.requests_per_number(), dict.fromkeys(self.numbers, 1), "nobody got it twice, nobody was left out"
        )
