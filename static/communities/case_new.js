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
  function value(name) {
    var input = form.querySelector("[name='" + name + "']");
    return input && input.value ? input.value : "";
  }
  // The similar-case box follows the place and the category: other people's open cases there.
  var placeParam = {unit: ["unit_id", "unit"], flat: ["building_id", "building"],
                    building: ["building_id", "building"], public: ["public_place_id", "public_place"]};
  function refreshSimilar() {
    if (!window.htmx) return;
    var checked = form.querySelector("input[name='place_kind']:checked");
    var param = placeParam[checked ? checked.value : "building"];
    if (!param || !value(param[1])) return;
    htmx.ajax("GET", form.dataset.similarUrl + "&" + param[0] + "=" + encodeURIComponent(value(param[1])) +
      "&category_id=" + encodeURIComponent(value("category")), "#similar-cases");
  }
  var watched = ["place_kind", "unit", "building", "public_place", "category"];
  form.addEventListener("change", function (e) {
    if (e.target.name === "place_kind") update();
    if (watched.indexOf(e.target.name) !== -1) refreshSimilar();
  });
  update();
})();
