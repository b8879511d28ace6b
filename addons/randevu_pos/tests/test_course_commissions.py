from datetime import datetime

from odoo.fields import Command
from odoo.tests import tagged

from .commission_common import RandevuCommissionCase


@tagged("post_install", "-at_install")
class TestCourseCommissions(RandevuCommissionCase):
    """A course earns commission per session performed, on the session's share of the
    course, not at the sale."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laser = cls._make_service("Laser", 0.5, cls.bruno, list_price=50, taxes_id=[Command.clear()])
        cls.course_product = cls.env["product.template"].create(
            {
                "name": "Laser, 6 sessions",
                "type": "service",
                "list_price": 240,
                "randevu_course_service_id": cls.laser.id,
                "randevu_course_sessions": 6,
                "taxes_id": [Command.clear()],
            }
        )
        # Bruno's own rule is a fixed amount per unit: without it, everyone's 8 % applies.
        cls.rule_bruno.active = False

    def test_commission_per_session_not_at_sale(self):
        order = self.sale(datetime(2031, 1, 5, 10), [(self.course_product, 1, 240, 0, self.bruno)])
        order.partner_id = self.customer
        course = self.env["randevu.course"]._randevu_create_from_lines(order.lines)
        self.assertEqual(course.sessions_total, 6)
        sessions = self.env["randevu.appointment"]
        for day in (10, 17):
            sessions |= self.book(
                self.local(10, day=datetime(2031, 1, day).date()),
                staff=self.bruno,
                service=self.laser,
                hours_override=True,
            )
        self.assertEqual(sessions.randevu_course_id, course)
        sessions[0].action_done()  # the second one is not performed yet
        # Checked out at the till at 0: the session earns through the course, not this line.
        checkout = self.sale(datetime(2031, 1, 10, 11), [(self.laser, 1, 0, 0, self.bruno)])
        checkout.lines.randevu_appointment_id = sessions[0]
        period = self.make_period()
        period.action_compute()
        lines = period.line_ids
        self.assertFalse(lines.filtered(lambda line: line.pos_order_line_id in order.lines), "nothing at the sale")
        self.assertRecordValues(
            lines,
            [{"employee_id": self.bruno.id, "appointment_id": sessions[0].id, "base": 40, "amount": 3.2}],
        )
