// Forms that pick people and recurrences (rota and meeting-series forms, branch forms).
// - A people picker's search box hides the names that do not match what was typed; ticked names stay ticked.
// - A recurrence shows only the choices of the picked kind (每周: weekday buttons; 每月第几个星期几; 每月几号).
// Without JS every name and every choice is shown, and the form works the same.
(function () {
  function filterPicker(box) {
    var picker = box.closest("[data-people-picker]");
    if (!picker) return;
    var q = box.value.trim().toLowerCase();
    var shown = 0;
    picker.querySelectorAll(".people-picker-row").forEach(function (row) {
      var match = !q || row.getAttribute("data-search").indexOf(q) !== -1;
      row.hidden = !match;
      if (match) shown += 1;
    });
    var none = picker.querySelector("[data-people-none]");
    if (none) none.hidden = shown > 0;
  }

  function showRecurrence(block) {
    var kind = block.querySelector("select[name$='repeat']");
    if (!kind) return;
    block.querySelectorAll("[data-recurrence-show]").forEach(function (part) {
      part.hidden = part.getAttribute("data-recurrence-show").split(" ").indexOf(kind.value) === -1;
    });
  }

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-people-picker] input[type='search']")) filterPicker(e.target);
  });
  document.addEventListener("keydown", function (e) {
    // Enter in a search box filters; it must not submit the form half filled.
    if (e.key === "Enter" && e.target.matches && e.target.matches("[data-people-picker] input[type='search']")) {
      e.preventDefault();
    }
  });
  document.addEventListener("change", function (e) {
    var block = e.target.closest && e.target.closest("[data-recurrence]");
    if (block && e.target.matches("select[name$='repeat']")) showRecurrence(block);
  });
  document.querySelectorAll("[data-recurrence]").forEach(showRecurrence);
})();
