import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * A live salon block (branches, services, team, reviews): its content is rendered by the
 * server (/randevu/block/<kind>) in the page's language and put in place of the
 * placeholder. Stopped (in the builder), the placeholder is back, so the page is saved
 * without a copy of today's data.
 */
publicWidget.registry.RandevuLiveBlock = publicWidget.Widget.extend({
    selector: ".s_randevu_live[data-randevu-block]",

    willStart() {
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
        if (this.html !== null) {
            this.el.innerHTML = this.html;
            this.el.classList.add("s_randevu_live_loaded");
        }
        return this._super(...arguments);
    },

    destroy() {
        if (this.placeholder !== undefined) {
            this.el.innerHTML = this.placeholder;
            this.el.classList.remove("s_randevu_live_loaded");
        }
        this._super(...arguments);
    },
});
