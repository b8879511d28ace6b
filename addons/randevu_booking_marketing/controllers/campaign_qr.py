from odoo import http
from odoo.http import request

from ..models.utm_campaign import MANAGER, qr_png


class RandevuCampaignQr(http.Controller):
    @http.route("/randevu/campaign/<int:campaign_id>/qr", type="http", auth="user", methods=["GET"])
    def campaign_qr(self, campaign_id, download=None, **kwargs):
        """The PNG QR code of the campaign's booking link (managers; anyone else, and a
        campaign that does not exist or is not readable: not found)."""
        if not request.env.user.has_group(MANAGER):
            raise request.not_found()
        campaign = request.env["utm.campaign"].browse(campaign_id).exists()
        if not campaign or not campaign.has_access("read"):
            raise request.not_found()
        headers = [("Content-Type", "image/png"), ("Cache-Control", "no-store")]
        if download == "1":
            filename = f"booking-qr-campaign-{campaign.id}.png"
            headers.append(("Content-Disposition", f'attachment; filename="{filename}"'))
        return request.make_response(qr_png(campaign._randevu_booking_qr_url()), headers=headers)
