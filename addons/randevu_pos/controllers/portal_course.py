from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class RandevuCoursePortal(CustomerPortal):
    """The customer's courses of sessions on /my: what is left of each and until when."""

    def _randevu_own_courses_domain(self):
        return [("partner_id", "child_of", request.env.user.commercial_partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "randevu_course_count" in counters:
            # The user's own rights and their own courses (a team member's too), whatever
            # their state: the card shows for a customer who has or had a course, and only then.
            values["randevu_course_count"] = request.env["randevu.course"].search_count(
                self._randevu_own_courses_domain()
            )
        return values

    # website=True: the frontend dispatch (languages, layout) of portal pages, which
    # http_routing gives without the website addon.
    @http.route("/my/courses", type="http", auth="user", methods=["GET"], website=True, sitemap=False)
    def portal_my_courses(self, **kwargs):
        # Searched with the user's rights (portal: their own courses only, staff: their
        # branches'); read as superuser for display only: the branch and the service are
        # records of companies a portal user does not belong to.
        courses_sudo = request.env["randevu.course"].search(self._randevu_own_courses_domain()).sudo()
        values = self._prepare_portal_layout_values()
        values.update({"courses": courses_sudo, "page_name": "randevu_courses"})
        return request.render("randevu_pos.portal_my_courses", values)
