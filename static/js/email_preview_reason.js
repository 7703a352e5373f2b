// "Preview the email" of a revision shows the reason as typed in the revision's form (#reason): the
// link's ?reason= is set when it is followed. Read at the click, so a form HTMX swapped in since
// (the close page's refresh after a recompute) is the one read. Without JavaScript the link carries
// the reason the page filled in.
(function () {
  "use strict";
  function follow(event) {
    var link = event.target.closest ? event.target.closest("a[data-email-preview-reason]") : null;
    var field = document.getElementById("reason");
    if (!link || !field) return;
    var url = new URL(link.href, window.location.href);
    if (field.value.trim()) url.searchParams.set("reason", field.value);
    else url.searchParams.delete("reason");
    link.href = url.toString();
  }
  document.addEventListener("click", follow);
  document.addEventListener("auxclick", follow);  // opened in a new tab by the middle button
})();
