// The previewed email (an iframe of its own HTML, so the portal's styles do not touch it) as tall as
// its content: read like the email, one scroll for the page, not a box scrolling inside it.
(function () {
  "use strict";
  function fit(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    frame.style.height = "0px";  // measured at its least: the email shrinks back on a wider window
    frame.style.height = doc.documentElement.scrollHeight + "px";
  }
  function each() {
    document.querySelectorAll("iframe[data-email-preview]").forEach(function (frame) {
      frame.addEventListener("load", function () { fit(frame); });
      fit(frame);
      window.addEventListener("resize", function () { fit(frame); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", each);
  else each();
})();
