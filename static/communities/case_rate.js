// Rating form: the reasons (哪里还不够好) are asked only for 基本满意 and 不满意. Without JS they are always
// shown; the server requires them for those two and ignores them for 满意 either way. ES5 for old phones.
(function () {
  var form = document.querySelector("form[data-rate-form]");
  if (!form) return;
  var reasons = form.querySelector("#div_id_reasons") ||
    (form.querySelector("input[name='reasons']") || {closest: function () { return null; }}).closest("fieldset");
  if (!reasons) return;
  var asking = ["basic", "unsatisfied"];
  function update() {
    var checked = form.querySelector("input[name='score']:checked");
    reasons.hidden = !checked || asking.indexOf(checked.value) === -1;
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "score") update();
  });
  update();
})();
