from odoo import api, fields, models


class RandevuPackageLine(models.Model):
    """One step of a package: an appointment service, booked right after the previous one."""

    _name = "randevu.package.line"
    _description = "Package Step"
    _order = "package_tmpl_id, sequence, id"

    sequence = fields.Integer(default=10, help="Order in which the services follow one another.")
    package_tmpl_id = fields.Many2one(
        "product.template", string="Package", required=True, ondelete="cascade", index=True
    )
    service_tmpl_id = fields.Many2one(
        "product.template",
        string="Service",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("is_appointment_service", "=", True)],
    )
    service_duration = fields.Float(related="service_tmpl_id.randevu_duration", string="Duration")

    _sql_constraints = [
        (
            "package_not_its_own_step",
            "CHECK(package_tmpl_id != service_tmpl_id)",
            "A package cannot list itself as one of its services.",
        ),
    ]

    @api.constrains("package_tmpl_id", "service_tmpl_id")
    def _check_service(self):
        self.package_tmpl_id._check_randevu_package()
