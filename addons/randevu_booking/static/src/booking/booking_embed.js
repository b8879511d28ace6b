/**
 * Inside the embedded flow (an iframe: website block or loader.js on another site),
 * tell the parent page the content's height whenever it changes, so that the iframe
 * grows and shrinks with each step. Only a height is sent, to any parent.
 */
function postHeight() {
    const wrap = document.querySelector(".o_randevu_embedded");
    if (!wrap || window.parent === window) {
        return;
    }
    const height = Math.max(wrap.scrollHeight, document.body.scrollHeight);
    window.parent.postMessage({ type: "randevu-booking:height", height }, "*");
}

function watchHeight() {
    const wrap = document.querySelector(".o_randevu_embedded");
    if (!wrap || window.parent === window) {
        return;
    }
    postHeight();
    if (window.ResizeObserver) {
        new ResizeObserver(postHeight).observe(wrap);
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchHeight);
} else {
    watchHeight();
}
