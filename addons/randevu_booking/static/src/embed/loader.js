/**
 * Randevu booking loader, for other websites:
 *
 *   <script async src="https://salon.example.com/randevu_booking/static/src/embed/loader.js"
 *           data-branch="1" data-service="7" data-staff="3"></script>
 *
 * puts the booking flow of that branch (service, staff member: both optional) in an
 * iframe right after the script tag, and sizes the iframe to its content from the
 * height messages the flow sends (postMessage). Plain script, no dependencies.
 */
(function () {
    "use strict";
    const script = document.currentScript;
    if (!script || !script.dataset.branch) {
        return;
    }
    const origin = new URL(script.src).origin;
    const toId = (value) => (/^\d+$/.test(value || "") ? value : "");
    const branch = toId(script.dataset.branch);
    const service = toId(script.dataset.service);
    const staff = toId(script.dataset.staff);
    if (!branch) {
        return;
    }
    let src = `${origin}/book/embed/${branch}` + (service ? `/${service}` : "");
    if (staff) {
        src += `?staff=${staff}`;
    }
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = script.dataset.title || "Online booking";
    frame.className = "randevu-booking-frame";
    frame.setAttribute("loading", "lazy");
    frame.style.cssText = "width:100%;min-height:480px;border:0;display:block;";
    script.parentNode.insertBefore(frame, script.nextSibling);
    window.addEventListener("message", (ev) => {
        const data = ev.data || {};
        if (ev.origin === origin && ev.source === frame.contentWindow && data.type === "randevu-booking:height") {
            frame.style.height = `${Math.ceil(Number(data.height) || 0)}px`;
        }
    });
})();
