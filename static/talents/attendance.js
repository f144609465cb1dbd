// One tap per person on the attendance page: the forms work without JavaScript (a POST and a redirect); with it,
// the tap is sent with fetch and the row changes in place, so the teacher's place on the list is kept.
(function () {
  "use strict";
  var list = document.querySelector("[data-attendance]");
  if (!list || !window.fetch) { return; }
  list.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-tap]");
    if (!form) { return; }
    event.preventDefault();
    fetch(form.action, {method: "POST", body: new FormData(form), headers: {"X-Requested-With": "fetch"},
                        credentials: "same-origin"})
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        if (!result[0]) { window.alert(result[1].error || ""); return; }
        var row = form.closest("[data-person-row]");
        var present = result[1].present;
        row.classList.toggle("talents-row-present", present);
        row.classList.toggle("talents-row-absent", !present);
        row.querySelectorAll("form[data-tap] button").forEach(function (button) {
          var isPresent = button.form.querySelector("[name=present]").value === "1";
          var on = isPresent === present;
          button.setAttribute("aria-pressed", on ? "true" : "false");
          button.className = "btn talents-tap " + (isPresent ? (on ? "btn-success" : "btn-outline-success")
                                                             : (on ? "btn-danger" : "btn-outline-danger"));
        });
        var count = document.querySelector("[data-present-count]");
        if (count) { count.textContent = list.querySelectorAll(".talents-row-present").length; }
      })
      .catch(function () { form.submit(); });
  });
}());
