from odoo import api, fields, models

MANAGER = "randevu_calendar.group_randevu_manager"


class UtmCampaign(models.Model):
    """What a campaign brought: the appointments attributed to it (randevu.appointment's
    utm campaign_id) that are not cancelled, and their price. Counted for the branches
    the user may see (record rules), for managers only."""

    _inherit = "utm.campaign"

    randevu_booking_count = fields.Integer(
        "Bookings", compute="_compute_randevu_bookings", groups=MANAGER, help="Appointments it brought, not cancelled."
    )
    randevu_booked_revenue = fields.Monetary(
        "Booked Revenue",
        compute="_compute_randevu_bookings",
        currency_field="randevu_currency_id",
        groups=MANAGER,
        help="Price of the appointments it brought, not cancelled, in the current branch's currency "
        "(other currencies converted at today's rate).",
    )
    randevu_currency_id = fields.Many2one(
        "res.currency", "Currency", compute="_compute_randevu_currency_id", groups=MANAGER
    )

    @api.depends_context("company")
    def _compute_randevu_currency_id(self):
        self.randevu_currency_id = self.env.company.currency_id

    def _randevu_booking_domain(self):
        return [("campaign_id", "in", self.ids), ("state", "!=", "cancelled")]

    # Per user (record rules), allowed branches and current branch (its currency).
    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_randevu_bookings(self):
        """One grouped query for all the campaigns shown, by campaign and branch (each
        branch has its currency); no query per campaign."""
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        counts, revenues = dict.fromkeys(self.ids, 0), dict.fromkeys(self.ids, 0.0)
        if self.ids:
            groups = self.env["randevu.appointment"]._read_group(
                self._randevu_booking_domain(), ["campaign_id", "company_id"], ["__count", "price:sum"]
            )
            for campaign, branch, count, price in groups:
                counts[campaign.id] += count
                revenues[campaign.id] += branch.currency_id._convert(price, currency, self.env.company, today)
        for campaign in self:
            campaign.randevu_booking_count = counts.get(campaign.id, 0)
            campaign.randevu_booked_revenue = revenues.get(campaign.id, 0.0)

    def action_randevu_bookings(self):
        """The appointments the campaign brought (cancelled ones included, filtered out
        by default: the counts leave them out)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_marketing.randevu_campaign_bookings_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_randevu_not_cancelled": 1, "create": False}
        return action

    # ------------------------------------------------------------------ stage
    def _randevu_sent_stage(self):
        """The stage of a campaign whose mailing is sent: utm's "Sent" (utm.campaign_stage_3,
        from utm's demo data), else ours, created when utm's is missing (data/utm_stage_data.xml)."""
        return self.env.ref("utm.campaign_stage_3", raise_if_not_found=False) or self.env.ref(
            "randevu_marketing.utm_stage_sent", raise_if_not_found=False
        )

    def _randevu_mark_sent(self):
        """Move the campaigns still at an earlier stage (lower sequence, as "New") to the
        sent stage; a campaign already further on (or moved by hand past it) stays."""
        stage = self._randevu_sent_stage()
        if not stage:
            return
        earlier = self.filtered(
            lambda campaign: (campaign.stage_id.sequence, campaign.stage_id.id) < (stage.sequence, stage.id)
        )
        if earlier:
            earlier.stage_id = stage

    @api.model
    def _randevu_ensure_sent_stage(self):
        """At install: our "Sent" stage when utm's (demo data) is missing, so that a campaign
        moves on when its mailing is sent in a database without demo data too."""
        if self._randevu_sent_stage():
            return
        stage = self.env["utm.stage"].create({"name": "Sent", "sequence": 30})
        # Its name as utm's translations say it (a record made here is in no catalogue).
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        names = {"tr_TR": "Gönderildi", "fr_FR": "Envoyé"}
        stage.update_field_translations("name", {code: name for code, name in names.items() if code in installed})
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": "randevu_marketing.utm_stage_sent", "record": stage, "noupdate": True}]
        )
