from odoo import api, models

# Contents kept per sending: a campaign's body or text (and their variants once shortened).
# Personalised bodies differ per recipient: the cache is emptied past this size, so that a
# campaign of 50,000 personalised emails does not keep them all in memory.
CACHE_SIZE = 64


class MailRenderMixin(models.AbstractModel):
    """A mailing shortens the links of each recipient's rendered email or text
    (link_tracker: one `link.tracker` search per recipient, most of a batch's queries).
    While a mailing is sent (context key `randevu_shorten_cache`, a dict set by
    `mailing.mailing._action_send_mail`), a content already shortened with the same
    tracking values is not shortened again: the same body gives the same links, so a
    batch's queries no longer grow with its size. Personalised bodies are shortened
    each as before."""

    _inherit = "mail.render.mixin"

    def _randevu_cached(self, key, compute):
        """`compute()`, kept for the sending under `key` (computed each time outside a sending)."""
        cache = self.env.context.get("randevu_shorten_cache")
        if cache is None:
            return compute()
        if key not in cache:
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[key] = compute()
        return cache[key]

    @api.model
    def _render_template_qweb_regex(self, template_src, model, res_ids):
        """A body without placeholders (no `t-out`: nothing taken from the recipient)
        renders the same for every recipient: Odoo normalised its HTML once per recipient
        (an lxml parse and serialisation each); once per batch here, same result."""
        if len(res_ids) > 1 and template_src and "t-out" not in str(template_src):
            rendered = super()._render_template_qweb_regex(template_src, model, res_ids[:1])
            if len(rendered) == 1:
                return dict.fromkeys(self.env[model].browse(res_ids).ids, next(iter(rendered.values())))
        return super()._render_template_qweb_regex(template_src, model, res_ids)

    def _replace_local_links(self, html, base_url=None):
        # While a mailing is sent: the same rendered body gets the same absolute links.
        if not html:
            return super()._replace_local_links(html, base_url=base_url)
        return self._randevu_cached(
            ("local", type(html), str(html), base_url),
            lambda: super(MailRenderMixin, self)._replace_local_links(html, base_url=base_url),
        )

    def _randevu_shortened(self, kind, content, link_tracker_vals, blacklist, base_url, shorten):
        if not content:
            return shorten()
        key = (kind, str(content), repr(sorted(link_tracker_vals.items())), tuple(blacklist or ()), base_url)
        return self._randevu_cached(key, shorten)

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
