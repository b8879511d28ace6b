from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Without a Home Action of their own, Randevu users land on their role's screen
        (the web client opens `home_action_id` when the URL names no action)."""
        info = super().session_info()
        if info.get("uid") and info.get("is_internal_user") and not info.get("home_action_id"):
            info["home_action_id"] = self.env.user._randevu_home_action().id or False
        return info
