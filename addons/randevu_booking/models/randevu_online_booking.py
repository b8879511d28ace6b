from datetime import datetime

from odoo import api, models, tools

# Re-exported for the website's code and tests that import them from here.
from odoo.addons.randevu_calendar.exceptions import SlotUnavailable, TermsChanged  # noqa: F401
from odoo.addons.randevu_calendar.models.randevu_booking_service import (  # noqa: F401
    DAY_WINDOW,
    FIELD_LIMITS,
    terms_token,
)

# A slot's start in URLs and JSON: naive UTC to the minute.
START_FORMAT = "%Y-%m-%dT%H:%M"


def format_start(value):
    return value.strftime(START_FORMAT)


def parse_start(value):
    """The naive UTC datetime of a slot start from a URL or form, or None. Any
    datetime Python knows: bound it (randevu.online.booking._visitor_start) before
    any arithmetic."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), START_FORMAT)
    except ValueError:
        return None


def parse_day(value):
    """A local date (YYYY-MM-DD) from a URL, or None. Any date Python knows: bound it
    (randevu.online.booking._visitor_day) before any arithmetic."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


class RandevuOnlineBooking(models.AbstractModel):
    """What is the website's own in online booking: the branches a website offers,
    and the days and times its pages read from URLs. Everything else (services,
    policies, slots, booking, moving, cancelling) is randevu.booking.service, which
    every channel calls.

    Website visitors may read no branch: controllers call this model as superuser
    (reason given there).
    """

    _name = "randevu.online.booking"
    _description = "Online Booking"

    # ------------------------------------------------------------------ the website's branches
    @api.model
    def _branch_domain(self, website):
        """The branches `website` books: those it lists, else its company's branches."""
        listed = website.sudo().randevu_branch_ids  # sudo: a setting of the website, read for visitors
        scope = ("id", "in", listed.ids) if listed else ("id", "child_of", website.company_id.id)
        return [("randevu_online_booking", "=", True), scope]

    @api.model
    def _branches(self, website):
        """Branches `website` books (see _branch_domain) open to online booking."""
        return self.env["res.company"].search(self._branch_domain(website), order="name, id")

    @api.model
    def _branch(self, website, branch_id):
        """The branch `branch_id` when it is open to online booking on `website`."""
        Company = self.env["res.company"]
        return Company.browse(branch_id) if branch_id in self._branch_ids(website.id) else Company

    @api.model
    @tools.ormcache("website_id")
    def _branch_ids(self, website_id):
        """Ids of the branches open to online booking on the website `website_id`.
        Every page of the flow asks: cached, and cleared when a company's online
        booking, parent or archiving changes, or a website's company (see
        res.company and website)."""
        # Superuser: the cached answer must not depend on who asked first.
        website_sudo = self.env["website"].sudo().browse(website_id)
        return frozenset(self.env["res.company"].sudo().search(self._branch_domain(website_sudo)).ids)

    @api.model
    @tools.ormcache("branch_id")
    def _website_id_of(self, branch_id):
        """Id of the first website booking the branch `branch_id` online, or False (where
        the links of its messages lead). Cached and cleared like _branch_ids."""
        # Superuser: the websites are settings, read for the messages of any user or cron.
        websites_sudo = self.env["website"].sudo().search([], order="sequence, id")
        return next((website.id for website in websites_sudo if branch_id in self._branch_ids(website.id)), False)

    # ------------------------------------------------------------------ what a visitor sends in a URL
    @api.model
    def _visitor_day(self, branch, value):
        """(day, problem) of a local day (YYYY-MM-DD) a visitor sent: the only way
        pages read one, so that no date arithmetic ever runs on a day outside today …
        the horizon (a year 9999 or 1 overflows Python's dates in day bounds and
        timezones).

        :return: day None when `value` is absent, junk or out of bounds; problem the
            message for the visitor when out of bounds, else False (each page says
            what it expects of an absent or junk day)
        """
        day = parse_day(value)
        problem = day and self.env["randevu.booking.service"]._day_problem(branch, day)
        return (None, problem) if problem else (day, False)

    @api.model
    def _visitor_start(self, branch, value):
        """(start, problem) of a slot start (naive UTC, ``YYYY-MM-DDTHH:MM``) a visitor
        sent, bounded as _visitor_day: now … the horizon.

        :return: start None when `value` is absent, junk or out of bounds, with the
            message for the visitor
        """
        start = parse_start(value)
        if not start:
            return None, self.env._("Please pick a time.")
        problem = self.env["randevu.booking.service"]._start_bound_problem(branch, start)
        return (None, problem) if problem else (start, False)
