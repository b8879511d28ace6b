from odoo import http

# The routing key that marks a route as one of ours anonymous visitors call with JSON-RPC.
PUBLIC_JSON_ROUTE = "randevu_public_json"


def public_json_route(route, **routing):
    """``http.route(route, type="json", auth="public")`` for the JSON routes anonymous
    visitors call.

    Whatever fails, inside the endpoint or while Odoo reads the request (params that are
    not an object, a wrong type), the transaction is rolled back, the error is logged with
    its traceback and the caller gets a clean JSON-RPC error instead of Odoo's, which
    carries the server's traceback: see ``ir.http._randevu_public_json_error``.
    """
    return http.route(route, **routing, type="json", auth="public", **{PUBLIC_JSON_ROUTE: True})
