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
            const gridEl = document.createElement("div");
            gridEl.className = "o_randevu_slot_grid";
            for (const slot of data.slots) {
                const slotEl = document.createElement("a");
                slotEl.className = "btn btn-outline-primary o_randevu_slot";
                slotEl.href = slot.url;
                slotEl.dataset.start = slot.start;
                slotEl.textContent = slot.time;
                gridEl.append(slotEl);
            }
            this.slotsEl.replaceChildren(
                data.slots.length ? gridEl : this._message(_t("No free time on this day."))
            );
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
            await this._showLaterDays(ev.currentTarget);
        } finally {
            this.daysEl.removeAttribute("aria-busy");
        }
    },

    async _showLaterDays(moreEl) {
        let data;
        try {
            data = await this._fetchJson(this.el.dataset.daysUrl, {
                from_day: moreEl.dataset.fromDay,
                staff: this.el.dataset.staff,
            });
        } catch (error) {
            this.slotsEl.replaceChildren(this._message(error.message, "text-danger"));
            return;
        }
        const dayEls = data.days.map((day) => {
            const dayEl = document.createElement("a");
            dayEl.className = "btn btn-outline-secondary o_randevu_day";
            dayEl.href = day.url;
            dayEl.dataset.day = day.date;
            dayEl.setAttribute("aria-label", day.title);
            const weekdayEl = document.createElement("span");
            weekdayEl.className = "d-block small";
            weekdayEl.textContent = day.weekday;
            const labelEl = document.createElement("span");
            labelEl.className = "d-block fw-bold text-nowrap";
            labelEl.textContent = day.label;
            dayEl.append(weekdayEl, labelEl);
            return dayEl;
        });
        if (data.next) {
            moreEl.dataset.fromDay = data.next;
            dayEls.push(moreEl);
        }
        this.daysEl.replaceChildren(...dayEls);
        if (dayEls.length && dayEls[0] !== moreEl) {
            this._selectDay(dayEls[0]);
            dayEls[0].focus();
            await this._loadSlots(dayEls[0].dataset.day);
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
