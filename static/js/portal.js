// Portal-wide htmx behaviour: swap 422 form errors, show a message when a request fails,
// and move keyboard focus to content that was swapped in.
// No inline scripts or handlers anywhere (the Content-Security-Policy forbids them): the few
// behaviours pages need are declared with data attributes and wired here.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field && field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
// A slug field written from another field as it is typed (data-slug-from: that field's id), until
// someone edits the slug by hand: "Ferretería Solís" → "ferreteria-solis".
document.addEventListener("input", function (event) {
  var field = event.target;
  if (!field || !field.id) return;
  if (field.matches && field.matches("[data-slug-from]")) { field.dataset.edited = "1"; return; }
  var slug = document.querySelector('[data-slug-from="' + field.id + '"]');
  if (!slug || slug.dataset.edited) return;
  slug.value = field.value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
});
// A file input shown as a translated "Choose file" label (agency.widgets.ChooseFileInput): the
// chosen file's name beside it, and a file dropped on the label or the name lands in the input,
// as it would on the browser's own control.
function showChosenFile(input) {
  var shown = document.getElementById(input.getAttribute("data-file-pick"));
  if (!shown) return;
  var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
  shown.textContent = names.length ? names.join(", ") : shown.getAttribute("data-empty");
  // Several files go straight to their imports (clients/imports): the button says so.
  var button = input.form && input.form.querySelector("button[data-several]");
  if (!button) return;
  if (!button.hasAttribute("data-one")) button.setAttribute("data-one", button.textContent);
  button.textContent = names.length > 1 ? button.getAttribute("data-several") : button.getAttribute("data-one");
}
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field && field.matches && field.matches("input[data-file-pick]")) showChosenFile(field);
});
["dragover", "drop"].forEach(function (kind) {
  document.addEventListener(kind, function (event) {
    var box = event.target && event.target.closest ? event.target.closest(".file-pick") : null;
    var input = box && box.querySelector("input[data-file-pick]");
    if (!input || !event.dataTransfer) return;
    event.preventDefault();
    if (kind === "drop" && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
});
document.addEventListener("click", function (event) {
  var trigger = event.target && event.target.closest ? event.target.closest("[data-print]") : null;
  if (trigger) window.print();
});
// Printing opens the folded details so the paper carries every section, as the PDF does.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.group:not([open])").forEach(function (d) { d.setAttribute("open", ""); d.dataset.printOpened = "1"; });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details.group[data-print-opened]").forEach(function (d) { d.removeAttribute("open"); delete d.dataset.printOpened; });
});
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];
  htmx.config.historyCacheSize = 0;
  var box = document.getElementById("htmx-error");
  function show(text) {
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  // Spanish whatever the variant: a page in Spanish (Mexico) says lang="es-mx".
  var spanish = /^es\b/i.test(document.documentElement.lang);
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    show((spanish
      ? "No se pudo cargar esta parte de la página (error "
      : "This part of the page could not be loaded (error ") + status + ").");
  });
  document.body.addEventListener("htmx:sendError", function () {
    show(spanish
      ? "Sin conexión con el portal. Inténtalo de nuevo."
      : "The portal could not be reached. Please try again.");
  });
  // Every htmx action shows that it is working: a bar at the top of the page, and the target
  // marked busy (screen readers hear it); both end with the request, whatever its outcome.
  var pending = 0;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (box) box.hidden = true;
    pending += 1;
    document.body.classList.add("is-loading");
    var target = event.detail && event.detail.target;
    if (target && target.setAttribute) target.setAttribute("aria-busy", "true");
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    pending = Math.max(0, pending - 1);
    if (!pending) document.body.classList.remove("is-loading");
    var target = event.detail && event.detail.target;
    if (target && target.removeAttribute) target.removeAttribute("aria-busy");
  });
  // htmx fires afterSwap on each swapped-in element; detail.target is the element that was
  // targeted, which an outerHTML swap has just removed from the page, so look in the new one.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var roots = [event.target, event.detail.target];
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (!root || !root.isConnected || !root.querySelector) continue;
      var focusable = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]");
      if (focusable) { focusable.focus(); return; }
    }
  });
});
// A colour swatch's hex beside it (agency.forms_branding.ColourInput) follows the colour picked.
document.addEventListener("input", function (event) {
  var field = event.target;
  if (!field || !field.matches || !field.matches("input[data-colour-hex]")) return;
  var shown = document.getElementById(field.getAttribute("data-colour-hex"));
  if (shown) shown.textContent = field.value;
});
// A link to a closed <details> (the Imports page's file kind reference, #kind-leads) opens it.
function openTargetedDetails() {
  var id = decodeURIComponent(location.hash.slice(1));
  var target = id && document.getElementById(id);
  if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
}
window.addEventListener("hashchange", openTargetedDetails);
document.addEventListener("DOMContentLoaded", openTargetedDetails);
// A form whose work takes a while (adding a client makes its database: data-busy) says so once
// submitted, and takes one click: its button is disabled after the submission has left (a second
// click sent a second request), the bar at the top runs and its note is shown to sighted and
// screen-reader users alike.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form || !form.matches || !form.matches("form[data-busy]")) return;
  if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
  form.setAttribute("aria-busy", "true");
  document.body.classList.add("is-loading");
  var note = form.querySelector("[data-busy-note]");
  if (note) note.hidden = false;
  window.setTimeout(function () {
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }, 0);
});
// Back to a page whose submission was under way (the browser's back-forward cache): ready again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  var forms = document.querySelectorAll("form[data-busy][aria-busy=true]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].removeAttribute("aria-busy");
    var note = forms[i].querySelector("[data-busy-note]");
    if (note) note.hidden = true;
    var buttons = forms[i].querySelectorAll("button");
    for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
  }
  document.body.classList.remove("is-loading");
});
