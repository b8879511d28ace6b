from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _get_optout_record_ids(self, records, recipients_info):
        """The consent filter (res.partner._mailing_get_opt_out_list_sms) reads only the
        contacts being sent to (one query), not the whole segment again."""
        if self.composition_mode == "mass" and self.mailing_id and records._name in ("res.partner", "mailing.contact"):
            self = self.with_context(randevu_mailing_batch_ids=records.ids)
        return super()._get_optout_record_ids(records, recipients_info)

    def _get_done_record_ids(self, records, recipients_info):
        """mass_mailing_sms's duplicate check (`mailing.mailing._get_seen_list_sms`) reads
        only the composer's recipients already reached by the mailing, not every one of
        them (a list searched once per recipient)."""
        if self.composition_mode == "mass" and self.mailing_id:
            self = self.with_context(randevu_mailing_batch_ids=records.ids)
        return super()._get_done_record_ids(records, recipients_info)

    def _prepare_mass_sms_values(self, records):
        """Per batch of an SMS mailing to contacts or to mailing lists: those over their branch's frequency cap
        get a cancelled text and trace, failure *Frequency cap* (as mass_mailing_sms cancels
        the opted-out ones)."""
        result = super()._prepare_mass_sms_values(records)
        if self.composition_mode != "mass" or not self.mailing_id:
            return result
        going = [res_id for res_id, values in result.items() if values["state"] == "outgoing"]
        if records._name == "res.partner":
            capped = self.mailing_id._randevu_capped_partner_ids(going)
        elif records._name == "mailing.contact":
            # A mailing to mailing lists: the list contacts, mapped to customers by address.
            capped = self.mailing_id._randevu_capped_contact_ids(going)
        else:
            return result
        for res_id in capped:
            values = result[res_id]
            values.update(state="canceled", failure_type="sms_frequency_cap")
            for command in values.get("mailing_trace_ids") or []:
                command[2].update(trace_status="cancel", failure_type="sms_frequency_cap")
        return result

    def _prepare_mass_sms(self, records, sms_record_values):
        """mass_mailing_sms makes a text for each recipient of a mailing, even those it
        cancels before sending (no consent, frequency cap, blacklist, duplicate, no
        number). Those get only their trace (status *Cancelled*, their failure type, one
        create for the composer; no delivery tracker, there is nothing to deliver) and no
        text. Not when the mailing keeps a log of every text on its documents."""
        if self.composition_mode != "mass" or not self.mailing_id or self.mass_keep_log:
            return super()._prepare_mass_sms(records, sms_record_values)
        traces, kept = [], []
        for record in records:
            values = sms_record_values[record.id]
            commands = values.get("mailing_trace_ids") or []
            if values["state"] == "canceled" and commands:
                traces += [
                    {key: value for key, value in command[2].items() if key != "sms_tracker_ids"}
                    for command in commands
                ]
            else:
                kept.append(record.id)
        if traces:
            # sudo: as the texts they stand for (sms.composer creates them as sudo).
            self.env["mailing.trace"].sudo().create(traces)
        return super()._prepare_mass_sms(records.browse(kept), sms_record_values)
