import {
    clickOnElement,
    clickOnSave,
    clickOnSnippet,
    registerWebsitePreviewTour,
    selectElementInWeSelectWidget,
} from "@website/js/tours/tour_utils";

// Started by TestBuilderTour as admin on a page of its own, in edit mode. "Tour Paris" books a
// haircut with Anna or Bruno; "Lyon blow-dry" is done by Carla only, who works in Lyon.

const servicePicker = "we-select[data-name=randevu_service_opt]";
const staffPicker = "we-select[data-name=randevu_staff_opt]";

registerWebsitePreviewTour(
    "randevu_booking_builder_options_tour",
    { url: "/randevu-builder-tour", edition: true },
    () => [
        {
            trigger: ".o_website_preview.editor_enable.editor_has_snippets",
            noPrepend: true,
        },
        {
            // Into the page's own text (Odoo's insertSnippet drops by the footer).
            content: "Drag the Book Now Button into the page",
            trigger: `#oe_snippets .oe_snippet[name="Book Now Button"].o_we_draggable .oe_snippet_thumbnail:not(.o_we_ongoing_insertion)`,
            run: "drag_and_drop :iframe #wrap .s_text_block p",
        },
        ...clickOnSnippet({ id: "s_randevu_book_button" }),
        ...selectElementInWeSelectWidget("randevu_branch_opt", "Tour Paris", true),
        {
            content: "The link goes to the branch",
            trigger: ":iframe .s_randevu_book_button:not([data-randevu-branch='']) a[href^='/book/']",
        },
        clickOnElement("the service picker", `${servicePicker} we-toggler`),
        {
            content: "Paris offers the haircut, not Lyon's blow-dry",
            trigger: `${servicePicker} we-selection-items:has(we-button:contains("Haircut")):not(:has(we-button:contains("Lyon blow-dry")))`,
        },
        clickOnElement("the haircut", `${servicePicker} we-button:contains("Haircut")`),
        {
            content: "The link goes to the haircut",
            trigger: ":iframe .s_randevu_book_button:not([data-randevu-service='']) a[href^='/book/']",
        },
        clickOnElement("the staff picker", `${staffPicker} we-toggler`),
        {
            content: "Anna and Bruno cut hair in Paris; Carla works in Lyon",
            trigger: `${staffPicker} we-selection-items:has(we-button:contains("Bruno")):not(:has(we-button:contains("Carla")))`,
        },
        clickOnElement("Anna", `${staffPicker} we-button:contains("Anna")`),
        {
            content: "The link goes to Anna's haircut",
            trigger: ":iframe .s_randevu_book_button a[href*='?staff=']",
        },
        ...clickOnSave(),
        {
            content: "The saved button links to the step",
            trigger: ":iframe #wrap .s_randevu_book_button a.o_randevu_book_button_link[href*='?staff=']",
        },
    ]
);
