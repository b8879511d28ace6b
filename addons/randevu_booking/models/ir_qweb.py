from odoo import models

from odoo.addons.base.models.ir_qweb import indent_code
from odoo.addons.randevu_booking.models.randevu_website_block import BLOCK_KINDS


class IrQWeb(models.AbstractModel):
    """The live salon blocks of a page (``<div class="s_randevu_live"
    data-randevu-block="services">``, dropped by the owner in the builder) are rendered
    with the page: their content is that of randevu.website.block._render (the block
    route's), so visitors without JavaScript, crawlers and link previews read the
    services, team, reviews and branches. The page's arch keeps only the block (with the
    placeholder of a block not saved yet, shown when there is nothing to render, e.g.
    outside a website); the editor's save leaves the rendered content out (see
    ir.ui.view)."""

    _inherit = "ir.qweb"

    def _compile_node(self, el, compile_context, level):
        kind = el.get("data-randevu-block")
        if (
            kind in BLOCK_KINDS
            and "s_randevu_live" in (el.get("class") or "").split()
            and not any(attribute.startswith("t-") for attribute in el.attrib)
        ):
            el.set("t-randevu-block", kind)
        return super()._compile_node(el, compile_context, level)

    def _compile_directive_randevu_block(self, el, compile_context, level):
        """Out the block's rendered content instead of its children (the placeholder,
        kept as the default when nothing is rendered)."""
        kind = el.attrib.pop("t-randevu-block")
        code = self._flush_text(compile_context, level)
        code.append(
            indent_code(
                "values['__randevu_block__'] = "
                f"self.env['randevu.website.block']._render(values.get('website'), {kind!r})",
                level,
            )
        )
        el.set("t-out", "__randevu_block__")
        return code

    def _directives_eval_order(self):
        directives = super()._directives_eval_order()
        # Before the output directives: it becomes a t-out.
        directives.insert(directives.index("field"), "randevu-block")
        return directives
