import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The booking form's discount code: *Apply* sends the form back with the code's
 * discount (or its error), nothing booked. The request says so with a hidden field
 * rather than the button's name alone: a form posted again by script (the captcha's
 * `form.submit()`) loses the button. *Confirm booking* with a code typed but not
 * applied yet applies it first, so that the discount is always seen before booking.
 */
publicWidget.registry.RandevuDiscountCode = publicWidget.Widget.extend({
    selector: ".o_randevu_details_form",
    events: {
        "click .o_randevu_apply_code": "_markApply",
        "click .o_randevu_confirm": "_onConfirm",
    },

    _markApply() {
        if (!this.el.querySelector("input[type=hidden][name=randevu_apply_code]")) {
            const inputEl = document.createElement("input");
            inputEl.type = "hidden";
            inputEl.name = "randevu_apply_code";
            inputEl.value = "1";
            this.el.append(inputEl);
        }
    },

    _onConfirm() {
        const codeEl = this.el.querySelector("#o_randevu_discount_code");
        if (!codeEl || !this.el.querySelector(".o_randevu_apply_code")) {
            return;
        }
        const typed = codeEl.value.trim();
        if (typed && typed !== (codeEl.dataset.appliedCode || "")) {
            this._markApply();
        }
    },
});
