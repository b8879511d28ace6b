import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Started by TestSegmentCampaignTour as a manager with Email Marketing, on the form of the
// segment "Tour Regulars": a campaign created from the segment and sent.
registry.category("web_tour.tours").add("randevu_segment_campaign_tour", {
    steps: () => [
        {
            content: "New Campaign from the segment",
            trigger: ".o_form_view button[name=action_new_campaign]",
            run: "click",
        },
        {
            content: "The mailing is to the segment",
            trigger: ".o_field_widget[name=randevu_segment_id] input",
            run() {
                if (this.anchor.value !== "Tour Regulars") {
                    throw new Error(`The segment is "${this.anchor.value}"`);
                }
            },
        },
        {
            trigger: ":iframe .o_mail_theme_selector_new",
        },
        {
            content: "Pick the basic theme",
            trigger: ":iframe #basic",
            run: "click",
        },
        {
            trigger: ":iframe html:not(:has(.o_mail_theme_selector_new))",
        },
        ...stepUtils.saveForm(),
        {
            content: "Send",
            trigger: ".o_form_view button[name=action_launch]",
            run: "click",
        },
        {
            content: "To all",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The mailing is in the queue",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(In Queue)",
        },
    ],
});
