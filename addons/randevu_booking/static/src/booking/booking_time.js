import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";

/**
 * Day and time step of the booking flow: picking a day loads its free times from
 * the slots JSON route, "Later dates" the next bookable days from the days route,
 * without leaving the page. Without JavaScript the same links reload the page.
 */
publicWidget.registry.RandevuBookingTime = publicWidget.Widget.extend({
    selector: ".o_randevu_booking_time",
    events: {
        "click .o_randevu_day": "_onDayClick",
        "click .o_randevu_days_more": "_onMoreClick",
    },

    start() {
        this.daysEl = this.el.querySelector(".o_randevu_days");
        this.slotsEl = this.el.querySelector(".o_randevu_slots");
        this.titleEl = this.el.querySelector(".o_randevu_slots_title");
        return this._super(...arguments);
    },

    async _fetchJson(url, params) {
        // The embedded flow's links (in the JSON answers) must stay embedded.
        const embed = new URLSearchParams(window.location.search).get("embed");
        params = embed ? { ...params, embed } : params;
        const query = new URLSearchParams(
            Object.entries(params).filter(([, value]) => value !== "" && value !== null)
        );
        const response = await fetch(`${url}?${query}`, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        });
        const data = await response.json().catch(() => ({}));
        if (!response.ok) {
            throw new Error(data.error?.message || _t("Could not load the free times."));
        }
        return data;
    },

    _selectDay(dayEl) {
        for (const el of this.daysEl.querySelectorAll(".o_randevu_day")) {
            const selected = el === dayEl;
            el.classList.toggle("btn-primary", selected);
            el.classList.toggle("btn-outline-secondary", !selected);
            if (selected) {
                el.setAttribute("aria-current", "date");
            } else {
                el.removeAttribute("aria-current");
            }
        }
        history.replaceState(null, "", dayEl.getAttribute("href"));
    },

    _message(text, className = "text-muted") {
        const messageEl = document.createElement("p");
        messageEl.className = `o_randevu_slots_empty ${className}`;
        messageEl.textContent = text;
        return messageEl;
    },

    async _loadSlots(day) {
        this.slotsEl.setAttribute("aria-busy", "true");
        this.slotsEl.replaceChildren(this._message(_t("Loading the free times...")));
        try {
            const data = await this._fetchJson(this.el.dataset.slotsUrl, {
                day,
                staff: this.el.dataset.staff,
            });
            this.titleEl.textContent = data.title;
            // The server's markup of the page's own template (booking_time_slots).
            this.slotsEl.innerHTML = data.html;
        } catch (error) {
            this.slotsEl.replaceChildren(this._message(error.message, "text-danger"));
        } finally {
            this.slotsEl.removeAttribute("aria-busy");
        }
    },

    async _onDayClick(ev) {
        ev.preventDefault();
        const dayEl = ev.currentTarget;
        this._selectDay(dayEl);
        await this._loadSlots(dayEl.dataset.day);
    },

    async _onMoreClick(ev) {
        ev.preventDefault();
        // Busy until the new days and the first one's times are shown.
        this.daysEl.setAttribute("aria-busy", "true");
        try {
            await this._showLaterDays(ev.currentTarget.dataset.fromDay);
        } finally {
            this.daysEl.removeAttribute("aria-busy");
        }
    },

    async _showLaterDays(fromDay) {
        let data;
        try {
            data = await this._fetchJson(this.el.dataset.daysUrl, {
                from_day: fromDay,
                staff: this.el.dataset.staff,
            });
        } catch (error) {
            this.slotsEl.replaceChildren(this._message(error.message, "text-danger"));
            return;
        }
        // The server's markup of the page's own template (booking_time_days), "Later
        // dates" included when there are more.
        this.daysEl.innerHTML = data.html;
        const firstEl = this.daysEl.querySelector(".o_randevu_day");
        if (firstEl) {
            this._selectDay(firstEl);
            firstEl.focus();
            await this._loadSlots(firstEl.dataset.day);
        }
    },
});

/** The details form: one submission only (a second click must not book twice). */
publicWidget.registry.RandevuBookingDetails = publicWidget.Widget.extend({
    selector: ".o_randevu_details_form",
    events: { submit: "_onSubmit" },

    _onSubmit(ev) {
        if (this.submitted) {
            ev.preventDefault();
            return;
        }
        this.submitted = true;
        const buttonEl = this.el.querySelector(".o_randevu_confirm");
        buttonEl.setAttribute("aria-disabled", "true");
        buttonEl.classList.add("disabled");
    },
});
