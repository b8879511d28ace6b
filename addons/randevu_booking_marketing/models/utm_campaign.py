import base64
import io

import qrcode
from werkzeug.urls import url_encode

from odoo import fields, models

MANAGER = "randevu_calendar.group_randevu_manager"


def qr_png(url):
    """The PNG bytes of a QR code of `url`, big enough to print (10 px a module)."""
    stream = io.BytesIO()
    qrcode.make(url, box_size=10, border=2).save(stream, format="PNG")
    return stream.getvalue()


class UtmCampaign(models.Model):
    """A QR code for printed material (posters, flyers, cards) of the website's booking
    page with the campaign attached: a booking made after scanning it is attributed to
    the campaign, source "QR code", medium "Print"."""

    _inherit = "utm.campaign"

    randevu_booking_qr_url = fields.Char(
        "Booking Link",
        compute="_compute_randevu_booking_qr",
        groups=MANAGER,
        help="The website's booking page with this campaign attached, as the QR code encodes it.",
    )
    randevu_booking_qr = fields.Binary("QR Code", compute="_compute_randevu_booking_qr", groups=MANAGER)

    def _randevu_booking_qr_url(self):
        """The current website's /book with utm_campaign (the campaign's identifier),
        utm_source (QR code) and utm_medium (Print)."""
        self.ensure_one()
        source = self.env.ref("randevu_booking_marketing.utm_source_qr", raise_if_not_found=False)
        medium = self.env.ref("randevu_booking_marketing.utm_medium_print", raise_if_not_found=False)
        params = {"utm_campaign": self.name, "utm_source": source.name if source else None}
        params["utm_medium"] = medium.name if medium else None
        base = self.env["website"].get_current_website().get_base_url()
        return f"{base}/book?{url_encode({key: value for key, value in params.items() if value})}"

    def _compute_randevu_booking_qr(self):
        for campaign in self:
            url = campaign.name and campaign._randevu_booking_qr_url()
            campaign.randevu_booking_qr_url = url or False
            campaign.randevu_booking_qr = base64.b64encode(qr_png(url)) if url else False

    def action_randevu_print_qr(self):
        """Download the QR code as a PNG to print."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/randevu/campaign/{self.id}/qr?download=1",
            "target": "self",
        }
