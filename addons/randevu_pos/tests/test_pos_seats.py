from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import RandevuPosCase


class PosSeatsCase(RandevuPosCase):
    """RandevuPosCase with a yoga class today at 15:00 (capacity 3, Anna, 15 a seat) where
    Inès and Marc hold seats."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoga = cls._make_service("Yoga", 1.0, cls.anna, list_price=15, randevu_capacity=3, taxes_id=[(5, 0, 0)])
        cls.yoga_class = cls.book(
            cls, cls.local(15), staff=cls.anna, service=cls.yoga, partner_id=False, hours_override=True
        )
        cls.students = cls.env["res.partner"].create(
            [{"name": "Inès Petit", "phone": "+33611223344"}, {"name": "Marc Roux"}]
        )
        cls.ines, cls.marc = (cls.yoga_class._add_attendee(student) for student in cls.students)


@tagged("post_install", "-at_install")
class TestPosSeats(PosSeatsCase):
    """Group class seats at the till: today's list shows each seat of the branch's
    classes; picking one puts the class's service with its instructor at the seat's
    price; paying marks that seat paid (not the class, not the other seats), once."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def rows(self, query=None):
        return self.config.with_user(self.desk).randevu_pos_appointments(query)

    def seat_line(self, seat):
        return (
            self.yoga.product_variant_id,
            self.yoga_class.price,
            {"randevu_attendee_id": seat.id, "randevu_employee_id": self.anna.id},
        )

    def sync(self, data):
        return self.env["pos.order"].with_user(self.desk).sync_from_ui([data])

    def test_seats_listed(self):
        rows = self.rows()
        self.assertEqual([row["time"] for row in rows], ["10:00", "10:30", "15:00", "15:00"], "by time")
        seats = [row for row in rows if row["attendee_id"]]
        self.assertEqual([row["attendee_id"] for row in seats], [self.ines.id, self.marc.id])
        first = seats[0]
        self.assertEqual(
            (first["id"], first["partner_id"], first["service"], first["product_id"]),
            (self.yoga_class.id, self.students[0].id, "Yoga", self.yoga.product_variant_id.id),
        )
        self.assertEqual((first["price"], first["employee_id"], first["employee_name"]), (15, self.anna.id, "Anna"))
        self.assertEqual((first["payment_state"], first["pickable"]), ("not_paid", True))
        self.assertEqual(first["partner_phone"], "06 11 22 33 44")
        self.assertEqual(len({row["key"] for row in rows}), 4, "each row its own key")
        self.assertEqual([row["attendee_id"] for row in self.rows("Inès")], [self.ines.id])
        self.assertEqual([row["attendee_id"] for row in self.rows("06 11 22 33 44")], [self.ines.id])
        self.marc.action_cancel()
        self.assertEqual([row["attendee_id"] for row in self.rows() if row["attendee_id"]], [self.ines.id])

    def test_paying_a_seat(self):
        session = self.open_session()
        data = self.order_data(session, [self.seat_line(self.ines)], partner=self.students[0])
        self.sync(data)
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.lines.randevu_attendee_id, self.ines)
        self.assertEqual(order.lines.randevu_employee_id, self.anna)
        self.assertEqual((self.ines.randevu_payment_state, self.marc.randevu_payment_state), ("paid", "not_paid"))
        self.assertEqual(self.yoga_class.payment_state, "not_paid", "the class itself is not paid by one seat")
        self.assertIn(order.name, self.yoga_class.message_ids[0].body)
        row = next(row for row in self.rows() if row["attendee_id"] == self.ines.id)
        self.assertEqual((row["payment_state"], row["pickable"]), ("paid", False))
        orders = self.env["pos.order"].search_count([])
        again = self.order_data(
            session, [self.seat_line(self.ines), self.seat_line(self.marc)], partner=self.students[0]
        )
        with self.assertRaisesRegex(UserError, "Inès Petit's seat in .* is already paid"), self.env.cr.savepoint():
            self.sync(again)
        self.assertEqual(self.env["pos.order"].search_count([]), orders, "nothing of the refused order is saved")
        self.assertEqual(self.marc.randevu_payment_state, "not_paid")
        twice = self.order_data(
            session, [self.seat_line(self.marc), self.seat_line(self.marc)], partner=self.students[1]
        )
        with self.assertRaisesRegex(UserError, "already paid"), self.env.cr.savepoint():
            self.sync(twice)

    def test_seat_paid_by_the_till_only(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.ines.with_user(self.desk).write({"randevu_payment_state": "paid"})
        self.assertEqual(self.ines.randevu_payment_state, "not_paid")

    def test_seat_not_held_refused(self):
        self.marc.action_cancel()
        session = self.open_session()
        with self.assertRaisesRegex(UserError, "holds no seat"), self.env.cr.savepoint():
            self.sync(self.order_data(session, [self.seat_line(self.marc)], partner=self.students[1]))
        self.assertEqual(self.marc.randevu_payment_state, "not_paid")


@tagged("post_install", "-at_install")
class TestPosSeatTour(HttpCase, PosSeatsCase):
    """The front desk picks Inès's seat in today's yoga class at the till (Chromium) and
    pays it in cash: the seat is paid, Marc's is not."""

    def test_seat_tour(self):
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_seat_tour", login="pos_desk")
        self.assertEqual((self.ines.randevu_payment_state, self.marc.randevu_payment_state), ("paid", "not_paid"))
        line = self.ines.randevu_pos_line_ids
        self.assertEqual((line.order_id.state, line.randevu_employee_id, line.price_unit), ("paid", self.anna, 15))
