from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestConsentConcurrency(CommittedCase):
    """Two requests recording a customer's first consent for a channel at once (a double
    click on the portal, the desk and the booking form together) both succeed, on one
    consent: never two consents for a customer, channel and purpose."""

    def test_first_consent_recorded_twice_at_once_is_one_consent(self):
        with self.committed_env() as env:
            partner = env["res.partner"].create({"name": f"Race {self.tag}", "mobile": "+905321230000"})
        ids = {}

        def act(env, index):
            ids[index] = env["randevu.consent"]._randevu_get(env["res.partner"].browse(partner.id), "sms").id

        def snapshot(env, index):
            # Both look first and find no consent (on a retry, the other's is there).
            env["randevu.consent"].search([("partner_id", "=", partner.id)])

        try:
            outcomes = self.run_at_once(snapshot, act)
            self.assertEqual({outcome[0] for outcome in outcomes.values()}, {"ok"}, outcomes)
            self.assertEqual(len(set(ids.values())), 1, "both got the same consent")
            with self.committed_env() as env:
                consents = env["randevu.consent"].search([("partner_id", "=", partner.id)])
                self.assertEqual(len(consents), 1)
        finally:
            with self.committed_env() as env:
                env["randevu.consent"].search([("partner_id", "=", partner.id)]).unlink()
                env["res.partner"].browse(partner.id).unlink()


@tagged("post_install", "-at_install")
class TestFrequencyCapConcurrency(CommittedCase):
    """Two mailings sending to the same customer at the same moment, cap 1: only one
    reaches her (the other, retried on a new snapshot, sees the first one's trace)."""

    def test_two_mailings_at_once_respect_the_cap(self):
        with self.committed_env() as env:
            branch, _staff, _service = self.make_salon(
                env, "Cap", "Europe/Istanbul", branch_values={"randevu_marketing_cap_count": 1}
            )
            email = f"cap.{self.tag}@example.com"
            partner = env["res.partner"].create({"name": f"Cap {self.tag}", "email": email})
            segment = env["randevu.segment"].create({"name": f"Cap {self.tag}", "company_id": branch.id})
            mailings = env["mailing.mailing"].create(
                [
                    {"subject": f"Offer {index} {self.tag}", "randevu_segment_id": segment.id, "body_html": "<p>Hi</p>"}
                    for index in range(2)
                ]
            )
        partner_id, mailing_ids = partner.id, mailings.ids
        self.addCleanup(self._remove, partner_id, segment.id, mailing_ids)

        def snapshot(env, index):
            # Both look first: neither sees a trace of the other yet.
            env["mailing.trace"].search_count([("res_id", "=", partner_id), ("model", "=", "res.partner")])

        def act(env, index):
            # What a batch of the composer does: the cap, then the trace of those not capped.
            mailing = env["mailing.mailing"].browse(mailing_ids[index])
            if partner_id not in mailing._randevu_capped_partner_ids([partner_id]):
                env["mailing.trace"].create(
                    {
                        "model": "res.partner",
                        "res_id": partner_id,
                        "mass_mailing_id": mailing.id,
                        "email": email,
                    }
                )

        outcomes = self.run_at_once(snapshot, act)
        self.assertEqual({outcome[0] for outcome in outcomes.values()}, {"ok"}, outcomes)
        self.assertEqual(sorted(outcome[1] for outcome in outcomes.values()), [0, 1], "the second was retried")
        with self.committed_env() as env:
            traces = env["mailing.trace"].search([("res_id", "=", partner_id), ("model", "=", "res.partner")])
            self.assertEqual(len(traces), 1, "one message only, cap 1")
            marks = env["randevu.marketing.cap.mark"].search([("partner_id", "=", partner_id)])
            self.assertEqual(len(marks), 1, "her row of the cap's lock, rewritten by the second")

    def _remove(self, partner_id, segment_id, mailing_ids):
        with self.committed_env() as env:
            env["mailing.mailing"].browse(mailing_ids).unlink()
            env["randevu.segment"].browse(segment_id).unlink()
            env["res.partner"].browse(partner_id).unlink()
