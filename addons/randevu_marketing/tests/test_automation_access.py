from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestAutomationAccess(ConsentMixin, JsonRpcMixin, HttpCase):
    """Through JSON-RPC: managers set up their branch's automations (not another
    branch's), receptionists read them and their sends, staff see none; nobody writes
    a send or a usual interval by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.role_user("automation_staff", "group_randevu_staff")
        cls.receptionist = cls.role_user("automation_user", "group_randevu_user")
        cls.manager = cls.role_user("automation_manager", "group_randevu_manager")
        Automation = cls.env["randevu.marketing.automation"]
        cls.ours = Automation.create({"name": "We miss you", "kind": "win_back", "weeks": 6})
        cls.other_branch = cls.env["res.company"].create({"name": "Other branch"})
        cls.theirs = Automation.create({"name": "Theirs", "kind": "birthday", "company_id": cls.other_branch.id})
        Send = cls.env["randevu.marketing.automation.send"]
        values = {"partner_id": cls.ayse.id, "episode": "2031-01-06 09:00:00"}
        cls.our_send = Send.create({**values, "automation_id": cls.ours.id, "company_id": cls.env.company.id})
        cls.their_send = Send.create({**values, "automation_id": cls.theirs.id, "company_id": cls.other_branch.id})

    def test_staff_see_no_automation(self):
        self.authenticate("automation_staff", "automation_staff")
        for model in ("randevu.marketing.automation", "randevu.marketing.automation.send", "randevu.client.interval"):
            self.assert_access_error(self.call_kw(model, "search_read", [], ["id"]), model)
        self.assert_access_error(self.call_kw("randevu.marketing.automation", "create", {"name": "Mine"}))

    def test_receptionist_reads_but_changes_nothing(self):
        self.authenticate("automation_user", "automation_user")
        rows = self.call_kw_result("randevu.marketing.automation", "search_read", [], ["name", "sent_count"])
        self.assertEqual([row["name"] for row in rows], ["We miss you"])
        sends = self.call_kw_result("randevu.marketing.automation.send", "search_read", [], ["partner_id", "state"])
        self.assertEqual([row["id"] for row in sends], self.our_send.ids)
        self.assert_access_error(self.call_kw("randevu.marketing.automation", "create", {"name": "Mine"}))
        self.assert_access_error(self.call_kw("randevu.marketing.automation", "write", self.ours.ids, {"weeks": 2}))
        self.assert_access_error(self.call_kw("randevu.marketing.automation.send", "write", self.our_send.ids, {}))
        self.assert_access_error(self.call_kw("randevu.client.interval", "create", {"partner_id": self.ayse.id}))

    def test_manager_manages_the_branch_automations_only(self):
        self.authenticate("automation_manager", "automation_manager")
        automation_id = self.call_kw_result(
            "randevu.marketing.automation", "create", {"name": "Birthday", "kind": "birthday", "channel": "sms"}
        )
        automation = self.env["randevu.marketing.automation"].browse(automation_id)
        self.assertEqual(automation.mailing_id.mailing_type, "sms", "its message, made for her")
        self.call_kw_result("randevu.marketing.automation", "write", [automation_id], {"days_before": 3})
        self.assertEqual(automation.days_before, 3)
        ids = {row["id"] for row in self.call_kw_result("randevu.marketing.automation", "search_read", [], ["id"])}
        self.assertEqual(ids, {self.ours.id, automation_id}, "not another branch's")
        self.assert_access_error(self.call_kw("randevu.marketing.automation", "read", self.theirs.ids, ["name"]))
        self.assert_access_error(self.call_kw("randevu.marketing.automation.send", "read", self.their_send.ids, ["id"]))
        self.assert_rpc_error(
            self.call_kw(
                "randevu.marketing.automation", "create", {"name": "There", "company_id": self.other_branch.id}
            ),
            "AccessError",
        )
        self.assert_access_error(self.call_kw("randevu.marketing.automation.send", "unlink", self.our_send.ids))
        self.assert_access_error(self.call_kw("randevu.marketing.automation", "write", self.theirs.ids, {"weeks": 2}))
