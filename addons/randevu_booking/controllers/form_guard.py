"""The checks of the website's POST forms that Odoo's own cannot make for them."""

from odoo.http import request


def csrf_token_valid(post):
    """Whether the POST carries the session's CSRF token (popped from `post`: it is
    no field of the form).

    The one check of the POST routes declared ``csrf=False``: Odoo's own check answers
    an expired page with a bare error page; these routes call this first thing and,
    when it is False, answer with their page and a clear message, writing nothing.
    """
    return request.validate_csrf(post.pop("csrf_token", None))
