// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Confirmation for forms marked data-confirm (the server also offers a confirmation page).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (!message) { return; }
    event.preventDefault();
    if (window.confirm(message)) { event.detail.issueRequest(true); }
  });
  // Buttons marked data-print open the browser's print dialog (pages also say "Ctrl+P").
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
  // After htmx added an entry (the answer swaps only the new row and the totals), empty the
  // add form for the next one: the times follow on (the server says which), errors go.
  document.addEventListener("entry-saved", function (event) {
    var form = document.querySelector("form.entry-form[action$='/tambah']");
    if (!form) { return; }
    var detail = event.detail || {};
    form.reset();
    form.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".invalid-feedback, .alert-danger").forEach(function (node) { node.remove(); });
    if (detail.start) { form.elements.jam_mulai.value = detail.start; }
    if (detail.end) { form.elements.jam_selesai.value = detail.end; }
    form.elements.uraian.value = "";
    form.elements.uraian.focus();
  });
  // Close the mobile <details> menu after navigating.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".nav-toggle a");
    if (link) { link.closest("details").removeAttribute("open"); }
  });
})();
