from odoo import http
from odoo.http import request

from odoo.addons.randevu_booking.models.randevu_website_block import BLOCK_KINDS


class RandevuWebsiteBlocks(http.Controller):
    """The live content of the website's salon blocks (branches, services, team,
    reviews) on its own: the fragment a page renders inside the block (see ir.qweb),
    fetched by the block's widget where the page could not render it (a block just
    dropped in the builder, or one inside a record's HTML field)."""

    @http.route(
        "/randevu/block/<string:kind>", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def randevu_block(self, kind, lang=None, **kwargs):
        if kind not in BLOCK_KINDS:
            raise request.not_found()
        if isinstance(lang, str) and lang in request.website.language_ids.mapped("code"):
            request.update_context(lang=lang)
        html = request.env["randevu.website.block"]._render(request.website, kind)
        return request.make_response(
            html,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
        )
