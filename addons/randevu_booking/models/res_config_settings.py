from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    randevu_embed_origins = fields.Text(related="website_id.randevu_embed_origins", readonly=False)
    randevu_branch_ids = fields.Many2many(related="website_id.randevu_branch_ids", readonly=False)
