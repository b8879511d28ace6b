import { registry } from "@web/core/registry";

// Started by TestSendTour as an inventory user of Paris: send 2 L of colour cream to Lyon
// with the wizard and land on the delivery, done.
registry.category("web_tour.tours").add("randevu_inventory_send_tour", {
    steps: () => [
        {
            content: "Choose the receiving branch: Lyon",
            trigger: ".o_field_widget[name='dest_branch'] select",
            run(helpers) {
                const option = [...helpers.anchor.options].find((opt) => opt.textContent.includes("Lyon"));
                helpers.select(option.value);
            },
        },
        {
            content: "Add a product",
            trigger: ".o_field_widget[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The colour cream",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='product_id'] input",
            run: "edit Test colour cream",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains('Test colour cream')",
            run: "click",
        },
        {
            content: "2 litres",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='quantity'] input",
            run: "edit 2",
        },
        {
            content: "Send",
            trigger: "button[name='action_send']",
            run: "click",
        },
        {
            content: "The delivery to transit is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
