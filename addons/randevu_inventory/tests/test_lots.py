from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestLots(InventoryCase):
    def book_colour(self, hour, staff=None):
        return self.book(self.at.replace(hour=hour), service=self.colour, staff=staff or self.anna)

    def test_write_off_takes_the_first_expiring_lot(self):
        self.set_stock(self.serum, 5, lot=self.lot_late)
        self.set_stock(self.serum, 5, lot=self.lot_early)
        appointment = self.book_colour(9)
        appointment.action_done()
        self.assertEqual(appointment.consumable_ids.used_lot_ids, self.lot_early)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_early), 3)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_late), 5)

    def test_a_lot_running_out_continues_in_the_next_one(self):
        self.set_stock(self.serum, 5, lot=self.lot_late)
        self.set_stock(self.serum, 1, lot=self.lot_early)
        appointment = self.book_colour(9)
        appointment.action_done()
        self.assertEqual(appointment.consumable_ids.used_lot_ids, self.lot_early | self.lot_late)
        self.assertFalse(appointment.randevu_stock_short)

    def test_the_lot_chosen_on_the_appointment_is_used(self):
        self.set_stock(self.serum, 5, lot=self.lot_late)
        self.set_stock(self.serum, 5, lot=self.lot_early)
        appointment = self.book_colour(9)
        appointment.action_randevu_plan_consumables()
        appointment.consumable_ids.lot_id = self.lot_late
        appointment.action_done()
        self.assertEqual(appointment.consumable_ids.used_lot_ids, self.lot_late)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_late), 3)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_early), 5)

    def test_a_tracked_product_without_stock_is_flagged_not_blocked(self):
        appointment = self.book_colour(9)
        appointment.action_done()
        self.assertEqual(appointment.state, "done")
        self.assertTrue(appointment.randevu_stock_short)
        self.assertEqual(appointment.consumable_ids.used_lot_ids, self.lot_early, "the first-expiring lot known")

    def test_reopening_puts_the_lot_back(self):
        self.set_stock(self.serum, 5, lot=self.lot_early)
        appointment = self.book_colour(9)
        appointment.action_done()
        appointment.action_randevu_reopen()
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_early), 5)
        self.assertFalse(appointment.consumable_ids.used_lot_ids)

    def test_recall_lists_every_client_of_a_lot(self):
        self.set_stock(self.serum, 1, lot=self.lot_early)
        self.set_stock(self.serum, 10, lot=self.lot_late)
        other = self.env["res.partner"].create({"name": "Other Client", "email": "other@example.com"})
        first = self.book_colour(9)
        second = self.book(self.at.replace(hour=14), service=self.colour, staff=self.bruno, partner_id=other.id)
        (first | second).action_done()
        action = self.env.ref("randevu_inventory.randevu_appointment_consumable_action")
        domain = [*safe_eval(action.domain), ("used_lot_ids", "in", self.lot_early.ids)]
        recalled = self.env["randevu.appointment.consumable"].search(domain)
        self.assertEqual(recalled.partner_id, self.customer, "only the first used the early lot (1 left)")
        self.assertEqual(recalled.partner_phone, self.customer.phone)
        late = self.env["randevu.appointment.consumable"].search([("used_lot_ids", "in", self.lot_late.ids)])
        self.assertEqual(late.partner_id, self.customer | other)
        self.assertEqual(late.appointment_id, first | second)
