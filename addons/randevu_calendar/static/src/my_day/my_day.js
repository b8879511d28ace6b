import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

/**
 * The stylist's "My day": her own appointments of one day as cards, the next one first
 * highlighted, with the customer's note (allergies, preferences) and the status buttons
 * the appointment's state allows. Built for a phone: one column, nothing truncated,
 * large buttons.
 *
 * Data comes from `randevu.my.day`; the buttons call the appointment's `action_*`
 * methods, which check the state again (and the branch's cancel setting for staff).
 */
export class MyDay extends Component {
    static template = "randevu_calendar.MyDay";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.actionService = useService("action");
        this.keepLast = new KeepLast();
        const params = { ...this.props.action.context?.params, ...this.props.action.params };
        this.state = useState({ day: params.day || false, data: null, busy: false });
        this.buttonLabels = {
            action_arrive: _t("Arrived"),
            action_start: _t("Start"),
            action_done: _t("Done"),
            action_no_show: _t("No-show"),
            action_cancel: _t("Cancel"),
        };
        this.buttonClasses = {
            action_arrive: "btn-primary",
            action_start: "btn-outline-primary",
            action_done: "btn-success",
            action_no_show: "btn-outline-danger",
            action_cancel: "btn-outline-secondary",
        };
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.keepLast.add(this.orm.call("randevu.my.day", "get_my_day", [this.state.day]));
        this.state.data = data;
        this.state.day = data.day;
        this.props.updateActionState?.({ day: data.day === data.today ? undefined : data.day });
    }

    get dayLabel() {
        const data = this.state.data;
        const label = DateTime.fromISO(data.day).toFormat("cccc d LLLL");
        return data.day === data.today ? _t("Today, %s", label) : label;
    }

    get summary() {
        const data = this.state.data;
        return _t("%(remaining)s to go, %(total)s in all", {
            remaining: data.remaining,
            total: data.appointments.length,
        });
    }

    async goTo(day) {
        this.state.day = day;
        await this.load();
    }

    buttonsOf(appointment) {
        return appointment.buttons.map((method) => ({
            method,
            label: this.buttonLabels[method],
            className: this.buttonClasses[method],
        }));
    }

    async press(appointment, method) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await this.orm.call("randevu.appointment", method, [[appointment.id]]);
            await this.load();
        } finally {
            this.state.busy = false;
        }
    }

    openAppointment(appointment) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "randevu.appointment",
            res_id: appointment.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("randevu_calendar.my_day", MyDay);
