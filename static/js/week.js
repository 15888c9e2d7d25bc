/* The week page, when JavaScript runs: one entry menu open at a time, and the keyboard focus
   kept on the cell that changed when htmx redraws the grid. The page works without it. */
(function () {
  "use strict";

  // toggle does not bubble: listen in the capture phase.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!(menu instanceof HTMLDetailsElement) || !menu.open || !menu.matches(".entry-menu")) {
      return;
    }
    document.querySelectorAll("details.entry-menu[open]").forEach(function (other) {
      if (other !== menu) {
        other.open = false;
      }
    });
  }, true);

  var changedCell = null;
  var refocus = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var cell = event.detail.elt.closest("td[id^='cell-']");
    changedCell = cell ? cell.id : null;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    refocus = event.detail.target.id === "grid" ? changedCell : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var cell = refocus && document.getElementById(refocus);
    refocus = null;
    // The entry's menu, or the Add link of a cell just emptied.
    var target = cell && (cell.querySelector("summary") || cell.querySelector("a"));
    if (target) {
      target.focus({ preventScroll: true });
    }
  });
})();
