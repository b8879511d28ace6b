import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The booking block: the embedded flow tells its height (postMessage, see
 * booking_embed.js) and the iframe takes it, so the page scrolls, not the frame.
 */
publicWidget.registry.RandevuBookingFrame = publicWidget.Widget.extend({
    selector: ".s_randevu_booking_embed",

    start() {
        this.frameEl = this.el.querySelector(".o_randevu_booking_frame");
        this._onMessage = this._onMessage.bind(this);
        window.addEventListener("message", this._onMessage);
        return this._super(...arguments);
    },

    destroy() {
        window.removeEventListener("message", this._onMessage);
        this._super(...arguments);
    },

    _onMessage(ev) {
        const data = ev.data || {};
        if (
            this.frameEl &&
            ev.source === this.frameEl.contentWindow &&
            ev.origin === window.location.origin &&
            data.type === "randevu-booking:height"
        ) {
            this.frameEl.style.height = `${Math.ceil(data.height)}px`;
        }
    },
});
