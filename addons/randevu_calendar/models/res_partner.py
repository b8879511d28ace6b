import re
import unicodedata
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import email_normalize, email_split
from odoo.tools.sql import create_index

from ..const import APPOINTMENT_NOT_OVER_STATES
from ..exceptions import BookingRefused  # noqa: F401 (its former home: kept importable from here)


def name_words(name):
    """The words of a person's name, compared without case, accents or punctuation.

    Turkish has a dotted and a dotless i, and people type either: capital dotted I,
    capital I, dotless i and i are one letter here ("ISIK" is the word with two
    dotless i's), as s/s-cedilla, g/g-breve, c/c-cedilla, o/o-umlaut, u/u-umlaut.
    """
    # U+0130 capital I with dot, U+0131 dotless i (casefold() alone keeps them apart).
    text = (name or "").replace("\u0130", "i").replace("\u0131", "i").casefold()
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return re.findall(r"\w+", text)


def same_person(name, other_name):
    """Whether a typed `name` and a customer's `other_name` may name the same person:
    the words of the one with fewer are all among the other's (in any order; a
    one-letter word is an initial and stands for any word it begins). "Zeynep",
    "Arslan Zeynep", "Z. Arslan" and "ZEYNEP ARSLAN" are Zeynep Arslan; "Aylin Kurt"
    and "Mehmet Arslan" are not. A side without any word contradicts nothing."""
    words, other_words = name_words(name), name_words(other_name)
    if not words or not other_words:
        return True
    shorter, longer = sorted((words, other_words), key=len)
    left = list(longer)
    for word in sorted(shorter, key=len, reverse=True):  # initials last: whole words first
        match = next(
            (
                candidate
                for candidate in left
                if candidate == word
                or (len(word) == 1 and candidate.startswith(word))
                or (len(candidate) == 1 and word.startswith(candidate))
            ),
            None,
        )
        if match is None:
            return False
        left.remove(match)
    return True


class CustomerQuestion(Exception):
    """Nobody is booked: the phone or email belongs to `partners`, none of whom is the
    person named, and reception decides (book one of them, or add the new name)."""

    def __init__(self, partners, name):
        super().__init__(name)
        self.partners = partners
        self.name = name


class ResPartner(models.Model):
    _inherit = "res.partner"

    randevu_appointment_ids = fields.One2many("randevu.appointment", "partner_id", string="Appointments")
    randevu_customer_note = fields.Text(
        string="Customer Note",
        groups="randevu_calendar.group_randevu_user",
        help="Allergies, preferences: copied onto every new appointment of this customer.",
    )
    randevu_birthday = fields.Date(
        string="Birthday", groups="randevu_calendar.group_randevu_user", help="For a birthday greeting or offer."
    )
    randevu_visit_count = fields.Integer(compute="_compute_randevu_stats", string="Visits")
    randevu_other_branches_note = fields.Char(
        compute="_compute_randevu_stats",
        string="Other Branches",
        help="The client's appointments at branches of yours not ticked in the company switcher: "
        "counted in the figures, listed once the branch is ticked.",
    )
    randevu_upcoming_count = fields.Integer(compute="_compute_randevu_stats", string="Upcoming")
    randevu_noshow_count = fields.Integer(compute="_compute_randevu_stats", string="No-shows")
    randevu_cancel_count = fields.Integer(compute="_compute_randevu_stats", string="Cancellations")
    randevu_last_visit = fields.Datetime(compute="_compute_randevu_stats", string="Last Visit")
    randevu_next_appointment = fields.Datetime(compute="_compute_randevu_stats", string="Next Appointment")
    randevu_total_spent = fields.Monetary(
        compute="_compute_randevu_stats", string="Total Spent", currency_field="randevu_currency_id"
    )
    randevu_currency_id = fields.Many2one("res.currency", compute="_compute_randevu_currency_id")
    randevu_noshow_warning = fields.Text(
        compute="_compute_randevu_noshow_warning",
        string="No-show Warning",
        groups="randevu_calendar.group_randevu_user",
        help="The branches (of those selected) where this customer is over the no-show limit, and what online "
        "booking asks of them there.",
    )
    # Channels the customer turned off (Odoo's email and phone blacklists apply as well).
    randevu_email_opt_out = fields.Boolean(
        string="No Appointment Emails", help="No confirmation, reminder or follow-up by email."
    )
    randevu_sms_opt_out = fields.Boolean(
        string="No Appointment Texts", help="No confirmation, reminder or follow-up by SMS."
    )

    # The Clients menu: people who booked, or whom the team marked as clients before a first booking.
    randevu_client = fields.Boolean(
        string="Salon Client", help="Listed among the clients even before a first appointment."
    )
    randevu_is_client = fields.Boolean(
        string="Client",
        compute="_compute_randevu_is_client",
        search="_search_randevu_is_client",
        help="A person (not a company, a vendor or a member of the team) who booked or is marked as a client.",
    )

    randevu_shared_contact_warning = fields.Text(
        compute="_compute_randevu_shared_contact_warning",
        string="Possible Duplicates",
        groups="randevu_calendar.group_randevu_user",
        help="Other customers with the same phone number or email: a family sharing a phone, or the same person "
        "recorded twice.",
    )

    def init(self):
        # Customer matching compares these exactly (_randevu_customers_by_contact): indexed.
        for column in ("phone_sanitized", "email_normalized"):
            create_index(
                self.env.cr, f"res_partner_randevu_{column}_index", self._table, [column], where=f"{column} IS NOT NULL"
            )
        return super().init()

    def _compute_randevu_currency_id(self):
        self.randevu_currency_id = self.env.company.currency_id

    def _randevu_branches_env(self):
        """The environment the client figures are read in: every branch the user may
        access (their `company_ids`), not only those ticked in the company switcher; the
        record rules still keep out the branches they may not access."""
        if self.env.su:
            return self.env
        return self.env(context=dict(self.env.context, allowed_company_ids=self.env.user.company_ids.ids))

    @api.depends_context("allowed_company_ids")
    def _compute_randevu_stats(self):
        # One grouped query for every partner, state and branch (no query per record).
        env = self._randevu_branches_env()
        Appointment = env["randevu.appointment"]
        groups = Appointment._read_group(
            [("partner_id", "in", self.ids)],
            ["partner_id", "state", "company_id"],
            ["__count", "start:max", "price:sum"],
        )
        # Group classes: a customer who missed one is a no-show as an attendee.
        session_noshows = {
            partner.id: count
            for partner, count in env["randevu.attendee"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "no_show")], ["partner_id"], ["__count"]
            )
        }
        # Spent in the current company's currency: branches may bill in others (TRY, EUR).
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        upcoming = {
            partner.id: (count, first_start)
            for partner, count, first_start in Appointment._read_group(
                [("partner_id", "in", self.ids), ("start", ">=", now), ("state", "in", APPOINTMENT_NOT_OVER_STATES)],
                ["partner_id"],
                ["__count", "start:min"],
            )
        }
        stats = {}
        # Branches counted here but not ticked in the switcher: their rows are not listed.
        hidden = {}
        for partner, state, branch, count, last_start, price in groups:
            if branch not in self.env.companies:
                hidden.setdefault(partner.id, {}).setdefault(branch, 0)
                hidden[partner.id][branch] += count
            entry = stats.setdefault(partner.id, {"done": 0, "no_show": 0, "cancelled": 0, "last": False, "spent": 0.0})
            if state in entry:
                entry[state] += count
            if state == "done":
                entry["spent"] += branch.currency_id._convert(price, currency, self.env.company, today)
                entry["last"] = max(entry["last"] or last_start, last_start)
        for partner in self:
            entry = stats.get(partner._origin.id, {})
            partner.randevu_visit_count = entry.get("done", 0)
            partner.randevu_noshow_count = entry.get("no_show", 0) + session_noshows.get(partner._origin.id, 0)
            partner.randevu_cancel_count = entry.get("cancelled", 0)
            partner.randevu_last_visit = entry.get("last", False)
            partner.randevu_total_spent = entry.get("spent", 0.0)
            partner.randevu_upcoming_count, partner.randevu_next_appointment = upcoming.get(
                partner._origin.id, (0, False)
            )
            others = hidden.get(partner._origin.id)
            partner.randevu_other_branches_note = others and self.env._(
                "Also %(appointments)s: tick the branch in the company switcher to list them.",
                appointments=", ".join(
                    self.env._("%(count)s at %(branch)s", count=count, branch=branch.name)
                    for branch, count in sorted(others.items(), key=lambda item: item[0].name)
                ),
            )

    @api.depends("randevu_client", "is_company")
    def _compute_randevu_is_client(self):
        ids = [partner_id for partner_id in self._origin.ids if partner_id]
        clients = self.with_context(active_test=False).search([("id", "in", ids), *self._randevu_client_domain()])
        for partner in self:
            partner.randevu_is_client = partner._origin in clients

    def _search_randevu_is_client(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Only “is set” and “is not set” are supported for clients."))
        domain = self._randevu_client_domain()
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _randevu_client_domain(self):
        """Who the Clients menu lists: a person (not a company) who booked (an appointment
        or a seat in a class) or is marked as a client, and who is neither a member of the
        team (an employee's contact, an internal user) nor a vendor. Customers created by
        booking (_randevu_find_or_create: website, classes, waitlist, Day planner) are
        marked."""
        domain = [
            ("is_company", "=", False),
            ("employee_ids", "=", False),
            ("user_ids", "not any", [("share", "=", False)]),
            "|",
            ("randevu_client", "=", True),
            ("randevu_appointment_ids", "!=", False),
        ]
        if "supplier_rank" in self._fields:  # account installed: vendors are not clients
            domain.insert(0, ("supplier_rank", "=", 0))
        return domain

    def _compute_randevu_noshow_warning(self):
        warnings = self._origin._randevu_noshow_warnings(self.env.companies)
        for partner in self:
            partner.randevu_noshow_warning = "\n".join(warnings.get(partner._origin.id, [])) or False

    @api.depends("phone_sanitized", "email_normalized")
    def _compute_randevu_shared_contact_warning(self):
        # One search for all: the customers sharing any of these phones or emails.
        phones = [phone for phone in self.mapped("phone_sanitized") if phone]
        emails = [email for email in self.mapped("email_normalized") if email]
        sharing = self.browse()
        if phones or emails:
            sharing = self.search(
                ["|", ("phone_sanitized", "in", phones), ("email_normalized", "in", emails)], order="id"
            )
        for partner in self:
            others = sharing.filtered(
                lambda other, partner=partner: (
                    other != partner._origin
                    and (
                        (partner.phone_sanitized and other.phone_sanitized == partner.phone_sanitized)
                        or (partner.email_normalized and other.email_normalized == partner.email_normalized)
                    )
                )
            )
            partner.randevu_shared_contact_warning = (
                self.env._("Same phone or email as: %s.", ", ".join(others.mapped("display_name"))) if others else False
            )

    # ------------------------------------------------------------------ no-show policy
    def _randevu_noshow_counts(self, branch, since=False):
        """{partner id: number of no-shows} of these customers since `since` (naive
        UTC; False: ever), at every branch of `branch`'s business, group classes
        included. Two queries whatever the number of customers."""
        branch.ensure_one()
        appointment_domain = [
            ("partner_id", "in", self.ids),
            ("state", "=", "no_show"),
            ("company_id", "child_of", branch.root_id.id),
        ]
        attendee_domain = [
            ("partner_id", "in", self.ids),
            ("state", "=", "no_show"),
            ("appointment_id.company_id", "child_of", branch.root_id.id),
        ]
        if since:
            appointment_domain.append(("start", ">=", since))
            attendee_domain.append(("appointment_id.start", ">=", since))
        counts = defaultdict(int)
        # Superuser: no-shows count at every branch, also those the user asking cannot read
        # (a website visitor, a receptionist of another branch); only numbers come out.
        for model, domain in (("randevu.appointment", appointment_domain), ("randevu.attendee", attendee_domain)):
            for partner, count in self.env[model].sudo()._read_group(domain, ["partner_id"], ["__count"]):
                counts[partner.id] += count
        return counts

    def _randevu_noshow_over_limit(self, branch, now=None):
        """{partner id: no-shows} of these customers who reached `branch`'s no-show
        limit within its look-back window; empty when the branch has no limit."""
        branch.ensure_one()
        if not branch.randevu_noshow_limit or not self:
            return {}
        now = now or fields.Datetime.now()
        since = now - relativedelta(months=branch.randevu_noshow_months) if branch.randevu_noshow_months else False
        counts = self._randevu_noshow_counts(branch, since)
        return {partner_id: count for partner_id, count in counts.items() if count >= branch.randevu_noshow_limit}

    def _randevu_online_booking_policy(self, branch, now=None):
        """What `branch` allows this customer to book online (website, WhatsApp,
        Instagram), after their no-shows within its look-back window:

        - ``('allowed', '')``: no limit at the branch, under it, or no customer yet;
        - ``('deposit', message)``: the booking needs a deposit;
        - ``('refused', message)``: no online booking; the customer should call.

        The message tells the customer why, in the environment's language. Bookings by
        staff (backend, phone, walk-in) are not subject to it: reception decides.
        """
        branch.ensure_one()
        if not self:
            return "allowed", ""
        self.ensure_one()
        count = self._randevu_noshow_over_limit(branch, now).get(self.id)
        if not count:
            return "allowed", ""
        if branch.randevu_noshow_months:
            reason = self.env._(
                "you did not come to %(count)s appointments in the last %(months)s months",
                count=count,
                months=branch.randevu_noshow_months,
            )
        else:
            reason = self.env._("you did not come to %s appointments", count)
        if branch.randevu_noshow_action == "deposit":
            return "deposit", self.env._(
                "%(branch)s asks for a deposit with online bookings: %(reason)s.", branch=branch.name, reason=reason
            )
        if branch.phone:
            message = self.env._(
                "Online booking at %(branch)s is closed for you: %(reason)s. Please call %(phone)s to book.",
                branch=branch.name,
                reason=reason,
                phone=branch.phone,
            )
        else:
            message = self.env._(
                "Online booking at %(branch)s is closed for you: %(reason)s. Please call the branch to book.",
                branch=branch.name,
                reason=reason,
            )
        return "refused", message

    def _randevu_noshow_warnings(self, branches, now=None):
        """{partner id: [line, ...]} for reception: one line per branch among
        `branches` where the customer is over the no-show limit, saying what online
        booking asks of them there. Backend bookings are never blocked."""
        warnings = defaultdict(list)
        for branch in branches.filtered("randevu_noshow_limit"):
            for partner_id, count in self._randevu_noshow_over_limit(branch, now).items():
                if branch.randevu_noshow_months:
                    noshows = self.env._(
                        "%(count)s no-shows in the last %(months)s months",
                        count=count,
                        months=branch.randevu_noshow_months,
                    )
                else:
                    noshows = self.env._("%s no-shows", count)
                if branch.randevu_noshow_action == "deposit":
                    line = self.env._(
                        "%(branch)s: %(noshows)s (limit %(limit)s), online bookings need a deposit.",
                        branch=branch.name,
                        noshows=noshows,
                        limit=branch.randevu_noshow_limit,
                    )
                else:
                    line = self.env._(
                        "%(branch)s: %(noshows)s (limit %(limit)s), online booking is refused.",
                        branch=branch.name,
                        noshows=noshows,
                        limit=branch.randevu_noshow_limit,
                    )
                warnings[partner_id].append(line)
        return warnings

    @api.model
    def _randevu_normalize_phone(self, phone, country=None):
        """`phone` in E.164 (+905321234567): the one home of phone normalisation, through
        Odoo's phone_validation (as `phone_sanitized`, which customer matching reads).

        A number without its country code is read in `country`'s numbering plan (the
        branch's country), else in the current company's.

        Raises a ValidationError naming the number when it is not a valid phone number.
        """
        if not phone or not phone.strip():
            return False
        # On no record: `_phone_format` falls back on the current company's country, not a record's.
        number = self.browse()._phone_format(number=phone.strip(), country=country, force_format="E164")
        if not number:
            raise ValidationError(self.env._("%s is not a valid phone number.", phone))
        return number

    @api.model
    def _randevu_customers_by_contact(self, phone=False, email=False):
        """The customers whose sanitized phone (E.164: their mobile, else their phone) or
        normalised email is exactly `phone` or `email`, oldest first (two index scans).
        Never a pattern: what a visitor types is compared whole."""
        domain = []
        if phone:
            domain = [("phone_sanitized", "=", phone)]
        if email:
            domain = ["|", *domain, ("email_normalized", "=", email)] if domain else [("email_normalized", "=", email)]
        return self.search(domain, order="id") if domain else self.browse()

    @api.model
    def _randevu_find_or_create(self, name, phone=None, email=None, country=None, ask=False):
        """The customer with this phone (read in `country`'s plan) or email, and this
        name; created when there is none. The one home of customer matching (website,
        waitlist, classes, Day planner):

        - phone and email are normalised (E.164, `email_normalize`) and compared
          exactly with `phone_sanitized` and `email_normalized`;
        - of the customers found, the oldest whose name is the same person's
          (`same_person`; no name typed contradicts nobody) is the one;
        - when the phone or email belongs only to people with clearly different names
          (families share a phone), a new customer is created with it; with `ask`,
          nothing is written and `CustomerQuestion` is raised for reception to choose.

        An existing customer's record is never changed. Simultaneous first bookings of
        one person make one customer: the phone's and email's `randevu.customer.key`
        rows are locked from before the search until the end of the transaction (a
        transaction that started before another created the customer is retried).
        """
        name = " ".join((name or "").split())
        phone = self._randevu_normalize_phone(phone, country)
        typed_email = (email or "").strip()
        email = typed_email and email_normalize(typed_email, strict=True)
        if typed_email and not email:
            raise ValidationError(self.env._("%s is not a valid email address.", typed_email))
        if not name and not phone and not email:
            raise ValidationError(self.env._("A customer needs a name, a phone number or an email."))
        keys = [f"phone:{phone}"] * bool(phone) + [f"email:{email}"] * bool(email)
        Key = self.env["randevu.customer.key"]
        hashes = Key._lock(keys)
        found = self._randevu_customers_by_contact(phone, email)
        partner = self._randevu_same_customer(found, name)
        if partner:
            return partner
        if found and ask:
            raise CustomerQuestion(found, name)
        Key._mark_created(hashes)
        return self.create(
            {
                "name": name or phone or email,
                "phone": phone,
                # The address as typed when it is one bare address (its case kept); matching
                # reads `email_normalized`, which Odoo computes from it.
                "email": typed_email if email_split(typed_email) == [typed_email] else email,
                "country_id": country.id if country else False,
                "randevu_client": True,
            }
        )

    @api.model
    def _randevu_same_customer(self, found, name):
        """Of the customers `found` by phone or email, the oldest one `name` (typed)
        may be; a customer recorded without a name (named after their phone or email)
        is anyone's."""
        return found.filtered(
            lambda partner: same_person(name, partner.name) or partner.name in (partner.phone, partner.email)
        )[:1]

    @api.model
    def _randevu_find_customer(self, name, phone=None, email=None, country=None):
        """The existing customer _randevu_find_or_create would give these details, or
        an empty recordset. Reads only: nothing is locked or created."""
        name = " ".join((name or "").split())
        phone = self._randevu_normalize_phone(phone, country)
        email = email_normalize((email or "").strip(), strict=True)
        return self._randevu_same_customer(self._randevu_customers_by_contact(phone, email), name)

    def action_randevu_appointments(self):
        """The client's visits: every appointment of theirs, latest first, as a list."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_calendar.randevu_appointment_action_history")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        action["display_name"] = self.env._("Visits of %s", self.display_name)
        return action
