import { registry } from "@web/core/registry";

// A scanner types the barcode's characters then Enter: Odoo's barcode service listens to
// keydown on the page (as Odoo's own barcode tests simulate it).
function scan(barcode) {
    for (const key of [...barcode, "Enter"]) {
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    }
}

// Started by TestScanTour as an inventory user of Paris on a receipt of colour cream (5 L)
// and serum: scan the cream twice, an unknown barcode, apply.
registry.category("web_tour.tours").add("randevu_inventory_scan_tour", {
    steps: () => [
        {
            content: "Open the scanning form",
            trigger: ".o_form_view button[name='action_randevu_scan']",
            run: "click",
        },
        {
            content: "Scan the colour cream",
            trigger: ".modal .o_field_widget[name='line_ids']",
            run: () => scan("2000000000411"),
        },
        {
            content: "Counted once",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('Test colour cream') td[name='quantity']:contains('1.00')",
            run: () => scan("2000000000411"),
        },
        {
            content: "Counted twice",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('Test colour cream') td[name='quantity']:contains('2.00')",
            run: () => scan("9999999999994"),
        },
        {
            content: "An unknown barcode is refused with a warning",
            trigger: ".o_notification:contains('Unknown barcode')",
        },
        {
            content: "Apply",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Back on the receipt",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The cream's quantity is what was scanned",
            trigger: ".o_field_widget[name='move_ids_without_package'] .o_data_row:contains('Test colour cream') td[name='quantity']:contains('2.00')",
        },
    ],
});
