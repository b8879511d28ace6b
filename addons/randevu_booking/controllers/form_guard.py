"""The checks of the website's POST forms that Odoo's own cannot make for them."""

import logging

from odoo.exceptions import UserError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


def csrf_token_valid(post):
    """Whether the POST carries the session's CSRF token (popped from `post`: it is
    no field of the form).

    The one check of the POST routes declared ``csrf=False``: Odoo's own check answers
    an expired page with a bare error page; these routes call this first thing and,
    when it is False, answer with their page and a clear message, writing nothing.
    """
    return request.validate_csrf(post.pop("csrf_token", None))


def posted_form(post, fields):
    """The `fields` of a posted form, each as the text posted ("" when absent or not
    text, a file say)."""
    return {key: post[key] if isinstance(post.get(key), str) else "" for key in fields}


def expired_page_message(logger, refused):
    """The message answering a POST whose CSRF token is not the session's (the page
    has expired), the refusal logged on the controller's `logger` as `refused` ("Seat
    cancellation")."""
    logger.warning("%s refused: invalid CSRF token from %s", refused, request.httprequest.remote_addr)
    return request.env._("This page has expired. Please try again.")


def captcha_passed(action):
    """Whether the human check of a public form lets the POST through: Odoo's hook
    ``ir.http._verify_request_recaptcha_token(action)``, always True until a captcha
    addon (google_recaptcha, website_cf_turnstile) is installed and configured. Its
    refusal (False, or a UserError or ValidationError saying why) is logged and
    answered False: the form then says its usual "please try again"."""
    try:
        if request.env["ir.http"]._verify_request_recaptcha_token(action):
            return True
        reason = "no human check"
    except (UserError, ValidationError) as error:
        reason = error.args[0]
    _logger.warning("Form %s refused by the captcha from %s: %s", action, request.httprequest.remote_addr, reason)
    return False
