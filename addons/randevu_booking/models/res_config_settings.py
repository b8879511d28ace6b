from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    randevu_embed_origins = fields.Text(related="website_id.randevu_embed_origins", readonly=False)
