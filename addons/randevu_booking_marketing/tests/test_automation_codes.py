from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

TEXT = "I agree to receive offers and news from the salon. I can withdraw at any time."
BIRTHDAY_RUN = datetime(2031, 3, 12, 9, 0)  # 10:00 in Paris


@tagged("post_install", "-at_install")
class TestBirthdayCodes(RandevuMessagingCase):
    """The birthday offer with a personal code: one coupon of the branch's coupons
    program per recipient (loyalty's own generation), shown in her message; usable once
    on a booking, refused the second time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Birthday 25%",
                "program_type": "coupons",
                "trigger": "with_code",
                "company_id": cls.branch.id,
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_applicability": "order",
                            "discount": 25,
                            "discount_mode": "percent",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        cls.automation = cls.env["randevu.marketing.automation"].create(
            {
                "name": "Happy birthday",
                "company_id": cls.branch.id,
                "kind": "birthday",
                "loyalty_program_id": cls.program.id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.ela, cls.lou, cls.max = Partner.create(
            [
                {
                    "name": name,
                    "email": f"{name.lower()}@example.com",
                    "randevu_client": True,
                    "company_id": cls.branch.id,
                    "randevu_birthday": date(1990, 3, 12),
                }
                for name in ("Ela", "Lou", "Max")
            ]
        )
        for partner in cls.ela | cls.lou:
            cls.env["randevu.consent"]._randevu_record(partner, "email", "granted", "till", TEXT)

    def test_personal_single_use_codes(self):
        with freeze_time(BIRTHDAY_RUN), self.mock_mail_gateway():
            self.automation._randevu_run(auto_commit=False)
            mails = self._new_mails
        sends = self.env["randevu.marketing.automation.send"].search([("automation_id", "=", self.automation.id)])
        self.assertEqual(sends.partner_id, self.ela | self.lou, "Max has no consent")
        self.assertEqual(set(sends.mapped("state")), {"sent"})
        codes = {send.partner_id: send.code for send in sends}
        self.assertEqual(len(set(codes.values())), 2, "one code each")
        for send in sends:
            card = send.loyalty_card_id
            self.assertEqual(
                (card.code, card.partner_id, card.program_id, card.points),
                (send.code, send.partner_id, self.program, 1),
            )
            mail = mails.filtered(lambda mail, send=send: mail.res_id == send.partner_id.id)
            self.assertIn(send.code, mail.body_html, "the message shows her code")
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", self.max.id)]), "no code for Max")

        with freeze_time(datetime(2031, 3, 10)):
            first = self.book(datetime(2031, 3, 17, 9, 0), partner_id=self.ela.id)
            second = self.book(datetime(2031, 3, 17, 10, 0), partner_id=self.ela.id)
            first._randevu_apply_code(codes[self.ela])
        self.assertEqual((first.price, first.randevu_discount_amount), (30, 10))
        with freeze_time(datetime(2031, 3, 10)), self.assertRaisesRegex(UserError, "already been used"):
            second._randevu_apply_code(codes[self.ela])
        self.assertEqual(second.price, 40)
