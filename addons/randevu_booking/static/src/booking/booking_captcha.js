import publicWidget from "@web/legacy/js/public/public_widget";
import { ReCaptcha } from "@google_recaptcha/js/recaptcha";

/**
 * The human check of the public forms (booking, class seat, waitlist): when the site has
 * a reCAPTCHA key (Settings > Website), a token for the form's action
 * (`data-captcha-action`, the action the server verifies) is added on submit, as
 * Odoo's own website forms do. Without a key nothing happens and the form posts as is;
 * when no token can be had (the script blocked, no network) the form posts without
 * one and the server answers with its "please try again" message.
 */
publicWidget.registry.RandevuBookingCaptcha = publicWidget.Widget.extend({
    selector: "form[data-captcha-action]",
    events: { submit: "_onSubmit" },

    start() {
        this._recaptcha = new ReCaptcha();
        this._recaptcha.loadLibs();
        return this._super(...arguments);
    },

    async _onSubmit(ev) {
        if (!this._recaptcha._publicKey || this._tokenAdded) {
            return;
        }
        ev.preventDefault();
        this._tokenAdded = true;
        const result = await this._recaptcha.getToken(this.el.dataset.captchaAction);
        if (result.token) {
            const inputEl = document.createElement("input");
            inputEl.type = "hidden";
            inputEl.name = "recaptcha_token_response";
            inputEl.value = result.token;
            this.el.append(inputEl);
        }
        this.el.submit();
    },
});
