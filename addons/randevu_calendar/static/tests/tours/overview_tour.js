import { registry } from "@web/core/registry";

// Started by TestOverviewTour at /odoo as the owner, whose default company is the main
// company: she lands on the overview of her branch, "Salon Paris" (Anna and Bruno).
registry.category("web_tour.tours").add("randevu_owner_overview_tour", {
    steps: () => [
        {
            content: "She lands on the overview of her branch, not of the main company",
            trigger: ".o_randevu_overview_title:contains(Salon Paris)",
        },
        {
            content: "Today and this week, with appointments, revenue and no-shows",
            trigger: ".o_randevu_overview_today .o_randevu_overview_revenue ~ div:contains(Revenue)",
        },
        {
            content: "The week's figures",
            trigger: ".o_randevu_overview_week .o_randevu_overview_noshows",
        },
        {
            content: "Occupancy of each staff member",
            trigger: ".o_randevu_overview_occupancy tr[data-staff=Anna] ~ tr[data-staff=Bruno]",
        },
        {
            content: "One message failed",
            trigger: ".o_randevu_overview_failed_count:contains(1)",
        },
        {
            content: "Open the failed messages",
            trigger: ".o_randevu_overview_failed_open",
            run: "click",
        },
        {
            content: "The failed reminder is listed",
            trigger: ".o_list_view .o_data_row:contains(Invalid number)",
        },
    ],
});
