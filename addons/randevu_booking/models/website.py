import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# An origin a browser sends in frame-ancestors: scheme, host (a leading "*." for any
# subdomain) and an optional port; no path, no query.
ORIGIN_RE = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


class Website(models.Model):
    """Which branches this website books, and which other sites may show its embedded
    booking flow in a frame."""

    _inherit = "website"

    randevu_branch_ids = fields.Many2many(
        "res.company",
        "website_randevu_branch_rel",
        "website_id",
        "company_id",
        string="Branches Booked Here",
        help="The branches this website takes bookings for (each with online booking on). Empty: the website's "
        "company and its branches. List them when branches are companies of their own, e.g. in another currency.",
    )

    randevu_embed_origins = fields.Text(
        string="Sites Allowed to Embed Booking",
        help="Origins of the sites that may show the booking flow in a frame, one per line "
        "(e.g. https://www.my-salon.com, https://*.my-salon.com). Empty: any site.",
    )

    @api.model
    def _randevu_split_origins(self, text):
        return [origin.rstrip("/").lower() for origin in re.split(r"[\s,]+", text or "") if origin.strip()]

    @api.constrains("randevu_embed_origins")
    def _check_randevu_embed_origins(self):
        for website in self:
            wrong = [
                origin
                for origin in self._randevu_split_origins(website.randevu_embed_origins)
                if not ORIGIN_RE.match(origin)
            ]
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(origins)s: give each site as its origin, scheme and host only, "
                        "like https://www.my-salon.com (one per line).",
                        origins=", ".join(wrong),
                    )
                )

    def _randevu_frame_ancestors(self):
        """The frame-ancestors source list of the embedded booking flow."""
        origins = self._randevu_split_origins(self.randevu_embed_origins)
        return " ".join(["'self'", *origins]) if origins else "*"
