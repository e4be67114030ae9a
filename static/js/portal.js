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
  // Close the mobile <details> menu after navigating.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".nav-toggle a");
    if (link) { link.closest("details").removeAttribute("open"); }
  });
})();
