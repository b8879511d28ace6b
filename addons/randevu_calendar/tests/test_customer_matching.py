# ruff: noqa: RUF001 (Turkish names: the dotless i is what is tested)
from datetime import datetime

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.randevu_calendar.models.res_partner import CustomerQuestion, name_words, same_person

from .common import JsonRpcMixin, RandevuCase


class CustomerMatchingCase(RandevuCase):
    """Zeynep Arslan is a customer (phone and email); a receptionist and a stylist of
    the Paris branch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Planner = cls.env["randevu.day.planner"]
        cls.zeynep = cls.Partner.create(
            {"name": "Zeynep Arslan", "phone": "+33758112233", "email": "zeynep.arslan@matching.example"}
        )
        cls.receptionist = cls.make_user(
            "matching_reception", "randevu_calendar.group_randevu_user", cls.branch, name="Rita Reception"
        )
        cls.stylist = cls.make_user("matching_stylist", "randevu_calendar.group_randevu_staff", cls.branch)

    def planner_book(self, name, phone, user=None, start="2031-01-06 09:00:00", **choice):
        planner = self.Planner.with_user(user) if user else self.Planner
        return planner.create_from_planner(self.branch.id, self.anna.id, self.haircut.id, start, name, phone, **choice)


@tagged("post_install", "-at_install")
class TestCustomerMatching(CustomerMatchingCase):
    """res.partner._randevu_find_or_create: exact normalised matching, names, reception."""

    def test_same_person_names(self):
        # Turkish: dotted and dotless i, in either case, are one letter; so are ş/s, ğ/g...
        self.assertEqual(name_words("IŞIK İlkay"), name_words("ışık ilkay"))
        self.assertEqual(name_words("Işık"), name_words("Isik"))
        self.assertEqual(name_words("ÇAĞLA ÖZTÜRK"), ["cagla", "ozturk"])
        for typed in ("Zeynep Arslan", "zeynep", "ARSLAN  Zeynep", "Z. Arslan", "Zeynep-Arslan", "zeynep arslan "):
            with self.subTest(typed=typed):
                self.assertTrue(same_person(typed, "Zeynep Arslan"))
        for typed in ("Aylin Kurt", "Mehmet Arslan", "Zeynep Kurt", "A. Arslan"):
            with self.subTest(typed=typed):
                self.assertFalse(same_person(typed, "Zeynep Arslan"))
        self.assertTrue(same_person("", "Zeynep Arslan"), "nothing typed contradicts nobody")
        self.assertTrue(same_person("Şule Işıklı", "SULE ISIKLI"))
        self.assertTrue(same_person("İrem Yıldız", "irem yildiz"))

    def test_email_matched_exactly(self):
        """A guest typing a LIKE pattern is never attached to the customer it matches."""
        for index, email in enumerate(
            ("%arslan@matching.example", "_eynep.arslan@matching.example", "%@matching.example")
        ):
            with self.subTest(email=email):
                partner = self.Partner._randevu_find_or_create("Zeynep Arslan", f"+3375811200{index}", email)
                self.assertNotEqual(partner, self.zeynep)
                self.assertEqual(partner.email, email)
        self.assertEqual(
            self.Partner._randevu_find_or_create("Zeynep Arslan", "+33758119999", " Zeynep.Arslan@MATCHING.example"),
            self.zeynep,
            "the same address, however written",
        )
        with self.assertRaisesRegex(ValidationError, "not a valid email"):
            self.Partner._randevu_find_or_create("Zeynep Arslan", email="zeynep")

    def test_phone_of_another_name_online_is_a_new_customer(self):
        found = self.Partner._randevu_find_or_create("zeynep ARSLAN", "07 58 11 22 33", country=self.env.ref("base.fr"))
        self.assertEqual(found, self.zeynep, "the same person, found by phone")
        aylin = self.Partner._randevu_find_or_create("Aylin Kurt", "+33 7 58 11 22 33")
        self.assertNotEqual(aylin, self.zeynep)
        self.assertRecordValues(aylin, [{"name": "Aylin Kurt", "phone": "+33758112233"}])
        self.assertEqual(self.zeynep.name, "Zeynep Arslan", "the customer found is never changed")
        self.assertEqual(self.Partner._randevu_find_or_create("Aylin Kurt", "+33758112233"), aylin)
        self.assertEqual(self.Partner._randevu_find_or_create("Zeynep", "+33758112233"), self.zeynep)
        # Reception sees the possible duplicate on both, and on the appointment.
        self.assertEqual(self.zeynep.randevu_shared_contact_warning, "Same phone or email as: Aylin Kurt.")
        self.assertEqual(aylin.randevu_shared_contact_warning, "Same phone or email as: Zeynep Arslan.")
        appointment = self.book(self.monday.replace(hour=9), partner_id=aylin.id)
        self.assertEqual(appointment.partner_shared_contact_warning, "Same phone or email as: Zeynep Arslan.")
        self.assertFalse(self.customer.randevu_shared_contact_warning)

    def test_customer_recorded_without_a_name_matches_any_name(self):
        walk_in = self.Partner._randevu_find_or_create("", "+33758990011")
        self.assertEqual(walk_in.name, "+33758990011")
        self.assertEqual(self.Partner._randevu_find_or_create("Aylin Kurt", "+33758990011", ask=True), walk_in)

    def test_ask_raises_the_question_and_writes_nothing(self):
        partners = self.Partner.search_count([])
        with self.assertRaises(CustomerQuestion) as question:
            self.Partner._randevu_find_or_create("Aylin Kurt", "+33758112233", ask=True)
        self.assertEqual((question.exception.partners, question.exception.name), (self.zeynep, "Aylin Kurt"))
        self.assertEqual(self.Partner.search_count([]), partners)

    def test_planner_asks_when_the_phone_is_someone_elses(self):
        appointments = self.env["randevu.appointment"].search_count([])
        answer = self.planner_book("Aylin Kurt", "+33 7 58 11 22 33", user=self.receptionist)
        self.assertEqual(
            answer,
            {
                "question": {
                    "message": "This phone belongs to Zeynep Arslan. Book for Zeynep Arslan, "
                    "or add Aylin Kurt with the same phone?",
                    "customers": [{"id": self.zeynep.id, "name": "Zeynep Arslan"}],
                    "new_name": "Aylin Kurt",
                }
            },
        )
        self.assertEqual(self.env["randevu.appointment"].search_count([]), appointments, "nothing booked yet")

        # "Book for Zeynep Arslan"
        booked = self.planner_book(
            "Aylin Kurt", "+33 7 58 11 22 33", user=self.receptionist, customer_id=self.zeynep.id
        )
        self.assertEqual(self.env["randevu.appointment"].browse(booked["appointment_id"]).partner_id, self.zeynep)

        # "Add Aylin Kurt": a new customer with the same phone; next time she is found.
        added = self.planner_book(
            "Aylin Kurt", "+33 7 58 11 22 33", user=self.receptionist, start="2031-01-06 10:00:00", new_customer=True
        )
        aylin = self.env["randevu.appointment"].browse(added["appointment_id"]).partner_id
        self.assertRecordValues(aylin, [{"name": "Aylin Kurt", "phone": "+33758112233"}])
        again = self.planner_book("aylin kurt", "+33758112233", user=self.receptionist, start="2031-01-06 13:00:00")
        self.assertEqual(self.env["randevu.appointment"].browse(again["appointment_id"]).partner_id, aylin)

        # Both share the phone now, and a third name asks about both.
        answer = self.planner_book("Ali Kurt", "+33758112233", user=self.receptionist)
        self.assertEqual(
            answer["question"]["message"],
            "This phone belongs to Zeynep Arslan, Aylin Kurt. Book for one of them, "
            "or add Ali Kurt with the same phone?",
        )
        self.assertEqual([c["id"] for c in answer["question"]["customers"]], [self.zeynep.id, aylin.id])

    def test_question_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], ["tr_TR"], overwrite=True)
        planner = self.Planner.with_user(self.receptionist).with_context(lang="tr_TR")
        answer = planner.create_from_planner(
            self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 09:00:00", "Aylin Kurt", "+33758112233"
        )
        self.assertEqual(
            answer["question"]["message"],
            "Bu telefon Zeynep Arslan adlı müşteriye ait. Randevu Zeynep Arslan için mi alınsın, "
            "yoksa Aylin Kurt aynı telefonla mı eklensin?",
        )

    def test_receptionist_creates_customers(self):
        """A receptionist (Randevu User, no Contact Creation) adds a new phone caller."""
        self.assertFalse(self.receptionist.has_group("base.group_partner_manager"))
        answer = self.planner_book("Deniz Yılmaz", "+33 7 58 44 55 66", user=self.receptionist)
        appointment = self.env["randevu.appointment"].browse(answer["appointment_id"])
        self.assertRecordValues(appointment.partner_id, [{"name": "Deniz Yılmaz", "phone": "+33758445566"}])
        # The customer form and the many2one's quick create, through the ORM.
        Partner = self.Partner.with_user(self.receptionist)
        customer = Partner.create(
            {
                "name": "Elif Demir",
                "phone": "+33758445567",
                "email": "elif@example.com",
                "randevu_customer_note": "Allergic to ammonia",
            }
        )
        self.assertEqual(customer.randevu_customer_note, "Allergic to ammonia")
        self.assertTrue(Partner.name_create("Can Öz")[0])
        # The appointment form's customer field offers Create.
        arch = self.env["randevu.appointment"].with_user(self.receptionist).get_views([(False, "form")])
        node = etree.fromstring(arch["views"]["form"]["arch"]).xpath("//field[@name='partner_id']")[0]
        self.assertEqual(node.get("can_create"), "True")
        # She keeps the contacts she created and the salon's clients up to date; other
        # contacts stay as they are, and deleting is Contact Creation's.
        customer.with_user(self.receptionist).write({"phone": "+33758445568"})
        self.assertEqual(customer.phone, "+33758445568")
        with self.assertRaises(AccessError):
            self.zeynep.with_user(self.receptionist).write({"name": "Someone"})
        self.book(datetime(2031, 1, 6, 11), staff=self.bruno, partner_id=self.zeynep.id)
        self.zeynep.with_user(self.receptionist).write({"email": "zeynep@matching.example"})
        self.assertEqual(self.zeynep.email, "zeynep@matching.example", "a client of the salon")
        with self.assertRaises(AccessError):
            customer.with_user(self.receptionist).unlink()

    def test_staff_refusal_in_plain_words(self):
        """A stylist may book from the planner but not add customers: said plainly."""
        with self.assertRaises(AccessError) as refusal:
            self.planner_book("Deniz Yılmaz", "+33 7 58 44 55 66", user=self.stylist)
        self.assertEqual(
            str(refusal.exception),
            "You may not add new customers: ask a manager to add this customer, then book again.",
        )
        self.assertNotIn("res.partner", str(refusal.exception))


@tagged("post_install", "-at_install")
class TestCustomerMatchingRpc(HttpCase, JsonRpcMixin, CustomerMatchingCase):
    """The receptionist's calls as the web client makes them (/web/dataset/call_kw)."""

    def test_receptionist_over_json_rpc(self):
        self.authenticate(self.receptionist.login, self.receptionist.login)
        args = [self.branch.id, self.anna.id, self.haircut.id, "2031-01-06 09:00:00", "Aylin Kurt", "+33758112233"]
        answer = self.call_kw_result("randevu.day.planner", "create_from_planner", *args, companies=self.branch)
        self.assertEqual(answer["question"]["customers"], [{"id": self.zeynep.id, "name": "Zeynep Arslan"}])
        answer = self.call_kw_result(
            "randevu.day.planner", "create_from_planner", *args, new_customer=True, companies=self.branch
        )
        appointment = self.env["randevu.appointment"].browse(answer["appointment_id"])
        self.assertRecordValues(appointment.partner_id, [{"name": "Aylin Kurt", "phone": "+33758112233"}])
        # The customer field's "Create" (name_create) works for her too.
        partner_id, _name = self.call_kw_result("res.partner", "name_create", "Can Öz", companies=self.branch)
        self.assertEqual(self.Partner.browse(partner_id).create_uid, self.receptionist)
        # And its "Create and edit..." form, saved with what a receptionist fills in.
        values = {"name": "Elif Demir", "phone": "+33758445567", "email": "elif@matching.example"}
        values["randevu_customer_note"] = "Allergic to ammonia"
        [saved] = self.call_kw_result(
            "res.partner", "web_save", [], values, specification={"display_name": {}}, companies=self.branch
        )
        self.assertRecordValues(self.Partner.browse(saved["id"]), [{**values, "create_uid": self.receptionist.id}])


@tagged("post_install", "-at_install")
class TestCustomerQuickCreateTour(HttpCase, CustomerMatchingCase):
    """In the browser, as the receptionist: a new phone caller is booked from the Day
    planner, then a caller with Zeynep's phone and another name is asked about."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_service("Tour Trim", 0.5, cls.anna | cls.bruno)

    def test_quick_create_tour(self):
        self.start_tour(
            f"/odoo/randevu-day-planner?branch_id={self.branch.id}&day=2031-01-06&cids={self.branch.id}",
            "randevu_customer_quick_create_tour",
            login=self.receptionist.login,
        )
        deniz = self.Partner.search([("name", "=", "Deniz Yılmaz")])
        self.assertEqual(deniz.phone, "+33758445566")
        self.assertEqual(deniz.randevu_appointment_ids.employee_id, self.anna)
        aylin = self.Partner.search([("name", "=", "Aylin Kurt")])
        self.assertEqual(aylin.phone, "+33758112233", "added with Zeynep's phone")
        self.assertEqual(aylin.randevu_appointment_ids.employee_id, self.bruno)
        self.assertFalse(self.zeynep.randevu_appointment_ids, "Zeynep was not booked")
