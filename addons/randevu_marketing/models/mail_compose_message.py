from odoo import models

# Emails per batch (one transaction each) of a mailing sent by mailing.mailing: mass_mailing's
# 50 made a campaign spend a seventh of its time on each batch's own costs (its queries, its
# commit, the cache read again). The system parameter `mail.batch_size`, when set, still
# decides, as in Odoo.
MAILING_BATCH_SIZE = 500


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @property
    def _batch_size(self):
        if self.env.context.get("randevu_mailing_batches"):
            return MAILING_BATCH_SIZE
        return super()._batch_size

    def _process_mail_values_state(self, mail_values_dict):
        # The batch's recipients, computed once for the batch (see _get_recipients_data).
        composer = self.with_context(randevu_recipients_memo={})
        result = super(MailComposeMessage, composer)._process_mail_values_state(mail_values_dict)
        if self.env.context.get("randevu_trace_cancelled"):
            # Those cancelled get only their trace (see _randevu_trace_cancelled): their
            # body is not wrapped in mass_mailing's layout (a QWeb rendering each).
            for values in result.values():
                if values.get("state") == "cancel" and not values.get("is_notification"):
                    values.pop("body_html", None)
        return result

    def _get_recipients_data(self, mail_values_dict):
        memo = self.env.context.get("randevu_recipients_memo")
        if memo is None:
            return super()._get_recipients_data(mail_values_dict)
        if id(mail_values_dict) not in memo:
            memo[id(mail_values_dict)] = super()._get_recipients_data(mail_values_dict)
        return memo[id(mail_values_dict)]

    def _get_optout_emails(self, mail_values_dict):
        """mass_mailing asks the opt-out list of the whole mailing for each batch: for a
        mailing to contacts or lists, the consent filter (res.partner's and mailing.list's
        _mailing_get_opt_out_list) is told the batch's contacts, so that it reads only them (one query per batch,
        not the whole segment again for each batch)."""
        batch_models = ("res.partner", "mailing.contact")
        if self.composition_mode == "mass_mail" and self.mass_mailing_id and self.model in batch_models:
            self = self.with_context(randevu_mailing_batch_ids=list(mail_values_dict))
        return super()._get_optout_emails(mail_values_dict)

    def _get_done_emails(self, mail_values_dict):
        """mass_mailing's duplicate check (`mailing.mailing._get_seen_list`) read every
        address the mailing already reached, at each batch, into a list searched once per
        recipient: a campaign's batches grew slower with its size. Only the batch's
        addresses can match, so only they are looked up (same result, one indexed query)."""
        if self.composition_mode == "mass_mail" and self.mass_mailing_id:
            recipients = self._get_recipients_data(mail_values_dict)
            emails = {email for info in recipients.values() for email in info["mail_to_normalized"]}
            self = self.with_context(randevu_seen_emails=sorted(emails))
        return super()._get_done_emails(mail_values_dict)

    def _action_send_mail_mass_mail(self, res_ids, auto_commit=False):
        # Here the batches' values go to mail.mail.create: a mailing's cancelled
        # recipients get only their trace (see _prepare_mail_values).
        if self.mass_mailing_id and self.env.context.get("randevu_mailing_batches"):
            self = self.with_context(randevu_trace_cancelled=True)
        return super()._action_send_mail_mass_mail(res_ids, auto_commit=auto_commit)

    def _prepare_mail_values(self, res_ids):
        """Per batch of a mailing to contacts or to mailing lists: those over their branch's
        frequency cap are cancelled, failure *Frequency cap* (as mass_mailing cancels the
        opted-out ones).

        A mailing's batch (see _action_send_mail_mass_mail): its cancelled recipients (no
        consent, frequency cap, blacklist, duplicate, no address) get their trace here and
        no email; only the others' values are returned (see _randevu_trace_cancelled)."""
        mail_values_all = super()._prepare_mail_values(res_ids)
        if self.composition_mode != "mass_mail" or not self.mass_mailing_id:
            return mail_values_all
        going = [res_id for res_id, values in mail_values_all.items() if values.get("state") != "cancel"]
        capped = []
        if self.model == "res.partner":
            capped = self.mass_mailing_id._randevu_capped_partner_ids(going)
        elif self.model == "mailing.contact":
            # A mailing to mailing lists: the list contacts, mapped to customers by address.
            capped = self.mass_mailing_id._randevu_capped_contact_ids(going)
        for res_id in capped:
            values = mail_values_all[res_id]
            values.update(state="cancel", failure_type="mail_frequency_cap")
            for command in values.get("mailing_trace_ids") or []:
                command[2].update(trace_status="cancel", failure_type="mail_frequency_cap")
        if self.env.context.get("randevu_trace_cancelled"):
            mail_values_all = self._randevu_trace_cancelled(mail_values_all)
        return mail_values_all

    def _randevu_trace_cancelled(self, mail_values_all):
        """mass_mailing makes an email, and the message behind it, for each recipient of a
        mailing, even those it cancels before sending: most of a campaign's time when most
        customers have no consent. Creates the traces of the cancelled ones of
        `mail_values_all` (those mail.mail's create would make: status *Cancelled*, their
        failure type), one create for the batch, and returns the values of the others, the
        emails to create. An email kept as a log on its document (`is_notification`) is
        left to Odoo."""
        traces, kept = [], {}
        for res_id, values in mail_values_all.items():
            commands = values.get("mailing_trace_ids") or []
            if values.get("state") == "cancel" and commands and not values.get("is_notification"):
                traces += [command[2] for command in commands]
            else:
                kept[res_id] = values
        if traces:
            # sudo: as the emails they stand for (mail.compose.message creates them as sudo).
            self.env["mailing.trace"].sudo().create(traces)
        return kept
