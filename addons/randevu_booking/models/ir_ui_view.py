from odoo import api, models


class IrUiView(models.Model):
    """What the website editor saves of a page never holds the rendered content of the
    live salon blocks (see ir.qweb): the blocks stay, their data is rendered anew on
    every visit."""

    _inherit = "ir.ui.view"

    def save(self, value, xpath=None):
        return super().save(self.env["randevu.website.block"]._strip_rendered(value), xpath=xpath)

    @api.model
    def save_snippet(self, name, arch, template_key, snippet_key, thumbnail_url):
        arch = self.env["randevu.website.block"]._strip_rendered(arch)
        return super().save_snippet(name, arch, template_key, snippet_key, thumbnail_url)
