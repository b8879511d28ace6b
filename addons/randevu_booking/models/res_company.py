import phonenumbers
from markupsafe import Markup
from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError

# The fields that decide which branches a website offers (randevu.online.booking._branch_ids).
BRANCH_LIST_FIELDS = {"randevu_online_booking", "parent_id", "active"}


class ResCompany(models.Model):
    """A branch opened to online booking on the website, and the links that share it."""

    _inherit = "res.company"

    randevu_online_booking = fields.Boolean(
        string="Online Booking",
        help="Customers can book this branch on the website (/book), without an account.",
    )

    # ------------------------------------------------------------------ waitlist (issue 5)
    randevu_waitlist_hold_minutes = fields.Integer(
        string="Waitlist Offer Hold (minutes)",
        default=30,
        help="A time freed up and offered to a customer of the waitlist is kept this long for them to accept; "
        "after that, it is offered to the next customer on the list.",
    )

    _sql_constraints = [
        (
            "randevu_waitlist_hold_minutes_positive",
            "CHECK(randevu_waitlist_hold_minutes > 0)",
            "A waitlist offer is held at least a minute.",
        ),
    ]

    randevu_share_html = fields.Html(
        string="Share Online Booking",
        compute="_compute_randevu_share_html",
        sanitize=False,
        help="Booking links of the branch, its services and staff, with QR codes, and the code "
        "that embeds the booking flow in another website.",
    )

    def _compute_randevu_share_html(self):
        Booking = self.env["randevu.booking.service"]
        Employee = self.env["hr.employee"]
        for branch in self:
            if not branch.id or not branch.randevu_online_booking:
                branch.randevu_share_html = Markup("<p class='text-muted'>%s</p>") % self.env._(
                    "Turn on Online Booking to share this branch's booking links."
                )
                continue
            services = Booking._services(branch)
            staff = Employee.search([("randevu_branch_ids", "in", branch.id)])
            no_service = self.env["product.template"]
            rows = [(self.env._("Branch: %s", branch.name), no_service, Employee)]
            rows += [(self.env._("Service: %s", service.name), service, Employee) for service in services]
            rows += [(self.env._("Staff: %s", employee.name), no_service, employee) for employee in staff]
            branch.randevu_share_html = branch._randevu_share_markup(rows)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        if companies.filtered("randevu_online_booking"):
            self.env.registry.clear_cache()  # randevu.online.booking._branch_ids
        return companies

    def write(self, vals):
        result = super().write(vals)
        if BRANCH_LIST_FIELDS & set(vals):
            self.env.registry.clear_cache()  # randevu.online.booking._branch_ids
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # randevu.online.booking._branch_ids
        return result

    def randevu_builder_choices(self, service_id=False):
        """What the website builder's booking options may offer at this branch: the
        services bookable online there and the staff a customer may pick (for
        `service_id` when given, else everyone bookable there), as (id, name) pairs.

        Called by the options of the booking blocks so that the Service and Staff
        pickers only list what the booking pages would accept for the branch.
        """
        self.ensure_one()
        if not self.env.user.has_group("website.group_website_restricted_editor"):
            raise AccessError(self.env._("Only website editors can configure booking blocks."))
        # sudo: an editor may not read staff (employees of the branch's company), schedules
        # and providers, which decide what the branch offers; only the ids and names the
        # public booking pages show are returned.
        branch = self.sudo()
        Booking = self.env["randevu.booking.service"].sudo()
        services = Booking._services(branch)
        service = services.filtered(lambda record: record.id == service_id)
        if service:
            staff = Booking._staff(branch, service)
        else:
            staff = (
                self.env["hr.employee"]
                .sudo()
                .search([("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)])
            )
        return {
            "services": [(service.id, service.display_name) for service in services],
            "staff": [(employee.id, employee.name) for employee in staff],
        }

    def _randevu_website(self):
        """The website that books this branch online (the first one), else the current
        one: where the links of the branch's messages lead."""
        self.ensure_one()
        website_id = self.env["randevu.online.booking"]._website_id_of(self.id)
        return self.env["website"].browse(website_id) if website_id else self.env["website"].get_current_website()

    def _randevu_booking_path(self, service=None, staff=None, kind="book"):
        """Path of the booking flow (``kind`` "book"), its iframe ("book/embed") or its QR
        code ("book/qr") for this branch, optionally one service and one staff member."""
        self.ensure_one()
        path = f"/{kind}/{self.id}" + (f"/{service.id}" if service else "")
        return path + (f"?{url_encode({'staff': staff.id})}" if staff else "")

    def _randevu_booking_url(self, service=None, staff=None):
        self.ensure_one()
        return self.get_base_url() + self._randevu_booking_path(service, staff)

    def _randevu_embed_code(self, service=None, staff=None):
        """The snippet another website pastes to show the booking flow (loader.js)."""
        self.ensure_one()
        base = self.get_base_url()
        attributes = [f'src="{base}/randevu_booking/static/src/embed/loader.js"', f'data-branch="{self.id}"']
        attributes += [f'data-service="{service.id}"'] if service else []
        attributes += [f'data-staff="{staff.id}"'] if staff else []
        return f"<script async {' '.join(attributes)}></script>"

    def _randevu_share_markup(self, rows):
        """A table of (label, service, staff) rows: link, QR code, download, embed code."""
        self.ensure_one()
        lines = []
        for label, service, staff in rows:
            qr_path = self._randevu_booking_path(service, staff, kind="book/qr")
            download = qr_path + ("&" if "?" in qr_path else "?") + "download=1"
            url = self._randevu_booking_url(service, staff)
            lines.append(
                Markup(
                    "<tr><td><strong>%s</strong><br/><a href='%s' target='_blank'>%s</a>"
                    "<pre class='small mt-2 mb-0 text-wrap user-select-all'>%s</pre></td>"
                    "<td class='text-center'><img src='%s' alt='QR' width='120' height='120'/><br/>"
                    "<a href='%s'>%s</a></td></tr>"
                )
                % (
                    label,
                    url,
                    url,
                    self._randevu_embed_code(service, staff),
                    qr_path,
                    download,
                    self.env._("Download PNG"),
                )
            )
        header = Markup("<tr><th>%s</th><th class='text-center'>%s</th></tr>") % (
            self.env._("Link and code to embed"),
            self.env._("QR code"),
        )
        return Markup("<table class='table table-sm o_randevu_share'><thead>%s</thead><tbody>%s</tbody></table>") % (
            header,
            Markup("").join(lines),
        )

    def _randevu_phone_parsed(self):
        """The branch's phone as a phonenumbers number read in its country, or None."""
        self.ensure_one()
        if not self.phone:
            return None
        try:
            number = phonenumbers.parse(self.phone, self.country_id.code or None)
        except phonenumbers.NumberParseException:
            return None
        return number if phonenumbers.is_valid_number(number) else None

    def _randevu_phone_display(self):
        """The branch's phone as its customers write it: in the national style of the
        branch's country ("01 42 00 00 00", "0216 330 12 34"), internationally when the
        number is another country's; as typed when it cannot be read."""
        self.ensure_one()
        number = self._randevu_phone_parsed()
        if not number:
            return self.phone or ""
        national = phonenumbers.region_code_for_number(number) == (self.country_id.code or "").upper()
        style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        return phonenumbers.format_number(number, style)

    def _randevu_phone_href(self):
        """The tel: link of the branch's phone (E.164 when it can be read)."""
        self.ensure_one()
        number = self._randevu_phone_parsed()
        phone = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else self.phone
        return f"tel:{phone}" if phone else ""
