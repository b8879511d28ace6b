from odoo import api, models


class MailRenderMixin(models.AbstractModel):
    """A mailing shortens the links of each recipient's rendered email or text
    (link_tracker: one `link.tracker` search per recipient, most of a batch's queries).
    While a mailing is sent (context key `randevu_shorten_cache`, a dict set by
    `mailing.mailing._action_send_mail`), a content already shortened with the same
    tracking values is not shortened again: the same body gives the same links, so a
    batch's queries no longer grow with its size. Personalised bodies are shortened
    each as before."""

    _inherit = "mail.render.mixin"

    def _randevu_shortened(self, kind, content, link_tracker_vals, blacklist, base_url, shorten):
        cache = self.env.context.get("randevu_shorten_cache")
        if cache is None or not content:
            return shorten()
        key = (kind, str(content), repr(sorted(link_tracker_vals.items())), tuple(blacklist or ()), base_url)
        if key not in cache:
            cache[key] = shorten()
        return cache[key]

    @api.model
    def _shorten_links(self, html, link_tracker_vals, blacklist=None, base_url=None):
        return self._randevu_shortened(
            "html",
            html,
            link_tracker_vals,
            blacklist,
            base_url,
            lambda: super(MailRenderMixin, self)._shorten_links(html, link_tracker_vals, blacklist, base_url),
        )

    @api.model
    def _shorten_links_text(self, content, link_tracker_vals, blacklist=None, base_url=None):
        return self._randevu_shortened(
            "text",
            content,
            link_tracker_vals,
            blacklist,
            base_url,
            lambda: super(MailRenderMixin, self)._shorten_links_text(content, link_tracker_vals, blacklist, base_url),
        )
