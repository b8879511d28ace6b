from datetime import date, datetime

from odoo.tests import HttpCase, tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestCustomerProfile(RandevuCase):
    def test_counts_last_visit_and_total_spent(self):
        # 2031 is in the future: active appointments also count as upcoming.
        first = self.book(datetime(2031, 1, 6, 8))
        second = self.book(datetime(2031, 1, 6, 9))
        no_show = self.book(datetime(2031, 1, 6, 10))
        cancelled = self.book(datetime(2031, 1, 6, 11))
        self.book(datetime(2031, 1, 6, 13))  # still booked: upcoming
        for appointment in first | second:
            appointment.action_done()
        first.price, second.price = 40, 55
        no_show.action_no_show()
        cancelled.action_cancel()
        other = self.env["res.partner"].create({"name": "Someone else"})
        self.book(datetime(2031, 1, 6, 8), staff=self.bruno, partner_id=other.id).action_done()

        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.randevu_visit_count, 2)
        self.assertEqual(self.customer.randevu_noshow_count, 1)
        self.assertEqual(self.customer.randevu_cancel_count, 1)
        self.assertEqual(self.customer.randevu_upcoming_count, 1, "only what is still to happen is upcoming")
        self.assertEqual(self.customer.randevu_last_visit, datetime(2031, 1, 6, 9))
        self.assertEqual(self.customer.randevu_total_spent, 95)
        self.assertEqual(other.randevu_visit_count, 1, "another customer's visits are not mixed in")

    def test_profile_smart_button_opens_own_appointments(self):
        mine = self.book(datetime(2031, 1, 6, 8))
        action = self.customer.action_randevu_appointments()
        self.assertEqual(self.env["randevu.appointment"].search(action["domain"]), mine)


@tagged("post_install", "-at_install")
class TestClientFiguresAcrossBranches(HttpCase, RandevuCase):
    """A receptionist of Paris and Lyon who ticked only Paris in the company switcher
    sees a client's figures of both branches, never those of Nice, which she may not
    access; what was spent in Lyon's currency is converted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nice = cls._make_branch("Nice", "Europe/Paris")
        # Lyon bills in another currency than Paris: a company of its own (a branch's
        # currency is its root company's).
        currencies = cls.env["res.currency"].with_context(active_test=False)
        other = currencies.search([("id", "!=", cls.branch.currency_id.id), ("name", "in", ("EUR", "USD"))], limit=1)
        other.active = True
        cls.lyon = cls._make_branch("Lyon", "Europe/Paris", parent_id=False, currency_id=other.id)
        cls.trim = cls._make_service("Trim", 0.5, cls.env["hr.employee"])
        for branch in (cls.lyon, cls.nice):
            staff = cls._make_staff(f"Staff {branch.name}", branch, branch.resource_calendar_id)
            cls.trim.randevu_staff_line_ids = [(0, 0, {"employee_id": staff.id})]
        cls.receptionist = cls.make_user(
            "figures_rec", "base.group_user,randevu_calendar.group_randevu_user", cls.branch, cls.branch | cls.lyon
        )

    def book_at(self, branch, start, state="booked", price=0):
        if branch == self.branch:
            appointment = self.book(start)  # Anna's haircut in Paris
        else:
            staff = self.trim.randevu_staff_line_ids.employee_id.filtered(lambda emp: emp.company_id == branch)
            appointment = self.book(start, staff=staff, service=self.trim, company_id=branch.id)
        if state == "done":
            appointment.action_done()
            appointment.price = price
        elif state == "no_show":
            appointment.action_no_show()
        return appointment

    def test_figures_count_every_branch_of_the_user(self):
        self.book_at(self.branch, datetime(2031, 1, 6, 8), "done", 40)
        lyon_visit = self.book_at(self.lyon, datetime(2031, 1, 7, 8), "done", 50)
        self.book_at(self.lyon, datetime(2031, 1, 7, 10), "no_show")
        lyon_next = self.book_at(self.lyon, datetime(2031, 2, 3, 9))
        self.book_at(self.nice, datetime(2031, 1, 8, 8), "done", 70)
        self.book_at(self.nice, datetime(2031, 1, 8, 10), "no_show")
        self.book_at(self.nice, datetime(2031, 1, 20, 9))
        spent = 40 + self.lyon.currency_id._convert(50, self.branch.currency_id, self.branch, date.today())
        expected = {
            "randevu_visit_count": 2,
            "randevu_noshow_count": 1,
            "randevu_upcoming_count": 1,
            "randevu_last_visit": lyon_visit.start,
            "randevu_next_appointment": lyon_next.start,
            "randevu_total_spent": spent,
        }
        # Through the ORM, Paris alone ticked.
        customer = self.customer.with_user(self.receptionist).with_context(allowed_company_ids=self.branch.ids)
        self.assertRecordValues(customer, [expected])
        both = customer.with_context(allowed_company_ids=(self.branch | self.lyon).ids)
        self.assertFalse(both.randevu_other_branches_note, "every branch ticked: all listed")
        # Through JSON-RPC, as the web client reads the client's profile with Paris alone ticked.
        self.authenticate(self.receptionist.login, self.receptionist.login)
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "res.partner",
                "method": "web_read",
                "args": [self.customer.ids],
                "kwargs": {
                    "specification": {
                        **{name: {} for name in expected},
                        "randevu_other_branches_note": {},
                        "randevu_appointment_ids": {"fields": {"company_id": {"fields": {"display_name": {}}}}},
                    },
                    "context": {"allowed_company_ids": self.branch.ids},
                },
            },
        )[0]
        # The history lists Paris only (the switcher), and says where the others are.
        self.assertEqual(
            {row["company_id"]["display_name"] for row in result["randevu_appointment_ids"]}, {self.branch.name}
        )
        self.assertEqual(
            result["randevu_other_branches_note"],
            f"Also 3 at {self.lyon.name}: tick the branch in the company switcher to list them.",
        )
        self.assertEqual(result["randevu_visit_count"], 2)
        self.assertEqual(result["randevu_noshow_count"], 1, "Lyon's no-show, not Nice's")
        self.assertEqual(result["randevu_upcoming_count"], 1)
        self.assertAlmostEqual(result["randevu_total_spent"], spent)
        self.assertEqual(result["randevu_next_appointment"], "2031-02-03 09:00:00", "not Nice's, earlier")
