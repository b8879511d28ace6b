from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """A language loaded after the demo (make run adds tr and fr): the demo home page,
        a copy of our template, takes that language's terms too."""
        result = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        if "randevu_booking" in modules and self.env.ref("randevu_booking.homepage_demo_content", False):
            self.env["website"].search([])._randevu_demo_homepage_terms()
        return result
