from datetime import date, datetime
from pathlib import Path

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .commission_common import RandevuCommissionCase


@tagged("post_install", "-at_install")
class TestCommissions(RandevuCommissionCase):
    """The commission engine: rules, precedence, deductions, tiers, refunds, the
    period's states and its journal entry."""

    def amounts(self, period):
        """{(staff member, sale line): (base, amount)} of the period's lines."""
        return {(line.employee_id, line.pos_order_line_id): (line.base, line.amount) for line in period.line_ids}

    def test_hand_computed_month(self):
        """January 2031 at the Paris branch, by hand (no taxes):

        Anna, "Hair" services: her own progressive rule, 10 % up to 1,000 then 20 %,
        discounts deducted; revenue taken in date order:
          03/01 cut 600 at 10 % off: base 540, cumulative 540 -> commission 54.00
          10/01 colour 700: cumulative 1,240 -> 1,000 x 10 % + 240 x 20 % = 148.00, line 94.00
          20/01 refund of a cut sold on 20/12 (150): cumulative 1,090 -> 100 + 18 = 118.00, line -30.00
          (the December sale is not in January: the clawback falls in the refund's period)
        Anna, haircut (not "Hair"): everyone's 8 % rule: 40 x 8 % = 3.20
        Anna, 2 shampoos at 12 (retail, cost 4): 5 % of (24 - 2 x 4) = 0.80
        Bruno, blow-dries: 3.00 per unit, 1 on 15/01 and 2 on 22/01: 3.00 + 6.00 = 9.00
        Not counted: the unpaid order of 25/01 (500), the cut of 01/02 00:30 Paris time.
        Totals: Anna 118.00 + 3.20 + 0.80 = 122.00; Bruno 9.00; the period 131.00."""
        sales = self.january_sales()
        period = self.make_period()
        period.action_compute()
        self.assertEqual(period.state, "computed")
        line = {name: order.lines for name, order in sales.items()}
        shampoo, blow_dry = line["mixed"].sorted(lambda ln: ln.product_id != self.shampoo.product_variant_id)
        self.assertEqual(
            self.amounts(period),
            {
                (self.anna, line["cut"]): (540.0, 54.0),
                (self.anna, line["colour"]): (700.0, 94.0),
                (self.anna, line["refund"]): (-150.0, -30.0),
                (self.anna, line["haircut"]): (40.0, 3.2),
                (self.anna, shampoo): (16.0, 0.8),
                (self.bruno, blow_dry): (20.0, 3.0),
                (self.bruno, line["blow_dries"]): (40.0, 6.0),
            },
        )
        rules = {ln.pos_order_line_id: ln.rule_id for ln in period.line_ids}
        self.assertEqual(rules[line["haircut"]], self.rule_everyone, "Anna's rule is for hair only")
        self.assertEqual(rules[line["colour"]], self.rule_anna_hair)
        self.assertEqual(rules[blow_dry], self.rule_bruno)
        self.assertEqual(rules[shampoo], self.rule_retail)
        self.assertEqual(
            {total.employee_id: (total.line_count, total.amount) for total in period.total_ids},
            {self.anna: (5, 122.0), self.bruno: (2, 9.0)},
        )
        self.assertEqual(period.amount_total, 131.0)

    def test_paid_invoice_lines(self):
        """Appointments invoiced (randevu_account's Create Invoice) count for their staff
        member on the invoice date once the invoice is paid; a credit note claws back in
        its own period. By hand, Anna's hair bands (10 % up to 1,000):
          08/01 invoice of a cut at 200, paid: 20.00
          09/01 invoice of a colour at 300, not paid: not counted
          25/01 credit note of 50 on the cut, paid back: -5.00
          (with a cut of 600 at the till on 03/01: 60.00 first, so 80.00 then 75.00)"""
        till = self.sale(datetime(2031, 1, 3, 10), [(self.cut, 1, 600, 0, self.anna)])
        cut = self.book(self.local(10, day=date(2031, 1, 8)), staff=self.anna, service=self.cut, price=200)
        colour = self.book(self.local(14, day=date(2031, 1, 9)), staff=self.anna, service=self.colour, price=300)
        paid = cut._randevu_create_invoice()
        paid.invoice_date = date(2031, 1, 8)
        paid.action_post()
        self.pay(paid)
        unpaid = colour._randevu_create_invoice()
        unpaid.invoice_date = date(2031, 1, 9)
        unpaid.action_post()
        credit = paid._reverse_moves([{"invoice_date": date(2031, 1, 25)}])
        credit.invoice_line_ids.price_unit = 50
        credit.action_post()
        self.pay(credit)
        period = self.make_period()
        period.action_compute()
        self.assertEqual(
            {(ln.pos_order_line_id or ln.move_line_id, ln.base, ln.amount) for ln in period.line_ids},
            {
                (till.lines, 600.0, 60.0),
                (paid.invoice_line_ids, 200.0, 20.0),
                (credit.invoice_line_ids, -50.0, -5.0),
            },
        )
        self.assertEqual(period.total_ids.amount, 75.0)

    def pay(self, move):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {}
        ).action_create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_retroactive_tiers(self):
        """The same hair revenue with retroactive bands: 1,090 reaches the 20 % band,
        for all of it: 218.00 (54 -> 108.00, 1,240 x 20 % = 248.00 -> 140.00, 1,090 -> 218.00 -> -30.00)."""
        self.rule_anna_hair.tier_mode = "retroactive"
        sales = self.january_sales()
        period = self.make_period()
        period.action_compute()
        amounts = self.amounts(period)
        self.assertEqual(amounts[(self.anna, sales["cut"].lines)], (540.0, 108.0))
        self.assertEqual(amounts[(self.anna, sales["colour"].lines)], (700.0, 140.0))
        self.assertEqual(amounts[(self.anna, sales["refund"].lines)], (-150.0, -30.0))

    def test_recompute_is_idempotent(self):
        self.january_sales()
        period = self.make_period()
        period.action_compute()
        first = sorted((ln.pos_order_line_id.id, ln.amount) for ln in period.line_ids)
        period.action_compute()
        self.assertEqual(sorted((ln.pos_order_line_id.id, ln.amount) for ln in period.line_ids), first)
        self.assertEqual(len(period.total_ids), 2)
        # A sale added later is taken in by the next computation.
        self.sale(datetime(2031, 1, 28, 10), [(self.blow_dry, 1, 20, 0, self.bruno)])
        period.action_compute()
        self.assertEqual(len(period.line_ids), len(first) + 1)
        self.assertEqual(period.amount_total, 134.0)

    def test_deductions(self):
        """A line of 100 at 20 % off with 20 % tax: 80 without taxes, 96 with them."""
        rule = self.rule_everyone
        order = self.sale(datetime(2031, 1, 5, 10), [(self.haircut, 1, 100, 20, self.anna, 96.0)])
        period = self.make_period()
        for deduct_discount, deduct_tax, expected in (
            (True, True, 80.0),
            (True, False, 96.0),
            (False, True, 100.0),
            (False, False, 120.0),
        ):
            with self.subTest(discount=deduct_discount, tax=deduct_tax):
                rule.write({"deduct_discount": deduct_discount, "deduct_tax": deduct_tax})
                period.action_compute()
                self.assertEqual(self.amounts(period)[(self.anna, order.lines)], (expected, round(expected * 0.08, 2)))

    def test_precedence(self):
        """Staff member over staff category over everyone; then the deeper product
        category; then the lower sequence."""
        senior = self.env["hr.employee.category"].create({"name": "Senior"})
        self.bruno.category_ids = senior
        Rule = self.env["randevu.commission.rule"]
        self.rule_bruno.active = False
        by_category = Rule.create(
            {"name": "Seniors", "company_id": self.branch.id, "employee_category_id": senior.id, "rate": 12}
        )
        short_hair = self.env["product.category"].create({"name": "Short", "parent_id": self.hair.id})
        self.cut.categ_id = short_hair
        everyone_hair = Rule.create(
            {"name": "Hair", "company_id": self.branch.id, "product_category_id": self.hair.id, "rate": 9}
        )
        everyone_short = Rule.create(
            {"name": "Short hair", "company_id": self.branch.id, "product_category_id": short_hair.id, "rate": 11}
        )
        first = Rule.create({"name": "Everyone first", "company_id": self.branch.id, "rate": 7, "sequence": 1})
        cut = self.sale(datetime(2031, 1, 5, 10), [(self.cut, 1, 100, 0, self.chloe_staff())]).lines
        colour = self.sale(datetime(2031, 1, 5, 11), [(self.colour, 1, 100, 0, self.chloe_staff())]).lines
        haircut = self.sale(datetime(2031, 1, 5, 12), [(self.haircut, 1, 100, 0, self.chloe_staff())]).lines
        bruno_cut = self.sale(datetime(2031, 1, 5, 13), [(self.cut, 1, 100, 0, self.bruno)]).lines
        anna_cut = self.sale(datetime(2031, 1, 5, 14), [(self.cut, 1, 100, 0, self.anna)]).lines
        period = self.make_period()
        period.action_compute()
        rules = {ln.pos_order_line_id: ln.rule_id for ln in period.line_ids}
        self.assertEqual(rules[cut], everyone_short, "the deepest category")
        self.assertEqual(rules[colour], everyone_hair)
        self.assertEqual(rules[haircut], first, "equally specific: the lowest sequence")
        self.assertEqual(rules[bruno_cut], by_category, "a staff category over everyone's categories")
        self.assertEqual(rules[anna_cut], self.rule_anna_hair, "the staff member's own rule")

    def chloe_staff(self):
        if not hasattr(self, "_chloe"):
            self._chloe = self._make_staff("Chloé", self.branch, self.stylist_hours)
        return self._chloe

    def test_no_rule_own_rate_or_nothing(self):
        """Without a rule, a service earns the staff member's own rate (none when 0);
        retail without a rule earns nothing."""
        (self.rule_everyone | self.rule_bruno | self.rule_retail).active = False
        self.bruno.randevu_commission_rate = 10
        bruno = self.sale(
            datetime(2031, 1, 5, 10), [(self.blow_dry, 1, 20, 0, self.bruno), (self.shampoo, 1, 12, 0, self.bruno)]
        )
        anna = self.sale(datetime(2031, 1, 5, 11), [(self.haircut, 1, 40, 0, self.anna)])
        period = self.make_period()
        period.action_compute()
        self.assertEqual(self.amounts(period), {(self.bruno, bruno.lines[0]): (20.0, 2.0)})
        self.assertFalse(period.line_ids.rule_id)
        self.assertNotIn(anna.lines, period.line_ids.pos_order_line_id)

    def test_tiered_rule_needs_bands_from_zero(self):
        with self.assertRaises(ValidationError):
            self.env["randevu.commission.rule"].create(
                {
                    "name": "Bad bands",
                    "company_id": self.branch.id,
                    "tier_mode": "progressive",
                    "tier_ids": [Command.create({"from_amount": 500, "rate": 10})],
                }
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["randevu.commission.rule"].create(
                {
                    "name": "Both",
                    "company_id": self.branch.id,
                    "employee_id": self.anna.id,
                    "employee_category_id": self.env["hr.employee.category"].create({"name": "X"}).id,
                }
            )

    def test_periods_never_overlap(self):
        self.make_period()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.make_period(period_type="week", date_from=date(2031, 1, 27))
        week = self.make_period(period_type="week", date_from=date(2031, 2, 3))
        self.assertEqual(week.date_to, date(2031, 2, 9))
        self.assertEqual(week.name, "Salon Paris 2031-W06")

    def test_periods_start_on_monday_or_the_first(self):
        """Whatever day is picked, a week starts on its Monday (ISO week, also across a
        year's end) and a month on its 1st; changing the type or the day moves both ends;
        the database refuses a period that is not a whole week or month."""
        week = self.make_period(period_type="week", date_from=date(2031, 2, 6))  # a Thursday
        self.assertEqual((week.date_from, week.date_to), (date(2031, 2, 3), date(2031, 2, 9)))
        self.assertEqual(week.name, "Salon Paris 2031-W06")
        new_year = self.make_period(period_type="week", date_from=date(2033, 1, 1))  # a Saturday
        self.assertEqual((new_year.date_from, new_year.date_to), (date(2032, 12, 27), date(2033, 1, 2)))
        self.assertEqual(new_year.name, "Salon Paris 2032-W53")
        month = self.make_period(date_from=date(2031, 3, 17))
        self.assertEqual((month.date_from, month.date_to), (date(2031, 3, 1), date(2031, 3, 31)))
        week.write({"date_from": date(2031, 2, 15)})  # a Saturday
        self.assertEqual((week.date_from, week.date_to), (date(2031, 2, 10), date(2031, 2, 16)))
        week.write({"period_type": "month"})
        self.assertEqual((week.date_from, week.date_to), (date(2031, 2, 1), date(2031, 2, 28)))
        self.assertEqual(week.name, "Salon Paris 2031-02")
        with Form(self.env["randevu.commission.period"].with_company(self.branch)) as form:
            form.period_type = "week"
            form.date_from = date(2031, 4, 9)  # a Wednesday
            self.assertEqual(form.date_from, date(2031, 4, 7), "the form shows the Monday at once")
            self.assertEqual(form.date_to, date(2031, 4, 13))
            form.journal_id = self.misc_journal
        for bad in (
            "date_from = '2031-05-06', date_to = '2031-05-12'",  # a Tuesday to a Monday
            "date_to = date_to + 1",
        ):
            with self.subTest(bad=bad), self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    self.env.cr.execute(f"UPDATE randevu_commission_period SET {bad} WHERE id = %s", [new_year.id])

    def test_new_period_takes_the_previous_accounts(self):
        self.make_period()
        Period = self.env["randevu.commission.period"].with_company(self.branch)
        february = Period.create({"date_from": date(2031, 2, 1)})
        self.assertEqual(february.company_id, self.branch)
        self.assertEqual(february.date_to, date(2031, 2, 28))
        self.assertEqual(february.journal_id, self.misc_journal)
        self.assertEqual(february.expense_account_id, self.expense_account)
        self.assertEqual(february.payable_account_id, self.payable_account)
        lyon = self._make_branch("Lyon", "Europe/Paris")
        self.assertFalse(Period.with_company(lyon).create({"date_from": date(2031, 2, 1)}).journal_id)

    def test_backend_views(self):
        """The rule, period and line views load for the manager (form, list, pivot, graph)."""
        for model, views in (
            ("randevu.commission.rule", ("list", "form", "search")),
            ("randevu.commission.period", ("list", "form")),
            ("randevu.commission.line", ("list", "pivot", "graph", "search")),
        ):
            with self.subTest(model=model):
                result = self.env[model].get_views([(False, view) for view in views])
                self.assertEqual(set(result["views"]), set(views))

    def test_approve_posts_balanced_entry_and_cancel_reverses(self):
        self.january_sales()
        period = self.make_period()
        with self.assertRaises(UserError):
            period.action_approve()  # not computed yet
        period.action_compute()
        period.action_approve()
        self.assertEqual(period.state, "approved")
        move = period.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.misc_journal)
        self.assertEqual(move.company_id, self.branch)
        self.assertEqual(move.date, date(2031, 1, 31))
        self.assertEqual(sum(move.line_ids.mapped("debit")), 131.0)
        self.assertEqual(sum(move.line_ids.mapped("credit")), 131.0)
        payable = move.line_ids.filtered(lambda ln: ln.account_id == self.payable_account)
        self.assertEqual(
            {ln.partner_id: ln.credit for ln in payable},
            {self.anna.work_contact_id: 122.0, self.bruno.work_contact_id: 9.0},
        )
        expense = move.line_ids.filtered(lambda ln: ln.account_id == self.expense_account)
        self.assertEqual(sum(expense.mapped("debit")), 131.0)
        with self.assertRaises(UserError):
            period.action_compute()
        with self.assertRaises(UserError):
            period.unlink()

        period.action_cancel_approval()
        self.assertEqual(period.state, "computed")
        self.assertFalse(period.move_id)
        reversal = self.env["account.move"].search([("reversed_entry_id", "=", move.id)])
        self.assertEqual(reversal.state, "posted")
        balance = self.env["account.move.line"].search(
            [("account_id", "=", self.payable_account.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(balance.mapped("balance")), 0.0)
        self.assertTrue(all(balance.mapped("reconciled")))
        # Approved again: a new entry.
        period.action_approve()
        self.assertNotEqual(period.move_id, move)

    def test_clawback_larger_than_earnings(self):
        """A period with Bruno's refund only: he owes 3.00, the entry goes the other way."""
        self.sale(datetime(2031, 1, 5, 10), [(self.blow_dry, -1, 20, 0, self.bruno)])
        period = self.make_period()
        period.action_compute()
        period.action_approve()
        payable = period.move_id.line_ids.filtered(lambda ln: ln.account_id == self.payable_account)
        self.assertEqual((payable.debit, payable.credit), (3.0, 0.0))

    def test_query_count_does_not_grow_with_lines(self):
        """Computing 1,000 lines takes as many queries as computing 100."""
        staff = [self.anna, self.bruno]
        products = [self.cut, self.colour, self.haircut, self.blow_dry, self.shampoo]

        def add(count, day):
            lines = [
                (products[n % len(products)], 1 if n % 10 else -1, 10 + n % 7, n % 3 * 5, staff[n % 2])
                for n in range(count)
            ]
            self.sale(datetime(2031, 1, day, 10), lines)

        add(100, 4)
        period = self.make_period()
        period.action_compute()  # warms the caches (access rights, rules, metadata) up
        counts = []
        for more in (0, 900):
            if more:
                add(more, 6)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            period.action_compute()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(period.line_ids), 100 + more)
        self.assertEqual(counts[0], counts[1], f"queries for 100 and 1,000 lines: {counts}")


@tagged("post_install", "-at_install")
class TestCommissionPeriodMigration(RandevuCommissionCase):
    """18.0.1.1.0's pre-migration moves periods made before the calendar rule to their
    calendar week or month, unless that would overlap another period of the branch."""

    def set_dates(self, period, date_from, date_to):
        self.env.cr.execute(
            "UPDATE randevu_commission_period SET date_from = %s, date_to = %s WHERE id = %s",
            [date_from, date_to, period.id],
        )

    def test_old_periods_move_to_their_calendar_week_or_month(self):
        path = Path(get_module_path("randevu_pos")) / "migrations" / "18.0.1.1.0" / "pre-migrate.py"
        migration = load_script(str(path), "randevu_pos_pre_migrate_18_0_1_1_0")
        week = self.make_period(period_type="week", date_from=date(2031, 2, 3))
        april = self.make_period(date_from=date(2031, 5, 1))  # moved to mid-April below
        june = self.make_period(date_from=date(2031, 6, 1))
        monday_week = self.make_period(period_type="week", date_from=date(2031, 3, 31))
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE randevu_commission_period DROP CONSTRAINT randevu_commission_period_calendar_period"
        )
        # As an older version saved them: a week from a Thursday, months from the 17th; the
        # April one's 1st would overlap the week of Monday 31 March.
        self.set_dates(week, date(2031, 2, 6), date(2031, 2, 12))
        self.set_dates(april, date(2031, 4, 17), date(2031, 5, 16))
        self.set_dates(june, date(2031, 6, 17), date(2031, 7, 16))
        moved = migration.align_commission_periods(self.env.cr)
        self.assertEqual(sorted(moved), sorted([week.id, june.id]))
        self.env.invalidate_all()
        self.assertEqual((week.date_from, week.date_to), (date(2031, 2, 3), date(2031, 2, 9)))
        self.assertEqual((june.date_from, june.date_to), (date(2031, 6, 1), date(2031, 6, 30)))
        self.assertEqual((april.date_from, april.date_to), (date(2031, 4, 17), date(2031, 5, 16)), "blocked: left")
        self.assertEqual((monday_week.date_from, monday_week.date_to), (date(2031, 3, 31), date(2031, 4, 6)))
        self.assertEqual(migration.align_commission_periods(self.env.cr), [], "nothing more to move")
