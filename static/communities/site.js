// Small behaviours shared by every page. Templates carry no inline scripts or on…= handlers (the
// Content-Security-Policy forbids them); they mark elements with data attributes instead.
(function () {
  "use strict";
  // <button data-print> prints the page (the QR sheet, invitation slips).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
