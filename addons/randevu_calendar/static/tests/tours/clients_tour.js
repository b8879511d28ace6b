import { registry } from "@web/core/registry";

// Started by TestClientsTour as the receptionist, in Randevu's appointments: Clients -> Chloé Martin's card -> her
// profile (statistics and history first) -> the Visits button -> her visits as a list.
registry.category("web_tour.tours").add("randevu_clients_tour", {
    steps: () => [
        {
            content: "Open Clients",
            trigger: ".o_main_navbar [data-menu-xmlid='randevu_calendar.randevu_customer_menu']",
            run: "click",
        },
        {
            content: "The card tells her next appointment and the allergy marker",
            trigger: ".o_randevu_client_kanban .o_kanban_record:contains('Chloé Martin'):contains('Next:') .fa-exclamation-triangle",
        },
        {
            content: "The contact who never booked is not a client",
            trigger: ".o_randevu_client_kanban:not(:has(.o_kanban_record:contains('Just a Contact')))",
        },
        {
            content: "Open Chloé's card",
            trigger: ".o_randevu_client_kanban .o_kanban_record:contains('Chloé Martin')",
            run: "click",
        },
        {
            content: "Her profile opens on the salon summary and the history",
            trigger: ".o_form_view .o_randevu_client_stats .o_field_widget[name='randevu_visit_count']:contains('1')",
        },
        {
            content: "History first",
            trigger: ".o_notebook .nav-link.active:contains('History')",
        },
        {
            content: "Open her visits",
            trigger: ".o_form_view button[name='action_randevu_appointments']",
            run: "click",
        },
        {
            content: "Her visits, as a list: the done one and the one to come",
            trigger: ".o_list_view .o_data_row:nth-child(2) .o_data_cell[name='service_id']:contains('Haircut')",
        },
        {
            content: "Nothing else than hers",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(3)))",
        },
    ],
});
