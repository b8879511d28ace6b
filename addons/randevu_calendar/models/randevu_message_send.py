from collections import defaultdict

from odoo import models
from odoo.fields import Command
from odoo.tools import plaintext2html
from odoo.tools.mail import generate_tracking_message_id


class RandevuMessage(models.Model):
    """The channel senders of randevu.message: each channel's batch sender
    (`_randevu_send_<channel>`), the rendering of templates for the recipients of a
    batch, and what goes along (the .ics)."""

    # One model, one file per concern (issue 11): record and policy, senders, crons.
    _inherit = "randevu.message"  # pylint: disable=consider-merging-classes-inherited

    def _randevu_send_email(self):
        """Queue these messages as emails (mail.mail, sent by Odoo's mail queue) with their
        chatter message and mail.notification (bounces and send failures land there).

        A fixed number of queries per template, whatever the number of messages: the
        templates are rendered for every appointment at once and the rows created in
        batches. :return: {message id: mail.message id}
        """
        logged = {}
        note_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        for template, messages in self._randevu_by_template().items():
            appointments = messages.appointment_id
            rendered = {}
            for layer, layer_template in messages._randevu_render_layers(template):
                layer_rendered = layer_template._generate_template(
                    layer.appointment_id.ids, ("subject", "body_html", "email_from", "reply_to")
                )
                rendered.update((message.id, layer_rendered[message.appointment_id.id]) for message in layer)
            reply_to = appointments._notify_get_reply_to()
            alias_domains = appointments._mail_get_alias_domains()
            attachments = messages._randevu_attachments()
            values_list = []
            for message in messages:
                appointment = message.appointment_id
                values = rendered[message.id]
                author = appointment.company_id.partner_id
                email_from = (
                    values.get("email_from")
                    or author.email_formatted
                    or alias_domains[appointment.id].default_from_email
                )
                values_list.append(
                    {
                        "model": appointment._name,
                        "res_id": appointment.id,
                        "record_name": appointment.name,
                        "record_company_id": appointment.company_id.id,
                        "record_alias_domain_id": alias_domains[appointment.id].id,
                        "message_type": "auto_comment",
                        "subtype_id": note_id,
                        "author_id": author.id,
                        "email_from": email_from,
                        "reply_to": values.get("reply_to") or reply_to[appointment.id],
                        "message_id": generate_tracking_message_id("randevu"),
                        "subject": values.get("subject"),
                        "body": values["body_html"],
                        "body_html": values["body_html"],
                        "partner_ids": [Command.link(message.partner_id.id)],
                        "recipient_ids": [Command.link(message.partner_id.id)],
                        "attachment_ids": [Command.link(att.id) for att in attachments.get(message.id, [])],
                        "is_notification": True,
                        "auto_delete": True,
                    }
                )
            mails = self.env["mail.mail"].sudo().create(values_list)
            self.env["mail.notification"].sudo().create(
                [
                    {
                        "author_id": mail.author_id.id,
                        "mail_message_id": mail.mail_message_id.id,
                        "mail_mail_id": mail.id,
                        "res_partner_id": message.partner_id.id,
                        "notification_type": "email",
                        "notification_status": "ready",
                        "is_read": True,
                    }
                    for message, mail in zip(messages, mails, strict=True)
                ]
            )
            logged.update(zip(messages.ids, mails.mail_message_id.ids, strict=True))
        if logged:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return logged

    def _randevu_send_sms(self):
        """Queue these messages as texts (sms.sms, sent by Odoo's SMS queue through IAP)
        with their chatter message and mail.notification (IAP errors and delivery
        reports land there). Batched like _randevu_send_email.
        :return: {message id: mail.message id}"""
        logged = {}
        note_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        for template, messages in self._randevu_by_template().items():
            bodies = {}
            for layer, layer_template in messages._randevu_render_layers(template):
                layer_bodies = layer_template._render_field("body", layer.appointment_id.ids, compute_lang=True)
                bodies.update((message.id, layer_bodies[message.appointment_id.id]) for message in layer)
            chatter = (
                self.env["mail.message"]
                .sudo()
                .create(
                    [
                        {
                            "model": message.appointment_id._name,
                            "res_id": message.appointment_id.id,
                            "record_name": message.appointment_id.name,
                            "record_company_id": message.company_id.id,
                            "message_type": "sms",
                            "subtype_id": note_id,
                            "author_id": message.company_id.partner_id.id,
                            "email_from": message.company_id.partner_id.email_formatted,
                            "reply_to": False,
                            "message_id": generate_tracking_message_id("randevu-sms"),
                            "body": plaintext2html(bodies[message.id]),
                            "partner_ids": [Command.link(message.partner_id.id)],
                        }
                        for message in messages
                    ]
                )
            )
            texts = (
                self.env["sms.sms"]
                .sudo()
                .create(
                    [
                        {
                            "number": self._randevu_mobile_number(message.partner_id),
                            "body": bodies[message.id],
                            "partner_id": message.partner_id.id,
                            "mail_message_id": chatter_message.id,
                            "state": "outgoing",
                        }
                        for message, chatter_message in zip(messages, chatter, strict=True)
                    ]
                )
            )
            self.env["mail.notification"].sudo().create(
                [
                    {
                        "author_id": chatter_message.author_id.id,
                        "mail_message_id": chatter_message.id,
                        "res_partner_id": text.partner_id.id,
                        "sms_number": text.number,
                        "notification_type": "sms",
                        "sms_id_int": text.id,
                        "sms_tracker_ids": [Command.create({"sms_uuid": text.uuid})],
                        "notification_status": "ready",
                        "is_read": True,
                    }
                    for chatter_message, text in zip(chatter, texts, strict=True)
                ]
            )
            logged.update(zip(messages.ids, chatter.ids, strict=True))
        if logged:
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
        return logged

    def _randevu_render_layers(self, template):
        """[(messages, template)]: `self` cut into layers holding each appointment at
        most once, each with `template` set to render it for the layer's recipients.

        A template renders once per appointment; the attendees of a group class all
        get a message about the same appointment, so the k-th attendee message of
        each appointment goes in the k-th layer, rendered with the context key
        `randevu_recipients` ((appointment id, partner id), ...) that names the
        recipient of each attendee message (see randevu.appointment.msg_customer).
        Customer messages of individual appointments are all in the first layer.
        """
        layers = []
        seen = defaultdict(int)
        for message in self:
            index = seen[message.appointment_id.id]
            seen[message.appointment_id.id] += 1
            if index == len(layers):
                layers.append(self.browse())
            layers[index] |= message
        result = []
        for layer in layers:
            recipients = tuple(
                sorted(
                    (message.appointment_id.id, message.partner_id.id)
                    for message in layer
                    if message._randevu_is_attendee_message()
                )
            )
            result.append((layer, template.with_context(randevu_recipients=recipients) if recipients else template))
        return result

    def _randevu_attachments(self):
        """{message id: ir.attachment} to send along: an .ics of the appointment (or of
        the series or visit it confirms) with confirmations and change notices."""
        result = {}
        with_ics = self.filtered(lambda msg: msg.kind in ("confirmation", "reschedule"))
        if not with_ics:
            return result
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{message.appointment_id._randevu_ics_name()}.ics",
                        "raw": message._randevu_recipient_appointment().randevu_bundle_ids._randevu_ics(),
                        "mimetype": "text/calendar",
                        "res_model": message.appointment_id._name,
                        "res_id": message.appointment_id.id,
                    }
                    for message in with_ics
                ]
            )
        )
        return dict(zip(with_ics.ids, attachments, strict=True))

    def _randevu_recipient_appointment(self):
        """The message's appointment as its recipient sees it (an attendee of a group
        class gets no manage link of the whole session)."""
        self.ensure_one()
        if not self._randevu_is_attendee_message():
            return self.appointment_id
        return self.appointment_id.with_context(randevu_recipients=((self.appointment_id.id, self.partner_id.id),))
