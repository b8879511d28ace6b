import ast

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import InventoryCase


class TransferCase(InventoryCase):
    """Paris sends colour cream and a lot of serum to Lyon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris")
        cls.lyon_stock = cls.lyon._randevu_warehouse().lot_stock_id
        cls.transit = cls.env.ref("stock.stock_location_inter_company")
        cls.sender = cls.make_user("tr_sender", "stock.group_stock_user", cls.branch)
        cls.set_stock(cls, cls.cream, 5)
        cls.set_stock(cls, cls.serum, 10, lot=cls.lot_early)
        cls.set_stock(cls, cls.serum, 10, lot=cls.lot_late)

    def send(self, lines, user=None):
        wizard = (
            self.env["randevu.transfer.wizard"]
            .with_user(user or self.sender)
            .with_company(self.branch)
            .create(
                {
                    "dest_branch": str(self.lyon.id),
                    "line_ids": [(0, 0, values) for values in lines],
                }
            )
        )
        action = wizard.action_send()
        return self.env["stock.picking"].browse(action["res_id"])

    def receipt_of(self, delivery):
        return delivery.move_ids.move_dest_ids.picking_id


@tagged("post_install", "-at_install")
class TestTransfers(TransferCase):
    def test_partial_receipt_leaves_a_backorder_and_the_lot_travels(self):
        delivery = self.send(
            [
                {"product_id": self.cream.id, "quantity": 2},
                {"product_id": self.serum.id, "quantity": 4, "lot_id": self.lot_early.id},
            ]
        )
        receipt = self.receipt_of(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.company_id, self.branch)
        self.assertEqual((delivery.location_id, delivery.location_dest_id), (self.stock, self.transit))
        self.assertEqual(delivery.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(receipt.company_id, self.lyon)
        self.assertEqual(receipt.picking_type_id, self.lyon._randevu_warehouse().in_type_id)
        self.assertEqual((receipt.location_id, receipt.location_dest_id), (self.transit, self.lyon_stock))
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(receipt.randevu_transfer_from_id, self.branch)
        self.assertEqual(delivery.randevu_transfer_to_id, self.lyon)
        # Left Paris, in transit, not yet in Lyon.
        self.assertAlmostEqual(self.on_hand(self.cream), 3)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_early), 6)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_late), 10)
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.transit), 2)
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.lyon_stock), 0)
        # The receipt reserved the lot that left.
        serum_move = receipt.move_ids.filtered(lambda move: move.product_id == self.serum)
        self.assertEqual(serum_move.move_line_ids.lot_id, self.lot_early)
        self.assertFalse(self.lot_early.company_id, "the lot is shared with the receiving branch")

        # Lyon receives 1.5 L of the 2 and the serum.
        cream_move = receipt.move_ids.filtered(lambda move: move.product_id == self.cream)
        cream_move.quantity = 1.5
        receipt.move_ids.picked = True
        action = receipt.button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        Form(self.env[action["res_model"]].with_context(**action["context"])).save().process()
        self.assertEqual(receipt.state, "done")
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.lyon_stock), 1.5)
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_early, location=self.lyon_stock), 4)
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.transit), 0.5)
        backorder = receipt.backorder_ids
        self.assertEqual(backorder.company_id, self.lyon)
        self.assertEqual(backorder.move_ids.product_id, self.cream)
        self.assertAlmostEqual(backorder.move_ids.product_uom_qty, 0.5)
        self.assertEqual(backorder.randevu_transfer_from_id, self.branch, "the backorder is still Paris's sending")
        # The rest arrives.
        backorder.action_assign()
        backorder.move_ids.picked = True
        backorder.button_validate()
        self.assertEqual(backorder.state, "done")
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.lyon_stock), 2)
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.transit), 0)

    def test_bad_sendings_are_refused_and_nothing_moves(self):
        with self.assertRaisesRegex(UserError, "Choose the lot of Test serum"):
            self.send([{"product_id": self.serum.id, "quantity": 1}])
        with self.assertRaisesRegex(UserError, "has only 5.0 L of Test colour cream"):
            self.send([{"product_id": self.cream.id, "quantity": 6}])
        with self.assertRaisesRegex(UserError, "Send a positive quantity"):
            self.send([{"product_id": self.cream.id, "quantity": 0}])
        self.assertFalse(self.env["stock.picking"].search([("randevu_transfer_from_id", "=", self.branch.id)]))
        self.assertAlmostEqual(self.on_hand(self.cream), 5)

    def test_wizard_form_sends_a_lot(self):
        """Through the wizard's form view: the lot is asked for a tracked product only."""
        sender = self.make_user("tr_units", "stock.group_stock_user,uom.group_uom", self.branch)
        form = Form(self.env["randevu.transfer.wizard"].with_user(sender).with_company(self.branch))
        self.assertEqual(form.company_id, self.branch)
        form.dest_branch = str(self.lyon.id)
        with form.line_ids.new() as line:
            line.product_id = self.serum
            line.quantity = 2
            line.lot_id = self.lot_late
        with form.line_ids.new() as line:
            line.product_id = self.cream
            line.quantity = 500
            line.uom_id = self.ml
        wizard = form.save()
        delivery = self.env["stock.picking"].browse(wizard.action_send()["res_id"])
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, self.lot_late)
        self.assertAlmostEqual(self.on_hand(self.cream), 4.5, msg="500 ml of a litre product")
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_late), 8)

    def test_transit_list_shows_what_is_on_its_way(self):
        delivery = self.send([{"product_id": self.cream.id, "quantity": 2}])
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_inventory.randevu_transit_move_action")
        moves = self.env["stock.move"].search(ast.literal_eval(action["domain"]))
        self.assertEqual(moves, self.receipt_of(delivery).move_ids)


@tagged("post_install", "-at_install")
class TestTransferAccess(HttpCase, JsonRpcMixin, TransferCase):
    """A receptionist of Lyon (an inventory user there) sees and validates Lyon's receipt,
    never Paris's delivery; staff cannot send."""

    def test_receiving_branch_sees_its_receipt_only(self):
        delivery = self.send([{"product_id": self.serum.id, "quantity": 3, "lot_id": self.lot_late.id}])
        receipt = self.receipt_of(delivery)
        lyon_reception = self.make_user(
            "tr_lyon", "randevu_calendar.group_randevu_user,stock.group_stock_user", self.lyon
        )
        self.authenticate(lyon_reception.login, lyon_reception.login)
        rows = self.call_kw_result(
            "stock.picking", "search_read", [("randevu_transfer_from_id", "!=", False)], ["name", "company_id"]
        )
        self.assertEqual([row["id"] for row in rows], receipt.ids)
        self.assert_access_error(self.call_kw("stock.picking", "read", delivery.ids, ["name"]))
        moves = self.call_kw_result(
            "stock.move", "search_read", [("location_id.usage", "=", "transit"), ("state", "=", "assigned")], ["id"]
        )
        self.assertEqual([row["id"] for row in moves], receipt.move_ids.ids)
        self.call_kw_result("stock.move", "write", receipt.move_ids.ids, {"picked": True})
        self.call_kw_result("stock.picking", "button_validate", receipt.ids)
        self.assertEqual(receipt.state, "done")
        self.assertAlmostEqual(self.on_hand(self.serum, lot=self.lot_late, location=self.lyon_stock), 3)

    def test_staff_cannot_send(self):
        staff = self.make_user("tr_staff", "randevu_calendar.group_randevu_staff", self.branch)
        self.authenticate(staff.login, staff.login)
        self.assert_access_error(
            self.call_kw(
                "randevu.transfer.wizard",
                "create",
                {"dest_branch": str(self.lyon.id), "line_ids": [(0, 0, {"product_id": self.cream.id, "quantity": 1})]},
            )
        )


@tagged("post_install", "-at_install")
class TestBranchClosureInTransit(TransferCase):
    """Closing a branch while goods travel to it: Lyon (the receiving branch) cannot be
    archived, nor its warehouse, while a receipt from Paris is pending (a translated error
    naming the receipts and their sender); Paris (the sender) can close, and Lyon still
    receives what Paris sent."""

    def setUp(self):
        super().setUp()
        self.lyon_wh = self.lyon._randevu_warehouse()
        self.delivery = self.send([{"product_id": self.cream.id, "quantity": 2}])
        self.receipt = self.receipt_of(self.delivery)

    def assert_refused(self, close):
        with self.assertRaises(UserError) as caught:
            close()
        message = str(caught.exception)
        self.assertIn(f"{self.lyon.name} cannot be closed", message)
        self.assertIn(f"{self.receipt.name} ({self.branch.name})", message)
        self.assertTrue(self.lyon_wh.active)
        self.assertTrue(self.lyon.active)
        self.assertEqual(self.receipt.state, "assigned")

    def test_the_receiving_branch_and_its_warehouse_are_not_closed(self):
        self.assert_refused(lambda: self.lyon_wh.action_archive())
        self.assert_refused(lambda: self.lyon.action_archive())
        self.assert_refused(lambda: self.lyon.write({"active": False}))

    def test_a_backorder_still_in_transit_still_refuses(self):
        self.receipt.move_ids.quantity = 0.5
        self.receipt.move_ids.picked = True
        self.receipt.with_context(cancel_backorder=False)._action_done()
        backorder = self.receipt.backorder_ids
        self.assertEqual(backorder.state, "assigned")
        with self.assertRaises(UserError) as caught:
            self.lyon_wh.action_archive()
        self.assertIn(backorder.name, str(caught.exception))
        self.assertNotIn(f"{self.receipt.name} (", str(caught.exception), "the received part is done")

    def test_once_cancelled_nothing_refuses_the_closure(self):
        self.receipt.action_cancel()
        self.lyon_wh.action_archive()
        self.assertFalse(self.lyon_wh.active)

    def test_the_sender_closes_and_the_receipt_stays_receivable(self):
        # Paris empties its stock (Odoo archives no location holding products), then closes.
        for product, lot, quantity in (
            (self.cream, None, 3),
            (self.serum, self.lot_early, 10),
            (self.serum, self.lot_late, 10),
        ):
            self.set_stock(product, -quantity, lot=lot)
        self.warehouse.action_archive()
        self.assertFalse(self.warehouse.active)
        self.receipt.move_ids.picked = True
        self.receipt.button_validate()
        self.assertEqual(self.receipt.state, "done")
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.lyon_stock), 2)
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.transit), 0)
