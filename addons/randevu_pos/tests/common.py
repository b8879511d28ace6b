from datetime import datetime, time
from random import randint

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command

from odoo.addons.randevu_calendar.tests.common import RandevuCase


class RandevuPosCase(RandevuCase):
    """RandevuCase's Paris branch with a till (cash), a cut by Anna and a blow-dry by
    Bruno at no tax, a shampoo for sale, the front desk (a POS and Randevu user of the
    branch) and, today at the branch, Chloé's visit: the cut at 10:00 (arrived) then the
    blow-dry at 10:30 (in progress). Never relies on demo data; "today" is the real one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Odoo's demo loyalty programmes belong to the main company, whose branch the
        # fixtures use: they would apply at this till. Only the tests' own ones do.
        env["loyalty.program"].search([]).active = False
        cls.branch.country_id = env.ref("base.fr")
        cls.tz = pytz.timezone("Europe/Paris")
        no_tax = {"taxes_id": [Command.clear()]}
        cls.cut = cls._make_service("Cut", 0.5, cls.anna, list_price=30, **no_tax)
        cls.blow_dry = cls._make_service("Blow-dry", 0.5, cls.bruno, list_price=20, **no_tax)
        cls.shampoo = env["product.product"].create(
            {"name": "Argan Shampoo", "type": "consu", "list_price": 12, "available_in_pos": True, **no_tax}
        )
        cls.cash_journal = env["account.journal"].create(
            {"name": "Paris Cash", "code": "PCSH", "type": "cash", "company_id": cls.branch.parent_id.id}
        )
        cls.cash = env["pos.payment.method"].create(
            {"name": "Cash", "journal_id": cls.cash_journal.id, "company_id": cls.branch.id}
        )
        cls.config = (
            env["pos.config"]
            .with_company(cls.branch)
            .create(
                {"name": "Paris Till", "company_id": cls.branch.id, "payment_method_ids": [Command.set(cls.cash.ids)]}
            )
        )
        pos_user = "base.group_user,point_of_sale.group_pos_user"
        cls.desk = cls.make_user("pos_desk", f"{pos_user},randevu_calendar.group_randevu_user", cls.branch)
        cls.today = cls.branch._randevu_local_today()
        cls.cut_appt = cls.book(cls, cls.local(10), staff=cls.anna, service=cls.cut, hours_override=True, price=28)
        cls.blow_appt = cls.book(cls, cls.local(10, 30), staff=cls.bruno, service=cls.blow_dry, hours_override=True)
        cls.cut_appt.action_arrive()
        cls.blow_appt.action_arrive()
        cls.blow_appt.action_start()

    @classmethod
    def local(cls, hour, minute=0, day=None):
        """Naive UTC datetime of `hour`:`minute` on `day` (default: today), Paris time."""
        local = cls.tz.localize(datetime.combine(day or cls.today, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def freeze_noon(self):
        """Freeze "now" at noon of the fixtures' day at the branch (no midnight in between)."""
        freezer = freeze_time(self.local(12))
        freezer.start()
        self.addCleanup(freezer.stop)

    def open_session(self, user=None):
        self.config.with_user(user or self.desk).open_ui()
        return self.config.current_session_id

    def order_data(self, session, lines, partner=None, paid=True):
        """An order as the till sends it to pos.order.sync_from_ui: `lines` are
        (product, price, extra line values); paid in cash."""
        uuid = f"randevu-{randint(1, 10**9)}"
        order_lines = [
            (
                0,
                0,
                {
                    "product_id": product.id,
                    "qty": 1,
                    "price_unit": price,
                    "price_subtotal": price,
                    "price_subtotal_incl": price,
                    "tax_ids": [(6, 0, [])],
                    "pack_lot_ids": [],
                    "uuid": f"{uuid}-{index}",
                    **values,
                },
            )
            for index, (product, price, values) in enumerate(lines)
        ]
        total = sum(price for __, price, __ in lines)
        payments = [(0, 0, {"amount": total, "name": fields.Datetime.now(), "payment_method_id": self.cash.id})]
        return {
            "amount_paid": total if paid else 0,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": f"Order {uuid}",
            "last_order_preparation_change": "{}",
            "lines": order_lines,
            "partner_id": (partner or self.customer).id,
            "session_id": session.id,
            "sequence_number": 2,
            "payment_ids": payments if paid else [],
            "uuid": uuid,
            "user_id": self.env.uid,
            "to_invoice": False,
            **({} if paid else {"state": "draft"}),
        }

    def checkout_lines(self, *appointments, extra=()):
        """Order lines of `appointments` as the till fills them, plus `extra` ones."""
        lines = [
            (
                appt.service_id.product_variant_id,
                appt.price,
                {"randevu_appointment_id": appt.id, "randevu_employee_id": appt.employee_id.id},
            )
            for appt in appointments
        ]
        return lines + list(extra)
