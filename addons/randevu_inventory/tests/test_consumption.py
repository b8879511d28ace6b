from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestConsumption(InventoryCase):
    def test_done_writes_off_the_service_products_in_one_transfer(self):
        self.set_stock(self.cream, 2)
        appointment = self.book(self.at)
        appointment.action_done()
        picking = appointment.randevu_consumption_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual((picking.location_id, picking.location_dest_id), (self.stock, self.consumption))
        self.assertEqual(len(picking.move_ids), 1)
        self.assertEqual((picking.move_ids.product_uom, picking.move_ids.quantity), (self.litre, 0.06))
        self.assertAlmostEqual(self.on_hand(self.cream), 1.94, msg="60 ml of the 2 L, converted")
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.consumption), 0.06)
        line = appointment.consumable_ids
        self.assertEqual((line.product_id, line.quantity, line.planned, line.short), (self.cream, 60, True, False))
        self.assertFalse(appointment.randevu_stock_short)

    def test_a_staff_members_own_quantity_replaces_the_general_one(self):
        self.set_stock(self.cream, 2)
        appointment = self.book(self.at, staff=self.bruno)
        appointment.action_done()
        self.assertEqual(appointment.consumable_ids.quantity, 80)
        self.assertAlmostEqual(self.on_hand(self.cream), 1.92)

    def test_reception_corrects_and_adds_before_done_not_after(self):
        self.set_stock(self.cream, 2)
        self.set_stock(self.serum, 5, lot=self.lot_late)
        appointment = self.book(self.at)
        appointment.action_randevu_plan_consumables()
        appointment.consumable_ids.quantity = 100
        self.env["randevu.appointment.consumable"].create(
            {"appointment_id": appointment.id, "product_id": self.serum.id, "quantity": 1}
        )
        appointment.action_done()
        self.assertEqual(len(appointment.randevu_consumption_picking_id.move_ids), 2, "one transfer, two moves")
        self.assertAlmostEqual(self.on_hand(self.cream), 1.9)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_late), 4)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            appointment.consumable_ids[:1].quantity = 1
        with self.assertRaises(UserError), self.env.cr.savepoint():
            appointment.consumable_ids[:1].unlink()
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["randevu.appointment.consumable"].create(
                {"appointment_id": appointment.id, "product_id": self.cream.id, "quantity": 1}
            )
        self.assertEqual(appointment.consumable_ids.mapped("quantity"), [100, 1])

    def test_reopening_returns_the_products_and_done_again_writes_off_again(self):
        self.set_stock(self.cream, 2)
        appointment = self.book(self.at)
        appointment.action_done()
        picking = appointment.randevu_consumption_picking_id
        appointment.action_randevu_reopen()
        self.assertEqual(appointment.state, "in_progress")
        self.assertFalse(appointment.randevu_consumption_picking_id)
        back = picking.return_ids
        self.assertEqual(back.state, "done")
        self.assertEqual(back.move_ids.origin_returned_move_id, picking.move_ids)
        self.assertAlmostEqual(self.on_hand(self.cream), 2.0)
        self.assertAlmostEqual(self.on_hand(self.cream, location=self.consumption), 0.0)
        appointment.consumable_ids.quantity = 30
        appointment.action_done()
        self.assertNotEqual(appointment.randevu_consumption_picking_id, picking)
        self.assertAlmostEqual(self.on_hand(self.cream), 1.97)

    def test_done_without_stock_is_allowed_and_flagged(self):
        appointment = self.book(self.at)
        appointment.action_done()
        self.assertEqual(appointment.state, "done")
        self.assertEqual(appointment.randevu_consumption_picking_id.state, "done")
        self.assertTrue(appointment.consumable_ids.short)
        self.assertTrue(appointment.randevu_stock_short)
        self.assertAlmostEqual(self.on_hand(self.cream), -0.06)

    def test_partial_stock_is_taken_and_the_rest_below_zero(self):
        self.set_stock(self.cream, 0.05)
        appointment = self.book(self.at)
        appointment.action_done()
        self.assertTrue(appointment.randevu_stock_short)
        self.assertAlmostEqual(self.on_hand(self.cream), -0.01)

    def test_a_service_without_consumables_makes_no_transfer(self):
        appointment = self.book(self.at.replace(hour=14), service=self.colour, staff=self.bruno)
        appointment.consumable_ids.unlink()
        appointment.randevu_consumables_planned = True
        appointment.action_done()
        self.assertFalse(appointment.randevu_consumption_picking_id)

    def test_staff_marking_done_writes_off_without_inventory_rights(self):
        user = self.make_user("inv_staff", "randevu_calendar.group_randevu_staff", self.branch)
        self.anna.user_id = user
        self.set_stock(self.cream, 2)
        appointment = self.book(self.at)
        appointment.with_user(user).action_done()
        self.assertAlmostEqual(self.on_hand(self.cream), 1.94)
