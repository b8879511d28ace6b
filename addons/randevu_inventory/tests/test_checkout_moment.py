from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestCheckoutMoment(InventoryCase):
    """A branch may write the products off at checkout: once the done appointment is also
    paid (at the till, by invoice, online), so that reception corrects them at the desk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receptionist = cls.make_user("inv_checkout_rec", "randevu_calendar.group_randevu_user", cls.branch)

    def setUp(self):
        super().setUp()
        self.set_stock(self.cream, 2)

    def test_done_unpaid_keeps_the_stock_and_the_lines_open(self):
        self.branch.randevu_consumables_moment = "paid"
        appointment = self.book(self.at)
        appointment.action_done()
        self.assertFalse(appointment.randevu_consumption_picking_id)
        self.assertAlmostEqual(self.on_hand(self.cream), 2)
        self.assertFalse(appointment.randevu_consumables_locked)
        # At the desk: the stylist used more, and a serum nobody planned.
        line = appointment.with_user(self.receptionist).consumable_ids
        self.assertFalse(line, "nothing planned until checkout")
        appointment.with_user(self.receptionist).action_randevu_plan_consumables()
        appointment.consumable_ids.with_user(self.receptionist).quantity = 90
        self.set_stock(self.serum, 3, lot=self.lot_early)
        self.env["randevu.appointment.consumable"].with_user(self.receptionist).create(
            {"appointment_id": appointment.id, "product_id": self.serum.id, "quantity": 1}
        )
        appointment.with_user(self.receptionist).payment_state = "paid"
        picking = appointment.randevu_consumption_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(picking.move_ids), 2, "one transfer for the appointment, every product in it")
        self.assertAlmostEqual(self.on_hand(self.cream), 1.91)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_early), 2)
        self.assertTrue(appointment.randevu_consumables_locked)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            appointment.consumable_ids[:1].with_user(self.receptionist).quantity = 10

    def test_paid_before_done_writes_off_at_done(self):
        self.branch.randevu_consumables_moment = "paid"
        appointment = self.book(self.at)
        appointment.payment_state = "paid"
        self.assertFalse(appointment.randevu_consumption_picking_id)
        appointment.action_done()
        self.assertEqual(appointment.randevu_consumption_picking_id.state, "done")
        self.assertAlmostEqual(self.on_hand(self.cream), 1.94)

    def test_when_done_paying_later_writes_off_nothing_more(self):
        appointment = self.book(self.at)
        appointment.action_done()
        picking = appointment.randevu_consumption_picking_id
        appointment.payment_state = "paid"
        self.assertEqual(appointment.randevu_consumption_picking_id, picking)
        self.assertEqual(self.env["stock.picking"].search_count([("origin", "=", appointment.name)]), 1)
        self.assertAlmostEqual(self.on_hand(self.cream), 1.94)

    def test_a_refund_does_not_put_used_products_back(self):
        self.branch.randevu_consumables_moment = "paid"
        appointment = self.book(self.at)
        appointment.action_done()
        appointment.payment_state = "paid"
        appointment.payment_state = "not_paid"
        self.assertAlmostEqual(self.on_hand(self.cream), 1.94)
        self.assertEqual(appointment.randevu_consumption_picking_id.state, "done")

    def test_reopening_returns_them_and_the_next_checkout_writes_off_again(self):
        self.branch.randevu_consumables_moment = "paid"
        appointment = self.book(self.at)
        appointment.payment_state = "paid"
        appointment.action_done()
        appointment.with_user(self.receptionist).action_randevu_reopen()
        self.assertAlmostEqual(self.on_hand(self.cream), 2)
        self.assertFalse(appointment.randevu_consumption_picking_id)
        appointment.action_done()
        self.assertAlmostEqual(self.on_hand(self.cream), 1.94)
