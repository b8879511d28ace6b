from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    randevu_synonyms = fields.Char(
        string="Synonyms",
        translate=True,
        help='Other words customers use for this service, comma-separated (e.g. "cut, trim"); '
        "the assistant recognises them, with typos, in messages of this language.",
    )
