import { registry } from "@web/core/registry";

// Started by TestSendDocumentTour as the receptionist on an appointment of Chloé Martin, who
// last wrote on WhatsApp two days ago: the wizard says why WhatsApp cannot take the file, and
// the consent form goes by email.
registry.category("web_tour.tours").add("randevu_inbox_send_document_tour", {
    steps: () => [
        {
            content: "Open Send Document from the appointment",
            trigger: "button[name='action_randevu_send_document']",
            run: "click",
        },
        {
            content: "WhatsApp's 24-hour rule is explained",
            trigger: ".modal .alert-warning:contains(more than 24 hours ago)",
        },
        {
            content: "Upload the consent form",
            trigger: ".modal .o_field_many2many_binary",
            run: function () {
                const input = document.querySelector(".modal .o_field_many2many_binary input[type='file']");
                const transfer = new DataTransfer();
                transfer.items.add(new File(["%PDF-1.4\n%%EOF\n"], "consent.pdf", { type: "application/pdf" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The form is listed",
            trigger: ".modal .o_field_many2many_binary:contains(consent.pdf)",
        },
        {
            content: "Choose email",
            trigger: ".modal .o_field_radio input[data-value='email']",
            run: "click",
        },
        {
            content: "The WhatsApp note is gone",
            trigger: ".modal:not(:has(.alert-warning:visible))",
        },
        {
            content: "Write the message",
            trigger: ".modal div[name='body'] textarea",
            run: "edit Please sign the consent form before your visit.",
        },
        {
            content: "Send",
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            content: "The email is in the appointment's chatter",
            trigger: "body:not(:has(.modal)) .o-mail-Message:contains(Please sign the consent form)",
        },
    ],
});
