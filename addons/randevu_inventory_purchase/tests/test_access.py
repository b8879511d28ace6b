from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import PurchaseProposalCase

PROPOSALS = [("state", "in", ("draft", "sent")), ("order_line.orderpoint_id", "!=", False)]


@tagged("post_install", "-at_install")
class TestPurchaseProposalAccess(HttpCase, JsonRpcMixin, PurchaseProposalCase):
    """Through JSON-RPC: a branch's manager reads its purchase proposals (the Purchase
    Proposals menu's domain) and changes none; the manager and the buyer of another branch
    never see them; the buyer of the branch confirms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = "randevu_calendar.group_randevu_manager"
        cls.kadikoy_manager = cls.make_user("buy_kad_mgr", manager, cls.kadikoy)
        cls.paris_manager = cls.make_user("buy_par_mgr", manager, cls.branch)
        buyer = "purchase.group_purchase_user"
        cls.kadikoy_buyer = cls.make_user("buy_kad_buyer", buyer, cls.kadikoy)
        cls.paris_buyer = cls.make_user("buy_par_buyer", buyer, cls.branch)
        cls.set_stock(cls, cls.developer, -80, location=cls.kadikoy_stock)
        cls.env["stock.warehouse.orderpoint"]._randevu_cron_stock_alerts()
        cls.order = cls.kadikoy_rule.randevu_purchase_order_id

    def proposals(self, user):
        self.authenticate(user.login, user.login)
        rows = self.call_kw_result("purchase.order", "search_read", PROPOSALS, ["name", "company_id", "state"])
        return [row["id"] for row in rows]

    def test_branch_manager_reads_own_proposals_only(self):
        self.assertTrue(self.order)
        self.assertEqual(self.proposals(self.kadikoy_manager), self.order.ids)
        self.assert_access_error(self.call_kw("purchase.order", "button_confirm", self.order.ids))
        self.assert_access_error(self.call_kw("purchase.order", "write", self.order.ids, {"notes": "x"}))
        self.assertEqual(self.order.state, "draft")

        self.assertEqual(self.proposals(self.paris_manager), [], "another branch's manager sees none")
        self.assert_access_error(self.call_kw("purchase.order", "read", self.order.ids, ["name"]))

    def test_buyers_of_each_branch(self):
        self.assertEqual(self.proposals(self.paris_buyer), [])
        self.assert_access_error(self.call_kw("purchase.order", "read", self.order.ids, ["name"]))
        self.assertEqual(self.proposals(self.kadikoy_buyer), self.order.ids)
        self.call_kw_result("purchase.order", "button_confirm", self.order.ids)
        self.assertEqual(self.order.state, "purchase")
