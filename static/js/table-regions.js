// Data tables scroll inside their own named region, never the page (WCAG 1.4.10 reflow), and a
// keyboard can reach a region that scrolls (axe scrollable-region-focusable). Templates wrap
// their tables with {% table_region %}; a table that is not wrapped (a page that forgot) is
// wrapped here, named by its caption or the heading before it.
(function () {
  "use strict";

  function nameFor(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    var node = table;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous.textContent.trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "Table";
  }

  function wrapLoose(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-region")) return;
      var region = document.createElement("div");
      region.className = "table-region";
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", nameFor(table));
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    });
  }

  // A tab stop only where there is something to scroll: at desktop width most regions fit.
  function updateTabStops() {
    document.querySelectorAll(".table-region").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {
        region.removeAttribute("tabindex");
      }
    });
  }

  // A table marked .table-stack becomes one block per row on a phone (static/css/app.css):
  // each cell is labelled with its column's heading, and the table keeps its table roles,
  // which some browsers drop from a table displayed as blocks.
  var ROLES = {TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TD: "cell"};

  function stack(table) {
    if (table.classList.contains("stackable")) return;
    var headings = [];
    table.querySelectorAll("thead th").forEach(function (th) {
      // A heading only screen readers see ("Actions") labels nothing on the screen either.
      var hidden = th.querySelector(".visually-hidden");
      var text = th.textContent.trim();
      if (hidden && hidden.textContent.trim() === text) text = "";
      for (var i = 0; i < (th.colSpan || 1); i++) headings.push(text);
    });
    table.querySelectorAll("table, thead, tbody, tr, th, td").forEach(function (el) {
      if (el !== table && el.closest("table") !== table) return;
      var role = el.tagName === "TH"
        ? (el.closest("thead") ? "columnheader" : "rowheader") : ROLES[el.tagName];
      if (role) el.setAttribute("role", role);
    });
    table.setAttribute("role", "table");
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var heading = headings[column];
        if (cell.tagName === "TD" && heading && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", heading);
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("stackable");
  }

  function refresh() {
    wrapLoose(document);
    document.querySelectorAll("table.table-stack").forEach(stack);
    updateTabStops();
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(updateTabStops, 150);
  });
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("toggle", updateTabStops, true);  // tables inside <details>
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
