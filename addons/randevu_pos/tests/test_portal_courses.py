from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .course_common import RandevuCourseCase

# Runs in /my once Odoo's counters have answered (the spinner is removed then): logs whether
# the Courses card is shown, with its icon.
CARD_JS = """
(async () => {
    for (let i = 0; i < 100 && document.querySelector(".o_portal_doc_spinner"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (document.querySelector(".o_portal_doc_spinner")) {
        throw new Error("the portal's counters never answered");
    }
    const link = document.querySelector(".o_portal_index_card a[href='/my/courses']");
    const card = link && link.closest(".o_portal_index_card");
    const shown = Boolean(card && card.offsetParent !== null && !card.classList.contains("d-none"));
    if (shown !== %(expected)s) {
        throw new Error(`the Courses card is ${shown ? "shown" : "hidden"}, expected the opposite`);
    }
    if (shown && !card.querySelector("img[src='/randevu_pos/static/src/img/course.svg']")) {
        throw new Error("the Courses card has not the course icon");
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestPortalCourseCard(HttpCase, JsonRpcMixin, RandevuCourseCase):
    """On /my the Courses card (a punch card icon) shows to a customer who has or had a
    course (Paula, whose course expired), never to one who has none (Noémie)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paula = cls.make_portal_customer("course_card_paula", "+33645019998")
        cls.noemie = cls.make_portal_customer("course_card_noemie", "+33645019997", name="Noémie Petit")
        cls.course = cls.env["randevu.course"].create(
            {
                "partner_id": cls.paula.partner_id.id,
                "company_id": cls.branch.id,
                "product_id": cls.course_product.id,
                "service_id": cls.laser.id,
                "sale_date": "2024-01-01",
                "expiry_date": "2024-06-30",
                "sessions_total": 6,
                "amount_total": 240,
                "expired": True,
            }
        )
        assert cls.course.state == "expired"

    def counters(self, user):
        self.authenticate(user.login, user.login)
        answer = self.json_call("/my/counters", {"counters": ["randevu_course_count"]})
        return answer["result"]["randevu_course_count"]

    def test_counter_counts_past_courses(self):
        self.assertEqual(self.counters(self.paula), 1, "an expired course still counts: she had one")
        self.assertEqual(self.counters(self.noemie), 0)
        page = self.url_open("/my")
        self.assertEqual(page.status_code, 200)
        self.assertIn("/randevu_pos/static/src/img/course.svg", page.text)

    def test_card_shown_with_a_course(self):
        self.browser_js("/my", CARD_JS % {"expected": "true"}, login=self.paula.login)

    def test_card_hidden_without_a_course(self):
        self.browser_js("/my", CARD_JS % {"expected": "false"}, login=self.noemie.login)
