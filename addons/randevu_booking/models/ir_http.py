from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    """Framing of the booking pages.

    Odoo 18 sends no X-Frame-Options nor CSP on website pages (only on the login,
    signup and /my pages, SAMEORIGIN). The booking pages carry a form that books, so
    they get the same protection against clickjacking, except the embedded flow
    (``embed=1``, entered through /book/embed), which exists to be framed by other
    sites: any site, or only those of the website's allow-list when it has one.
    """

    _inherit = "ir.http"

    @classmethod
    def _post_dispatch(cls, response):
        super()._post_dispatch(response)
        path = request.httprequest.path
        if not (path == "/book" or path.startswith("/book/")) or path.startswith("/book/qr/"):
            return
        if path.startswith("/book/embed/") or getattr(request, "params", {}).get("embed") == "1":
            response.headers.pop("X-Frame-Options", None)
            website = getattr(request, "website", None)
            ancestors = website._randevu_frame_ancestors() if website else "*"
            response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        else:
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
