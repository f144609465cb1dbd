// The dispatch picker's search box (case page): htmx narrows the person list as one types. Enter in the box
// searches at once instead of submitting the dispatch form with nobody chosen. Without JS the box does
// nothing and the full list is there to choose from.
(function () {
  document.addEventListener("keydown", function (e) {
    var box = e.target;
    if (e.key !== "Enter" || !box.matches || !box.matches("input[name='handler_search']")) return;
    e.preventDefault();
    if (window.htmx) htmx.trigger(box, "search");
  });
})();
