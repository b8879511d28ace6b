from odoo import api, fields, models
from odoo.tools.sql import escape_psql

# The utm.mixin fields of an appointment, with the name of the URL parameter (and of
# Odoo's odoo_utm_* cookie) that carries each.
UTM_FIELDS = {"campaign_id": "utm_campaign", "source_id": "utm_source", "medium_id": "utm_medium"}


class RandevuAppointment(models.Model):
    """The campaign, source and medium that brought a booking (Odoo's utm.mixin):
    set by the channel that knows them (the website booking path passes the visitor's
    utm cookies, see randevu_booking_marketing), or by hand at the desk."""

    _name = "randevu.appointment"
    _inherit = ["randevu.appointment", "utm.mixin"]

    # The team's business: a customer does not see which campaign she was counted in.
    campaign_id = fields.Many2one(groups="base.group_user")
    source_id = fields.Many2one(string="Marketing Source", groups="base.group_user")  # "Source" is the channel
    medium_id = fields.Many2one(string="Marketing Medium", groups="base.group_user")

    @api.model
    def default_get(self, fields_list):
        """utm.mixin's default_get reads the utm cookies of whatever request creates the
        record and creates a campaign for any unknown name: an appointment a receptionist
        creates in the backend after clicking a campaign link would be counted for it,
        and a visitor could add campaigns. Appointments take their utm values only from
        the context's explicit defaults (and from the booking path, _randevu_utm_values)."""
        values = super().default_get([name for name in fields_list if name not in UTM_FIELDS])
        for name in UTM_FIELDS:
            if name in fields_list and self.env.context.get(f"default_{name}"):
                values[name] = self.env.context[f"default_{name}"]
        return values

    @api.model
    def _randevu_utm_values(self, names):
        """{"campaign_id": id, ...} of the existing campaign, source and medium named
        in `names` ({"utm_campaign": name, ...}, as in a link's URL parameters; names
        compared case-insensitively, as utm.mixin does). Unknown names are ignored:
        a visitor creates no campaign. One query per name given, none without."""
        values = {}
        for field_name, parameter in UTM_FIELDS.items():
            name = (names.get(parameter) or "").strip()
            if not name or len(name) > 256:
                continue
            comodel = self.env[self._fields[field_name].comodel_name].with_context(active_test=False)
            # Escaped: a visitor's "%" or "_" is a character, not a wildcard.
            record = comodel.search([("name", "=ilike", escape_psql(name))], limit=1)
            if record:
                values[field_name] = record.id
        return values
