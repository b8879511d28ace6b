from odoo import api, models


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config_id):
        models_to_load = super()._load_pos_data_models(config_id)
        # hr.employee: the performers of the lines (pos_hr loads it only for its cashiers);
        # randevu.appointment: nothing at start, read when the cashier picks one.
        extra = [name for name in ("hr.employee", "randevu.appointment") if name not in models_to_load]
        return models_to_load + extra
