from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import InboxMixin


@tagged("post_install", "-at_install")
class TestInboxAccess(InboxMixin, JsonRpcMixin, HttpCase):
    """Who sees and changes conversations, through JSON-RPC as the web client calls it:
    staff read their branch's conversations, receptionists (User) also assign and answer,
    managers also delete; nobody sees another branch's; only managers read the webhook's
    queue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.branch, cls.gateway = cls.make_branch(cls.env, "access-a", cls.fake)
        cls.other_branch, cls.other_gateway = cls.make_branch(cls.env, "access-b", cls.fake)
        Conversation = cls.env["randevu.conversation"]
        cls.ours = Conversation._randevu_get(cls.branch, "whatsapp", "+905321110001", cls.gateway, name="Elif")
        cls.theirs = Conversation._randevu_get(
            cls.other_branch, "whatsapp", "+905321110002", cls.other_gateway, name="Zeynep"
        )

        def user(login, group, branch):
            return new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=f"base.group_user,randevu_calendar.{group}",
                company_id=branch.id,
                company_ids=[(6, 0, branch.ids)],
            )

        cls.staff = user("inbox_staff", "group_randevu_staff", cls.branch)
        cls.receptionist = user("inbox_user", "group_randevu_user", cls.branch)
        cls.manager = user("inbox_manager", "group_randevu_manager", cls.branch)
        cls.other_receptionist = user("inbox_other", "group_randevu_user", cls.other_branch)

    def read_ids(self, login, model="randevu.conversation"):
        self.authenticate(login, login)
        answer = self.call_kw(model, "search_read", [], ["id"])
        return answer

    def test_each_branch_sees_its_own_conversations(self):
        for login in ("inbox_staff", "inbox_user", "inbox_manager"):
            with self.subTest(login=login):
                answer = self.read_ids(login)
                ids = {row["id"] for row in answer["result"]}
                self.assertIn(self.ours.id, ids)
                self.assertNotIn(self.theirs.id, ids)
        ids = {row["id"] for row in self.read_ids("inbox_other")["result"]}
        self.assertIn(self.theirs.id, ids)
        self.assertNotIn(self.ours.id, ids)
        self.authenticate("inbox_other", "inbox_other")
        self.assert_access_error(self.call_kw("randevu.conversation", "read", self.ours.ids, ["partner_id"]))

    def test_staff_read_the_chat_but_do_not_change_it(self):
        self.authenticate("inbox_staff", "inbox_staff")
        answer = self.call_kw(
            "randevu.conversation",
            "read",
            self.ours.ids,
            ["partner_id", "phone", "upcoming_appointment_ids", "noshow_count", "unread_count"],
        )
        self.assertEqual(answer["result"][0]["phone"], "+905321110001")
        self.assert_access_error(
            self.call_kw("randevu.conversation", "write", self.ours.ids, {"user_id": self.staff.id}), "staff assign"
        )
        self.assert_access_error(self.call_kw("randevu.conversation", "action_assign_to_me", self.ours.ids))
        self.assert_access_error(self.call_kw("randevu.conversation", "unlink", self.ours.ids))
        self.assertFalse(self.ours.user_id)

    def test_receptionist_assigns_and_marks_read_manager_deletes(self):
        self.authenticate("inbox_user", "inbox_user")
        self.call_kw_result("randevu.conversation", "action_assign_to_me", self.ours.ids)
        self.assertEqual(self.ours.user_id, self.receptionist)
        self.call_kw_result("randevu.conversation", "write", self.ours.ids, {"user_id": self.staff.id})
        self.assertEqual(self.ours.user_id, self.staff)
        self.assert_access_error(self.call_kw("randevu.conversation", "unlink", self.ours.ids), "receptionist delete")
        self.assert_access_error(
            self.call_kw("randevu.conversation", "write", self.theirs.ids, {"user_id": self.receptionist.id}),
            "another branch",
        )
        self.authenticate("inbox_manager", "inbox_manager")
        self.call_kw_result("randevu.conversation", "unlink", self.ours.ids)
        self.assertFalse(self.ours.exists())

    def test_only_managers_read_the_webhook_queue(self):
        for login in ("inbox_staff", "inbox_user"):
            with self.subTest(login=login):
                self.assert_access_error(self.read_ids(login, "randevu.inbox.event"))
        self.assertNotIn("error", self.read_ids("inbox_manager", "randevu.inbox.event"))
        self.authenticate("inbox_manager", "inbox_manager")
        self.assert_access_error(
            self.call_kw(
                "randevu.inbox.event",
                "create",
                {"gateway_id": self.gateway.id, "company_id": self.branch.id, "wa_message_id": "x"},
            )
        )

    def test_only_administrators_configure_the_sms_gateway(self):
        """The branch's SMS gateway holds its credentials: no Randevu role reads or changes
        them (not even managers); Settings administrators do."""
        self.branch.sudo().write(
            {
                "randevu_sms_provider": "http",
                "randevu_sms_gateway_url": "http://127.0.0.1:9/sms",
                "randevu_sms_gateway_headers": "Authorization: Bearer secret-key",
                "randevu_sms_webhook_token": "access-test-token-0123456789",
            }
        )
        credentials = [
            "randevu_sms_provider",
            "randevu_sms_gateway_url",
            "randevu_sms_gateway_headers",
            "randevu_sms_gateway_payload",
            "randevu_sms_webhook_token",
            "randevu_sms_webhook_url",
        ]
        for login in ("inbox_staff", "inbox_user", "inbox_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                for field in credentials:
                    self.assert_access_error(
                        self.call_kw("res.company", "read", self.branch.ids, [field]), f"{login} reads {field}"
                    )
                self.assert_access_error(
                    self.call_kw(
                        "res.company", "write", self.branch.ids, {"randevu_sms_gateway_url": "http://evil.example"}
                    ),
                    f"{login} writes the gateway",
                )
                self.assertNotIn("randevu_sms_gateway_headers", self.call_kw_result("res.company", "fields_get"))
        new_test_user(
            self.env,
            login="inbox_admin",
            password="inbox_admin",
            groups="base.group_user,base.group_system",
            company_id=self.branch.id,
            company_ids=[(6, 0, self.branch.ids)],
        )
        self.authenticate("inbox_admin", "inbox_admin")
        rows = self.call_kw_result("res.company", "read", self.branch.ids, ["randevu_sms_gateway_headers"])
        self.assertEqual(rows[0]["randevu_sms_gateway_headers"], "Authorization: Bearer secret-key")
        self.call_kw_result(
            "res.company", "write", self.branch.ids, {"randevu_sms_gateway_url": "http://127.0.0.1:9/other"}
        )
        self.assertEqual(self.branch.sudo().randevu_sms_gateway_url, "http://127.0.0.1:9/other")

    def test_files_received_follow_their_conversations_branch(self):
        """The photos and PDFs customers sent are attachments of the conversation's messages:
        each branch's staff, receptionists and managers read theirs, not another branch's; only
        receptionists and managers open the Send Document wizard, staff do not."""
        self.ours._randevu_receive("", self.ours.create_date, files=[("photo", b"\x89PNG\r\n", "image/png")])
        ours = self.ours.message_ids.attachment_ids
        self.theirs._randevu_receive("", self.theirs.create_date, files=[("scan", b"%PDF-1.4", "application/pdf")])
        theirs = self.theirs.message_ids.attachment_ids
        self.assertEqual((len(ours), len(theirs)), (1, 1))
        domain = [("res_model", "=", "randevu.conversation")]
        for login in ("inbox_staff", "inbox_user", "inbox_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                ids = {row["id"] for row in self.call_kw_result("ir.attachment", "search_read", domain, ["id"])}
                self.assertIn(ours.id, ids)
                self.assertNotIn(theirs.id, ids)
                self.assert_access_error(self.call_kw("ir.attachment", "read", theirs.ids, ["name"]))
        self.authenticate("inbox_staff", "inbox_staff")
        self.assert_access_error(self.call_kw("randevu.send.document", "search_read", [], ["id"]))

    def test_who_clears_a_verification(self):
        customer = self.env["res.partner"].create({"name": "Verified customer"})
        self.ours.sudo().write(
            {"assistant_verified_partner_id": customer.id, "assistant_verified_until": "2099-01-01 00:00:00"}
        )
        for login in ("inbox_staff", "inbox_other"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assert_access_error(
                    self.call_kw("randevu.conversation", "action_clear_verification", self.ours.ids)
                )
        self.assertEqual(self.ours.assistant_verified_partner_id, customer)
        self.authenticate("inbox_staff", "inbox_staff")
        answer = self.call_kw(
            "randevu.conversation", "read", self.ours.ids, ["assistant_verified_until", "assistant_handover_detail"]
        )
        self.assertTrue(answer["result"][0]["assistant_verified_until"], "staff see it")
        self.authenticate("inbox_user", "inbox_user")
        self.call_kw_result("randevu.conversation", "action_clear_verification", self.ours.ids)
        self.assertFalse(self.ours.assistant_verified_partner_id)
        self.assertFalse(self.ours.assistant_verified_until)
