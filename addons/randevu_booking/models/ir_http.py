import json
import logging

import psycopg2

from odoo import models
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.randevu_booking.controllers.public_json import PUBLIC_JSON_ROUTE

_logger = logging.getLogger(__name__)


class IrHttp(models.AbstractModel):
    """Framing of the booking pages, and the errors of our public JSON routes.

    Odoo 18 sends no X-Frame-Options nor CSP on website pages (only on the login,
    signup and /my pages, SAMEORIGIN). The booking pages carry a form that books, so
    they get the same protection against clickjacking, except the embedded flow
    (``embed=1``, entered through /book/embed), which exists to be framed by other
    sites: any site, or only those of the website's allow-list when it has one.
    """

    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        request.randevu_public_json = bool(rule.endpoint.routing.get(PUBLIC_JSON_ROUTE))
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _handle_error(cls, exception):
        if request.dispatcher.routing_type != "json":
            return super()._handle_error(exception)
        if getattr(request, "randevu_public_json", False):
            return cls._randevu_public_json_error(exception)
        response = super()._handle_error(exception)
        if not request.session.uid:
            # Any other JSON route (Odoo's /web/dataset/call_kw answering "session expired"
            # included) sends its traceback as `debug`: not to a caller without a session.
            body = json.loads(response.get_data())
            if isinstance(body.get("error", {}).get("data"), dict):
                body["error"]["data"].pop("debug", None)
                response.set_data(json.dumps(body))
        return response

    @classmethod
    def _randevu_public_json_error(cls, exception):
        """The JSON-RPC error of a route declared with ``public_json_route``: the message
        of a UserError (written for the visitor), else a generic one; no traceback, no
        server path, no exception text. The shape is Odoo's (``error.data.message`` is
        what ``payment.form`` and ``rpc()`` show), without its ``debug``."""
        shown = (
            isinstance(exception, UserError)
            and not isinstance(exception, (AccessError, MissingError))
            # Odoo turns a violated database constraint into a ValidationError naming it.
            and not isinstance(exception.__cause__, psycopg2.Error)
        )
        message = exception.args[0] if shown and exception.args else None
        if not shown and isinstance(exception, UserError):
            # Odoo logs the others with their traceback once this returns (odoo.http), but
            # an access or missing record error as a one-line warning.
            _logger.warning("Public JSON route %s refused", request.httprequest.path, exc_info=exception)
        # The transaction is rolled back anyway; after a failed query the cursor refuses the next one.
        request.env.cr.rollback()
        message = message or request.env._("Something went wrong, please try again.")
        return request.dispatcher._response(
            error={
                "code": 200,
                "message": message,
                "data": {
                    "name": "odoo.exceptions.UserError",
                    "message": message,
                    "arguments": [message],
                    "context": {},
                },
            }
        )

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
