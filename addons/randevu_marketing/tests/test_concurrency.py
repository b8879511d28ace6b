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
