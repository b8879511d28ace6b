from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestCampaignAccess(ConsentMixin, JsonRpcMixin, HttpCase):
    """Through JSON-RPC: a manager with Email Marketing sends a mailing to a segment of
    her branch; the owner (Access Rights) sets the frequency cap; receptionists and staff
    set neither."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mailing_group = "mass_mailing.group_mass_mailing_user"
        cls.staff = cls.role_user("campaign_staff", "group_randevu_staff")
        cls.receptionist = cls.role_user("campaign_user", "group_randevu_user")
        cls.manager = new_test_user(
            cls.env,
            login="campaign_manager",
            password="campaign_manager",
            groups=f"base.group_user,randevu_calendar.group_randevu_manager,{mailing_group}",
        )
        cls.owner = new_test_user(
            cls.env,
            login="campaign_owner",
            password="campaign_owner",
            groups="base.group_user,base.group_erp_manager,randevu_calendar.group_randevu_manager",
        )
        cls.marketer = new_test_user(
            cls.env, login="campaign_marketer", password="campaign_marketer", groups=f"base.group_user,{mailing_group}"
        )
        cls.segment = cls.env["randevu.segment"].create({"name": "Regulars", "visits_min": 3})
        cls.other_branch = cls.env["res.company"].create({"name": "Other branch"})
        cls.theirs = cls.env["randevu.segment"].create({"name": "Theirs", "company_id": cls.other_branch.id})
        cls.values = {"subject": "Spring", "body_html": "<p>Hi</p>", "email_from": "salon@example.com"}

    def test_manager_sends_to_a_segment_of_her_branch(self):
        self.authenticate("campaign_manager", "campaign_manager")
        action = self.call_kw_result("randevu.segment", "action_new_campaign", self.segment.ids)
        mailing_id = self.call_kw_result(
            "mailing.mailing", "create", {**self.values, "randevu_segment_id": self.segment.id}
        )
        [row] = self.call_kw_result("mailing.mailing", "read", [mailing_id], ["randevu_segment_id", "mailing_domain"])
        self.assertEqual(row["randevu_segment_id"][0], self.segment.id)
        self.assertIn("randevu_segment_ids", row["mailing_domain"])
        self.assertEqual(action["context"]["default_randevu_segment_id"], self.segment.id)
        self.assert_rpc_error(
            self.call_kw("mailing.mailing", "create", {**self.values, "randevu_segment_id": self.theirs.id}),
            "AccessError",
        )
        # The frequency cap is the owner's (Access Rights), not every manager's.
        self.assert_access_error(
            self.call_kw("res.company", "write", self.env.company.ids, {"randevu_marketing_cap_count": 3})
        )

    def test_owner_sets_the_frequency_cap(self):
        self.authenticate("campaign_owner", "campaign_owner")
        self.call_kw_result(
            "res.company",
            "write",
            self.env.company.ids,
            {"randevu_marketing_cap_count": 2, "randevu_marketing_cap_days": 14},
        )
        self.assertEqual(self.env.company.randevu_marketing_cap_count, 2)
        self.assertEqual(self.env.company.randevu_marketing_cap_days, 14)

    def test_other_mailing_users_keep_their_mailings(self):
        """Email Marketing without Randevu: mailings without a segment work as before, the
        segment field is not theirs."""
        self.authenticate("campaign_marketer", "campaign_marketer")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        mailing_id = self.call_kw_result(
            "mailing.mailing", "create", {**self.values, "mailing_model_id": partner_model}
        )
        list_model = self.env["ir.model"]._get_id("mailing.list")
        self.call_kw_result("mailing.mailing", "write", [mailing_id], {"mailing_model_id": list_model})
        self.assert_access_error(self.call_kw("mailing.mailing", "read", [mailing_id], ["randevu_segment_id"]))
        self.assert_access_error(
            self.call_kw("mailing.mailing", "create", {**self.values, "randevu_segment_id": self.segment.id})
        )

    def test_receptionist_and_staff_set_nothing(self):
        for login in ("campaign_user", "campaign_staff"):
            self.authenticate(login, login)
            self.assert_access_error(
                self.call_kw("mailing.mailing", "create", {**self.values, "randevu_segment_id": self.segment.id})
            )
            self.assert_access_error(
                self.call_kw("res.company", "write", self.env.company.ids, {"randevu_marketing_cap_count": 3})
            )
        self.assert_access_error(self.call_kw("randevu.segment", "action_new_campaign", self.segment.ids))
