from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoTills(TransactionCase):
    """With demo data (make run): a till per demo branch, in its currency, with cash,
    card, customer account and deposit methods; the front desk opens it and lists today's
    appointments. Skipped on a database without demo data."""

    def test_demo_tills(self):
        kadikoy = self.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        paris = self.env.ref("randevu_calendar.randevu_branch_paris", raise_if_not_found=False)
        if not (kadikoy and paris and kadikoy.chart_template):
            self.skipTest("no demo data")
        Company = self.env["res.company"]
        tills = Company._randevu_demo_pos_tills((kadikoy | paris).ids)
        self.assertEqual(Company._randevu_demo_pos_tills((kadikoy | paris).ids), tills, "idempotent")
        self.assertEqual(tills.company_id, kadikoy | paris)
        # "Today" as when the demo was installed (its deposits are that day's): a run
        # crossing midnight at a branch between installing and testing would otherwise
        # look at the next day's appointments.
        freezer = freeze_time(min(tills.mapped("create_date")))
        freezer.start()
        self.addCleanup(freezer.stop)
        reception = self.env.ref("randevu_calendar.randevu_user_reception")
        for till in tills:
            with self.subTest(branch=till.company_id.name):
                self.assertEqual(till.currency_id, till.company_id.currency_id)
                # The salon's catalogue only: its services, the credit top-up, the gift card.
                self.assertTrue(till.limit_categories)
                self.assertEqual(till.iface_available_categ_ids.mapped("name"), ["Salon"])
                sold = self.env["product.template"].search(
                    [
                        ("available_in_pos", "=", True),
                        ("pos_categ_ids", "in", till.iface_available_categ_ids.ids),
                        ("company_id", "in", [False, till.company_id.id]),
                    ]
                )
                services = sold.filtered("is_appointment_service")
                self.assertTrue(services)
                self.assertEqual(services.company_id, till.company_id, "the branch's services, in its currency")
                loyalty = (
                    self.env.ref("loyalty.ewallet_product_50") | self.env.ref("loyalty.gift_card_product_50")
                ).product_tmpl_id
                retail = sold.filtered(lambda product, till=till: product.company_id == till.company_id) - services
                self.assertEqual(sold - services - retail, loyalty, "nothing of Odoo's POS demo")
                self.assertEqual(retail.mapped("type"), ["consu"] * len(retail), "the branch's own retail product")
                # Named in the till's languages like the demo services.
                self.assertEqual(retail.with_context(lang="en_US").mapped("name"), ["Argan Hair Oil"])
                self.assertEqual(retail.with_context(lang="tr_TR").mapped("name"), ["Argan Saç Yağı"])  # noqa: RUF001
                self.assertEqual(retail.with_context(lang="fr_FR").mapped("name"), ["Huile capillaire à l'argan"])
                methods = till.payment_method_ids
                self.assertEqual(sorted(set(methods.mapped("type"))), ["bank", "cash", "pay_later"])
                self.assertEqual(len(methods.filtered("randevu_deposit")), 1)
                self.assertEqual(len(methods.filtered(lambda m: m.type == "pay_later" and not m.randevu_deposit)), 1)
                till.with_user(reception).with_company(till.company_id).open_ui()
                session = till.current_session_id
                self.assertIn(session.state, ("opening_control", "opened"))
                rows = till.with_user(reception).with_company(till.company_id).randevu_pos_appointments()
                self.assertTrue(rows, "today's appointments to check out")
                with_deposit = [row for row in rows if row["payment_state"] == "deposit"]
                # The demo puts deposits on today's appointments still to come when it is
                # installed: late in the day there may be none left (the test then checks
                # that the till lists exactly those there are).
                day_start, day_stop = till.company_id._randevu_day_bounds(till.company_id._randevu_local_today())
                deposits = self.env["randevu.appointment"].search(
                    [
                        ("company_id", "=", till.company_id.id),
                        ("start", ">=", day_start),
                        ("start", "<", day_stop),
                        ("payment_state", "=", "deposit"),
                    ]
                )
                self.assertEqual(sorted(row["id"] for row in with_deposit), sorted(deposits.ids))
                appointments = self.env["randevu.appointment"].browse([row["id"] for row in with_deposit])
                self.assertEqual(
                    [row["deposit"] for row in with_deposit],
                    appointments.mapped("randevu_deposit_paid"),
                    "paid for real (payment_demo): the till deducts it",
                )
                self.assertTrue(all(row["deposit"] > 0 for row in with_deposit))
        self.assertEqual(set(tills.mapped("currency_id.name")), {"TRY", "EUR"})
        self.assertFalse(Company._randevu_demo_pos_deposits((kadikoy | paris).ids), "idempotent")

    def test_demo_history(self):
        """Closed sessions of the last days at each demo till, checked out from the demo's
        done appointments (services with performers, the retail product, card and cash),
        and a computed commission period: Reporting and Commissions are not empty."""
        kadikoy = self.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        paris = self.env.ref("randevu_calendar.randevu_branch_paris", raise_if_not_found=False)
        if not (kadikoy and paris and kadikoy.chart_template):
            self.skipTest("no demo data")
        Company = self.env["res.company"]
        Company._randevu_demo_pos_history((kadikoy | paris).ids)  # made at install; for a database updated since
        for branch in kadikoy | paris:
            with self.subTest(branch=branch.name):
                sessions = self.env["pos.session"].search([("company_id", "=", branch.id), ("state", "=", "closed")])
                self.assertTrue(sessions, "closed sessions on past days")
                today = branch._randevu_local_today()
                self.assertTrue(all(branch._randevu_local_day(s.start_at) < today for s in sessions))
                self.assertEqual(set(sessions.move_id.mapped("state")), {"posted"})
                orders = sessions.order_ids
                self.assertEqual(set(orders.mapped("state")), {"done"})
                lines = orders.lines
                services = lines.filtered("randevu_appointment_id")
                self.assertTrue(services and all(services.mapped("randevu_employee_id")), "services with performers")
                self.assertEqual(set(services.randevu_appointment_id.mapped("payment_state")), {"paid"})
                self.assertTrue((lines - services).filtered(lambda line: line.product_id.type == "consu"))
                self.assertEqual(set(orders.payment_ids.payment_method_id.mapped("type")), {"cash", "bank"})
                revenue = self.env["report.pos.order"].search(
                    [("company_id", "=", branch.id), ("randevu_employee_id", "!=", False)]
                )
                self.assertTrue(revenue, "Reporting → Revenue per performer")
                period = self.env["randevu.commission.period"].search([("company_id", "=", branch.id)])
                self.assertEqual(len(period), 1)
                self.assertTrue(period.line_ids and period.amount_total > 0, "a computed commission period")
        self.assertFalse(Company._randevu_demo_pos_history((kadikoy | paris).ids), "idempotent")

    def test_demo_cashiers(self):
        """The demo tills log in with employees (pos_hr): the front desk and the staff as
        basic employees with their PINs, the owner as advanced; the till loads them."""
        kadikoy = self.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        paris = self.env.ref("randevu_calendar.randevu_branch_paris", raise_if_not_found=False)
        if not (kadikoy and paris and kadikoy.chart_template):
            self.skipTest("no demo data")
        reception = self.env.ref("randevu_calendar.randevu_user_reception")
        owner = self.env.ref("base.user_admin")
        tills = self.env["res.company"]._randevu_demo_pos_cashiers((kadikoy | paris).ids)
        self.assertEqual(tills.company_id, kadikoy | paris)
        for till in tills:
            with self.subTest(branch=till.company_id.name):
                self.assertTrue(till.module_pos_hr)
                staff = self.env["hr.employee"].search(
                    [("company_id", "=", till.company_id.id), ("randevu_bookable", "=", True)]
                )
                self.assertLessEqual(staff, till.basic_employee_ids, "the branch's staff")
                self.assertEqual((till.basic_employee_ids - staff).user_id, reception, "and the front desk")
                # pos_hr adds every POS manager's employee to the advanced ones.
                owner_here = till.advanced_employee_ids.filtered(lambda e, till=till: e.company_id == till.company_id)
                self.assertEqual(owner_here.user_id, owner)
                self.assertEqual(owner_here.pin, "9999")
                self.assertTrue(all(till.basic_employee_ids.mapped("pin")), "every cashier has a demo PIN")
                till.with_user(reception).with_company(till.company_id).open_ui()
                session = till.current_session_id.with_user(reception).with_company(till.company_id)
                data = session.load_data(["pos.config", "hr.employee"])
                cashiers = {row["id"] for row in data["hr.employee"]["data"] if row.get("_role") != "randevu_performer"}
                self.assertEqual(cashiers, set((till.basic_employee_ids | owner_here).ids))

    def test_demo_course(self):
        """Selin's course of six facials at the Kadikoy branch, bought 40 days ago, one session done
        and recognised: five left, the liability holding five sixths."""
        product = self.env.ref("randevu_pos.randevu_course_product_facial_kadikoy", raise_if_not_found=False)
        selin = self.env.ref("randevu_calendar.randevu_customer_selin", raise_if_not_found=False)
        if not (product and selin and product.company_id.chart_template):
            self.skipTest("no demo data")
        course = self.env["randevu.course"].search([("partner_id", "=", selin.id), ("product_id", "=", product.id)])
        self.assertEqual(len(course), 1)
        self.assertEqual((course.sessions_total, course.sessions_left, course.state), (6, 5, "active"))
        self.assertEqual(course.appointment_ids.mapped("state"), ["done"])
        self.assertAlmostEqual(course.amount_left, 11000 - 1833.33, 2)
        self.assertFalse(self.env["randevu.course"]._randevu_demo_course(product.id, selin.id), "idempotent")

    def test_demo_consolidation(self):
        """The demo branches' rates (of each other's currency) convert the revenue of both
        into the active one's currency: Paris's euros at 1 / 0.0195 in Istanbul, Istanbul's
        lira at 1 / 51.3 in Paris."""
        kadikoy = self.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        paris = self.env.ref("randevu_calendar.randevu_branch_paris", raise_if_not_found=False)
        if not (kadikoy and paris and kadikoy.chart_template):
            self.skipTest("no demo data")
        for active, other, rate in ((kadikoy, paris, 1 / 0.0195), (paris, kadikoy, 1 / 51.3)):
            with self.subTest(active=active.name):
                Report = self.env["randevu.revenue.consolidated"].with_context(allowed_company_ids=(active | other).ids)
                rates = Report._consolidation_rates()
                self.assertEqual(rates[active.id], 1)
                self.assertAlmostEqual(rates[other.id], rate, places=6)
                groups = {
                    branch: (currency, branch_total, total)
                    for branch, currency, branch_total, total in Report._read_group(
                        [], ["company_id", "currency_id"], ["branch_amount_total:sum", "amount_total:sum"]
                    )
                }
                self.assertEqual(set(groups), set(active | other), "both branches' history")
                self.assertEqual({currency for currency, __, __ in groups.values()}, {active.currency_id})
                self.assertAlmostEqual(groups[active][2], groups[active][1], places=6)
                self.assertAlmostEqual(groups[other][2], groups[other][1] * rate, places=4)
