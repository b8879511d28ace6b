import { registry } from "@web/core/registry";

// Started by TestCustomerQuickCreateTour as the receptionist, on its own branch ("Salon
// Paris": Anna and Bruno work 09:00-13:00 and 14:00-18:00) on Monday 6 January 2031,
// where Zeynep Arslan's phone is +33 7 58 11 22 33.
const column = (name) => `.o_randevu_planner_column[data-employee-name='${name}']`;
const slot = (name, time) => `${column(name)} .o_randevu_planner_slot[data-time='${time}']`;

/** Drops the step's element on the middle of `selector` (a drag of the pointer). */
const dropOn = (selector) =>
    async function (helpers) {
        await helpers.drag_and_drop(selector, { position: "center", relative: true });
    };

/** Steps filling the quick-create dialog opened by a drag from `time` in `staff`'s column. */
const quickCreate = (staff, time, nextTime, name, phone) => [
    {
        content: `Drag from ${time} in ${staff}'s column`,
        trigger: slot(staff, time),
        run: dropOn(slot(staff, nextTime)),
    },
    {
        content: `Type ${name}`,
        trigger: ".modal .o_randevu_planner_qc_name",
        run: `edit ${name}`,
    },
    {
        content: "And the phone number",
        trigger: ".modal .o_randevu_planner_qc_phone",
        run: `edit ${phone}`,
    },
    {
        content: "Pick the trim",
        trigger: ".modal .o_randevu_planner_qc_service",
        run: "selectByLabel Tour Trim",
    },
    {
        content: "Book",
        trigger: ".modal .o_randevu_planner_qc_create:enabled",
        run: "click",
    },
];

registry.category("web_tour.tours").add("randevu_customer_quick_create_tour", {
    steps: () => [
        {
            content: "Anna and Bruno have a column",
            trigger: `${column("Anna")} ~ ${column("Bruno")}`,
        },
        // A new phone caller: the receptionist adds the customer as she books.
        ...quickCreate("Anna", "10:00", "10:15", "Deniz Yılmaz", "+33 7 58 44 55 66"),
        {
            content: "Deniz is booked in Anna's column",
            trigger: `${column("Anna")} .o_randevu_planner_appointment:contains(Deniz Yılmaz)`,
        },
        // A refusal is said inside the dialog, which stays open.
        ...quickCreate("Bruno", "13:00", "13:15", "Deniz Yılmaz", "+33 7 58 44 55 66"),
        {
            content: "The refusal is inside the dialog",
            trigger: ".modal .o_randevu_planner_qc_error:contains(would run into Bruno)",
        },
        {
            content: "Discard",
            trigger: ".modal .modal-footer .btn-secondary",
            run: "click",
        },
        // Zeynep's phone, another name: the receptionist is asked.
        ...quickCreate("Bruno", "11:00", "11:15", "Aylin Kurt", "+33 7 58 11 22 33"),
        {
            content: "The dialog asks whom to book",
            trigger:
                ".modal .o_randevu_planner_qc_question:contains(Book for Zeynep Arslan, or add Aylin Kurt with the same phone?)",
        },
        {
            content: "Add Aylin Kurt with the same phone",
            trigger: ".modal .o_randevu_planner_qc_add_new:contains(Add Aylin Kurt)",
            run: "click",
        },
        {
            content: "Aylin is booked in Bruno's column",
            trigger: `${column("Bruno")} .o_randevu_planner_appointment:contains(Aylin Kurt)`,
        },
        {
            content: "And the dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
