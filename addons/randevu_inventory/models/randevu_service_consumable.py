from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RandevuServiceConsumable(models.Model):
    """A product one appointment of a service uses, and how much of it (in the usage unit:
    a 1 L bottle bought, 40 ml used). A line for one staff member replaces, for that
    staff member, the general line of the same product."""

    _name = "randevu.service.consumable"
    _description = "Service Consumable"
    _order = "service_id, employee_id desc, id"
    _check_company_auto = True

    service_id = fields.Many2one(
        "product.template",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_appointment_service", "=", True)],
    )
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain=[("type", "=", "consu")],
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        required=True,
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The unit of use; the stock is kept in the product's unit, converted.",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Only for Staff Member",
        help="When set, this line replaces the general line of the same product for this staff member.",
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A consumable's quantity must be positive."),
        (
            "product_staff_unique",
            "UNIQUE NULLS NOT DISTINCT(service_id, product_id, employee_id)",
            "A product appears once per service and staff member.",
        ),
    ]

    @api.depends("product_id")
    def _compute_uom_id(self):
        for line in self:
            if not line.uom_id or line.uom_id.category_id != line.product_id.uom_id.category_id:
                line.uom_id = line.product_id.uom_id

    @api.constrains("uom_id", "product_id")
    def _check_uom_category(self):
        wrong = self.filtered(lambda line: line.uom_id.category_id != line.product_id.uom_id.category_id)
        if wrong:
            raise ValidationError(
                self.env._(
                    "The unit of a consumable must measure what its product's unit measures: %(products)s.",
                    products=", ".join(wrong.product_id.mapped("display_name")),
                )
            )

    def _for_staff(self, employee):
        """These lines as they apply to `employee`: per product, the line for this staff
        member if there is one, else the general line; other staff members' lines dropped."""
        chosen = {}
        for line in self:
            if line.employee_id and line.employee_id != employee:
                continue
            current = chosen.get(line.product_id)
            if current is None or (line.employee_id and not current.employee_id):
                chosen[line.product_id] = line
        return self.browse([line.id for line in chosen.values()])
