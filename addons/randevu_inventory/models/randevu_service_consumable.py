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
        # Professional products (and those for both uses), not those only sold at the till.
        domain=[("type", "=", "consu"), ("randevu_use", "!=", "retail")],
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

    service_variant_id = fields.Many2one(
        "product.product",
        string="Only for Variant",
        index="btree_not_null",
        domain="[('product_tmpl_id', '=', service_id)]",
        help="For a service with variants (a package in several sizes): the lines of a variant replace, for "
        "that variant, all the service's general lines.",
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A consumable's quantity must be positive."),
        (
            "product_staff_unique",
            "UNIQUE NULLS NOT DISTINCT(service_id, product_id, employee_id, service_variant_id)",
            "A product appears once per service, variant and staff member.",
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

    @api.constrains("service_variant_id", "service_id")
    def _check_service_variant(self):
        wrong = self.filtered(
            lambda line: line.service_variant_id and line.service_variant_id.product_tmpl_id != line.service_id
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "A consumable's variant must be a variant of its service: %(variants)s.",
                    variants=", ".join(wrong.service_variant_id.mapped("display_name")),
                )
            )

    @api.constrains("product_id")
    def _check_professional(self):
        retail = self.product_id.filtered(lambda product: product.randevu_use == "retail")
        if retail:
            raise ValidationError(
                self.env._(
                    "Only professional products are used in services; these are retail only: %(products)s. "
                    "Set their use to Professional or to Retail and Professional.",
                    products=", ".join(retail.mapped("display_name")),
                )
            )

    def _for_staff(self, employee, variant=None):
        """These lines as they apply to `employee` (and the service's `variant`): the
        variant's lines when it has any, else the general lines (as a bill of materials
        per variant falls back to the template's); then, per product, the line for this
        staff member if there is one, else the general line; other staff members' lines dropped."""
        variant_lines = self.filtered(lambda line: variant and line.service_variant_id == variant)
        chosen = {}
        for line in variant_lines or self.filtered(lambda line: not line.service_variant_id):
            if line.employee_id and line.employee_id != employee:
                continue
            current = chosen.get(line.product_id)
            if current is None or (line.employee_id and not current.employee_id):
                chosen[line.product_id] = line
        return self.browse([line.id for line in chosen.values()])
