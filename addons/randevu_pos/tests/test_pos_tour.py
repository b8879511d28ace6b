from odoo.tests import HttpCase, tagged

from .common import RandevuPosCase


@tagged("post_install", "-at_install")
class TestPosTour(HttpCase, RandevuPosCase):
    """The front desk at the till (Chromium): opens the register, the Appointments list,
    picks Chloé's visit (a cut by Anna, a blow-dry by Bruno), adds a shampoo, pays cash
    and sees the services with their staff on the receipt."""

    def test_checkout_tour(self):
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_checkout_tour", login="pos_desk")
        appointments = self.cut_appt | self.blow_appt
        self.assertEqual(appointments.mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(appointments.mapped("state"), ["done", "done"])
        order = self.cut_appt.randevu_pos_order_id
        self.assertEqual(order, self.blow_appt.randevu_pos_order_id)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.amount_total, 28 + 20 + 12)
        by_product = {line.product_id: line for line in order.lines}
        self.assertEqual(by_product[self.cut.product_variant_id].randevu_employee_id, self.anna)
        self.assertEqual(by_product[self.blow_dry.product_variant_id].randevu_employee_id, self.bruno)
        self.assertFalse(by_product[self.shampoo].randevu_appointment_id)


@tagged("post_install", "-at_install")
class TestPosMobileTour(HttpCase, RandevuPosCase):
    """The same till on a phone (Chromium at 390 px): Appointments is offered beside Pay
    and Cart (Odoo shows no control bar there) and in the cart's action pad; the phone
    number is in the branch's format; picking the cut puts it in the cart with Anna."""

    browser_size = "390x844"
    touch_enabled = True

    def test_mobile_tour(self):
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_mobile_tour", login="pos_desk")
