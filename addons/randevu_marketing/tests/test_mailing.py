from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sms.tests.common import MockSMS

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestMailingConsent(ConsentMixin, MockEmail, MockSMS, TransactionCase):
    """A mailing to contacts reaches only those with a granted consent for its channel
    and their current address, checked when it is sent (mass_mailing's opt-out hooks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.ayse | cls.chloe | cls.emre

    def mailing(self, mailing_type="mail"):
        values = {
            "name": "Spring offer",
            "subject": "Spring offer",
            "mailing_type": mailing_type,
            "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "mailing_domain": repr([("id", "in", self.customers.ids)]),
            "body_html": "<p>20% off colours. <a href='/unsubscribe_from_list'>Unsubscribe</a></p>",
            "body_plaintext": "20% off colours",
            "email_from": "salon@example.com",
        }
        return self.env["mailing.mailing"].create(values)

    def sent_to(self, mailing):
        traces = mailing.mailing_trace_ids
        return traces.filtered(lambda trace: trace.trace_status not in ("cancel", "error")).mapped("res_id")

    def test_email_mailing_reaches_only_granted_consents_at_send_time(self):
        self.grant(self.ayse, "email")
        self.grant(self.chloe, "email")
        self.grant(self.emre, "sms")  # SMS only: no email
        mailing = self.mailing()
        # Between preparing the mailing and sending it, Chloé withdraws.
        self.withdraw(self.chloe, "email", source="portal")
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self.sent_to(mailing), self.ayse.ids)
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        outgoing = mails.filtered(lambda mail: mail.state != "cancel")
        self.assertEqual(outgoing.mapped("res_id"), self.ayse.ids, "one email created to send, Ayşe's")
        cancelled = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(sorted(cancelled.mapped("res_id")), sorted((self.chloe | self.emre).ids))
        self.assertEqual(set(cancelled.mapped("failure_type")), {"mail_optout"})

    def test_cancelled_recipients_get_only_their_trace(self):
        """A recipient cancelled before sending (no consent, no address) gets her trace,
        status *Cancelled* with its failure type and the Message-ID mass_mailing gave it,
        and no email nor message: only the one to send is made."""
        self.grant(self.ayse, "email")
        self.withdraw(self.chloe, "email", source="portal")
        nobody = self.env["res.partner"].create({"name": "No address"})
        self.customers |= nobody
        mailing = self.mailing()
        Message = self.env["mail.message"].sudo()
        messages = Message.search_count([])
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        traces = mailing.mailing_trace_ids
        self.assertEqual(sorted(traces.mapped("res_id")), sorted(self.customers.ids), "one trace each")
        failures = {trace.res_id: (trace.trace_status, trace.failure_type) for trace in traces}
        self.assertEqual(
            failures,
            {
                self.ayse.id: ("sent", False),
                self.chloe.id: ("cancel", "mail_optout"),
                self.emre.id: ("cancel", "mail_optout"),
                nobody.id: ("cancel", "mail_email_missing"),
            },
        )
        cancelled = traces.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(
            {trace.res_id: trace.email or False for trace in cancelled},
            {self.chloe.id: "chloe@example.com", self.emre.id: "emre@example.com", nobody.id: False},
        )
        self.assertTrue(all(cancelled.mapped("message_id")))
        self.assertFalse(cancelled.mail_mail_id)
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(mails.mapped("res_id"), self.ayse.ids)
        self.assertEqual(traces.filtered(lambda trace: trace.res_id == self.ayse.id).mail_mail_id, mails)
        self.assertEqual(Message.search_count([]), messages + 1, "one message, behind Ayşe's email")
        self.assertFalse(mailing._get_remaining_recipients(), "every recipient counted as done")

    def test_cancelled_recipients_cost_no_query_each(self):
        """A mailing's batch costs the same queries whether 3 or 30 of its recipients are
        cancelled: their traces are one create for the batch."""
        Partner = self.env["res.partner"]

        def queries_for(cancelled):
            granted = Partner.create({"name": f"Granted {cancelled}", "email": f"granted{cancelled}@example.com"})
            self.grant(granted, "email")
            others = Partner.create(
                [{"name": f"Client {cancelled} {i}", "email": f"c{cancelled}.{i}@x.example"} for i in range(cancelled)]
            )
            self.customers = granted | others
            mailing = self.mailing()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with self.mock_mail_gateway():
                mailing.action_send_mail()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            traces = mailing.mailing_trace_ids
            self.assertEqual(len(traces.filtered(lambda trace: trace.failure_type == "mail_optout")), cancelled)
            self.assertEqual(self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)]).res_id, granted.id)
            return queries

        queries_for(2)  # warm-up (caches of the registry)
        self.assertEqual(queries_for(3), queries_for(30))

    def test_a_changed_email_is_not_covered_by_the_old_consent(self):
        self.grant(self.ayse, "email")
        self.grant(self.chloe, "email")
        self.ayse.email = "ayse.other@example.com"
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self.sent_to(mailing), self.chloe.ids)

    def test_a_pending_consent_is_not_enough(self):
        self.grant(self.ayse, "email", source="booking_form")
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertFalse(self.sent_to(mailing))

    def test_sms_mailing_reaches_only_granted_sms_consents(self):
        self.grant(self.ayse, "sms")
        self.grant(self.chloe, "sms")
        self.grant(self.emre, "email")
        mailing = self.mailing("sms")
        self.Consent._randevu_handle_reply("+33645019283", "STOP", "sms")
        with self.mockSMSGateway():
            mailing.action_send_sms()
        texts = self.env["sms.sms"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(texts.partner_id, self.ayse, "a text for Ayşe only, none for the cancelled")
        cancelled = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(sorted(cancelled.mapped("res_id")), sorted((self.chloe | self.emre).ids))
        self.assertEqual(set(cancelled.mapped("failure_type")), {"sms_optout"})

    def test_marketing_emails_carry_a_one_click_unsubscribe(self):
        self.grant(self.ayse, "email")
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        mail = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id), ("state", "!=", "cancel")])
        self.assertEqual(len(mail), 1)
        [email] = mail._prepare_outgoing_list()
        url = self.Consent._randevu_unsubscribe_url(self.ayse.id, "email", "ayse@example.com")
        self.assertEqual(email["headers"]["List-Unsubscribe"], f"<{url}>")
        self.assertEqual(email["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn(f'href="{url}"', email["body"], "the body's unsubscribe link")

    def test_consent_checked_batch_by_batch(self):
        """mass_mailing sends to contacts in batches (`mail.batch_size`): each batch is
        filtered by its own contacts' consents, however many batches there are."""
        others = self.env["res.partner"].create(
            [{"name": f"Client {i}", "email": f"client{i}@example.com", "mobile": f"+90532111000{i}"} for i in range(5)]
        )
        self.customers |= others
        self.env["ir.config_parameter"].sudo().set_param("mail.batch_size", 2)
        for partner in self.ayse | others[1] | others[4]:
            self.grant(partner, "email")
        self.grant(others[2], "sms")
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(sorted(self.sent_to(mailing)), sorted((self.ayse | others[1] | others[4]).ids))
        cancelled = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(len(cancelled), 5)
        self.assertEqual(set(cancelled.mapped("failure_type")), {"mail_optout"})

    def test_sms_mailing_sent_in_batches(self):
        """An SMS mailing goes to composers of `randevu_marketing.sms_batch_size` recipients
        (one composer for 50,000 ids failed in Odoo: the ids are kept as text), each batch
        filtered by consent; every recipient gets one text or one cancelled trace."""
        others = self.env["res.partner"].create(
            [{"name": f"Client {i}", "mobile": f"+90532111000{i}"} for i in range(4)]
        )
        self.customers |= others
        for partner in self.ayse | others[:3]:
            self.grant(partner, "sms")
        self.env["ir.config_parameter"].sudo().set_param("randevu_marketing.sms_batch_size", 2)
        mailing = self.mailing("sms")
        with self.mockSMSGateway():
            mailing.action_send_mail()
        composers = self.env["sms.composer"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(len(composers), 4, "7 recipients in composers of 2")
        self.assertEqual(sorted(self.sent_to(mailing)), sorted((self.ayse | others[:3]).ids))
        self.assertEqual(len(mailing.mailing_trace_ids), 7)
        cancelled = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(set(cancelled.mapped("failure_type")), {"sms_optout"})

    def test_opt_out_list_reads_only_the_batch(self):
        """Asked for a batch, the consent filter reads that batch only (not the whole
        mailing's contacts again, which made a campaign's batches grow with its size), in
        one query whatever the size of the batch; an address consented by one contact is
        not refused because another contact of the batch shares it."""
        Partner = self.env["res.partner"]
        many = Partner.create([{"name": f"Client {i}", "email": f"client{i}@example.com"} for i in range(40)])
        twin = Partner.create({"name": "Ayşe (work)", "email": "ayse@example.com"})
        self.customers |= many | twin
        self.grant(self.ayse, "email")
        mailing = self.mailing()
        self.env.flush_all()
        for batch in (self.chloe | self.emre, many, self.ayse | twin | self.chloe):
            with self.subTest(batch=len(batch)), self.assertQueryCount(1):
                opt_out = Partner.with_context(randevu_mailing_batch_ids=batch.ids)._mailing_get_opt_out_list(mailing)
            self.assertEqual(opt_out, set((batch - self.ayse - twin).mapped("email_normalized")))
        # Without a batch (another caller): every contact of the mailing.
        self.assertEqual(len(Partner._mailing_get_opt_out_list(mailing)), 42)
        with self.assertQueryCount(1):
            opt_out = Partner.with_context(randevu_mailing_batch_ids=many.ids)._mailing_get_opt_out_list_sms(mailing)
        self.assertEqual(opt_out, many.ids)

    def test_an_address_reached_in_an_earlier_batch_is_not_mailed_again(self):
        """mass_mailing's duplicate check reads only the batch's addresses (it read every
        address the mailing had reached, at each batch): a contact sharing the address of
        one reached in an earlier batch still gets a cancelled email, not a second one."""
        twin = self.env["res.partner"].create({"name": "Ayşe (work)", "email": "ayse@example.com"})
        self.customers |= twin
        self.grant(self.ayse, "email")
        self.grant(twin, "email")
        self.grant(self.chloe, "email")
        self.env["ir.config_parameter"].sudo().set_param("mail.batch_size", 1)
        mailing = self.mailing()
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        traces = mailing.mailing_trace_ids
        self.assertEqual(len(traces), 4)
        self.assertEqual(len(self.sent_to(mailing)), 2, "Chloé and one of the two Ayşe")
        self.assertIn(self.chloe.id, self.sent_to(mailing))
        duplicate = traces.filtered(lambda trace: trace.failure_type == "mail_dup")
        self.assertEqual(len(duplicate), 1)
        self.assertIn(duplicate.res_id, (self.ayse | twin).ids)
        # Asked for a batch's addresses, the seen list holds those of them already reached.
        batch = ["ayse@example.com", "nobody@example.com"]
        self.assertEqual(mailing.mailing_model_real, "res.partner")  # (the mailing's own fields read first)
        with self.assertQueryCount(1):
            seen = mailing.with_context(randevu_seen_emails=batch)._get_seen_list()
        self.assertEqual(seen, {"ayse@example.com"})
        # (Every trace of the mailing counts, cancelled ones too, as in mass_mailing.)
        self.assertEqual(mailing._get_seen_list(), {"ayse@example.com", "chloe@example.com", "emre@example.com"})

    def test_sms_to_a_customer_already_reached_is_a_duplicate(self):
        """The SMS duplicate check reads only the composer's recipients already reached by
        the mailing: sent again to Ayşe, the mailing gives her a cancelled trace."""
        self.grant(self.ayse, "sms")
        self.grant(self.chloe, "sms")
        mailing = self.mailing("sms")
        with self.mockSMSGateway():
            mailing.action_send_sms(res_ids=self.ayse.ids)
            mailing.action_send_sms(res_ids=(self.ayse | self.chloe).ids)
        texts = self.env["sms.sms"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(len(texts), 2)
        self.assertEqual(texts.filtered(lambda sms: sms.state != "canceled").partner_id, self.ayse | self.chloe)
        traces = mailing.mailing_trace_ids
        self.assertEqual(len(traces), 3)
        duplicate = traces.filtered(lambda trace: trace.failure_type == "sms_duplicate")
        self.assertEqual((duplicate.res_id, duplicate.trace_status), (self.ayse.id, "cancel"))
        batch = (self.ayse | self.emre).ids
        seen_ids, numbers = mailing.with_context(randevu_mailing_batch_ids=batch)._get_seen_list_sms()
        self.assertEqual(seen_ids, self.ayse.ids)
        self.assertEqual(numbers, [self.ayse.phone_sanitized])

    def test_a_body_without_placeholders_is_rendered_once_per_batch(self):
        """A body with nothing of the recipient is rendered once for the whole batch, the
        same as Odoo renders it for each; a personalised one is still rendered for each."""
        for partner in self.customers:
            self.grant(partner, "email")
        Render = self.env["mail.render.mixin"]
        static = "<p>20% off <a href='/book'>book</a><br>See you soon</p>"
        batch = Render._render_template_qweb_regex(static, "res.partner", self.customers.ids)
        self.assertEqual(set(batch), set(self.customers.ids))
        for partner in self.customers:
            alone = Render._render_template_qweb_regex(static, "res.partner", partner.ids)
            self.assertEqual(batch[partner.id], alone[partner.id])
        mailing = self.mailing()
        mailing.body_html = "<p>Hello <t t-out='object.name'/>, 20% off</p>"
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(len(mails), 3)
        for mail in mails:
            self.assertIn(f"Hello {self.env['res.partner'].browse(mail.res_id).name}, 20% off", mail.body_html)

    def test_a_mailing_sends_its_emails_in_batches_of_500(self):
        """A mailing's emails go in batches of 500 (mass_mailing's 50 spent a seventh of a
        campaign's time on each batch's own costs); the system parameter still decides."""
        others = self.env["res.partner"].create(
            [{"name": f"Client {i}", "email": f"client{i}@example.com"} for i in range(3)]
        )
        self.customers |= others
        sizes = []
        Composer = type(self.env["mail.compose.message"])
        original = Composer._prepare_mail_values

        def _prepare_mail_values(composer, res_ids):
            sizes.append(len(res_ids))
            return original(composer, res_ids)

        self.patch(Composer, "_prepare_mail_values", _prepare_mail_values)
        self.assertEqual(self.env["mail.compose.message"]._batch_size, 50, "other mass emails unchanged")
        with self.mock_mail_gateway():
            self.mailing().action_send_mail()
        self.assertEqual(sizes, [6])
        self.assertEqual(self.env["mail.compose.message"].with_context(randevu_mailing_batches=True)._batch_size, 500)
        self.env["ir.config_parameter"].sudo().set_param("mail.batch_size", 4)
        sizes.clear()
        with self.mock_mail_gateway():
            self.mailing().action_send_mail()
        self.assertEqual(sizes, [4, 2])

    def test_mailing_list_contacts_need_a_consent_for_their_address(self):
        """A mailing to a mailing list reaches a list contact only when a customer's
        marketing consent for that channel is granted for the contact's address (email, or
        number for SMS) and still applies; subscribing to the list is not a consent."""
        self.grant(self.ayse, "email")
        self.grant(self.ayse, "sms")
        self.grant(self.emre, "email")
        self.withdraw(self.emre, "email", source="portal")
        self.grant(self.chloe, "email")
        self.chloe.email = "chloe.new@example.com"  # her consent was for the old address
        Contact = self.env["mailing.contact"]
        contacts = Contact.create(
            [
                {"name": "Ayşe", "email": "AYSE@example.com", "mobile": "+905321234567"},
                {"name": "Chloé", "email": "chloe@example.com", "mobile": "+33645019283"},
                {"name": "Emre", "email": "emre@example.com", "mobile": "+905329876543"},
                {"name": "Stranger", "email": "stranger@example.com", "mobile": "+905551112233"},
            ]
        )
        newsletter = self.env["mailing.list"].create({"name": "Newsletter", "contact_ids": [(6, 0, contacts.ids)]})
        values = {
            "name": "News",
            "subject": "News",
            "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
            "contact_list_ids": [(6, 0, newsletter.ids)],
            "body_html": "<p>News</p>",
            "body_plaintext": "News",
            "email_from": "salon@example.com",
        }
        mailing = self.env["mailing.mailing"].create(values)
        self.env["ir.config_parameter"].sudo().set_param("mail.batch_size", 2)
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self.sent_to(mailing), contacts[0].ids)
        cancelled = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(sorted(cancelled.mapped("res_id")), sorted(contacts[1:].ids))
        self.assertEqual(set(cancelled.mapped("failure_type")), {"mail_optout"})
        sms = self.env["mailing.mailing"].create({**values, "name": "News SMS", "mailing_type": "sms"})
        with self.mockSMSGateway():
            sms.action_send_sms()
        texts = self.env["sms.sms"].sudo().search([("mailing_id", "=", sms.id)])
        self.assertEqual(texts.mapped("number"), ["+905321234567"])
        self.assertEqual(len(sms.mailing_trace_ids), 4)
        cancelled = sms.mailing_trace_ids.filtered(lambda trace: trace.trace_status == "cancel")
        self.assertEqual(set(cancelled.mapped("failure_type")), {"sms_optout"})
        # The list's own opt-out still applies on top of the consent.
        newsletter.subscription_ids.filtered(lambda sub: sub.contact_id == contacts[0]).opt_out = True
        again = self.env["mailing.mailing"].create({**values, "name": "News again"})
        with self.mock_mail_gateway():
            again.action_send_mail()
        self.assertFalse(self.sent_to(again))

    def test_a_batch_costs_the_same_queries_whatever_its_size(self):
        """Preparing one batch (mass_mailing's composers, as the queue calls them) for 3 or
        for 30 consented customers takes the same queries: the consent filter and the
        frequency cap are one query each per batch, and the body's link is shortened once
        per sending, not once per recipient (email and SMS)."""
        Partner = self.env["res.partner"]
        link = "https://salon.example.com/book"
        self.branch = self.env.company
        self.branch.write({"randevu_marketing_cap_count": 3, "randevu_marketing_cap_days": 7})

        def queries_to(count, mailing_type):
            partners = Partner.create(
                [
                    {
                        "name": f"Client {count} {i}",
                        "email": f"c{count}.{i}@example.com",
                        "mobile": f"+9053200{count:02}{i:03}",
                    }
                    for i in range(count)
                ]
            )
            for partner in partners:
                self.grant(partner, "sms" if mailing_type == "sms" else "email")
            self.customers = partners
            mailing = self.mailing(mailing_type)
            mailing.write({"body_html": f"<p><a href='{link}'>Book</a></p>", "body_plaintext": f"Book: {link}"})
            # As mailing.mailing._action_send_mail / action_send_sms prepare their composer.
            sending = mailing.with_context(randevu_shorten_cache={})
            if mailing_type == "sms":
                composer = (
                    self.env["sms.composer"]
                    .with_context(sending.env.context, active_id=False)
                    .create(mailing._send_sms_get_composer_values(partners.ids))
                )

                def prepare():
                    values = composer._prepare_mass_sms_values(partners)
                    return [v for v in values.values() if v["state"] == "outgoing"]
            else:
                composer = (
                    self.env["mail.compose.message"]
                    .with_context(
                        sending.env.context,
                        active_ids=partners.ids,
                        default_composition_mode="mass_mail",
                        **mailing._get_mass_mailing_context(),
                    )
                    .create(
                        {
                            "body": mailing.body_html,
                            "composition_mode": "mass_mail",
                            "email_from": mailing.email_from,
                            "mass_mailing_id": mailing.id,
                            "model": "res.partner",
                            "record_name": False,
                            "subject": mailing.subject,
                            "template_id": False,
                        }
                    )
                )

                def prepare():
                    values = composer._prepare_mail_values(partners.ids)
                    return [v for v in values.values() if v.get("state") != "cancel"]

            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            outgoing = prepare()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(len(outgoing), count)
            links = self.env["link.tracker"].search([("mass_mailing_id", "=", mailing.id)])
            self.assertEqual(links.mapped("url"), [link])
            return queries

        for mailing_type in ("mail", "sms"):
            with self.subTest(mailing_type=mailing_type):
                queries_to(2, mailing_type)  # warm-up (caches of the registry)
                self.assertEqual(queries_to(3, mailing_type), queries_to(30, mailing_type))
