from babel.dates import get_day_names
from lxml import html
from werkzeug.urls import url_encode

from odoo import api, models
from odoo.tools.misc import babel_locale_parse

# The live blocks of the website (views/snippets/s_randevu_home.xml): what each shows.
BLOCK_KINDS = ("branches", "services", "team", "reviews")
# Services listed per branch, reviews and staff shown at most.
SERVICES_LIMIT = 8
REVIEWS_LIMIT = 6
TEAM_LIMIT = 12
# The dash of a range of days or hours ("Mon\u2013Fri", "09:00\u201319:00").
EN_DASH = "\u2013"
# Reviews shown on the website: those of 4 stars and more, with a comment.
REVIEW_MIN_RATING = 4
# The class of the rendered content inside a live block (template s_randevu_block): what a
# page is saved without.
LIVE_CONTENT_CLASS = "s_randevu_live_content"


class RandevuWebsiteBlock(models.AbstractModel):
    """The live data of the website's salon blocks (branches with hours and a map
    link, services with prices and durations, the team, reviews): the values their
    templates render, read as superuser by the block route and limited to what a
    visitor is shown (branches the website books online, bookable staff, services
    offered online, reviews of 4 stars and more with a comment)."""

    _name = "randevu.website.block"
    _description = "Website Salon Blocks"

    @api.model
    def _values(self, website, kind):
        branches = self.env["randevu.online.booking"]._branches(website)
        return getattr(self, f"_{kind}_values")(branches)

    @api.model
    def _render(self, website, kind):
        """The content of the live block `kind` on `website`, in the context's language:
        the HTML the block route answers and the page puts inside the block when it is
        rendered (see ir.qweb), from one template. Rendered without the editor's branding
        or translation markers: it is data, neither edited nor saved with the page."""
        if kind not in BLOCK_KINDS or not website:
            return None
        # Superuser: visitors may read neither branches, staff, services nor reviews;
        # _values returns only what the website shows of them.
        block_sudo = self.sudo().with_context(website_id=website.id)
        values = dict(block_sudo._values(website, kind), kind=kind)
        qweb = self.env["ir.qweb"].with_context(
            inherit_branding=False, inherit_branding_auto=False, edit_translations=False
        )
        return qweb._render("randevu_booking.s_randevu_block", values)

    @api.model
    def _strip_rendered(self, arch):
        """`arch` (the HTML of a page section the editor saves) without the rendered
        content of its live blocks: a page keeps the blocks, never a copy of the data."""
        if LIVE_CONTENT_CLASS not in arch:
            return arch
        root = html.fromstring(arch, parser=html.HTMLParser(encoding="utf-8"))
        live_content = f"contains(concat(' ', normalize-space(@class), ' '), ' {LIVE_CONTENT_CLASS} ')"
        for node in root.xpath(f"//*[@data-randevu-block]/*[{live_content}]"):
            parent = node.getparent()
            if node.tail and node.tail.strip():
                previous = node.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + node.tail
                else:
                    parent.text = (parent.text or "") + node.tail
            parent.remove(node)
        return html.tostring(root, encoding="unicode")

    # ------------------------------------------------------------------ branches
    @api.model
    def _opening_hours(self, branch):
        """The branch's week as lines ``{"days": "Mon-Fri", "hours": "09:00-19:00",
        "closed": False}`` (ranges with an en dash; days with the same hours grouped;
        closed days said so), from its working schedule, in the context's language."""
        calendar = branch.resource_calendar_id
        if not calendar:
            return []
        names = get_day_names("abbreviated", locale=babel_locale_parse(self.env.context.get("lang") or "en_US"))
        by_day = {}
        for attendance in calendar.attendance_ids.sorted(lambda att: (att.dayofweek, att.hour_from)):
            if attendance.day_period == "lunch" or attendance.week_type == "1":
                continue
            by_day.setdefault(int(attendance.dayofweek), []).append((attendance.hour_from, attendance.hour_to))

        def label(hour):
            minutes = round(hour * 60)
            return f"{minutes // 60:02d}:{minutes % 60:02d}"

        def ranges(day):
            spans = []
            for start, stop in by_day.get(day, []):
                if spans and abs(spans[-1][1] - start) < 1e-6:
                    spans[-1] = (spans[-1][0], stop)  # morning and afternoon without a break
                else:
                    spans.append((start, stop))
            return ", ".join(f"{label(start)}{EN_DASH}{label(stop)}" for start, stop in spans)

        lines = []
        for day in range(7):
            hours = ranges(day) or self.env._("Closed")
            if lines and lines[-1]["hours"] == hours:
                lines[-1]["last"] = day
            else:
                lines.append({"first": day, "last": day, "hours": hours})
        return [
            {
                "days": names[line["first"]]
                if line["first"] == line["last"]
                else f"{names[line['first']]}{EN_DASH}{names[line['last']]}",
                "hours": line["hours"],
                "closed": not by_day.get(line["first"]),
            }
            for line in lines
        ]

    @api.model
    def _address(self, branch):
        city = " ".join(filter(None, [branch.zip, branch.city]))
        return ", ".join(filter(None, [branch.street, branch.street2, city, branch.country_id.name]))

    @api.model
    def _branches_values(self, branches):
        return {
            "branches": [
                {
                    "record": branch,
                    "address": self._address(branch),
                    "hours": self._opening_hours(branch),
                    "phone": branch._randevu_phone_display(),
                    "phone_href": branch._randevu_phone_href(),
                    "map_url": "https://www.openstreetmap.org/search?" + url_encode({"query": self._address(branch)}),
                    "book_url": f"/book/{branch.id}",
                }
                for branch in branches
            ]
        }

    # ------------------------------------------------------------------ services
    @api.model
    def _services_values(self, branches):
        booking_service = self.env["randevu.booking.service"]
        result = []
        for branch in branches:
            services = booking_service._services(branch)[:SERVICES_LIMIT]
            result.append(
                {
                    "branch": branch,
                    "all_url": f"/book/{branch.id}",
                    "services": [
                        {
                            "record": service,
                            # The figures of the booking flow: "from" the lowest when staff prices differ.
                            "terms": booking_service._terms_values(branch, booking_service._terms(branch, service)),
                            "url": f"/book/{branch.id}/{service.id}",
                        }
                        for service in services
                    ],
                }
            )
        return {"branch_services": [row for row in result if row["services"]], "several": len(result) > 1}

    # ------------------------------------------------------------------ team
    @api.model
    def _team_values(self, branches):
        staff = self.env["hr.employee"].search(
            [("randevu_bookable", "=", True), ("randevu_branch_ids", "in", branches.ids)],
            order="name, id",
            limit=TEAM_LIMIT,
        )
        return {
            "members": [{"record": employee, "branches": employee.randevu_branch_ids & branches} for employee in staff],
            "several": len(branches) > 1,
        }

    # ------------------------------------------------------------------ reviews
    @api.model
    def _reviews_values(self, branches):
        Appointment = self.env["randevu.appointment"]
        ratings = self.env["rating.rating"].search(
            [
                ("res_model", "=", "randevu.appointment"),
                ("consumed", "=", True),
                ("rating", ">=", REVIEW_MIN_RATING),
                ("feedback", "!=", False),
            ],
            order="write_date desc, id desc",
            limit=REVIEWS_LIMIT * 5,
        )
        appointments = Appointment.browse(ratings.mapped("res_id")).exists()
        in_branches = set(appointments.filtered(lambda appt: appt.company_id in branches).ids)
        reviews = []
        for rating in ratings:
            if rating.res_id not in in_branches:
                continue
            appointment = Appointment.browse(rating.res_id)
            # First name and initial: a visitor sees who, not the whole name.
            words = (rating.partner_id.name or "").split()
            author = " ".join(filter(None, [words[0] if words else "", f"{words[-1][0]}." if len(words) > 1 else ""]))
            reviews.append(
                {
                    "rating": rating.rating,
                    "feedback": rating.feedback,
                    "author": author,
                    "service": appointment.service_id.name,
                    "staff": appointment.employee_id.name,
                    "branch": appointment.company_id.name,
                }
            )
            if len(reviews) == REVIEWS_LIMIT:
                break
        return {"reviews": reviews}

    # ------------------------------------------------------------------ demo
    @api.model
    def _randevu_demo_reviews(self):
        """Demo: reviews of some visits that took place (one per customer), given as
        customers give them on the portal."""
        comments = [
            (5, "Best haircut I have had in years, and they were right on time."),
            (5, "Lovely team, relaxing atmosphere. Booking online took a minute."),
            (4, "Great colour, exactly what I asked for. I will be back in five weeks."),
            (5, "Friendly, precise and the salon is spotless."),
            (5, "They remembered my allergy without me asking. Thank you!"),
            (4, "Very good manicure, a little wait at the desk."),
        ]
        if self.env["rating.rating"].search_count(
            [("res_model", "=", "randevu.appointment"), ("consumed", "=", True)], limit=1
        ):
            return  # reviewed already (the demo is loaded again on update)
        done = self.env["randevu.appointment"].search(
            [("state", "=", "done"), ("partner_id", "!=", False)], order="start desc"
        )
        reviewed = self.env["res.partner"]
        for appointment in done:
            if not comments:
                break
            if appointment.partner_id in reviewed or appointment._randevu_review_problem():
                continue
            rating, comment = comments.pop(0)
            appointment._randevu_apply_review(rating, comment)
            reviewed |= appointment.partner_id
