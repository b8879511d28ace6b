from odoo import http, tools
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

PORTAL_CHANNELS = ("email", "sms", "whatsapp")


def _web_proof():
    """IP address and browser of the request, kept with a consent given on the web."""
    return {
        "ip_address": request.httprequest.remote_addr,
        "user_agent": request.httprequest.headers.get("User-Agent", ""),
    }


class RandevuConsentController(http.Controller):
    # Public pages reached from a message: the signed token is the authority, so they
    # run as superuser (the public user reads no consent).

    @http.route("/randevu/consent/confirm/<string:token>", type="http", auth="public", methods=["GET"], website=True)
    def randevu_consent_confirm(self, token, **kwargs):
        Consent = request.env["randevu.consent"].sudo()
        consent = Consent._randevu_check_confirm_token(token)
        if consent:
            Consent._randevu_record(
                consent.partner_id,
                consent.channel,
                "granted",
                "email_link",
                consent.event_ids.sorted(lambda event: (event.date, event.id))[-1].text,
                address=consent.address,
                purpose=consent.purpose,
                user=request.env.user,
                double_opt_in=False,
                **_web_proof(),
            )
        return request.render(
            "randevu_marketing.consent_message_page",
            {"confirmed": bool(consent), "withdrawn": False, "company": consent.partner_id.company_id},
        )

    @http.route(
        "/randevu/consent/unsubscribe/<int:partner_id>/<string:channel>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,  # RFC 8058: the mail client POSTs without a session; the token signs the request
        website=True,
    )
    def randevu_consent_unsubscribe(self, partner_id, channel, address=None, token=None, **kwargs):
        Consent = request.env["randevu.consent"].sudo()
        expected = Consent._randevu_unsubscribe_token(partner_id, channel, address or "")
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not (partner and address and token and tools.consteq(expected, token)):
            return request.render(
                "randevu_marketing.consent_message_page",
                {"confirmed": False, "withdrawn": False, "company": False},
                status=403,
            )
        consent = Consent.search([("partner_id", "=", partner.id), ("channel", "=", channel)], limit=1)
        if consent.state != "withdrawn" or consent.address != address:
            lang = partner.lang or request.env.lang
            Consent._randevu_record(
                partner,
                channel,
                "withdrawn",
                "email_link",
                Consent.with_context(lang=lang).env._("Unsubscribe from marketing messages (link in an email)"),
                address=address,
                user=request.env.user,
                **_web_proof(),
            )
        return request.render(
            "randevu_marketing.consent_message_page",
            {"confirmed": False, "withdrawn": True, "company": partner.company_id},
        )


class RandevuConsentPortal(CustomerPortal):
    """/my/consents: the customer sees and changes her marketing consent per channel,
    each box unticked unless she has granted it, the purpose said in plain words."""

    def _randevu_consent_rows(self, partner):
        Consent = request.env["randevu.consent"]
        # Superuser: a portal user reads no consent record; only her own are searched.
        consents = Consent.sudo().search([("partner_id", "=", partner.id), ("purpose", "=", "marketing")])
        rows = []
        labels = dict(Consent._fields["channel"]._description_selection(request.env))
        for channel in PORTAL_CHANNELS:
            consent = consents.filtered(lambda row, channel=channel: row.channel == channel)
            address = Consent._randevu_partner_address(partner, channel)
            rows.append(
                {
                    "channel": channel,
                    "label": labels[channel],
                    "address": address,
                    "text": Consent._randevu_default_text(channel, partner.company_id or request.env.company),
                    "granted": bool(consent) and consent.state == "granted" and consent.address == address,
                    "pending": bool(consent) and consent.state == "pending" and consent.address == address,
                }
            )
        return rows

    @http.route("/my/consents", type="http", auth="user", methods=["GET", "POST"], website=True)
    def randevu_portal_my_consents(self, **post):
        partner = request.env.user.partner_id
        saved = False
        if request.httprequest.method == "POST":
            # Superuser: the portal user records her own consent (partner fixed above).
            Consent = request.env["randevu.consent"].sudo()
            for row in self._randevu_consent_rows(partner):
                ticked = post.get(f"consent_{row['channel']}") == "on"
                if not row["address"]:
                    continue
                if ticked and not (row["granted"] or row["pending"]):
                    state = "granted"
                elif not ticked and (row["granted"] or row["pending"]):
                    state = "withdrawn"
                else:
                    continue
                Consent._randevu_record(
                    partner, row["channel"], state, "portal", row["text"], user=request.env.user, **_web_proof()
                )
            saved = True
        values = self._prepare_portal_layout_values()
        values.update(page_name="randevu_consents", rows=self._randevu_consent_rows(partner), saved=saved)
        return request.render("randevu_marketing.portal_my_consents", values)
