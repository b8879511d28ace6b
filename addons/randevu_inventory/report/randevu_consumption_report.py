from odoo import fields, models, tools


class RandevuConsumptionReport(models.Model):
    """Products used in done appointments against what their service plans, valued at the
    product's cost (its standard price in the branch, else in the main company), and each
    done appointment's price: one row per product used (the cost counted against the margin)
    and one row per appointment (its price), so that the sums by service, staff member,
    branch or period give the service's revenue, the cost of its consumables and the margin."""

    _name = "randevu.consumption.report"
    _description = "Consumables Usage"
    _auto = False
    _order = "date desc, id"
    _rec_name = "appointment_id"

    appointment_id = fields.Many2one("randevu.appointment", readonly=True)
    company_id = fields.Many2one("res.company", string="Branch", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    service_id = fields.Many2one("product.template", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Staff Member", readonly=True)
    date = fields.Datetime(readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    planned_quantity = fields.Float(string="Planned", readonly=True, digits="Product Unit of Measure")
    used_quantity = fields.Float(string="Used", readonly=True, digits="Product Unit of Measure")
    waste_quantity = fields.Float(
        string="Waste", readonly=True, digits="Product Unit of Measure", help="Used minus planned."
    )
    planned_cost = fields.Monetary(readonly=True)
    cost = fields.Monetary(string="Cost of Consumables", readonly=True)
    waste_cost = fields.Monetary(readonly=True)
    price = fields.Monetary(string="Service Price", readonly=True)
    margin = fields.Monetary(readonly=True, help="Service price minus the cost of its consumables.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                WITH used AS (
                    SELECT line.id, appt.id AS appointment_id, appt.company_id, company.currency_id,
                           appt.service_id, appt.employee_id, appt.start AS date, line.product_id,
                           tmpl.uom_id,
                           line.planned_quantity / line_uom.factor * product_uom.factor AS planned_quantity,
                           line.quantity / line_uom.factor * product_uom.factor AS used_quantity,
                           COALESCE(
                               (product.standard_price ->> appt.company_id::text)::numeric,
                               (product.standard_price ->> company.parent_id::text)::numeric,
                               0
                           ) AS unit_cost
                      FROM randevu_appointment_consumable line
                      JOIN randevu_appointment appt ON appt.id = line.appointment_id
                      JOIN res_company company ON company.id = appt.company_id
                      JOIN product_product product ON product.id = line.product_id
                      JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                      JOIN uom_uom line_uom ON line_uom.id = line.uom_id
                      JOIN uom_uom product_uom ON product_uom.id = tmpl.uom_id
                     WHERE appt.state = 'done'
                )
                SELECT id * 2 AS id, appointment_id, company_id, currency_id, service_id, employee_id, date,
                       product_id, uom_id, planned_quantity, used_quantity,
                       used_quantity - planned_quantity AS waste_quantity,
                       ROUND(planned_quantity * unit_cost, 2) AS planned_cost,
                       ROUND(used_quantity * unit_cost, 2) AS cost,
                       ROUND(used_quantity * unit_cost, 2) - ROUND(planned_quantity * unit_cost, 2) AS waste_cost,
                       0 AS price,
                       -ROUND(used_quantity * unit_cost, 2) AS margin
                  FROM used
                UNION ALL
                SELECT appt.id * 2 + 1 AS id, appt.id, appt.company_id, company.currency_id, appt.service_id,
                       appt.employee_id, appt.start, NULL, NULL, 0, 0, 0, 0, 0, 0,
                       appt.price, appt.price
                  FROM randevu_appointment appt
                  JOIN res_company company ON company.id = appt.company_id
                 WHERE appt.state = 'done'
            )
            """
        )
