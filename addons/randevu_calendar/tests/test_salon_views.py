import ast
from datetime import date, datetime

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import JsonRpcMixin, RandevuCase

USER = "base.group_user,randevu_calendar.group_randevu_user"
STAFF = "base.group_user,randevu_calendar.group_randevu_staff"
MANAGER = "base.group_user,randevu_calendar.group_randevu_manager"


@tagged("post_install", "-at_install")
class TestClients(RandevuCase):
    """The Clients menu lists people who booked or are marked as clients, never
    companies, vendors or the team; a client's card and profile read their statistics."""

    def clients(self):
        return self.env["res.partner"].search([("randevu_is_client", "=", True)])

    def test_client_statistics(self):
        # 2031 is in the future for the clock: the still-booked ones are upcoming.
        done = self.book(datetime(2031, 1, 6, 8))
        done.action_done()
        done.price = 40
        self.book(datetime(2031, 1, 6, 10)).action_no_show()
        next_one = self.book(datetime(2031, 1, 7, 9))
        self.book(datetime(2031, 1, 8, 9))
        self.customer.invalidate_recordset()
        self.assertRecordValues(
            self.customer,
            [
                {
                    "randevu_next_appointment": next_one.start,
                    "randevu_upcoming_count": 2,
                    "randevu_last_visit": done.start,
                    "randevu_visit_count": 1,
                    "randevu_noshow_count": 1,
                    "randevu_total_spent": 40,
                    "randevu_is_client": True,
                }
            ],
        )
        newcomer = self.env["res.partner"].create({"name": "Nur Yildiz", "randevu_client": True})
        self.assertRecordValues(newcomer, [{"randevu_next_appointment": False, "randevu_visit_count": 0}])

    def test_clients_domain(self):
        booked = self.customer
        self.book(datetime(2031, 1, 6, 8))
        marked = self.env["res.partner"].create({"name": "Marked Client", "randevu_client": True})
        stranger = self.env["res.partner"].create({"name": "Just a Contact"})
        company = self.env["res.partner"].create({"name": "Shampoo Supplies Ltd", "is_company": True})
        staff_contact = self.anna.work_contact_id
        self.assertTrue(staff_contact, "an employee has a work contact")
        staff_contact.randevu_client = True
        internal = self.make_user("views_internal", USER, self.branch)
        internal.partner_id.randevu_client = True
        portal = self.make_user("views_portal", "base.group_portal", self.branch)
        portal.partner_id.randevu_client = True
        clients = self.clients()
        self.assertIn(booked, clients, "booked: a client")
        self.assertIn(marked, clients, "marked: a client")
        self.assertIn(portal.partner_id, clients, "a customer with a portal login is a client")
        for partner in (stranger, company, staff_contact, internal.partner_id):
            self.assertNotIn(partner, clients, partner.name)
        self.assertTrue(booked.randevu_is_client)
        self.assertFalse(staff_contact.randevu_is_client)
        others = self.env["res.partner"].search(
            [("randevu_is_client", "=", False), ("id", "in", (marked | stranger).ids)]
        )
        self.assertEqual(others, stranger)
        if "supplier_rank" in self.env["res.partner"]._fields:  # randevu_account: vendors are not clients
            vendor = self.env["res.partner"].create({"name": "Vendor", "randevu_client": True, "supplier_rank": 1})
            self.assertNotIn(vendor, self.clients())

    def test_customers_created_by_booking_are_clients(self):
        partner = self.env["res.partner"]._randevu_find_or_create("Ece Demir", phone="+905321234500")
        self.assertTrue(partner.randevu_client)
        self.assertIn(partner, self.clients())

    def test_visits_button_opens_the_list_of_the_clients_appointments(self):
        mine = self.book(datetime(2031, 1, 6, 8)) | self.book(datetime(2031, 1, 7, 8))
        self.book(datetime(2031, 1, 6, 10), partner_id=self.env["res.partner"].create({"name": "Other"}).id)
        action = self.customer.action_randevu_appointments()
        self.assertEqual(action["view_mode"].split(",")[0], "list")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(self.env["randevu.appointment"].search(action["domain"]), mine)


@tagged("post_install", "-at_install")
class TestSetupViews(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receptionist = cls.make_user("views_rec", USER, cls.branch)
        cls.stylist = cls.make_user("views_staff", STAFF, cls.branch)
        cls.manager = cls.make_user("views_mgr", MANAGER, cls.branch)
        cls.other = cls._make_branch("Lyon", "Europe/Paris")

    def test_branch_staff_count_and_calendar_settings(self):
        self.assertEqual(self.branch.randevu_staff_count, 2)
        self.assertEqual(self.branch.with_user(self.receptionist).randevu_staff_count, 2)
        settings = self.branch.with_user(self.stylist).randevu_calendar_view_settings()
        self.assertEqual(settings, {"tz": "Europe/Paris", "min_time": "09:00:00", "max_time": "18:00:00"})
        self.other.resource_calendar_id.attendance_ids[:1].hour_to = 20.5
        self.assertEqual(self.other.randevu_calendar_view_settings()["max_time"], "21:00:00")

    def test_staff_services(self):
        self.assertEqual(self.anna.randevu_service_ids, self.haircut | self.colour)

    def test_overrides_unset_read_as_the_services_own(self):
        """An override left at 0 is "default": the service's duration and price apply,
        and every override column of Randevu's views says so (randevu_default_float)."""
        line = self.haircut._randevu_staff_line(self.anna)
        self.assertEqual((line.duration, line.price), (0, 0))
        self.assertEqual(self.haircut._randevu_duration_price(self.anna), (0.5, 40))
        line.write({"duration": 0.75, "price": 55})
        self.assertEqual(self.haircut._randevu_duration_price(self.anna), (0.75, 55))
        for xmlid in (
            "randevu_calendar.product_template_view_form_randevu_service",
            "randevu_calendar.product_template_form_view",
            "randevu_calendar.view_employee_form",
        ):
            arch = etree.fromstring(self.env.ref(xmlid).arch)
            for name in ("duration", "price"):
                nodes = arch.xpath(
                    f"//field[@name='randevu_staff_line_ids' or @name='randevu_service_line_ids']"
                    f"//field[@name='{name}']"
                )
                self.assertTrue(nodes, f"{xmlid}: {name}")
                self.assertEqual({node.get("widget") for node in nodes}, {"randevu_default_float"}, xmlid)

    def test_reminder_rules_of_a_branch_whatever_the_active_company(self):
        """The owner (who reads every company: Settings' access rights) opens the Lyon
        branch while Paris is selected in the switcher: Lyon's rules show."""
        owner = self.make_user(
            "views_owner", f"{MANAGER},base.group_erp_manager", self.branch, self.branch | self.other
        )
        branch_as_manager = self.other.with_user(owner).with_context(allowed_company_ids=self.branch.ids)
        self.assertEqual(len(branch_as_manager.randevu_reminder_rule_ids), 2, "the Lyon branch's two default rules")

    # ------------------------------------------------------------------ the week wizard
    def week(self, employee, user=None, **values):
        Wizard = self.env["randevu.staff.week.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.create({"employee_id": employee.id, **values})
        wizard.action_apply()
        return wizard

    def attendances(self, employee):
        return sorted(
            (int(att.dayofweek), att.hour_from, att.hour_to, att.day_period)
            for att in employee.resource_calendar_id.attendance_ids
        )

    def test_week_wizard_writes_the_working_schedule_with_the_break(self):
        shared = self.anna.resource_calendar_id
        self.assertEqual(shared, self.bruno.resource_calendar_id, "Anna and Bruno share their hours")
        wizard = self.week(self.anna, user=self.manager)
        self.assertEqual(wizard.summary, "Mon, Tue, Wed, Thu, Fri 09:00-18:00, break 13:00-14:00")
        self.assertNotEqual(self.anna.resource_calendar_id, shared, "a shared schedule is not rewritten")
        self.assertEqual(self.bruno.resource_calendar_id, shared)
        self.assertEqual(len(shared.attendance_ids), 12, "Bruno's hours are untouched")
        expected = [
            (day, start, stop, period)
            for day in range(5)
            for start, stop, period in ((9, 13, "morning"), (14, 18, "afternoon"))
        ]
        self.assertEqual(self.attendances(self.anna), expected)
        self.assertEqual(self.anna.resource_calendar_id.company_id, self.branch)
        self.assertEqual(self.anna.resource_calendar_id.tz, "Europe/Paris")
        # Her own schedule now: rewritten in place; Saturday without a break.
        own = self.anna.resource_calendar_id
        self.week(self.anna, user=self.manager, mon=False, sat=True, has_break=False, hour_from=10, hour_to=16)
        self.assertEqual(self.anna.resource_calendar_id, own)
        self.assertEqual(self.attendances(self.anna), [(day, 10, 16, "morning") for day in (1, 2, 3, 4, 5)])
        # The engine reads it: no slot in the lunch gap any more is irrelevant here; slots inside it.
        slots = self.env["randevu.availability"].find_slots(
            self.haircut,
            self.branch,
            datetime(2031, 1, 7, 8),
            datetime(2031, 1, 7, 17),
            staff=self.anna,
            now=self.past,
        )
        starts = [slot["start"] for slot in slots]
        self.assertEqual(min(starts), datetime(2031, 1, 7, 9), "Tuesday 10:00 Paris")

    def test_week_wizard_checks_the_hours(self):
        for values in (
            {"mon": False, "tue": False, "wed": False, "thu": False, "fri": False},
            {"hour_from": 18, "hour_to": 9},
            {"break_from": 8, "break_to": 9},
            {"break_from": 14, "break_to": 13},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.env["randevu.staff.week.wizard"].create({"employee_id": self.anna.id, **values})

    def test_week_wizard_is_for_managers_of_the_branch(self):
        for user in (self.receptionist, self.stylist):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["randevu.staff.week.wizard"].with_user(user).create({"employee_id": self.anna.id})
        lyon_staff = self._make_staff("Léa", self.other, self.stylist_hours)
        with self.assertRaises(AccessError):
            self.week(lyon_staff, user=self.manager)

    # ------------------------------------------------------------------ the views, as each role loads them
    def assert_views_load(self, user, action_xmlid, view_types):
        action = self.env.ref(action_xmlid).sudo()
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids] or []
        known = {view_type for _view_id, view_type in views}
        views += [(False, view_type) for view_type in view_types if view_type not in known]
        result = (
            self.env[action.res_model]
            .with_user(user)
            .get_views([view for view in views if view[1] in view_types] + [(action.search_view_id.id, "search")])
        )
        for view_type in view_types:
            self.assertIn(view_type, result["views"], f"{action_xmlid}: {view_type}")
        return result

    def test_views_load_for_each_role(self):
        for user in (self.receptionist, self.manager):
            with self.subTest(user=user.login):
                result = self.assert_views_load(
                    user, "randevu_calendar.randevu_appointment_action", ["calendar", "list", "kanban", "form"]
                )
                calendar = etree.fromstring(result["views"]["calendar"]["arch"])
                self.assertEqual(calendar.get("mode"), "week")
                self.assertEqual(calendar.get("js_class"), "randevu_appointment_calendar")
                self.assertEqual(
                    [node.get("name") for node in calendar.xpath("//field[@filters]")],
                    ["employee_id"],
                    "filters by staff only",
                )
                self.assert_views_load(user, "randevu_calendar.randevu_appointment_action_history", ["list", "form"])
                result = self.assert_views_load(
                    user, "randevu_calendar.res_partner_action_randevu_client", ["kanban", "list", "form"]
                )
                form = etree.fromstring(result["views"]["form"]["arch"])
                first_tab = form.xpath("//notebook/page")[0]
                self.assertEqual(first_tab.get("name"), "history", "the profile opens on the client's history")
                self.env["res.partner"].with_user(user).get_views([(False, "form")])
        for action in (
            "randevu_calendar.res_company_action_randevu_branch",
            "randevu_calendar.product_template_action_randevu_service",
            "randevu_calendar.randevu_reminder_rule_action",
            "randevu_calendar.randevu_staff_week_wizard_action",
        ):
            self.assert_views_load(self.manager, action, ["form" if "wizard" in action else "list"])
        result = self.assert_views_load(
            self.manager, "randevu_calendar.res_company_action_randevu_branch", ["list", "form"]
        )
        # Shown columns (Odoo adds the fields a modifier reads as invisible columns: the
        # currency's readonly reads parent_id once several currencies are in use).
        columns = [
            node.get("name")
            for node in etree.fromstring(result["views"]["list"]["arch"]).xpath("//field")
            if node.get("column_invisible") not in ("True", "1")
        ]
        self.assertNotIn("parent_id", columns)
        self.assertIn("randevu_staff_count", columns)
        result = self.assert_views_load(
            self.manager, "randevu_calendar.product_template_action_randevu_service", ["list", "form"]
        )
        form = etree.fromstring(result["views"]["form"]["arch"])
        self.assertEqual(form.get("string"), "Service")
        self.assertFalse(form.xpath("//field[@name='attribute_line_ids']"), "no variants")

    def test_client_form_as_a_receptionist(self):
        action = self.env.ref("randevu_calendar.res_partner_action_randevu_client")
        form_view = self.env.ref("randevu_calendar.res_partner_view_form_randevu_client")
        partner_model = self.env["res.partner"].with_user(self.receptionist).with_context(default_randevu_client=True)
        with Form(partner_model, view=form_view) as client:
            client.name = "Selin Aydin"
            client.phone = "+905321110000"
            client.randevu_customer_note = "Allergic to ammonia"
        partner = client.record
        self.assertTrue(partner.randevu_is_client)
        self.assertIn(partner, partner_model.search(ast.literal_eval(action.domain)))

    def test_datetimes_without_seconds_in_every_randevu_view(self):
        """Every datetime shown by a Randevu list, form or kanban drops the seconds (or
        the time: a day only)."""
        missing = []
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("list", "form", "kanban")), ("model_data_id.module", "=like", "randevu_%")]
        )
        for view in views:
            arch = etree.fromstring(view.arch)
            # A kanban shows the fields of its templates (the others are only loaded).
            nodes = arch.xpath("//templates//field") if view.type == "kanban" else arch.iter("field")
            for node in nodes:
                model = self._node_model(view, node)
                field = model and self.env[model]._fields.get(node.get("name"))
                if not field or field.type != "datetime" or node.get("widget") in ("date", "remaining_days"):
                    continue
                if node.get("column_invisible") == "1" or node.get("invisible") == "1":
                    continue
                options = node.get("options") or ""
                if "show_seconds" not in options and "show_time" not in options:
                    missing.append(f"{view.xml_id or view.name}: {node.get('name')}")
        self.assertFalse(missing, "datetimes shown with seconds")

    def _node_model(self, view, node):
        """The model a field node of `view` belongs to (sub-views of x2many fields)."""
        model = view.model
        path = [ancestor for ancestor in node.iterancestors() if ancestor.tag == "field"]
        for ancestor in reversed(path):
            field = self.env[model]._fields.get(ancestor.get("name"))
            if not field or not field.relational:
                return None
            model = field.comodel_name
        return model


@tagged("post_install", "-at_install")
class TestWeekWizardApi(HttpCase, JsonRpcMixin, RandevuCase):
    """The week wizard through JSON-RPC: refused to staff and receptionists, a manager's
    week is written."""

    def test_roles(self):
        users = {
            "staff": self.make_user("week_staff", STAFF, self.branch),
            "user": self.make_user("week_rec", USER, self.branch),
            "manager": self.make_user("week_mgr", MANAGER, self.branch),
        }
        values = {"employee_id": self.bruno.id, "sat": True, "break_from": 12.5, "break_to": 13.5}
        for role in ("staff", "user"):
            with self.subTest(role=role):
                self.authenticate(users[role].login, users[role].login)
                answer = self.call_kw("randevu.staff.week.wizard", "create", values)
                self.assert_access_error(answer)
        self.authenticate("week_mgr", "week_mgr")
        answer = self.call_kw("randevu.staff.week.wizard", "create", values)
        self.assertNotIn("error", answer, answer)
        answer = self.call_kw("randevu.staff.week.wizard", "action_apply", [answer["result"]])
        self.assertNotIn("error", answer, answer)
        attendances = self.bruno.resource_calendar_id.attendance_ids
        self.assertEqual(len(attendances), 12, "Mon-Sat, two parts a day")
        self.assertEqual(sorted({(att.hour_from, att.hour_to) for att in attendances}), [(9, 12.5), (13.5, 18)])


@tagged("post_install", "-at_install")
class TestClientsTour(HttpCase, RandevuCase):
    """In the browser, as the receptionist: Clients, a client's card, her profile, her visits."""

    def test_clients_tour(self):
        receptionist = self.make_user("tour_rec", USER, self.branch)
        self.customer.randevu_customer_note = "Allergic to ammonia"
        self.book(datetime(2030, 12, 2, 9)).action_done()
        self.book(datetime(2031, 1, 6, 9))
        self.env["res.partner"].create({"name": "Just a Contact"})
        self.start_tour(
            f"/odoo/action-randevu_calendar.randevu_appointment_action?cids={self.branch.id}",
            "randevu_clients_tour",
            login=receptionist.login,
        )


@tagged("post_install", "-at_install")
class TestClientFormApi(HttpCase, JsonRpcMixin, RandevuCase):
    """The receptionist opens a client from the Clients menu and from an appointment's
    customer, as the web client does (JSON-RPC): the salon's client form, without the
    company fields of Odoo's contact form, which stays as it is for other apps."""

    SALON_FIELDS = (
        "name",
        "phone",
        "email",
        "lang",
        "randevu_birthday",
        "category_id",
        "randevu_customer_note",
        "randevu_visit_count",
        "randevu_total_spent",
        "randevu_appointment_ids",
    )
    COMPANY_FIELDS = ("company_type", "parent_id", "company_name", "vat", "function", "website", "title")

    def form_fields(self, views, context):
        result = self.call_kw_result("res.partner", "get_views", views=views, options={}, context=context)
        arch = etree.fromstring(result["views"]["form"]["arch"])
        return {node.get("name") for node in arch.iter("field")}

    def assert_salon_form(self, fields):
        self.assertFalse(set(self.SALON_FIELDS) - fields, "the salon's fields")
        self.assertFalse(set(self.COMPANY_FIELDS) & fields, "no company fields")

    def test_client_form_from_the_clients_menu_and_an_appointment(self):
        receptionist = self.make_user("form_rec", USER, self.branch)
        appointment = self.book(datetime(2031, 1, 6, 8))
        self.authenticate(receptionist.login, receptionist.login)
        context = {"allowed_company_ids": self.branch.ids, "lang": "en_US"}
        # The Clients menu's action.
        action = self.make_jsonrpc_request(
            "/web/action/load", {"action_id": "randevu_calendar.res_partner_action_randevu_client"}
        )
        views = [[view_id or False, view_type] for view_id, view_type in action["views"]]
        self.assert_salon_form(self.form_fields(views, {**context, **ast.literal_eval(action["context"])}))
        # The appointment's customer: the link of its form's field (get_formview_action).
        result = self.call_kw_result(
            "randevu.appointment", "get_views", views=[[False, "form"]], options={}, context=context
        )
        node = etree.fromstring(result["views"]["form"]["arch"]).xpath("//field[@name='partner_id']")[0]
        field_context = {**context, **ast.literal_eval(node.get("context"))}
        open_action = self.call_kw_result(
            "res.partner", "get_formview_action", appointment.partner_id.ids, context=field_context
        )
        self.assert_salon_form(self.form_fields(open_action["views"], open_action["context"]))
        # Odoo's contact form is left as it is for other apps.
        fields = self.form_fields([[False, "form"]], context)
        self.assertIn("vat", fields)
        self.assertIn("company_type", fields)

    def test_new_client_with_birthday_and_language(self):
        """A receptionist adds a client (Randevu users create contacts; they do not
        change existing ones) with a birthday and a language."""
        receptionist = self.make_user("form_rec2", USER, self.branch)
        form_view = self.env.ref("randevu_calendar.res_partner_view_form_randevu_client")
        self.env["res.lang"]._activate_lang("fr_FR")
        partners = self.env["res.partner"].with_user(receptionist).with_context(default_randevu_client=True)
        with Form(partners, view=form_view) as client:
            client.name = "Léa Petit"
            client.randevu_birthday = date(1990, 5, 17)
            client.lang = "fr_FR"
        self.assertRecordValues(
            client.record, [{"randevu_birthday": date(1990, 5, 17), "lang": "fr_FR", "randevu_is_client": True}]
        )


@tagged("post_install", "-at_install")
class TestAppointmentCalendarNow(HttpCase, RandevuCase):
    """The appointments' calendar of a branch whose clock differs from the browser's
    (the test browser runs in the machine's zone, Tokyo is UTC+9 all year) draws its
    red "now" line at the branch's time, in the branch's today."""

    def test_now_line_on_the_branch_clock(self):
        tokyo = self._make_branch("Tokyo", "Asia/Tokyo")
        # Open around the clock: the calendar shows every hour, so "now" is always in view.
        tokyo.resource_calendar_id.attendance_ids = [(5, 0, 0)] + [
            (0, 0, {"name": str(day), "dayofweek": str(day), "hour_from": 0, "hour_to": 24, "day_period": "morning"})
            for day in range(7)
        ]
        self.assertEqual(tokyo.randevu_calendar_view_settings()["max_time"], "24:00:00")
        receptionist = self.make_user("now_rec", USER, tokyo)
        self.start_tour(
            f"/odoo/action-randevu_calendar.randevu_appointment_action?cids={tokyo.id}",
            "randevu_appointment_calendar_now_tour",
            login=receptionist.login,
        )
