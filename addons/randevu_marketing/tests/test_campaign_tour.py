from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestSegmentCampaignTour(ConsentMixin, MockEmail, HttpCase):
    """In the browser: a campaign created from a saved segment with its New Campaign button
    and sent; the queue then sends it to the segment's customers with consent only."""

    def test_campaign_from_a_segment(self):
        new_test_user(
            self.env,
            login="tour_marketer",
            password="tour_marketer",
            groups="base.group_user,randevu_calendar.group_randevu_manager,mass_mailing.group_mass_mailing_user",
        )
        self.env.company.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        regular = self.env["res.partner.category"].create({"name": "Tour regular"})
        customers = self.ayse | self.chloe | self.emre
        customers.write({"randevu_client": True, "category_id": [(4, regular.id)]})
        self.grant(self.ayse, "email")
        self.grant(self.emre, "email")
        self.withdraw(self.emre, "email", source="portal")
        segment = self.env["randevu.segment"].create({"name": "Tour Regulars", "tag_ids": regular.ids})
        self.start_tour(
            f"/odoo/action-randevu_marketing.randevu_segment_action/{segment.id}",
            "randevu_segment_campaign_tour",
            login="tour_marketer",
        )
        mailing = self.env["mailing.mailing"].search([("randevu_segment_id", "=", segment.id)])
        self.assertEqual(len(mailing), 1)
        self.assertEqual(mailing.state, "in_queue")
        self.assertEqual(mailing.subject, "Tour Regulars")
        with self.mock_mail_gateway():
            self.env["mailing.mailing"]._process_mass_mailing_queue()
        self.assertEqual(mailing.state, "done")
        traces = mailing.mailing_trace_ids
        self.assertEqual(traces.filtered(lambda trace: trace.trace_status != "cancel").mapped("res_id"), self.ayse.ids)
        self.assertEqual(
            sorted(traces.filtered(lambda trace: trace.trace_status == "cancel").mapped("res_id")),
            sorted((self.chloe | self.emre).ids),
        )
