import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * A live salon block (branches, services, team, reviews). A page renders its content on
 * the server (see ir.qweb in randevu_booking); where it could not (a block just dropped
 * in the builder, one inside a record's HTML field), the widget fetches the same content
 * from /randevu/block/<kind> in the page's language and puts it in place of the
 * placeholder. Stopped (in the builder), what it put is removed again, so the page is
 * saved without a copy of today's data (the server strips the rendered content anyway).
 */
publicWidget.registry.RandevuLiveBlock = publicWidget.Widget.extend({
    selector: ".s_randevu_live[data-randevu-block]",

    willStart() {
        if (this.el.querySelector(":scope > .s_randevu_live_content")) {
            return this._super(...arguments); // rendered with the page
        }
        this.placeholder = this.el.innerHTML;
        return Promise.all([this._super(...arguments), this._loadContent()]);
    },

    async _loadContent() {
        const lang = (document.documentElement.getAttribute("lang") || "").replace("-", "_");
        const params = new URLSearchParams(lang ? { lang } : {});
        try {
            const response = await fetch(`/randevu/block/${this.el.dataset.randevuBlock}?${params}`, {
                credentials: "same-origin",
            });
            this.html = response.ok ? await response.text() : null;
        } catch {
            this.html = null; // offline: the placeholder stays
        }
    },

    start() {
        if (this.html) {
            this.el.innerHTML = this.html;
            this.el.classList.add("s_randevu_live_loaded");
        }
        return this._super(...arguments);
    },

    destroy() {
        if (this.html) {
            this.el.innerHTML = this.placeholder;
            this.el.classList.remove("s_randevu_live_loaded");
        }
        this._super(...arguments);
    },
});
