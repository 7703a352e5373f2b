// The close board's month squares from the keyboard: each client's 13 squares are one tab stop
// (a roving tabindex: the board's month first), so Tab goes client by client instead of through
// 13 links a row. ← → (and Home, End) move between a client's months, ↑ ↓ to the same month of
// the client above or below; Enter opens the month (a plain link). Without this script every
// square is a tab stop as before.
(function () {
  var SQUARES = ".month-strip a.sq";

  function squaresOf(strip) {
    return Array.prototype.slice.call(strip.querySelectorAll("a.sq"));
  }

  function makeStop(square) {
    var strip = square.closest(".month-strip");
    squaresOf(strip).forEach(function (other) {
      other.setAttribute("tabindex", other === square ? "0" : "-1");
      if (other !== square) other.removeAttribute("aria-describedby");
    });
    if (document.getElementById("board-keys")) square.setAttribute("aria-describedby", "board-keys");
  }

  // On a phone each client is one row (name, state, checks, days waiting): its "More" shows the
  // rest. The table folds only once this script is here to unfold it (data-folding); a wide screen
  // never shows the button (CSS), so its rows and tab stops stay as they were.
  function foldRows(root) {
    root.querySelectorAll("table.board").forEach(function (table) { table.setAttribute("data-folding", ""); });
    root.querySelectorAll("[data-row-more]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-row-more]") : null;
    if (!button) return;
    var row = button.closest("tr");
    var open = !row.classList.contains("unfolded");
    row.classList.toggle("unfolded", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  function setUp(root) {
    foldRows(root);
    root.querySelectorAll(".month-strip").forEach(function (strip) {
      var squares = squaresOf(strip);
      if (!squares.length) return;
      makeStop(strip.querySelector("a.sq[data-board-month]") || squares[0]);
    });
  }

  function move(target) {
    if (!target) return;
    makeStop(target);
    target.focus();
  }

  document.addEventListener("keydown", function (event) {
    var square = event.target && event.target.closest ? event.target.closest(SQUARES) : null;
    if (!square || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var strip = square.closest(".month-strip");
    var squares = squaresOf(strip);
    var index = squares.indexOf(square);
    var target = null;
    if (event.key === "ArrowRight") target = squares[index + 1];
    else if (event.key === "ArrowLeft") target = squares[index - 1];
    else if (event.key === "Home") target = squares[0];
    else if (event.key === "End") target = squares[squares.length - 1];
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      // the clients whose squares are in sight (a phone's folded rows are skipped)
      var strips = Array.prototype.slice.call(document.querySelectorAll(".month-strip")).filter(function (one) {
        return one === strip || one.offsetParent !== null;
      });
      var next = strips[strips.indexOf(strip) + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        var others = squaresOf(next);
        target = others[Math.min(index, others.length - 1)];
      }
    } else return;
    event.preventDefault();  // the arrows move between squares, not the page
    move(target);
  });

  // A square clicked or reached otherwise becomes its row's stop, so Shift+Tab comes back to it.
  document.addEventListener("focusin", function (event) {
    var square = event.target && event.target.closest ? event.target.closest(SQUARES) : null;
    if (square && square.getAttribute("tabindex") !== "0") makeStop(square);
  });

  // The header's box ticks (or unticks) every clean month of the page: 44 clean clients are one
  // click, not 44. It shows how many are ticked (all: ticked; some: half), and is hidden (with its words) without
  // this script (the page then ticks one by one, as before). The bulk button says how many months are
  // ticked ("Approve the 3 ticked months…"): its words for each count are its data-words (JSON),
  // written with the language's plural forms; none ticked, its own words (data-words-none).
  function approveWords(ticked) {
    var button = document.querySelector("[data-approve-ticked]");
    if (!button) return;
    var words = {};
    try { words = JSON.parse(button.getAttribute("data-words") || "{}"); } catch (error) { words = {}; }
    button.textContent = words[String(ticked)] || button.getAttribute("data-words-none");
  }

  function pickAllSync() {
    var boxes = document.querySelectorAll("input[name=pick]");
    var ticked = document.querySelectorAll("input[name=pick]:checked").length;
    approveWords(ticked);
    var all = document.querySelector("[data-pick-all]");
    if (!all) return;
    (all.closest("label") || all).hidden = false;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || !target.matches) return;
    if (target.matches("[data-pick-all]")) {
      document.querySelectorAll("input[name=pick]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("[data-pick-all], input[name=pick]")) pickAllSync();
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); pickAllSync(); });
  // Back to the board, the browser may keep the boxes ticked before: the header says so.
  window.addEventListener("pageshow", pickAllSync);
  // The filters swap the table in with htmx: its new squares get their stops too.
  document.addEventListener("htmx:afterSettle", function () { setUp(document); pickAllSync(); });
})();
