from odoo.tests import HttpCase, tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestLotTour(HttpCase, InventoryCase):
    """In the browser, as the receptionist: a colour appointment (a lot-tracked serum) is
    completed, and the appointment shows the lot the client received."""

    def test_lot_on_the_appointment_tour(self):
        receptionist = self.make_user("tour_stock_rec", "randevu_calendar.group_randevu_user", self.branch)
        self.set_stock(self.serum, 5, lot=self.lot_late)
        self.set_stock(self.serum, 5, lot=self.lot_early)
        appointment = self.book(self.at, service=self.colour)
        appointment.action_start()
        self.start_tour(
            f"/odoo/action-randevu_calendar.randevu_appointment_action/{appointment.id}?cids={self.branch.id}",
            "randevu_inventory_lot_tour",
            login=receptionist.login,
        )
        self.assertEqual(appointment.state, "done")
        self.assertEqual(appointment.consumable_ids.used_lot_ids, self.lot_early)
        self.assertEqual(self.on_hand(self.serum, lot=self.lot_early), 3)
