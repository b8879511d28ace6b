from odoo import models
from odoo.tools import SQL


class MailingList(models.Model):
    """Mailings to mailing lists (recipients: mailing.contact) are marketing too: a list
    contact is reached only when a customer's marketing consent for that channel is granted
    for that very address (email, or mobile number for SMS) and still applies (it is the
    customer's current address). Subscribing to a list is not a consent. Checked at send
    time, batch by batch (the composers name the batch's contacts in the context key
    `randevu_mailing_batch_ids`), in one query, on top of the lists' own opt-outs."""

    _inherit = "mailing.list"

    def _randevu_unconsented_contacts(self, mailing, channel):
        """Rows (contact id, address) of the mailing's contacts (the batch's when given)
        without a consent for `channel` that applies to their address."""
        contact_ids = self.env.context.get("randevu_mailing_batch_ids")
        if contact_ids is None:
            contact_ids = self.env["mailing.contact"].search(mailing._get_recipients_domain()).ids
        if not contact_ids:
            return []
        column = SQL.identifier("email_normalized" if channel == "email" else "phone_sanitized")
        self.env["mailing.contact"].flush_model(["email_normalized", "phone_sanitized"])
        self.env["res.partner"].flush_model(["email_normalized", "phone_sanitized"])
        self.env["randevu.consent"].flush_model(["state", "address", "partner_id", "channel", "purpose"])
        self.env.cr.execute(
            SQL(
                """
                SELECT contact.id, contact.%(column)s
                  FROM mailing_contact contact
                 WHERE contact.id = ANY(%(ids)s)
                   AND NOT EXISTS (
                       SELECT 1
                         FROM randevu_consent consent
                         JOIN res_partner partner ON partner.id = consent.partner_id
                        WHERE consent.channel = %(channel)s AND consent.purpose = 'marketing'
                          AND consent.state = 'granted'
                          AND consent.address = contact.%(column)s
                          AND partner.%(column)s = consent.address)
                """,
                column=column,
                ids=list(contact_ids),
                channel=channel,
            )
        )
        return self.env.cr.fetchall()

    def _mailing_get_opt_out_list(self, mailing):
        opt_out = set(super()._mailing_get_opt_out_list(mailing))
        # The contacts without an address are refused by mass_mailing already.
        unconsented = self._randevu_unconsented_contacts(mailing, "email")
        return opt_out | {address for _contact, address in unconsented if address}

    def _mailing_get_opt_out_list_sms(self, mailing):
        opt_out = super()._mailing_get_opt_out_list_sms(mailing)
        unconsented = self._randevu_unconsented_contacts(mailing, "sms")
        return list(set(opt_out) | {contact for contact, _address in unconsented})
