import { registry } from "@web/core/registry";

// Started by TestLotTour as the receptionist, on a started colour appointment whose service uses a
// lot-tracked serum: load the service's products, close the appointment, and read which lot went
// into the client (the first-expiring one).
registry.category("web_tour.tours").add("randevu_inventory_lot_tour", {
    steps: () => [
        {
            content: "Open the products the appointment uses",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Products Used')",
            run: "click",
        },
        {
            content: "Load the service's products",
            trigger: ".o_form_view button[name='action_randevu_plan_consumables']",
            run: "click",
        },
        {
            content: "The serum is planned, no lot chosen yet",
            trigger: ".o_field_widget[name='consumable_ids'] .o_data_row .o_data_cell[name='product_id']:contains('Test serum')",
        },
        {
            content: "The service is over: Done",
            trigger: ".o_form_view .o_form_statusbar button[name='action_done']",
            run: "click",
        },
        {
            content: "The appointment is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "The lot that went into the client is on the appointment: the first-expiring one",
            trigger: ".o_field_widget[name='consumable_ids'] .o_data_row .o_data_cell[name='used_lot_ids']:contains('SER-EARLY')",
        },
        {
            content: "Not the later one",
            trigger: ".o_field_widget[name='consumable_ids']:not(:has(.o_data_cell[name='used_lot_ids']:contains('SER-LATE')))",
        },
    ],
});
