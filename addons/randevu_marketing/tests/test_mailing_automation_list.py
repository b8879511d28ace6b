from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.mail.tests.common import MockEmail


@tagged("post_install", "-at_install")
class TestMailingsOfCampaigns(MockEmail, TransactionCase):
    """Email Marketing's lists of mailings show the campaigns: the automations' own messages
    are hidden by a default filter (reached from their automation); a campaign whose mailing
    is sent moves on from "New" to the stage meaning sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env,
            login="mailings-manager",
            groups="base.group_user,randevu_calendar.group_randevu_manager,mass_mailing.group_mass_mailing_user",
        )
        cls.automation = cls.env["randevu.marketing.automation"].create(
            {"name": "We miss you", "kind": "win_back", "weeks": 8}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Chloé Martin", "email": "chloe@example.com"})

    def mailing(self, mailing_type="mail", **values):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "mailing_type": mailing_type,
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr([("id", "=", self.customer.id)]),
                "body_html": "<p>20% off colours.</p>",
                "body_plaintext": "20% off colours",
                "email_from": "salon@example.com",
                **values,
            }
        )

    def listed(self, xmlid, filter_name):
        """The mailings the manager sees in the list of action `xmlid` with the search view's
        filter `filter_name`, checked to be on by default."""
        Mailing = self.env["mailing.mailing"].with_user(self.manager)
        action = self.env["ir.actions.act_window"].with_user(self.manager)._for_xml_id(xmlid)
        context = safe_eval(action["context"], {"uid": self.manager.id})
        self.assertTrue(context.get(f"search_default_{filter_name}"), "on by default")
        search_view = action["search_view_id"] and action["search_view_id"][0]
        arch = Mailing.get_views([(search_view, "search")])["views"]["search"]["arch"]
        [node] = etree.fromstring(arch).xpath(f"//filter[@name='{filter_name}']")
        domain = safe_eval(action["domain"]) + safe_eval(node.get("domain"))
        return Mailing.search(domain)

    def test_automation_messages_hidden_from_the_mailings_by_default(self):
        campaign = self.mailing()
        message = self.automation.mailing_id
        self.assertTrue(message)
        self.assertEqual(message.state, "draft")
        listed = self.listed("mass_mailing.mailing_mailing_action_mail", "randevu_not_automation")
        self.assertIn(campaign, listed)
        self.assertNotIn(message, listed)
        # SMS Marketing's list likewise.
        self.automation.channel = "sms"
        sms = self.mailing("sms")
        listed = self.listed("mass_mailing_sms.mailing_mailing_action_sms", "randevu_not_automation")
        self.assertIn(sms, listed)
        self.assertNotIn(message, listed)

        # Reachable: from the automation, and with the other filter of the list.
        action = self.automation.with_user(self.manager).action_edit_message()
        self.assertEqual((action["res_model"], action["res_id"]), ("mailing.mailing", message.id))
        Mailing = self.env["mailing.mailing"].with_user(self.manager)
        arch = Mailing.get_views([(False, "search")])["views"]["search"]["arch"]
        [node] = etree.fromstring(arch).xpath("//filter[@name='randevu_automation']")
        found = Mailing.search(safe_eval(node.get("domain")))
        self.assertIn(message, found)
        self.assertNotIn(campaign, found)
        self.assertTrue(all(mailing.randevu_automation_id for mailing in found.sudo()), "automations' only")

    def test_a_sent_mailing_moves_its_campaign_to_sent(self):
        sent_stage = self.env.ref("utm.campaign_stage_3")  # utm's demo data
        campaign = self.env["utm.campaign"].create({"title": "Spring"})
        self.assertEqual(campaign.stage_id, self.env["utm.stage"].search([], limit=1), "New")
        further = self.env["utm.stage"].create({"name": "Reviewed", "sequence": 40})
        reviewed = self.env["utm.campaign"].create({"title": "Autumn", "stage_id": further.id})
        mailing = self.mailing(campaign_id=campaign.id)
        other = self.mailing(campaign_id=reviewed.id)
        self.assertEqual(campaign.stage_id.name, "New", "not moved before it is sent")
        with self.mock_mail_gateway():
            (mailing | other).with_user(self.manager).action_send_mail()
        self.assertEqual(mailing.state, "done")
        self.assertEqual(campaign.stage_id, sent_stage)
        self.assertEqual(reviewed.stage_id, further, "a campaign further on stays where it is")

    def test_without_utms_demo_stage_ours_is_made(self):
        """A database without demo data has only utm's "New": the module makes a "Sent"
        stage of its own at install, named in the installed languages."""
        self.env["ir.model.data"].search([("module", "=", "utm"), ("name", "=", "campaign_stage_3")]).unlink()
        self.env.registry.clear_cache()
        self.assertFalse(self.env["utm.campaign"]._randevu_sent_stage())
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["utm.campaign"]._randevu_ensure_sent_stage()
        ours = self.env.ref("randevu_marketing.utm_stage_sent")
        self.assertEqual(ours.name, "Sent")
        self.assertEqual(ours.with_context(lang="fr_FR").name, "Envoyé")
        self.env["utm.campaign"]._randevu_ensure_sent_stage()
        self.assertEqual(self.env["utm.stage"].search_count([("name", "=", "Sent")]), 2, "utm's and ours, once")
        campaign = self.env["utm.campaign"].create({"title": "Spring"})
        with self.mock_mail_gateway():
            self.mailing(campaign_id=campaign.id).action_send_mail()
        self.assertEqual(campaign.stage_id, ours)
