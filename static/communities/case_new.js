// Filing form: show only the place fields that fit the chosen kind of place. Without JS every
// field stays visible and the server checks the combination, so nothing depends on this script.
(function () {
  var form = document.querySelector("form[data-case-form]");
  if (!form) return;
  // The free-text place is always shown; these four depend on the kind of place.
  var fieldsFor = {unit: ["unit"], flat: ["building", "room"], building: ["building"], public: ["public_place"]};
  var toggled = ["unit", "building", "room", "public_place"];
  function wrapper(name) {
    var input = form.querySelector("[name='" + name + "']");
    return input ? input.closest(".mb-3") || input.parentElement : null;
  }
  function update() {
    var checked = form.querySelector("input[name='place_kind']:checked");
    var wanted = fieldsFor[checked ? checked.value : "building"] || [];
    toggled.forEach(function (name) {
      var el = wrapper(name);
      if (el) el.classList.toggle("js-place-hidden", wanted.indexOf(name) === -1);
    });
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "place_kind") update();
    if (e.target.name === "building" && e.target.value && window.htmx) {
      htmx.ajax("GET", form.dataset.similarUrl + "&building_id=" + encodeURIComponent(e.target.value), "#similar-cases");
    }
  });
  update();
})();
