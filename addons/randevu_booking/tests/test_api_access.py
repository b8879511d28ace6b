import json

from odoo.tests import tagged

from .common import RandevuBookingCase

# What each role reads of every Randevu model through the JSON-RPC API, as the "Who sees
# what" tables of randevu_calendar/README.md and randevu_booking/README.md say. For each
# model and role: the records it reads (a domain, None: no access at all), what else it
# may do with them (w, c, u: write, create, unlink) and the fields it is refused. A new
# Randevu model fails test_every_randevu_model_is_in_the_table until it is added here
# and to the README.
STAFF_OWN_APPOINTMENTS = "appointment_id.employee_id.user_id"
ODOO_ACTIVITY_FOLLOWER_RATING_FIELDS = frozenset(
    {
        "activity_ids",
        "activity_state",
        "activity_user_id",
        "activity_type_id",
        "activity_date_deadline",
        "my_activity_date_deadline",
        "activity_summary",
        "activity_exception_decoration",
        "activity_exception_icon",
        "activity_calendar_event_id",
        "message_follower_ids",
        "message_partner_ids",
        "message_attachment_count",
        "rating_ids",
        "rating_last_value",
        "rating_last_feedback",
        "rating_last_image",
        "rating_avg",
        "rating_avg_text",
        "rating_last_text",
    }
)
APPOINTMENT_HIDDEN_FROM_STAFF = frozenset(
    {
        "hours_override",
        "partner_noshow_warning",
        "partner_shared_contact_warning",
        "randevu_transaction_ids",
        "randevu_invoice_line_ids",
        "randevu_invoice_ids",
        "randevu_invoice_count",
        # randevu_pos (when installed): the till's order, for POS users only.
        "randevu_pos_line_ids",
        "randevu_pos_order_id",
        # randevu_pos: a course session's recognition entry, for accountants.
        "randevu_course_move_id",
        # randevu_inventory (when installed): the consumption transfer, for inventory users.
        "randevu_consumption_picking_id",
    }
)
APPOINTMENT_HIDDEN_FROM_PORTAL = (
    APPOINTMENT_HIDDEN_FROM_STAFF
    | ODOO_ACTIVITY_FOLLOWER_RATING_FIELDS
    | {
        "internal_note",
        "customer_note",
        # randevu_inventory (when installed): the products used, the team's business.
        "consumable_ids",
        "randevu_consumables_planned",
        "randevu_consumables_locked",
        "randevu_stock_short",
        "randevu_stock_warning",
        "randevu_service_variant_id",
        "randevu_service_variant_count",
        "noshow_suspected",
        "resource_ids",
        "segment_ids",
        "attendee_ids",
        "randevu_bundle_ids",
        "randevu_message_ids",
        "randevu_message_count",
        "randevu_message_failed_count",
        # randevu_marketing (when installed): the campaign that brought the booking (utm).
        "campaign_id",
        "source_id",
        "medium_id",
        # randevu_booking_marketing (when installed): the discount program and coupon used.
        "randevu_loyalty_program_id",
        "randevu_loyalty_card_id",
        "randevu_discount_code",
        # randevu_inbox (when installed): the photos and PDFs the customer sent on the chat.
        "randevu_inbox_attachment_ids",
        "randevu_inbox_attachment_count",
    }
)
ABSTRACT = "abstract"  # no records: services called by our own code and controllers
NONE = None

TABLE = {
    "randevu.appointment": {
        "staff": ([("employee_id.user_id", "=", "uid")], "wc", APPOINTMENT_HIDDEN_FROM_STAFF),
        "portal": ([("partner_id", "=", "partner")], "", APPOINTMENT_HIDDEN_FROM_PORTAL),
    },
    "randevu.appointment.segment": {
        "staff": ([(STAFF_OWN_APPOINTMENTS, "=", "uid")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.attendee": {
        # randevu_pos (when installed): the seat's till lines, for POS users only.
        "staff": ([(STAFF_OWN_APPOINTMENTS, "=", "uid")], "", frozenset({"randevu_pos_line_ids"})),
        "portal": NONE,
    },
    "randevu.message": {
        "staff": ([(STAFF_OWN_APPOINTMENTS, "=", "uid")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.visit": {
        "staff": ([("appointment_ids.employee_id.user_id", "=", "uid")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.waitlist": {
        "staff": ([("employee_id.user_id", "=", "uid")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.appointment.recurrence": {
        "staff": ([("company_id", "=", "branch")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.reminder.rule": {
        "staff": ([("company_id", "=", "branch")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.service.staff": {
        "staff": (["|", ("company_id", "=", False), ("company_id", "=", "branch")], "", frozenset()),
        "portal": (["|", ("company_id", "=", False), ("company_id", "=", "branch")], "", frozenset()),
    },
    "randevu.staff.branch": {
        "staff": (["|", ("branch_id", "=", "branch"), ("employee_id.company_id", "=", "branch")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.package.line": {
        "staff": ([], "", frozenset()),
        "portal": NONE,
    },
    "randevu.booking.attempt": {"staff": NONE, "portal": NONE},
    "randevu.waitlist.freed": {"staff": NONE, "portal": NONE},
    "randevu.customer.key": {"staff": NONE, "portal": NONE},
    "randevu.recurrence.wizard": {"staff": NONE, "portal": NONE},
    "randevu.recurrence.wizard.line": {"staff": NONE, "portal": NONE},
    "randevu.recurrence.wizard.slot": {"staff": NONE, "portal": NONE},
    "randevu.series.edit.wizard": {"staff": NONE, "portal": NONE},
    "randevu.staff.week.wizard": {"staff": NONE, "portal": NONE},
    # randevu_pos (installed with every addon by make test): commissions, reports, aging.
    "randevu.commission.line": {
        "staff": ([("employee_id.user_id", "=", "uid")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.commission.period": {"staff": NONE, "portal": NONE},
    "randevu.course": {
        "staff": (
            [("company_id", "=", "branch")],
            "",
            frozenset({"pos_order_line_id", "breakage_move_id", "refund_line_id"}),
        ),
        "portal": (
            [("partner_id", "=", "partner")],
            "",
            frozenset({"pos_order_line_id", "breakage_move_id", "refund_line_id"}),
        ),
    },
    "randevu.commission.rule": {"staff": NONE, "portal": NONE},
    "randevu.commission.tier": {"staff": NONE, "portal": NONE},
    "randevu.commission.total": {"staff": NONE, "portal": NONE},
    "randevu.receivable.aging": {"staff": NONE, "portal": NONE},
    "randevu.report.wizard": {"staff": NONE, "portal": NONE},
    "randevu.utilisation.report": {"staff": NONE, "portal": NONE},
    "randevu.revenue.consolidated": {"staff": NONE, "portal": NONE},
    "randevu.pos.refund.wizard": {"staff": NONE, "portal": NONE},
    "randevu.pos.pin.attempt": {"staff": NONE, "portal": NONE},
    "randevu.tip.payout.wizard": {"staff": NONE, "portal": NONE},
    "randevu.tip.payout.wizard.line": {"staff": NONE, "portal": NONE},
    # randevu_inbox: conversations of the branch; the webhook's queue is the managers'.
    "randevu.conversation": {
        # The assistant's one-time code, even hashed, is for administrators only; the
        # customer's marketing consents beside the chat (randevu_inbox_marketing) are the office's.
        "staff": ([("company_id", "=", "branch")], "", frozenset({"assistant_code_hash", "marketing_consent_ids"})),
        "portal": NONE,
    },
    "randevu.inbox.event": {"staff": NONE, "portal": NONE},
    "randevu.send.document": {"staff": NONE, "portal": NONE},
    # randevu_inbox: the assistant's FAQ entries of the branch (managers write them).
    "randevu.assistant.faq": {
        "staff": ([("company_id", "=", "branch")], "", frozenset()),
        "portal": NONE,
    },
    # randevu_marketing: consents are the office's (receptionists record them, managers
    # export them); the customer changes hers on /my/consents, not through the API.
    "randevu.consent": {"staff": NONE, "portal": NONE},
    "randevu.consent.event": {"staff": NONE, "portal": NONE},
    "randevu.consent.record": {"staff": NONE, "portal": NONE},
    "randevu.consent.export": {"staff": NONE, "portal": NONE},
    # randevu_marketing: segments are the office's (managers make them, receptionists read).
    "randevu.segment": {"staff": NONE, "portal": NONE},
    # randevu_marketing: automations are the office's (managers set them up, receptionists
    # read them and their sends); usual intervals are computed, read only.
    "randevu.marketing.automation": {"staff": NONE, "portal": NONE},
    "randevu.marketing.automation.send": {"staff": NONE, "portal": NONE},
    "randevu.client.interval": {"staff": NONE, "portal": NONE},
    # randevu_marketing: the frequency cap's lock, written by the cap's statement only.
    "randevu.marketing.cap.mark": {"staff": NONE, "portal": NONE},
    # randevu_inventory: the products a service uses (shared services and the branch's);
    # those used in the staff member's own appointments.
    "randevu.service.consumable": {
        "staff": (["|", ("company_id", "=", False), ("company_id", "=", "branch")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.appointment.consumable": {
        "staff": ([(STAFF_OWN_APPOINTMENTS, "=", "uid")], "", frozenset()),
        "portal": NONE,
    },
    "randevu.assistant": ABSTRACT,
    "randevu.label.wizard": {"staff": NONE, "portal": NONE},
    "randevu.label.wizard.line": {"staff": NONE, "portal": NONE},
    "randevu.transfer.wizard": {"staff": NONE, "portal": NONE},
    "randevu.transfer.wizard.line": {"staff": NONE, "portal": NONE},
    "randevu.scan.wizard": {"staff": NONE, "portal": NONE},
    "randevu.scan.wizard.line": {"staff": NONE, "portal": NONE},
    "randevu.consumption.report": {"staff": NONE, "portal": NONE},
    "randevu.availability": ABSTRACT,
    "randevu.booking.service": ABSTRACT,
    "randevu.day.planner": ABSTRACT,
    "randevu.my.day": ABSTRACT,
    "randevu.overview": ABSTRACT,
    "randevu.online.booking": ABSTRACT,
    "randevu.website.block": ABSTRACT,
}
# The fields we add to res.partner, refused to a staff member reading a colleague's
# customer and to a portal customer reading herself (the others read, limited by the rules).
PARTNER_HIDDEN = {
    "staff": {
        "randevu_customer_note",
        "randevu_birthday",
        "randevu_noshow_warning",
        "randevu_shared_contact_warning",
        "randevu_credit_balance",  # randevu_pos: POS users
        "randevu_pos_due",  # randevu_pos: POS users
        "randevu_consent_ids",  # randevu_marketing: receptionists and managers
        "randevu_consent_event_ids",  # randevu_marketing
        "randevu_segment_ids",  # randevu_marketing: search only, receptionists and managers
        "randevu_automation_code",  # randevu_marketing: receptionists and managers
        "randevu_mailing_count",  # randevu_marketing: mailing users
        "randevu_campaign_booking_count",  # randevu_marketing: receptionists and managers
        "randevu_code_booking_count",  # randevu_booking_marketing: receptionists and managers
    },
    "portal": {
        "randevu_credit_balance",
        "randevu_pos_due",
        "randevu_course_sessions_left",  # randevu_pos: the team and accountants
        "randevu_has_course",  # randevu_pos: the team
        "randevu_other_branches_note",
        "randevu_customer_note",
        "randevu_birthday",
        "randevu_noshow_warning",
        "randevu_shared_contact_warning",
        "randevu_visit_count",
        "randevu_upcoming_count",
        "randevu_noshow_count",
        "randevu_cancel_count",
        "randevu_last_visit",
        "randevu_next_appointment",
        "randevu_total_spent",
        "randevu_consent_ids",  # randevu_marketing: her choices are on /my/consents
        "randevu_consent_event_ids",
        "randevu_segment_ids",
        "randevu_automation_code",
        "randevu_mailing_count",
        "randevu_campaign_booking_count",
        "randevu_code_booking_count",
    },
}
# The access rights of receptionists (User) and managers, per model: r, w, c, u (unlink).
OFFICE_RIGHTS = {
    "randevu.appointment": ("rwcu", "rwcu"),
    "randevu.appointment.segment": ("r", "r"),
    "randevu.attendee": ("rwc", "rwcu"),
    "randevu.message": ("r", "rwu"),
    "randevu.visit": ("rwc", "rwcu"),
    "randevu.waitlist": ("rwc", "rwcu"),
    "randevu.appointment.recurrence": ("rwc", "rwcu"),
    "randevu.reminder.rule": ("r", "rwcu"),
    "randevu.service.staff": ("r", "rwcu"),
    "randevu.staff.branch": ("r", "rwcu"),
    "randevu.package.line": ("rwc", "rwcu"),
    "randevu.booking.attempt": ("", "ru"),
    "randevu.waitlist.freed": ("r", "rwu"),
    "randevu.customer.key": ("", "r"),
    "randevu.recurrence.wizard": ("rwcu", "rwcu"),
    "randevu.recurrence.wizard.line": ("rwcu", "rwcu"),
    "randevu.recurrence.wizard.slot": ("rwcu", "rwcu"),
    "randevu.series.edit.wizard": ("rwcu", "rwcu"),
    "randevu.staff.week.wizard": ("", "rwcu"),
    "randevu.commission.line": ("r", "rwcu"),
    "randevu.commission.period": ("r", "rwcu"),
    "randevu.commission.rule": ("r", "rwcu"),
    "randevu.commission.tier": ("r", "rwcu"),
    "randevu.commission.total": ("r", "rwcu"),
    "randevu.course": ("r", "rw"),
    "randevu.receivable.aging": ("", "r"),
    "randevu.report.wizard": ("", "rwcu"),
    "randevu.utilisation.report": ("", "rwcu"),
    "randevu.revenue.consolidated": ("", "r"),
    "randevu.pos.refund.wizard": ("", ""),  # POS users (cashiers)
    "randevu.pos.pin.attempt": ("", ""),  # read by POS managers, written by the server only
    "randevu.tip.payout.wizard": ("", "rwcu"),
    "randevu.tip.payout.wizard.line": ("", "rwcu"),
    "randevu.conversation": ("rwc", "rwcu"),
    "randevu.inbox.event": ("", "r"),
    "randevu.send.document": ("rwcu", "rwcu"),
    "randevu.assistant.faq": ("r", "rwcu"),
    "randevu.consent": ("rc", "rwcu"),
    "randevu.consent.event": ("rc", "rc"),
    "randevu.consent.record": ("rwcu", "rwcu"),
    "randevu.consent.export": ("", "rwcu"),
    "randevu.segment": ("r", "rwcu"),
    "randevu.marketing.automation": ("r", "rwcu"),
    "randevu.marketing.automation.send": ("r", "r"),
    "randevu.client.interval": ("r", "r"),
    "randevu.marketing.cap.mark": ("", ""),  # read by Settings administrators, written by the server only
    "randevu.service.consumable": ("r", "rwcu"),
    "randevu.appointment.consumable": ("rwcu", "rwcu"),
    "randevu.label.wizard": ("rwcu", "rwcu"),
    "randevu.label.wizard.line": ("rwcu", "rwcu"),
    "randevu.transfer.wizard": ("", ""),  # inventory users
    "randevu.transfer.wizard.line": ("", ""),
    "randevu.scan.wizard": ("", ""),  # inventory users
    "randevu.scan.wizard.line": ("", ""),
    "randevu.consumption.report": ("", "r"),
}
# The public user reads no Randevu record, except the service staff lines of its
# website's company (the booking pages); the API needs a login anyway.
PUBLIC_READS = {"randevu.service.staff"}


@tagged("post_install", "-at_install")
class TestApiAccess(RandevuBookingCase):
    """Every Randevu model read, written, created and deleted through /web/dataset/call_kw
    as a staff member (Bruno), a portal customer (Paula) and an anonymous visitor: the
    records and fields each gets are exactly those of TABLE. Bruno and Paula must never
    see Anna's customer Burak, nor the team's notes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        staff = "base.group_user,randevu_calendar.group_randevu_staff"
        cls.bruno_user = cls.make_user("api_bruno", staff, cls.branch)
        cls.anna_user = cls.make_user("api_anna", staff, cls.branch)
        cls.bruno.user_id, cls.anna.user_id = cls.bruno_user, cls.anna_user
        cls.portal_user = cls.make_user("api_paula", "base.group_portal", cls.branch)
        cls.paula = cls.portal_user.partner_id
        cls.paula.write({"name": "Paula Portal", "randevu_customer_note": "Paula's profile note"})
        cls.burak = cls.env["res.partner"].create({"name": "Burak Çelik", "phone": "+905321112233"})
        cls.blow_dry = cls._make_service("Blow-dry", 0.5, cls.anna | cls.bruno)
        book = cls.env["randevu.appointment"].create
        values = {"company_id": cls.branch.id, "source": "website"}
        cls.bruno_appointment = book(
            dict(
                values,
                service_id=cls.haircut.id,
                employee_id=cls.bruno.id,
                start=cls.local(cls.day, 10),
                partner_id=cls.customer.id,
                internal_note="Bruno's own customer",
            )
        )
        cls.burak_appointment = book(
            dict(
                values,
                service_id=cls.blow_dry.id,
                employee_id=cls.anna.id,
                start=cls.local(cls.day, 10),
                partner_id=cls.burak.id,
                customer_note="Burak's allergy",
                internal_note="Only the team sees this",
            )
        )
        cls.paula_appointment = book(
            dict(
                values,
                service_id=cls.haircut.id,
                employee_id=cls.anna.id,
                start=cls.local(cls.day, 15),
                partner_id=cls.paula.id,
                internal_note="Only the team sees this",
            )
        )
        Waitlist = cls.env["randevu.waitlist"]
        for employee, partner in ((cls.anna, cls.burak), (cls.bruno, cls.customer)):
            Waitlist.create(
                {
                    "company_id": cls.branch.id,
                    "service_id": cls.haircut.id,
                    "employee_id": employee.id,
                    "partner_id": partner.id,
                    "day": cls.day,
                }
            )
        # Time freed on that day, queued for the waitlist cron: internal, none of the API's.
        cls.env["randevu.waitlist.freed"]._randevu_queue({(cls.branch.id, cls.day): [cls.local(cls.day, 11)]})
        # Strings a role must find in no answer of the API.
        cls.secrets = {
            "staff": ("Burak", "Paula", "Only the team sees this", "Paula's profile note"),
            "portal": ("Burak", "Chloé", "Only the team sees this", "Paula's profile note", "Bruno's own customer"),
        }
        cls.users = {"staff": cls.bruno_user, "portal": cls.portal_user}

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def answer_text(answer):
        """The JSON text of an API answer, where no secret may stand in any form."""
        return json.dumps(answer, ensure_ascii=False)

    def expected_rows(self, model, role):
        substitutes = {"uid": self.users[role].id, "partner": self.paula.id, "branch": self.branch.id}
        domain = [
            (leaf[0], leaf[1], substitutes.get(leaf[2], leaf[2])) if isinstance(leaf, tuple) else leaf
            for leaf in TABLE[model][role][0]
        ]
        return self.env[model].sudo().search(domain)

    def assert_no_secret(self, role, text, what):
        for secret in self.secrets[role]:
            self.assertNotIn(json.dumps(secret)[1:-1], text, f"{what} shows {secret!r}")
            self.assertNotIn(secret, text, f"{what} shows {secret!r}")

    def randevu_models(self):
        return self.env["ir.model"].search([("model", "=like", "randevu.%")]).mapped("model")

    # ------------------------------------------------------------------ the table
    def test_every_randevu_model_is_in_the_table(self):
        for model in self.randevu_models():
            with self.subTest(model=model):
                self.assertIn(model, TABLE, "a new Randevu model: add it to the README's table and to TABLE")
                self.assertEqual(self.env[model]._abstract, TABLE[model] == ABSTRACT)

    def test_staff_and_portal_read_write_create_delete_as_the_readme_says(self):
        for role in ("staff", "portal"):
            login = self.users[role].login
            self.authenticate(login, login)
            for model in self.randevu_models():
                if TABLE.get(model, ABSTRACT) == ABSTRACT:
                    continue
                with self.subTest(role=role, model=model):
                    self.assert_model_access(role, model)

    def assert_model_access(self, role, model):
        everything = self.env[model].sudo().search([])
        entry = TABLE[model][role]
        if entry is NONE:
            answer = self.call_kw(model, "search_read", [], ["id"])
            self.assert_access_error(answer, f"{role} search_read {model}")
            if everything:
                answer = self.call_kw(model, "read", everything[:5].ids, ["id"])
                self.assert_access_error(answer, f"{role} read {model}")
            return
        _domain, perms, hidden = entry
        rows = self.expected_rows(model, role)
        all_fields = self.env[model].sudo().fields_get(attributes=["type", "relation"])
        readable = [name for name in all_fields if name not in hidden]
        answer = self.call_kw(model, "search_read", [], readable)
        text = self.answer_text(answer)
        self.assertNotIn("error", answer, f"{role} search_read {model}: {answer.get('error')}")
        self.assertEqual(sorted(row["id"] for row in answer["result"]), sorted(rows.ids), f"{role}: {model} rows")
        self.assert_no_secret(role, text, f"{role} search_read {model}")
        appointments = self.expected_rows("randevu.appointment", role).ids
        for name, field in all_fields.items():
            if field.get("relation") == "randevu.appointment" and name in readable:
                for row in answer["result"]:
                    value = row[name]
                    ids = value[:1] if field["type"] == "many2one" and value else value or []
                    self.assertLessEqual(set(ids), set(appointments), f"{role}: {model}.{name} of another's")
        # Each field alone on every record of the model: refused exactly when hidden.
        known = everything.ids
        for name in all_fields:
            answer = self.call_kw(model, "read", rows.ids or known[:1], [name])
            text = self.answer_text(answer)
            if name in hidden:
                self.assert_access_error(answer, f"{role} read {model}.{name}")
            elif rows:
                self.assertNotIn("error", answer, f"{role} read {model}.{name}: {answer.get('error')}")
                self.assert_no_secret(role, text, f"{role} read {model}.{name}")
        others = everything - rows
        if others:
            answer = self.call_kw(model, "read", others[:5].ids, ["id"])
            self.assert_access_error(answer, f"{role} read another's {model}")
        # Write, create, delete: the access rights and record rules, asked through the API.
        for operation, letter in (("write", "w"), ("unlink", "u")):
            if rows:
                answer = self.call_kw(model, "has_access", rows.ids, operation)
                self.assertEqual(answer["result"], letter in perms, f"{role} may {operation} {model}")
        answer = self.call_kw(model, "has_access", [], "create")
        self.assertEqual(answer["result"], "c" in perms, f"{role} may create {model}")

    def test_customer_fields_on_the_partner(self):
        """Bruno reads Anna's customer Burak as any internal user reads a contact: not the
        notes, none of Burak's appointments, counts of his own appointments only (none).
        Paula reads herself: her appointments, not the team's notes nor the counts."""
        names = [name for name in self.env["res.partner"]._fields if name.startswith("randevu_")]
        for role, partner in (("staff", self.burak), ("portal", self.paula)):
            login = self.users[role].login
            self.authenticate(login, login)
            for name in names:
                with self.subTest(role=role, field=name):
                    answer = self.call_kw("res.partner", "read", partner.ids, [name])
                    text = self.answer_text(answer)
                    if name in PARTNER_HIDDEN[role]:
                        self.assert_access_error(answer, f"{role} read res.partner.{name}")
                    else:
                        self.assertNotIn("error", answer, answer.get("error"))
                        self.assert_no_secret(role, text.replace("Burak", "") if role == "staff" else text, name)
            answer = self.call_kw("res.partner", "read", partner.ids, ["randevu_appointment_ids"])
            own = self.paula_appointment.ids if role == "portal" else []
            self.assertEqual(answer["result"][0]["randevu_appointment_ids"], own)
        self.authenticate("api_bruno", "api_bruno")
        answer = self.call_kw("res.partner", "read", self.burak.ids, ["randevu_visit_count", "randevu_total_spent"])
        self.assertEqual(answer["result"][0]["randevu_visit_count"], 0, "Anna's visits are not counted for Bruno")
        self.assertEqual(answer["result"][0]["randevu_total_spent"], 0)

    def test_receptionist_and_manager_rights(self):
        """The User and Manager columns: their access rights per model (rows: every row
        of their branches, see TestSecurity)."""
        receptionist = self.make_user("api_rec", "base.group_user,randevu_calendar.group_randevu_user", self.branch)
        manager = self.make_user("api_mgr", "base.group_user,randevu_calendar.group_randevu_manager", self.branch)
        for model in self.randevu_models():
            if TABLE.get(model) == ABSTRACT:
                continue
            for user, rights in zip((receptionist, manager), OFFICE_RIGHTS[model], strict=True):
                for operation, letter in (("read", "r"), ("write", "w"), ("create", "c"), ("unlink", "u")):
                    with self.subTest(model=model, user=user.login, operation=operation):
                        self.assertEqual(self.env[model].with_user(user).has_access(operation), letter in rights)
        self.assertEqual(
            self.env["randevu.appointment.segment"].with_user(receptionist).search([]).appointment_id,
            self.bruno_appointment | self.burak_appointment | self.paula_appointment,
            "a receptionist reads every busy time of the branch",
        )

    def test_refused_changes_change_nothing(self):
        """The table's "no" tried for real: a staff member deletes her own appointment,
        writes another's, writes busy time; the customer writes her own appointment."""
        self.authenticate("api_bruno", "api_bruno")
        answer = self.call_kw("randevu.appointment", "unlink", self.bruno_appointment.ids)
        self.assert_access_error(answer, "staff unlink")
        answer = self.call_kw("randevu.appointment", "write", self.burak_appointment.ids, {"internal_note": "x"})
        self.assert_access_error(answer, "staff write another's")
        segment = self.bruno_appointment.segment_ids[:1]
        answer = self.call_kw("randevu.appointment.segment", "write", segment.ids, {"start": "2030-01-01"})
        self.assert_access_error(answer, "staff write busy time")
        self.authenticate("api_paula", "api_paula")
        answer = self.call_kw("randevu.appointment", "write", self.paula_appointment.ids, {"state": "cancelled"})
        self.assert_access_error(answer, "portal write")
        answer = self.call_kw("randevu.appointment", "read", self.paula_appointment.ids, ["internal_note"])
        self.assert_access_error(answer, "portal internal_note")
        self.assertRecordValues(
            self.bruno_appointment | self.burak_appointment | self.paula_appointment,
            [
                {"state": "booked", "internal_note": "Bruno's own customer"},
                {"state": "booked", "internal_note": "Only the team sees this"},
                {"state": "booked", "internal_note": "Only the team sees this"},
            ],
        )
        self.assertTrue(self.bruno_appointment.exists() and segment.exists())

    def test_busy_time_names_no_customer(self):
        """Bruno's own busy time is called "Busy", and the Day planner still draws Anna's
        appointments as anonymous busy time for him."""
        self.authenticate("api_bruno", "api_bruno")
        answer = self.call_kw("randevu.appointment.segment", "search_read", [], ["display_name", "appointment_id"])
        self.assertEqual({row["display_name"] for row in answer["result"]}, {"Busy"})
        self.assertEqual({row["appointment_id"][0] for row in answer["result"]}, set(self.bruno_appointment.ids))
        answer = self.call_kw("randevu.day.planner", "get_day", branch_id=self.branch.id, day=str(self.day))
        text = self.answer_text(answer)
        self.assertNotIn("error", answer, answer)
        self.assert_no_secret("staff", text, "the Day planner")
        anna = next(column for column in answer["result"]["staff"] if column["id"] == self.anna.id)
        self.assertTrue(anna["busy"], "Anna's appointments are busy time")
        self.assertEqual([block["id"] for block in answer["result"]["appointments"]], self.bruno_appointment.ids)

    def test_public_reads_nothing(self):
        """No session: the API refuses every model; the public user's own rights (the
        website's pages) read only the service staff lines."""
        self.authenticate(None, None)
        public = self.env.ref("base.public_user")
        for model in self.randevu_models():
            with self.subTest(model=model):
                if TABLE.get(model) != ABSTRACT:
                    answer = self.call_kw(model, "search_read", [], [])
                    text = self.answer_text(answer)
                    self.assertEqual(answer["error"]["code"], 100, "Odoo Session Expired")
                    self.assertNotIn("result", answer)
                    for leak in ("Traceback", "debug", ".py"):
                        self.assertNotIn(leak, text)
                for operation in ("read", "write", "create", "unlink"):
                    allowed = operation == "read" and model in PUBLIC_READS
                    self.assertEqual(self.env[model].with_user(public).has_access(operation), allowed, operation)
