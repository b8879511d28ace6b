from odoo import models

# Stands for the PIN and badge of a performer loaded for the lines only: matches no hash of
# anything typed or scanned, so that such a performer can never be chosen as cashier.
NO_LOGIN = "randevu-performer-no-login"


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def _load_pos_data(self, data):
        """pos_hr's cashiers (when the till uses employees), plus the branch's performers
        (`pos.config._randevu_performers`) flagged `_randevu_performer`; a performer who
        is not a cashier gets no PIN and no badge that could log in."""
        config = self.env["pos.config"].browse(data["pos.config"]["data"][0]["id"])
        fields = self._load_pos_data_fields(config.id)
        if config.module_pos_hr:
            result = super()._load_pos_data(data)
        else:
            result = {"data": [], "fields": fields}
        performers = config._randevu_performers()
        cashier_ids = {row["id"] for row in result["data"]}
        for row in result["data"]:
            row["_randevu_performer"] = row["id"] in performers.ids
        for row in performers.filtered(lambda employee: employee.id not in cashier_ids).read(fields, load=False):
            row.update(_role="randevu_performer", _pin=NO_LOGIN, _barcode=NO_LOGIN, _randevu_performer=True)
            result["data"].append(row)
        return result
