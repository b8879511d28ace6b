from datetime import date, datetime

from odoo.fields import Command

from .common import RandevuPosCase


class RandevuCommissionCase(RandevuPosCase):
    """RandevuPosCase's branch with commission rules, accounts and a journal for
    January 2031 (see TestCommissions for the hand computation):

    - everyone, services: 8 %;
    - Anna, services of the "Hair" category: progressive bands, 10 % up to 1,000 then 20 %;
    - Bruno, services: 3.00 per unit;
    - everyone, retail: 5 % of the price less the product's cost.

    The cut and the colour are "Hair" services; the haircut is of no category of ours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.hair = env["product.category"].create({"name": "Hair"})
        (cls.cut | cls.colour).categ_id = cls.hair
        cls.shampoo.with_company(cls.branch).standard_price = 4  # the cost is per company
        Rule = env["randevu.commission.rule"]
        cls.rule_everyone = Rule.create({"name": "Everyone, services", "company_id": cls.branch.id, "rate": 8})
        cls.rule_anna_hair = Rule.create(
            {
                "name": "Anna, hair",
                "company_id": cls.branch.id,
                "employee_id": cls.anna.id,
                "product_category_id": cls.hair.id,
                "tier_mode": "progressive",
                "tier_ids": [
                    Command.create({"from_amount": 0, "rate": 10}),
                    Command.create({"from_amount": 1000, "rate": 20}),
                ],
            }
        )
        cls.rule_bruno = Rule.create(
            {
                "name": "Bruno, fixed",
                "company_id": cls.branch.id,
                "employee_id": cls.bruno.id,
                "amount_type": "fixed",
                "fixed_amount": 3,
            }
        )
        cls.rule_retail = Rule.create(
            {"name": "Retail", "company_id": cls.branch.id, "applies_to": "retail", "rate": 5, "deduct_cost": True}
        )
        parent = cls.branch.parent_id
        Account = env["account.account"]
        cls.expense_account = Account.create(
            {"name": "Staff commissions", "code": "641900", "account_type": "expense", "company_ids": parent.ids}
        )
        cls.payable_account = Account.create(
            {
                "name": "Commissions owed to staff",
                "code": "421900",
                "account_type": "liability_payable",
                "reconcile": True,
                "company_ids": parent.ids,
            }
        )
        cls.misc_journal = env["account.journal"].create(
            {"name": "Commissions", "code": "COMM", "type": "general", "company_id": parent.id}
        )
        cls.config.with_user(cls.desk).open_ui()
        cls.pos_session = cls.config.current_session_id

    @classmethod
    def sale(cls, when, lines, state="paid"):
        """An order of the branch at `when` (Paris time, a datetime) holding `lines`:
        (product, qty, unit price, discount %, performer[, amount with taxes])."""
        utc = cls.local(when.hour, when.minute, day=when.date())
        commands, total = [], 0.0
        for product, qty, price, discount, employee, *incl in lines:
            subtotal = round(qty * price * (1 - discount / 100), 2)
            with_taxes = incl[0] if incl else subtotal
            total += with_taxes
            commands.append(
                Command.create(
                    {
                        "product_id": product.product_variant_id.id,
                        "qty": qty,
                        "price_unit": price,
                        "discount": discount,
                        "price_subtotal": subtotal,
                        "price_subtotal_incl": with_taxes,
                        "randevu_employee_id": employee.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        return cls.env["pos.order"].create(
            {
                "session_id": cls.pos_session.id,
                "date_order": utc,
                "lines": commands,
                "amount_tax": 0,
                "amount_total": total,
                "amount_paid": total if state != "draft" else 0,
                "amount_return": 0,
                "state": state,
            }
        )

    @classmethod
    def make_period(cls, **values):
        return cls.env["randevu.commission.period"].create(
            {
                "company_id": cls.branch.id,
                "period_type": "month",
                "date_from": date(2031, 1, 1),
                "journal_id": cls.misc_journal.id,
                "expense_account_id": cls.expense_account.id,
                "payable_account_id": cls.payable_account.id,
                **values,
            }
        )

    @classmethod
    def january_sales(cls):
        """The sales of the hand computation (TestCommissions.test_hand_computed_month)."""
        return {
            "december_cut": cls.sale(datetime(2030, 12, 20, 11), [(cls.cut, 1, 150, 0, cls.anna)]),
            "cut": cls.sale(datetime(2031, 1, 3, 10), [(cls.cut, 1, 600, 10, cls.anna)]),
            "colour": cls.sale(datetime(2031, 1, 10, 10), [(cls.colour, 1, 700, 0, cls.anna)]),
            "haircut": cls.sale(datetime(2031, 1, 12, 10), [(cls.haircut, 1, 40, 0, cls.anna)]),
            "mixed": cls.sale(
                datetime(2031, 1, 15, 10), [(cls.shampoo, 2, 12, 0, cls.anna), (cls.blow_dry, 1, 20, 0, cls.bruno)]
            ),
            "refund": cls.sale(datetime(2031, 1, 20, 10), [(cls.cut, -1, 150, 0, cls.anna)]),
            "blow_dries": cls.sale(datetime(2031, 1, 22, 10), [(cls.blow_dry, 2, 20, 0, cls.bruno)]),
            "unpaid": cls.sale(datetime(2031, 1, 25, 10), [(cls.cut, 1, 500, 0, cls.anna)], state="draft"),
            "february": cls.sale(datetime(2031, 2, 1, 0, 30), [(cls.cut, 1, 100, 0, cls.anna)]),
        }
