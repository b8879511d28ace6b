from odoo import http
from odoo.http import request

from odoo.addons.randevu_booking.models.randevu_website_block import BLOCK_KINDS


class RandevuWebsiteBlocks(http.Controller):
    """The live content of the website's salon blocks (branches, services, team,
    reviews): a server-rendered fragment the block's widget puts in the page, so that
    the page the owner edits in the builder always shows today's data."""

    @http.route(
        "/randevu/block/<string:kind>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def randevu_block(self, kind, lang=None, **kwargs):
        if kind not in BLOCK_KINDS:
            raise request.not_found()
        if isinstance(lang, str) and lang in request.website.language_ids.mapped("code"):
            request.update_context(lang=lang)
        # Superuser: visitors may read neither branches, staff, services nor reviews;
        # randevu.website.block returns only what the website shows of them.
        block_sudo = request.env["randevu.website.block"].sudo()
        values = block_sudo._values(request.website, kind)
        html = request.env["ir.qweb"]._render(f"randevu_booking.s_randevu_block_{kind}", values)
        return request.make_response(
            html,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
        )
