import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("randevu_commission_period_tour", {
    steps: () => [
        {
            content: "open January's period",
            trigger: ".o_data_row td:contains(Salon Paris 2031-01)",
            run: "click",
        },
        {
            content: "compute it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_compute]",
            run: "click",
        },
        {
            content: "the total is the hand computation's",
            trigger: ".o_form_view .o_field_widget[name=amount_total]:contains(131.00)",
        },
        {
            content: "Anna's total per staff member",
            trigger: ".o_field_widget[name=total_ids] .o_data_row:contains(Anna):contains(122.00)",
        },
        {
            content: "approve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
    ],
});
