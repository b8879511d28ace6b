from psycopg2 import IntegrityError

from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_pos.tests.course_common import RandevuCourseCase


@tagged("post_install", "-at_install")
class TestSegmentPos(RandevuCourseCase):
    """Segment criteria from the till: spent at least (paid orders, refunds deducted),
    account credit at least (eWallet), course sessions left at least; exact membership,
    the live count in one query, counted by a receptionist without Point of Sale rights
    and only for her branches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.big, cls.small, cls.nobody = Partner.create(
            [{"name": name, "randevu_client": True} for name in ("Big Spender", "Small Spender", "Nobody")]
        )
        cls.people = cls.big | cls.small | cls.nobody
        cls.topup = cls.env["product.product"].create({"name": "Credit Top-up", "type": "service", "list_price": 0})
        cls.ewallet = cls.env["loyalty.program"].create(
            {
                "name": "Account Credit",
                "company_id": False,
                "currency_id": cls.branch.currency_id.id,
                "program_type": "ewallet",
                "trigger": "auto",
                "applies_on": "future",
                "rule_ids": [
                    Command.create(
                        {"reward_point_mode": "money", "reward_point_amount": 1, "product_ids": cls.topup.ids}
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 1,
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        cls.receptionist = cls.make_user(
            "segpos_desk", "base.group_user,randevu_calendar.group_randevu_user", cls.branch
        )

    def segment(self, **criteria):
        return (
            self.env["randevu.segment"]
            .with_context(allowed_company_ids=self.branch.ids)
            .create({"name": "Till", "company_id": self.branch.id, **criteria})
        )

    def members(self, segment):
        return segment._randevu_partners() & self.people

    def pay(self, session, partner, amount):
        self.sync(self.order_data(session, [(self.shampoo, amount, {})], partner=partner))

    def test_spent_at_least(self):
        session = self.open_session()
        self.pay(session, self.big, 80)
        self.pay(session, self.big, 40)
        self.pay(session, self.small, 30)
        self.pay(session, self.small, 90)
        self.pay(session, self.small, -50)  # a refund: 70 spent
        segment = self.segment(spend_min=100)
        self.assertEqual(self.members(segment), self.big)
        self.assertEqual(self.members(self.segment(spend_min=70)), self.big | self.small)
        self.assertEqual(segment.partner_count, self.env["res.partner"].search_count(segment._randevu_domain()))

    def test_account_credit_at_least(self):
        Card = self.env["loyalty.card"]
        Card.create({"program_id": self.ewallet.id, "partner_id": self.big.id, "points": 80})
        Card.create({"program_id": self.ewallet.id, "partner_id": self.small.id, "points": 10})
        self.assertEqual(self.members(self.segment(credit_min=50)), self.big)
        self.assertEqual(self.members(self.segment(credit_min=10)), self.big | self.small)

    def test_course_sessions_left_at_least(self):
        session = self.open_session()
        self.sell_course(session, partner=self.big)
        self.assertEqual(self.members(self.segment(course_sessions_min=6)), self.big)
        self.assertFalse(self.members(self.segment(course_sessions_min=7)))

    def test_criteria_combined_live_count_in_one_query(self):
        session = self.open_session()
        self.pay(session, self.big, 120)
        self.pay(session, self.small, 120)
        self.env["loyalty.card"].create({"program_id": self.ewallet.id, "partner_id": self.big.id, "points": 5})
        segment = self.segment(spend_min=100, credit_min=5)
        self.assertEqual(self.members(segment), self.big)
        Partner = self.env["res.partner"]
        form = Form(segment)
        self.assertEqual(form.partner_count, Partner.search_count(segment._randevu_domain()))
        form.credit_min = 0
        widened = self.segment(spend_min=100)
        self.assertEqual(form.partner_count, Partner.search_count(widened._randevu_domain()))
        self.assertEqual(self.members(widened), self.big | self.small)
        self.env.flush_all()
        segment._randevu_domain()  # the criteria read
        segment.invalidate_recordset(["partner_count"])
        with self.assertQueryCount(1):
            segment.partner_count  # noqa: B018

    def test_receptionist_without_pos_rights_counts(self):
        """A receptionist (no Point of Sale rights) counts and lists a segment by spend."""
        session = self.open_session()
        self.pay(session, self.big, 120)
        segment = self.segment(spend_min=100).with_user(self.receptionist)
        domain = segment._randevu_domain()
        partners = self.env["res.partner"].with_user(self.receptionist)
        self.assertEqual(segment.partner_count, partners.search_count(domain))
        self.assertIn(self.big, segment._randevu_partners())

    @mute_logger("odoo.sql_db")
    def test_negative_criteria_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.segment(spend_min=-1).flush_recordset()
