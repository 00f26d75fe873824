// Names for the Django admin's unlabelled form controls (WCAG 1.3.1, 4.1.2): the cells of tabular inlines
// and of editable change lists take their column's header, the two halves of a date-and-time field take
// their field's label, and the widgets built by the admin's scripts (select2, filter_horizontal) get names.
(function () {
  "use strict";

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function named(control) {
    if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) return true;
    if (control.closest("label")) return true;
    return Boolean(control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]'));
  }

  function nameTableCells() {
    document.querySelectorAll("table").forEach(function (table) {
      var headers = table.querySelectorAll("thead th");
      if (!headers.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row, rowIndex) {
        var rowName = text(row.querySelector("th")) || text(row.querySelector("td.original p")) || String(rowIndex + 1);
        Array.prototype.forEach.call(row.cells, function (cell) {
          var header = headers[cell.cellIndex];
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (named(control)) return;
            var column = text(header) || control.name;
            control.setAttribute("aria-label", rowName ? column + " — " + rowName : column);
          });
        });
      });
    });
  }

  function nameSplitDateTimes() {
    document.querySelectorAll("p.datetime").forEach(function (box) {
      var first = box.querySelector("input");
      var base = first && first.id ? first.id.replace(/_\d+$/, "") : "";
      var label = text(document.querySelector('label[for="' + base + '_0"], label[for="' + base + '"]'));
      box.querySelectorAll("input").forEach(function (control) {
        if (named(control)) return;
        var part = "";
        for (var node = control.previousSibling; node; node = node.previousSibling) {
          if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) { part = node.textContent.trim(); break; }
          if (node.nodeType === Node.ELEMENT_NODE && node.tagName !== "BR") { part = text(node); if (part) break; }
        }
        control.setAttribute("aria-label", [label, part.replace(/:$/, "")].filter(Boolean).join(" — "));
      });
    });
  }

  function nameScriptWidgets() {
    document.querySelectorAll(".help-tooltip[aria-label], .search-label-icon[aria-label]").forEach(function (icon) {
      if (!icon.getAttribute("role")) icon.setAttribute("role", "img");
    });
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.getAttribute("aria-label")) return;
      var select = box.closest(".select2") && box.closest(".select2").previousElementSibling;
      var label = select && select.id ? text(document.querySelector('label[for="' + select.id + '"]')) : "";
      if (!label) return;
      // Select2 points aria-labelledby at the chosen value, which is empty until something is chosen.
      box.removeAttribute("aria-labelledby");
      box.setAttribute("aria-label", label.replace(/:$/, ""));
      var rendered = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (rendered) rendered.setAttribute("aria-label", label.replace(/:$/, ""));
    });
  }

  function run() {
    nameTableCells();
    nameSplitDateTimes();
    nameScriptWidgets();
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    // select2 builds its widgets from jQuery's ready handler, which may come after this one.
    new MutationObserver(function (records) {
      if (records.some(function (r) { return r.addedNodes.length; })) nameScriptWidgets();
    }).observe(document.body, {childList: true, subtree: true});
  });
  window.addEventListener("load", run);
  // Rows added with «Добавить ещё» get names too.
  document.addEventListener("formset:added", run);
})();
