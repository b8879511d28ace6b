import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# An origin a browser sends in frame-ancestors: scheme, host (a leading "*." for any
# subdomain) and an optional port; no path, no query.
ORIGIN_RE = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


class Website(models.Model):
    """Which branches this website books, and which other sites may show its embedded
    booking flow in a frame."""

    _inherit = "website"

    randevu_branch_ids = fields.Many2many(
        "res.company",
        "website_randevu_branch_rel",
        "website_id",
        "company_id",
        string="Branches Booked Here",
        help="The branches this website takes bookings for (each with online booking on). Empty: the website's "
        "company and its branches. List them when branches are companies of their own, e.g. in another currency.",
    )

    randevu_embed_origins = fields.Text(
        string="Sites Allowed to Embed Booking",
        help="Origins of the sites that may show the booking flow in a frame, one per line "
        "(e.g. https://www.my-salon.com, https://*.my-salon.com). Empty: any site.",
    )

    @api.model
    def _randevu_split_origins(self, text):
        return [origin.rstrip("/").lower() for origin in re.split(r"[\s,]+", text or "") if origin.strip()]

    @api.constrains("randevu_embed_origins")
    def _check_randevu_embed_origins(self):
        for website in self:
            wrong = [
                origin
                for origin in self._randevu_split_origins(website.randevu_embed_origins)
                if not ORIGIN_RE.match(origin)
            ]
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(origins)s: give each site as its origin, scheme and host only, "
                        "like https://www.my-salon.com (one per line).",
                        origins=", ".join(wrong),
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            self.env.registry.clear_cache()  # randevu.online.booking._branch_ids
        return result

    def _randevu_lang_path(self, path, lang):
        """`path` (a page of this website) opened in the language `lang`: prefixed with
        the language's URL code when the website has several languages and `lang` is
        one of them (Odoo then shows it in that language and remembers it in the
        visitor's frontend_lang cookie), else unchanged."""
        self.ensure_one()
        languages = self.language_ids
        language = languages.filtered(lambda lang_record: lang_record.code == lang)
        if len(languages) < 2 or not language:
            return path
        return f"/{language.url_code}{path}"

    def _randevu_frame_ancestors(self):
        """The frame-ancestors source list of the embedded booking flow."""
        origins = self._randevu_split_origins(self.randevu_embed_origins)
        return " ".join(["'self'", *origins]) if origins else "*"

    def _randevu_footer_values(self):
        """What the website's header and footer say of the salon: its name, email and
        social links (those set on the website), and each branch open to online booking
        with its address, phone (in the branch's country style) and booking link."""
        self.ensure_one()
        # Superuser: visitors may not read the branches; only their public details are returned.
        branches_sudo = self.env["randevu.online.booking"].sudo()._branches(self)
        company_sudo = self.company_id.sudo()
        socials = [
            ("facebook", "Facebook", "fa-facebook"),
            ("instagram", "Instagram", "fa-instagram"),
            ("twitter", "X", "fa-twitter"),
            ("tiktok", "TikTok", "fa-tiktok"),
            ("youtube", "YouTube", "fa-youtube"),
            ("linkedin", "LinkedIn", "fa-linkedin"),
        ]
        block_sudo = self.env["randevu.website.block"].sudo()
        return {
            "name": company_sudo.name or self.name,
            "email": company_sudo.email or (branches_sudo[:1].email if branches_sudo else False),
            "social": [
                {"name": name, "label": label, "icon": icon}
                for name, label, icon in socials
                if f"social_{name}" in self._fields and self[f"social_{name}"]
            ],
            "branches": [
                {
                    "name": branch.name,
                    "address": block_sudo._address(branch),
                    "phone": branch._randevu_phone_display(),
                    "phone_href": branch._randevu_phone_href(),
                    "book_url": f"/book/{branch.id}",
                }
                for branch in branches_sudo
            ],
        }

    # ------------------------------------------------------------------ demo
    def _randevu_demo_homepage(self):
        """Demo: the salon's blocks (template homepage_demo_content) as the home page of
        these websites, in every installed language (see _randevu_demo_homepage_terms)."""
        content_view = self.env.ref("randevu_booking.homepage_demo_content", raise_if_not_found=False)
        if not content_view:
            return
        for website in self:
            home = website.with_context(website_id=website.id).viewref("website.homepage")
            if "s_randevu_" not in (home.arch_db or ""):
                arch = self._randevu_demo_homepage_arch(content_view, "en_US")
                home.with_context(website_id=website.id, lang="en_US").arch_db = arch
        self._randevu_demo_homepage_terms()

    def _randevu_demo_homepage_arch(self, content_view, lang):
        content = content_view.with_context(lang=lang).arch_db
        body = content[content.index(">", content.index("<t ")) + 1 : content.rindex("</t>")]
        return (
            '<t name="Homepage" t-name="website.homepage"><t t-call="website.layout">'
            '<t t-set="pageName" t-value="\'homepage\'"/>'
            f'<div id="wrap" class="oe_structure oe_empty">{body}</div></t></t>'
        )

    def _randevu_demo_homepage_terms(self):
        """The tr, fr (every installed language's) terms of the demo home page, from the
        translations of its template: called by the demo and when a language is loaded."""
        content_view = self.env.ref("randevu_booking.homepage_demo_content", raise_if_not_found=False)
        if not content_view:
            return
        field = content_view._fields["arch_db"]
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        for website in self or self.search([]):
            home = website.with_context(website_id=website.id).viewref("website.homepage")
            if "s_randevu_hero" not in (home.with_context(lang="en_US").arch_db or ""):
                continue
            source = field.get_trans_terms(self._randevu_demo_homepage_arch(content_view, "en_US"))
            translations = {}
            for lang in langs:
                terms = field.get_trans_terms(self._randevu_demo_homepage_arch(content_view, lang))
                if len(terms) == len(source):
                    translations[lang] = {en: term for en, term in zip(source, terms, strict=True) if en != term}
            if translations:
                home.update_field_translations("arch_db", translations)
