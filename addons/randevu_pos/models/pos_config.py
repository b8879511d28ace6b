import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.osv import expression

from odoo.addons.randevu_calendar.const import APPOINTMENT_HOLDING_STATES, ATTENDEE_SEAT_STATES

# A search typed at the till with this many digits is a phone number, compared exactly.
PHONE_DIGITS = 5
# Appointments that checkout completes (marked done once paid); others keep their status.
OPEN_STATES = ("arrived", "in_progress")
# Tips (issue 13): the tip product's income account is a liability, "Tips Payable", so a
# tip is never revenue; the staff member it is for is the tip line's performer.
TIPS_ACCOUNT_CODE = "2190"


class PosConfig(models.Model):
    _inherit = "pos.config"

    def _load_pos_data(self, data):
        result = super()._load_pos_data(data)
        for row in result["data"]:
            row["_randevu_can_check_out"] = self.env.user.has_group("randevu_calendar.group_randevu_user")
        return result

    def _randevu_performers(self):
        """Who may be named as having performed a line at this till: the branch's
        employees (front desk) and the staff taking appointments there."""
        self.ensure_one()
        branch = self.company_id
        # sudo: a cashier is no HR officer, and Odoo reads hr.employee as its public
        # profile for them, without Randevu's fields; only the ids are taken from it,
        # the names are read back as the cashier (pos_hr's fields, public ones).
        performers_sudo = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    "|",
                    ("company_id", "=", branch.id),
                    "&",
                    ("randevu_bookable", "=", True),
                    ("randevu_branch_ids", "in", branch.ids),
                ],
                order="name, id",
            )
        )
        return self.env["hr.employee"].browse(performers_sudo.ids)

    def _randevu_appointment_domain(self, query=None):
        """Today's (the branch's local day) customers' appointments of this till's
        branch, narrowed by `query`: a phone number (compared whole, normalised as
        customers are matched) or part of the customer's name."""
        self.ensure_one()
        branch = self.company_id
        day_start, day_stop = branch._randevu_day_bounds(branch._randevu_local_today())
        domain = [
            ("company_id", "=", branch.id),
            ("start", ">=", day_start),
            ("start", "<", day_stop),
            ("state", "in", APPOINTMENT_HOLDING_STATES),
            ("partner_id", "!=", False),
            ("service_id", "!=", False),
            # Group classes: their customers are attendees, listed by seat (_randevu_pos_seats).
            ("service_id.randevu_capacity", "<=", 1),
        ]
        return expression.AND([domain, self._randevu_customer_domain(query)])

    def _randevu_customer_domain(self, query=None):
        """The customers (`partner_id`) a search typed at the till means: a phone number
        (compared whole, normalised as customers are matched) or part of a name."""
        query = (query or "").strip()
        if not query:
            return []
        if len(re.sub(r"\D", "", query)) >= PHONE_DIGITS:
            try:
                phone = self.env["res.partner"]._randevu_normalize_phone(query, country=self.company_id.country_id)
            except ValidationError:
                phone = False
            return [("partner_id.phone_sanitized", "=", phone)]
        return [("partner_id.name", "ilike", query)]

    def randevu_pos_customer_due(self, partner_id):
        """Settle Due at the till: what the customer owes at the till's branch now (read
        fresh, the till's copy may be stale), and whether the till's user may take more
        (a POS manager)."""
        self.ensure_one()
        self.check_access("read")
        # with_company: a user who does not work at the till's branch is refused.
        partner = self.env["res.partner"].with_company(self.company_id).browse(partner_id).exists()
        if not partner:
            raise ValidationError(self.env._("Choose the customer whose due is settled."))
        partner.check_access("read")
        due = partner._randevu_pos_due(self.company_id).get(partner.commercial_partner_id.id, 0.0)
        return {
            "due": self.currency_id.round(due),
            "can_exceed": self.env.user.has_group("point_of_sale.group_pos_manager"),
        }

    def randevu_pos_appointments(self, query=None):
        """The Appointments list of the till: one dict per appointment of today at the
        branch, earliest first, with what the cashier sees and what picking it puts on
        the order. A fixed number of queries whatever the number of appointments."""
        self.ensure_one()
        if not self.env.user.has_group("randevu_calendar.group_randevu_user"):
            raise AccessError(self.env._("Only the branch's Randevu users may check out appointments."))
        self.check_access("read")
        # with_company: the branch's record rules apply, and a user who does not work
        # at the branch is refused (AccessError) instead of reading another branch.
        Appointment = self.env["randevu.appointment"].with_company(self.company_id)
        appointments = Appointment.search_fetch(
            self._randevu_appointment_domain(query),
            [
                "partner_id",
                "service_id",
                "employee_id",
                "start",
                "state",
                "payment_state",
                "price",
                "visit_id",
                "randevu_course_id",
            ],
            order="start, id",
        )
        # Staff names as every internal user reads them (hr.employee's own fields are HR's).
        staff_names = {
            employee.id: employee.name
            for employee in self.env["hr.employee.public"].browse(appointments.employee_id.ids)
        }
        deposits = appointments._randevu_deposit_left_by_appointment(self.currency_id)
        states = dict(Appointment._fields["state"]._description_selection(self.env))
        payments = dict(Appointment._fields["payment_state"]._description_selection(self.env))
        result = []
        for appointment in appointments:
            paid = appointment.payment_state == "paid"
            result.append(
                {
                    "key": f"appointment-{appointment.id}",
                    "id": appointment.id,
                    "attendee_id": False,
                    "start": appointment.start,
                    "visit_id": appointment.visit_id.id,
                    "partner_id": appointment.partner_id.id,
                    "partner_name": appointment.partner_id.name,
                    "partner_phone": self._randevu_format_phone(appointment.partner_id.phone),
                    "time": f"{self.company_id._randevu_to_local(appointment.start):%H:%M}",
                    "service": appointment.service_id.name,
                    "product_id": appointment.service_id.product_variant_id.id,
                    "price": appointment.price,
                    "employee_id": appointment.employee_id.id,
                    "employee_name": staff_names.get(appointment.employee_id.id, ""),
                    "state": appointment.state,
                    "state_label": states[appointment.state],
                    "payment_state": appointment.payment_state,
                    "deposit": deposits[appointment.id] if not paid else 0.0,
                    "payment_label": payments[appointment.payment_state],
                    "pickable": not paid,
                    # "3/6": the session of its course it uses (priced 0), shown on the line.
                    "course_session": appointment.randevu_course_session or "",
                }
            )
        result += self._randevu_pos_seats(query)
        # Stable: at the same time, appointments first, then seats in join order.
        result.sort(key=lambda row: row.pop("start"))
        return result

    def _randevu_pos_seats(self, query=None):
        """Rows of today's list for the seats of the branch's group classes (capacity
        over 1) today: one per attendee holding a seat, with the class's service, its
        instructor as performer and the seat's price (the session's). A fixed number of
        queries whatever the number of seats."""
        self.ensure_one()
        branch = self.company_id
        day_start, day_stop = branch._randevu_day_bounds(branch._randevu_local_today())
        domain = [
            ("state", "in", ATTENDEE_SEAT_STATES),
            ("appointment_id.company_id", "=", branch.id),
            ("appointment_id.start", ">=", day_start),
            ("appointment_id.start", "<", day_stop),
            ("appointment_id.state", "in", APPOINTMENT_HOLDING_STATES),
            ("appointment_id.service_id.randevu_capacity", ">", 1),
            *self._randevu_customer_domain(query),
        ]
        Attendee = self.env["randevu.attendee"].with_company(self.company_id)
        seats = Attendee.search_fetch(domain, ["appointment_id", "partner_id", "state", "randevu_payment_state"])
        sessions = seats.appointment_id
        sessions.fetch(["service_id", "employee_id", "start", "price"])
        staff_names = {
            employee.id: employee.name for employee in self.env["hr.employee.public"].browse(sessions.employee_id.ids)
        }
        states = dict(Attendee._fields["state"]._description_selection(self.env))
        payments = dict(Attendee._fields["randevu_payment_state"]._description_selection(self.env))
        rows = []
        for seat in seats:
            session = seat.appointment_id
            paid = seat.randevu_payment_state == "paid"
            rows.append(
                {
                    "key": f"seat-{seat.id}",
                    "id": session.id,
                    "attendee_id": seat.id,
                    "start": session.start,
                    "visit_id": False,
                    "partner_id": seat.partner_id.id,
                    "partner_name": seat.partner_id.name,
                    "partner_phone": self._randevu_format_phone(seat.partner_id.phone),
                    "time": f"{self.company_id._randevu_to_local(session.start):%H:%M}",
                    "service": session.service_id.name,
                    "product_id": session.service_id.product_variant_id.id,
                    "price": seat._randevu_price(),
                    "employee_id": session.employee_id.id,
                    "employee_name": staff_names.get(session.employee_id.id, ""),
                    "state": seat.state,
                    "state_label": states[seat.state],
                    "payment_state": seat.randevu_payment_state,
                    "deposit": 0.0,
                    "payment_label": payments[seat.randevu_payment_state],
                    "pickable": not paid,
                }
            )
        return rows

    def _randevu_format_phone(self, phone):
        """`phone` as the branch writes it: its national format for a number of the
        branch's country, the international one for others; as typed if not a number."""
        if not phone:
            return ""
        formatted = self.env["res.partner"]._phone_format(
            number=phone, country=self.company_id.country_id, force_format="NATIONAL"
        )
        return formatted or phone

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        configs.filtered("iface_tipproduct")._randevu_setup_tips()
        return configs

    def write(self, vals):
        result = super().write(vals)
        if {"iface_tipproduct", "tip_product_id"} & set(vals):
            self.filtered("iface_tipproduct")._randevu_setup_tips()
        return result

    def _randevu_setup_tips(self):
        """Book the tips of these tills on a "Tips Payable" liability of their company
        (the root company's chart, shared by its branches): the tip product's income
        account, in each branch and in the root company. Idempotent."""
        for config in self.filtered("tip_product_id"):
            account = config._randevu_tips_account()
            product = config.tip_product_id
            for company in config.company_id | config.company_id.root_id:
                # sudo: the accounts of a product are the accountant's; a POS manager
                # turning tips on may not write them, and only this mapping is written.
                product_sudo = product.sudo().with_company(company)
                if product_sudo.property_account_income_id != account:
                    product_sudo.property_account_income_id = account

    def _randevu_tips_account(self):
        self.ensure_one()
        root = self.company_id.root_id
        # sudo: reading and creating the chart's account is the accountant's; this is
        # the one account tips are booked on, created once per chart.
        Account_sudo = self.env["account.account"].sudo().with_company(root)
        account_sudo = Account_sudo.search(
            [
                ("company_ids", "in", root.ids),
                ("account_type", "=", "liability_current"),
                ("name", "=", "Tips Payable"),
            ],
            limit=1,
        )
        if not account_sudo:
            account_sudo = Account_sudo.create(
                {
                    "name": "Tips Payable",
                    "code": Account_sudo._search_new_account_code(TIPS_ACCOUNT_CODE),
                    "account_type": "liability_current",
                    "company_ids": root.ids,
                    "reconcile": True,
                }
            )
        return self.env["account.account"].browse(account_sudo.id)

    def _randevu_demo_salon_catalogue(self):
        """Demo data only: the tills `self` show the salon's own catalogue, in a POS
        category "Salon" (the same word in en, tr and fr): the services of their branch,
        the account credit top-up and the gift card; Odoo's own POS demo products
        (furniture, bakery, clothes) stay in Odoo's demo shops. Idempotent."""
        Category = self.env["pos.category"]
        salon = Category.search([("name", "=", "Salon")], limit=1) or Category.create({"name": "Salon"})
        products = self.env["product.template"].search(
            [("company_id", "in", self.company_id.ids), ("is_appointment_service", "=", True)]
        )
        for xmlid in ("loyalty.ewallet_product_50", "loyalty.gift_card_product_50"):
            product = self.env.ref(xmlid, raise_if_not_found=False)
            products |= product.product_tmpl_id if product else products.browse()
        products.write({"available_in_pos": True, "pos_categ_ids": [Command.link(salon.id)]})
        self.write({"limit_categories": True, "iface_available_categ_ids": [Command.link(salon.id)]})

    def _randevu_demo_day_session(self, cashier, visits, retail):
        """Demo data only: a session of this till checking out `visits` ({customer: their
        done appointments of one past day}) as `cashier` through `sync_from_ui`, then
        closed with Odoo's closing; dated on the appointments' day. Every other visit also
        buys `retail`; one in three is paid by card, the others in cash.

        :return: the closed session
        """
        self.ensure_one()
        till = self.with_user(cashier).with_company(self.company_id)
        till.open_ui()
        session = till.current_session_id
        cash = self.payment_method_ids.filtered("is_cash_count")[:1]
        card = self.payment_method_ids.filtered(lambda method: method.type == "bank")[:1] or cash
        appointments = self.env["randevu.appointment"].concat(*visits.values())
        # Marked paid by randevu_calendar's demo without any payment: paid now, at the till.
        appointments.write({"payment_state": "not_paid"})
        orders = []
        for index, (customer, visit) in enumerate(visits.items()):
            lines = [(appt.service_id.product_variant_id, appt.price, appt.employee_id, appt) for appt in visit]
            if index % 2:
                lines.append((retail, retail.list_price, visit[-1:].employee_id, False))
            total = sum(price for __, price, __, __ in lines)
            when = fields.Datetime.to_string(max(visit.mapped("stop")))
            method = card if index % 3 == 0 else cash
            uuid = f"randevu-demo-{session.id}-{index}"
            orders.append(
                {
                    "uuid": uuid,
                    "name": f"Order {uuid}",
                    "session_id": session.id,
                    "sequence_number": index + 1,
                    "date_order": when,
                    "partner_id": customer.id,
                    "user_id": cashier.id,
                    "pricelist_id": self.pricelist_id.id,
                    "fiscal_position_id": False,
                    "amount_total": total,
                    "amount_paid": total,
                    "amount_tax": 0,
                    "amount_return": 0,
                    "to_invoice": False,
                    "last_order_preparation_change": "{}",
                    "lines": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "qty": 1,
                                "price_unit": price,
                                "price_subtotal": price,
                                "price_subtotal_incl": price,
                                "tax_ids": [Command.set([])],  # prices as booked, no tax
                                "pack_lot_ids": [],
                                "uuid": f"{uuid}-{number}",
                                "randevu_employee_id": employee.id,
                                "randevu_appointment_id": appt and appt.id,
                            }
                        )
                        for number, (product, price, employee, appt) in enumerate(lines)
                    ],
                    "payment_ids": [Command.create({"amount": total, "name": when, "payment_method_id": method.id})],
                }
            )
        till.env["pos.order"].sync_from_ui(orders)
        session = session.with_user(cashier).with_company(self.company_id)
        session.post_closing_cash_details(session.cash_register_balance_end)
        session.update_closing_control_state_session("")
        session.close_session_from_ui()
        day = min(appointments.mapped("start"))
        # sudo: the demo's session happened on its day (the fields are the server's).
        session.sudo().write({"start_at": day, "stop_at": max(appointments.mapped("stop"))})
        return session
