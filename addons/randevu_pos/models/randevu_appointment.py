from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .randevu_course import EARNED_STATES


class RandevuAppointment(models.Model):
    _name = "randevu.appointment"
    _inherit = ["randevu.appointment", "pos.load.mixin"]

    randevu_pos_line_ids = fields.One2many(
        "pos.order.line",
        "randevu_appointment_id",
        string="POS Order Lines",
        readonly=True,
        groups="point_of_sale.group_pos_user",
    )
    randevu_pos_order_id = fields.Many2one(
        "pos.order",
        string="POS Order",
        compute="_compute_randevu_pos_order_id",
        groups="point_of_sale.group_pos_user",
        help="The till's order that checked this appointment out.",
    )

    randevu_course_id = fields.Many2one(
        "randevu.course",
        string="Course",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's course this appointment uses a session of (priced 0: paid with the course).",
    )
    randevu_course_move_id = fields.Many2one(
        "account.move",
        string="Course Recognition Entry",
        readonly=True,
        copy=False,
        groups="account.group_account_readonly",
        help="Moves this session's share of the course from deferred revenue to revenue.",
    )
    randevu_course_session = fields.Char(
        string="Course Session",
        compute="_compute_randevu_course_session",
        help="Which session of the course this is, e.g. 3/6.",
    )

    @api.depends("randevu_course_id.appointment_ids.state", "randevu_course_id.appointment_ids.start")
    def _compute_randevu_course_session(self):
        for appointment in self:
            course = appointment.randevu_course_id
            if not course or appointment.state == "cancelled":
                appointment.randevu_course_session = False
                continue
            used = course.appointment_ids.filtered(lambda appt: appt.state != "cancelled").sorted(
                lambda appt: (appt.start, appt.id)
            )
            number = list(used).index(appointment) + 1 if appointment in used else 0
            appointment.randevu_course_session = f"{number}/{course.sessions_total}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("randevu_course_id" in vals for vals in vals_list):
            raise AccessError(self.env._("Only Randevu itself links an appointment to a course."))
        self._randevu_use_courses(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"randevu_course_id", "randevu_course_move_id"} & set(vals):
            raise AccessError(self.env._("Only Randevu itself links an appointment to a course."))
        result = super().write(vals)
        if "state" in vals:
            self.filtered("randevu_course_id")._randevu_recognise_course_sessions()
        return result

    @api.model
    def _randevu_use_courses(self, vals_list):
        """Every channel (online, chat, backend) creates appointments: one of a service
        the customer has a course of, at its branch and within its dates, uses one of
        its sessions and costs nothing. The course's row is locked (see
        randevu.course._randevu_course_for); sessions taken within this batch count."""
        Course = self.env["randevu.course"]
        taken = Counter()
        for vals in vals_list:
            if not (vals.get("partner_id") and vals.get("service_id") and vals.get("start")):
                continue
            # sudo: read with the customer's row (the notes are read from it next), no query of
            # its own: only customers sold a course look one up.
            if not self.env["res.partner"].sudo().browse(vals["partner_id"]).randevu_has_course:
                continue
            service = self.env["product.template"].browse(vals["service_id"])
            if service.randevu_capacity > 1:
                continue
            company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
            day = company._randevu_local_day(fields.Datetime.to_datetime(vals["start"]))
            partner = self.env["res.partner"].browse(vals["partner_id"])
            course = Course._randevu_course_for(partner, company, service, day)
            # sudo: sessions left of the customer's own course, as _randevu_course_for.
            if course and course.sudo().sessions_left - taken[course.id] > 0:
                taken[course.id] += 1
                vals["randevu_course_id"] = course.id
                vals["price"] = 0.0

    def _randevu_recognise_course_sessions(self):
        """Sessions performed (or missed: a no-show forfeits it) earn their share of the
        course: an entry from deferred revenue to revenue; a session taken back (the
        appointment reopened) reverses its entry."""
        # sudo: the ledger follows the appointment's status, whoever changes it.
        for appointment in self.sudo():
            move = appointment.randevu_course_move_id
            if appointment.state in EARNED_STATES and not move:
                course = appointment.randevu_course_id
                label = self.env._(
                    "Course session %(session)s: %(course)s",
                    session=appointment.randevu_course_session,
                    course=course.name,
                )
                appointment.randevu_course_move_id = course._randevu_recognise(
                    course._randevu_session_amount(), label, appointment.company_id._randevu_local_today()
                )
            elif appointment.state not in EARNED_STATES and move:
                move._reverse_moves([{"ref": self.env._("Reversal of %(entry)s", entry=move.name)}], cancel=True)
                appointment.randevu_course_move_id = False

    @api.depends("randevu_pos_line_ids.order_id.state")
    def _compute_randevu_pos_order_id(self):
        for appointment in self:
            orders = appointment.randevu_pos_line_ids.order_id.filtered(lambda order: order.state != "cancel")
            appointment.randevu_pos_order_id = orders.sorted("id")[-1:]

    @api.model
    def _load_pos_data_domain(self, data):
        # Nothing at start: the till reads the appointments the cashier picks (today's
        # list comes from pos.config.randevu_pos_appointments, fresh each time).
        return False

    @api.model
    def _load_pos_data_fields(self, config_id):
        return ["id", "name", "state", "payment_state", "price", "randevu_course_session"]

    def action_randevu_open_pos_order(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_pos_form")
        action.update(res_id=self.randevu_pos_order_id.id, views=[(False, "form")], view_mode="form")
        return action

    def _randevu_deposit_left(self, currency):
        """What is left to deduct, in `currency`, of the deposits paid online for these
        appointments (`_randevu_deposit_move_lines`, each journal item once)."""
        # sudo: the till deducts deposits whoever the cashier is (journal items are the
        # accountants'); only their amounts are read.
        return self._randevu_deposit_amount_left(self._randevu_deposit_move_lines().sudo(), currency)

    def _randevu_deposit_left_by_appointment(self, currency):
        """{appointment id: deposit left to deduct in `currency`} for these appointments,
        in a fixed number of queries (today's list at the till). A payment covering
        several appointments counts for each of them."""
        lines_sudo = self._randevu_deposit_move_lines().sudo()  # sudo: as _randevu_deposit_left
        result = dict.fromkeys(self.ids, 0.0)
        for transaction_sudo in self.sudo().randevu_transaction_ids:
            tx_lines = lines_sudo & transaction_sudo.payment_id.move_id.line_ids
            for appointment in transaction_sudo.randevu_appointment_ids.filtered(lambda appt: appt.id in result):
                result[appointment.id] += self._randevu_deposit_amount_left(tx_lines, currency)
        return result

    @api.model
    def _randevu_deposit_amount_left(self, lines, currency):
        left = 0.0
        for line in lines:
            if line.currency_id == currency:
                left -= line.amount_residual_currency
            else:
                left -= line.company_currency_id._convert(
                    line.amount_residual, currency, line.company_id, line.date or fields.Date.today()
                )
        return currency.round(left)
