from random import randint

from odoo import fields

from .common import RandevuPosCase

POS = "base.group_user,point_of_sale.group_pos_user"
POS_MANAGER = "base.group_user,point_of_sale.group_pos_manager"


class RandevuPosRefundCase(RandevuPosCase):
    """RandevuPosCase with the branch's POS manager Mara (her employee's PIN is 4321), a
    front desk employee whose PIN (1111) is no manager's, and another branch's POS
    manager (PIN 9999)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.boss = cls.make_user("pos_boss", f"{POS_MANAGER},randevu_calendar.group_randevu_user", cls.branch)
        cls.other_branch = cls._make_branch("Lyon", "Europe/Paris")
        cls.other_boss = cls.make_user("pos_other_boss", POS_MANAGER, cls.other_branch)
        env["hr.employee"].create(
            [
                {"name": "Mara", "company_id": cls.branch.id, "user_id": cls.boss.id, "pin": "4321"},
                {"name": "Desk Employee", "company_id": cls.branch.id, "user_id": cls.desk.id, "pin": "1111"},
                {"name": "Otto", "company_id": cls.other_branch.id, "user_id": cls.other_boss.id, "pin": "9999"},
            ]
        )

    def refund_data(self, session, order, lines=None, reason="unsatisfied", pin=None, **extra):
        """The refund of `lines` (default: all) of the paid `order` as the till sends it,
        paid back in cash, with the `reason` and the manager's `pin` typed at the till."""
        uuid = f"randevu-refund-{randint(1, 10**9)}"
        lines = lines or order.lines
        order_lines = [
            (
                0,
                0,
                {
                    "product_id": line.product_id.id,
                    "qty": -line.qty,
                    "price_unit": line.price_unit,
                    "price_subtotal": -line.price_subtotal,
                    "price_subtotal_incl": -line.price_subtotal_incl,
                    "tax_ids": [(6, 0, [])],
                    "pack_lot_ids": [],
                    "refunded_orderline_id": line.id,
                    "uuid": f"{uuid}-{index}",
                },
            )
            for index, line in enumerate(lines)
        ]
        total = -sum(lines.mapped("price_subtotal_incl"))
        data = {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.config.pricelist_id.id,
            "name": f"Order {uuid}",
            "last_order_preparation_change": "{}",
            "lines": order_lines,
            "partner_id": order.partner_id.id,
            "session_id": session.id,
            "sequence_number": 3,
            "payment_ids": [
                (0, 0, {"amount": total, "name": fields.Datetime.now(), "payment_method_id": self.cash.id})
            ],
            "uuid": uuid,
            "user_id": self.env.uid,
            "to_invoice": False,
            "randevu_refund_reason": reason,
            **extra,
        }
        if pin is not None:
            data["randevu_refund_pin"] = pin
        return data

    def sync(self, data, user=None):
        return self.env["pos.order"].with_user(user or self.desk).sync_from_ui([data])

    def order_of(self, data):
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def checkout(self, session, *appointments, extra=()):
        data = self.order_data(session, self.checkout_lines(*appointments, extra=extra))
        self.sync(data)
        return self.order_of(data)
