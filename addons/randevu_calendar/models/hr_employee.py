from odoo import api, fields, models

from ..tools.rating_stats import randevu_rating_stats


class HrEmployee(models.Model):
    """Staff: working hours are the employee's `resource_calendar_id` (breaks are
    gaps between attendances), leave is `resource.calendar.leaves` on the
    employee's resource, blocked personal time is a leave or a customer-less
    appointment."""

    _inherit = "hr.employee"

    randevu_service_line_ids = fields.One2many("randevu.service.staff", "employee_id", string="Services")
    randevu_service_ids = fields.Many2many(
        "product.template", string="Services Offered", compute="_compute_randevu_service_ids"
    )
    randevu_branch_line_ids = fields.One2many(
        "randevu.staff.branch",
        "employee_id",
        string="Other Branches",
        help="Branches where this person also works, each with the hours worked there.",
    )
    randevu_branch_ids = fields.Many2many(
        "res.company",
        "randevu_employee_branch_rel",
        "employee_id",
        "branch_id",
        string="Works at",
        compute="_compute_randevu_branch_ids",
        store=True,  # searched by the engine and the Day planner for every booking
        help="The home branch (the employee's company) and the other branches.",
    )
    # A user without HR rights reads an employee through hr.employee.public (hr's fetch()),
    # which refuses fields it lacks: the colour and "takes appointments" are public there
    # (hr_employee_public.py), the commission rate is for HR officers and Randevu managers
    # (never prefetched for the others: a POS cashier opening a till that lists "employees
    # with manager access" read every prefetched field of them).
    randevu_color = fields.Integer(string="Calendar Colour")
    randevu_commission_rate = fields.Float(
        string="Commission Rate (%)",
        help="Used by Randevu POS.",
        groups="hr.group_hr_user,randevu_calendar.group_randevu_manager",
    )
    randevu_bookable = fields.Boolean(
        string="Takes Appointments",
        default=False,
        help="Shown in the calendar and the Day planner and offered by the availability engine. Off by default: "
        "installing Randevu into a company does not make every employee bookable.",
    )

    randevu_rating_avg = fields.Float(
        string="Average Rating",
        compute="_compute_randevu_rating",
        digits=(3, 2),
        help="Out of 5, from customers' reviews.",
    )
    randevu_rating_count = fields.Integer(string="Reviews", compute="_compute_randevu_rating")

    _sql_constraints = [
        (
            "randevu_commission_range",
            "CHECK(randevu_commission_rate >= 0 AND randevu_commission_rate <= 100)",
            "A commission rate lies between 0 and 100%.",
        ),
    ]

    @api.depends("company_id", "randevu_branch_line_ids.branch_id")
    def _compute_randevu_branch_ids(self):
        for employee in self:
            employee.randevu_branch_ids = employee.company_id | employee.randevu_branch_line_ids.branch_id

    @api.depends("randevu_service_line_ids.product_tmpl_id")
    def _compute_randevu_service_ids(self):
        for employee in self:
            employee.randevu_service_ids = employee.randevu_service_line_ids.product_tmpl_id

    # "My Day" is listed only for users with a bookable employee (ir.ui.menu._visible_menu_ids):
    # the menus cached per user (load_menus) are dropped when that may change.
    _RANDEVU_MENU_FIELDS = ("randevu_bookable", "user_id", "active")

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        if any(employee.user_id and employee.randevu_bookable for employee in employees):
            self.env.registry.clear_cache()
        return employees

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field in self._RANDEVU_MENU_FIELDS):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        drop_menus = any(employee.user_id and employee.randevu_bookable for employee in self)
        result = super().unlink()
        if drop_menus:
            self.env.registry.clear_cache()
        return result

    def action_randevu_week_wizard(self):
        """The week wizard: this staff member's working week in one line."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_calendar.randevu_staff_week_wizard_action")
        action["context"] = {"default_employee_id": self.id}
        return action

    @api.constrains("company_id", "resource_calendar_id")
    def _check_randevu_branch_hours(self):
        self.randevu_branch_line_ids._check_not_home_branch()
        self.randevu_branch_line_ids._check_hours_do_not_overlap()

    def _randevu_calendar_at(self, branch):
        """Working schedule of this staff member at `branch` (False: the branch's hours)."""
        self.ensure_one()
        if self.company_id == branch:
            return self.resource_calendar_id
        return self.randevu_branch_line_ids.filtered(lambda line: line.branch_id == branch).resource_calendar_id

    def _compute_randevu_rating(self):
        stats = randevu_rating_stats(self.env, "employee_id", self.ids)
        for employee in self:
            employee.randevu_rating_avg, employee.randevu_rating_count = stats.get(employee.id, (0.0, 0))
