// 长辈模式 filing: one question per screen. In elder mode only, the filing form's <fieldset data-step>s are
// shown one at a time with big 上一步/下一步 buttons, a progress line and a last screen listing the answers.
// Without elder mode or without JS the fieldsets stay one ordinary form; the server checks everything
// either way, so this script only saves an older resident from a long page. Written in ES5 for old phones.
(function () {
  var form = document.querySelector("form[data-case-form]");
  if (!form || !document.body.classList.contains("elder-mode")) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-step]"));
  var nav = form.querySelector("[data-step-nav]");
  if (steps.length < 2 || !nav) return;
  var back = nav.querySelector("[data-step-back]");
  var next = nav.querySelector("[data-step-next]");
  var progress = form.querySelector("[data-step-progress]");
  var submit = form.querySelector("[data-step-submit]");
  var summary = form.querySelector("[data-step-summary]");
  var confirmStep = form.querySelector("fieldset[data-step-confirm]");
  // The place fields that are required when shown (case_new.js shows the ones the kind of place needs).
  var neededWhenShown = ["unit", "building", "room", "public_place"];
  var current = 0;

  function controls(step) {
    return Array.prototype.slice.call(step.querySelectorAll("input, select, textarea")).filter(function (el) {
      return el.type !== "hidden" && el.name && !el.closest(".js-place-hidden");
    });
  }

  function labelText(el) {
    var label;
    if (el.type === "radio") {
      var group = el.closest("fieldset");
      label = group && group !== el.closest("fieldset[data-step]") ? group.querySelector("legend") : null;
    } else if (el.id) {
      label = form.querySelector("label[for='" + el.id + "']");
    }
    if (!label) return el.name;
    var copy = label.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".asteriskField"), function (star) { star.remove(); });
    return copy.textContent.trim();
  }

  function isRequired(el) {
    return el.required || neededWhenShown.indexOf(el.name) !== -1;
  }

  function isAnswered(el) {
    if (el.type === "radio") return !!form.querySelector("input[name='" + el.name + "']:checked");
    if (el.type === "checkbox") return el.checked;
    return el.value.trim() !== "";
  }

  function clearErrors(step) {
    Array.prototype.forEach.call(step.querySelectorAll("[data-step-error]"), function (note) { note.remove(); });
    Array.prototype.forEach.call(step.querySelectorAll("[data-step-invalid]"), function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-step-invalid");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.indexOf("step-error-") !== 0;
      });
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
      else el.removeAttribute("aria-describedby");
    });
  }

  function markMissing(el) {
    var group = el.type === "radio" ? form.querySelectorAll("input[name='" + el.name + "']") : [el];
    var note = document.createElement("div");
    note.id = "step-error-" + el.name;
    note.className = "invalid-feedback d-block";
    note.setAttribute("data-step-error", "");
    note.textContent = nav.getAttribute("data-required");
    (el.closest(".mb-3") || el.parentElement).appendChild(note);
    Array.prototype.forEach.call(group, function (input) {
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-step-invalid", "");
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
    });
  }

  // The current step's required questions are answered; otherwise mark them and focus the first.
  function validate(step) {
    clearErrors(step);
    var missing = [], seen = {};
    controls(step).forEach(function (el) {
      if (seen[el.name] || !isRequired(el) || isAnswered(el)) return;
      seen[el.name] = true;
      missing.push(el);
    });
    missing.forEach(markMissing);
    if (missing.length) missing[0].focus();
    return !missing.length;
  }

  function answer(el) {
    var data = summary.dataset;
    if (el.type === "radio") {
      var checked = form.querySelector("input[name='" + el.name + "']:checked");
      return checked ? optionText(checked) : data.empty;
    }
    if (el.type === "checkbox") return el.checked ? data.yes : data.no;
    if (el.type === "file") {
      var names = Array.prototype.map.call(el.files || [], function (file) { return file.name; });
      // Photos kept from an attempt that came back with an error are sent again without being chosen.
      var kept = form.querySelector("[data-kept-photos]");
      var left = kept ? kept.querySelectorAll("input[name='remove_photo']:not(:checked)").length : 0;
      if (left) names.unshift(data.kept.replace("{n}", left));
      return names.length ? names.join("、") : data.noPhoto;
    }
    if (el.tagName === "SELECT") return el.value ? el.options[el.selectedIndex].text : data.empty;
    return el.value.trim() || data.empty;
  }

  function optionText(radio) {
    var label = form.querySelector("label[for='" + radio.id + "']");
    return label ? label.textContent.trim() : radio.value;
  }

  function fillSummary() {
    summary.textContent = "";
    steps.forEach(function (step) {
      if (step === confirmStep) return;
      var seen = {};
      controls(step).forEach(function (el) {
        if (seen[el.name]) return;
        seen[el.name] = true;
        var term = document.createElement("dt");
        term.textContent = labelText(el);
        var value = document.createElement("dd");
        value.textContent = answer(el);
        summary.appendChild(term);
        summary.appendChild(value);
      });
    });
  }

  function show(index, moveFocus) {
    current = index;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    var last = index === steps.length - 1;
    back.hidden = index === 0;
    next.hidden = last;
    submit.hidden = !last;
    if (last) fillSummary();
    progress.textContent = progress.getAttribute("data-text")
      .replace("{n}", index + 1).replace("{total}", steps.length);
    if (moveFocus) {
      var legend = steps[index].querySelector("legend");
      if (legend) legend.focus();
      window.scrollTo(0, 0);
    }
  }

  function forward() {
    if (validate(steps[current])) show(current + 1, true);
  }

  next.addEventListener("click", forward);
  back.addEventListener("click", function () { show(current - 1, true); });
  // Enter in a text field must not send a half-answered form: it means 下一步.
  form.addEventListener("submit", function (e) {
    if (current < steps.length - 1) {
      e.preventDefault();
      forward();
    }
  });

  form.classList.add("ld-wizard");
  confirmStep.hidden = false;
  nav.hidden = false;
  progress.hidden = false;
  // After a server-side error, open at the first step that has one.
  var firstError = 0;
  for (var i = 0; i < steps.length; i++) {
    if (steps[i].querySelector(".is-invalid, .invalid-feedback")) { firstError = i; break; }
  }
  show(firstError, firstError > 0 || !!form.querySelector(".is-invalid"));
})();
