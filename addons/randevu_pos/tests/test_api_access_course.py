from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .course_common import RandevuCourseCase

POS = "base.group_user,point_of_sale.group_pos_user"


@tagged("post_install", "-at_install")
class TestApiAccessCourse(HttpCase, JsonRpcMixin, RandevuCourseCase):
    """Courses through JSON-RPC and the portal, per role: Randevu staff, users and
    accountants read their branches' courses, managers also change the expiry date;
    nobody creates one by hand (the till does); a cashier without a Randevu role reads
    none; a portal customer reads, and sees on /my/courses, only their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        parent = cls.branch.parent_id
        cls.users = {
            "staff": cls.make_user("course_staff", f"{POS},randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.desk,
            "manager": cls.make_user("course_boss", f"{POS},randevu_calendar.group_randevu_manager", cls.branch),
            "accountant": cls.make_user(
                "course_acc", "base.group_user,randevu_pos.group_randevu_accountant", cls.branch
            ),
            "cashier": cls.make_user("course_cash", POS, cls.branch),
            "elsewhere": cls.make_user("course_other", "base.group_user,randevu_calendar.group_randevu_user", parent),
            "portal": cls.make_portal_customer("course_paula", "+33645019999"),
        }
        Course = cls.env["randevu.course"]
        values = {
            "company_id": cls.branch.id,
            "product_id": cls.course_product.id,
            "service_id": cls.laser.id,
            "sale_date": "2030-01-01",
            "expiry_date": "2031-06-30",
            "sessions_total": 6,
            "amount_total": 240,
        }
        cls.course = Course.create({**values, "partner_id": cls.customer.id})
        cls.paula_course = Course.create(
            {**values, "partner_id": cls.users["portal"].partner_id.id, "expiry_date": "2031-07-15"}
        )

    def call(self, role, model, method, *args, **kwargs):
        login = self.users[role].login
        self.authenticate(login, login)
        return self.call_kw(model, method, *args, **kwargs)

    def test_team_reads_its_branch(self):
        for role in ("staff", "user", "manager", "accountant"):
            with self.subTest(role=role):
                answer = self.call(role, "randevu.course", "search_read", [], ["sessions_left", "expiry_date"])
                ids = {row["id"] for row in answer["result"]}
                self.assertTrue({self.course.id, self.paula_course.id} <= ids, answer)
        answer = self.call("elsewhere", "randevu.course", "search_read", [("id", "=", self.course.id)], ["id"])
        self.assertEqual(answer["result"], [], "another branch's courses are not shown")
        answer = self.call("cashier", "randevu.course", "search_read", [], ["id"])
        self.assert_access_error(answer, "a cashier reads courses")

    def test_only_managers_write(self):
        answer = self.call("manager", "randevu.course", "write", self.course.ids, {"expiry_date": "2031-12-31"})
        self.assertTrue(answer.get("result"), answer)
        self.assertEqual(str(self.course.expiry_date), "2031-12-31")
        for role in ("staff", "user", "accountant", "portal"):
            with self.subTest(role=role):
                answer = self.call(role, "randevu.course", "write", self.course.ids, {"expiry_date": "2032-01-31"})
                self.assert_access_error(answer, f"{role} changes a course")
        for role in ("manager", "user"):
            with self.subTest(role=role):
                answer = self.call(
                    role,
                    "randevu.course",
                    "create",
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.branch.id,
                        "product_id": self.course_product.id,
                        "service_id": self.laser.id,
                        "sale_date": "2030-01-01",
                        "expiry_date": "2031-01-01",
                        "sessions_total": 60,
                        "amount_total": 0,
                    },
                )
                self.assert_access_error(answer, f"{role} creates a course by hand")
        self.assertEqual(str(self.course.expiry_date), "2031-12-31")

    def test_portal_sees_own_courses_only(self):
        answer = self.call("portal", "randevu.course", "search_read", [], ["sessions_left"])
        self.assertEqual([row["id"] for row in answer["result"]], self.paula_course.ids)
        answer = self.call("portal", "randevu.course", "read", self.course.ids, ["sessions_left"])
        self.assert_access_error(answer, "a portal customer reads another's course")
        self.authenticate("course_paula", "course_paula")
        response = self.url_open("/my/courses")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Laser", response.text)
        self.assertIn("o_randevu_portal_course", response.text)
        self.assertEqual(response.text.count("o_randevu_portal_course"), 1, "her own course only")
        self.assertIn("07/15/2031", response.text)
        self.assertNotIn("06/30/2031", response.text, "Chloé's course is not shown")

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open("/my/courses", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
