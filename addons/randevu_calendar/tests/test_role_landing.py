from odoo.tests import HttpCase, new_test_user, tagged

from .common import RandevuCase


class RoleCase(RandevuCase):
    """One user per Randevu role at the Paris branch; Anna's user is the stylist. The
    manager's default company is the main company (Odoo's "YourCompany"): the overview
    must still open on her branch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stylist = cls.make_user("role_stylist", "randevu_calendar.group_randevu_staff", cls.branch)
        cls.anna.user_id = cls.stylist
        cls.receptionist = cls.make_user("role_reception", "randevu_calendar.group_randevu_user", cls.branch)
        main = cls.env.ref("base.main_company")
        cls.owner = cls.make_user("role_owner", "randevu_calendar.group_randevu_manager", main, main | cls.branch)
        cls.bruno.user_id = cls.owner


@tagged("post_install", "-at_install")
class TestRoleLanding(HttpCase, RoleCase):
    """Each role lands on its own screen and sees only the apps it needs, as the web
    client gets them (session info and menus over HTTP)."""

    def home_action_of(self, user):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request("/web/session/get_session_info")["home_action_id"]

    def apps_of(self, user):
        self.authenticate(user.login, user.login)
        menus = self.url_open("/web/webclient/load_menus/roles").json()
        return {menus[str(menu_id)]["xmlid"] for menu_id in menus["root"]["children"]}

    def test_home_action_per_role(self):
        expected = {
            self.stylist: "randevu_calendar.randevu_my_day_action",
            self.receptionist: "randevu_calendar.randevu_day_planner_action",
            self.owner: "randevu_calendar.randevu_overview_action",
        }
        for user, xmlid in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self.home_action_of(user), self.env.ref(xmlid).id)

    def test_home_action_in_the_web_client_page(self):
        """/odoo (what the login redirects to) boots the web client on the role's screen."""
        self.authenticate(self.receptionist.login, self.receptionist.login)
        page = self.url_open("/odoo").text
        planner = self.env.ref("randevu_calendar.randevu_day_planner_action").id
        self.assertIn(f'"home_action_id": {planner}', page)

    def test_own_home_action_wins(self):
        appointments = self.env.ref("randevu_calendar.randevu_appointment_action")
        self.receptionist.action_id = appointments.id
        self.assertEqual(self.home_action_of(self.receptionist), appointments.id)

    def test_other_users_keep_odoo_default(self):
        clerk = new_test_user(self.env, login="role_clerk", groups="base.group_user")
        self.assertFalse(self.home_action_of(clerk))

    def test_apps_per_role(self):
        hidden = [
            xmlid
            for xmlid in (
                "hr.menu_hr_root",
                "base.menu_management",
                "website.menu_website_configuration",
                "spreadsheet_dashboard.spreadsheet_dashboard_menu_root",
                "utm.menu_link_tracker_root",
            )
            if self.env.ref(xmlid, raise_if_not_found=False)
        ]
        self.assertIn("hr.menu_hr_root", hidden)
        for user in (self.stylist, self.receptionist):
            with self.subTest(user=user.login):
                apps = self.apps_of(user)
                self.assertIn("randevu_calendar.randevu_menu_root", apps)
                self.assertIn("mail.menu_root_discuss", apps)
                self.assertFalse(apps & set(hidden), "apps a salon's staff do not need")
        self.assertIn("hr.menu_hr_root", self.apps_of(self.owner), "the owner keeps Employees")

    def test_app_group_keeps_its_app(self):
        """A receptionist who is also an HR officer keeps Employees: only apps she has
        no group of her own for are hidden."""
        self.receptionist.groups_id |= self.env.ref("hr.group_hr_user")
        self.assertIn("hr.menu_hr_root", self.apps_of(self.receptionist))

    def menu_xmlids_of(self, user):
        self.authenticate(user.login, user.login)
        return {menu["xmlid"] for menu in self.url_open("/web/webclient/load_menus/roles").json().values()}

    def test_my_day_only_for_users_who_take_appointments(self):
        """ "My Day" is listed for users with a bookable employee of theirs (the stylist, the
        owner who also works as a stylist), not for a receptionist or a manager who never
        takes appointments, nor for a user whose employee is not bookable."""
        manager = self.make_user("role_manager", "randevu_calendar.group_randevu_manager", self.branch)
        desk = self.make_user("role_desk", "randevu_calendar.group_randevu_user", self.branch)
        desk_employee = self.env["hr.employee"].create(
            {"name": "Desk", "company_id": self.branch.id, "user_id": desk.id, "randevu_bookable": False}
        )
        expected = {self.stylist: True, self.owner: True, self.receptionist: False, manager: False, desk: False}
        for user, shown in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual("randevu_calendar.randevu_my_day_menu" in self.menu_xmlids_of(user), shown)
        desk_employee.randevu_bookable = True
        self.assertIn("randevu_calendar.randevu_my_day_menu", self.menu_xmlids_of(desk), "bookable now")
        self.anna.active = False
        self.assertNotIn("randevu_calendar.randevu_my_day_menu", self.menu_xmlids_of(self.stylist), "archived")

    def test_randevu_menus_per_role(self):
        for user, overview, planner in ((self.stylist, False, True), (self.owner, True, True)):
            self.authenticate(user.login, user.login)
            menus = self.url_open("/web/webclient/load_menus/roles").json()
            xmlids = {menu["xmlid"] for menu in menus.values()}
            with self.subTest(user=user.login):
                self.assertIn("randevu_calendar.randevu_my_day_menu", xmlids)
                self.assertEqual("randevu_calendar.randevu_overview_menu" in xmlids, overview)
                self.assertEqual("randevu_calendar.randevu_day_planner_menu" in xmlids, planner)
