// Progressive enhancement only: every page is complete and readable without this script.
(function () {
  "use strict";

  function sortValue(cell) {
    var raw = cell.getAttribute("data-sort");
    var text = raw !== null ? raw : cell.textContent.trim();
    var number = Number(text.replace(/,/g, ""));
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortValue(a.cells[column]), y = sortValue(b.cells[column]);
          // Text in the page's alphabetical order (Turkish: ç after c, ı before i...), numbers by value.
          var order = typeof x !== typeof y ? (typeof x === "number" ? -1 : 1)
            : typeof x === "number" ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, document.documentElement.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function setUpFilters(form) {
    var events = document.querySelectorAll(".tdet-timeline .tdet-event");
    var years = document.querySelectorAll(".tdet-timeline .tdet-year");
    var count = form.querySelector(".tdet-filter-count");
    function apply() {
      var want = {
        category: form.elements.category.value, region: form.elements.region.value,
        company: form.elements.company.value, type: form.elements.type.value
      };
      var shown = 0;
      Array.prototype.forEach.call(events, function (li) {
        var ok = (!want.category || li.dataset.category.split(" ").indexOf(want.category) >= 0) &&
          (!want.region || li.dataset.region === want.region) &&
          (!want.company || li.dataset.companies.split(" ").indexOf(want.company) >= 0) &&
          (!want.type || li.dataset.type === want.type);
        li.hidden = !ok;
        if (ok) { shown += 1; }
      });
      Array.prototype.forEach.call(years, function (section) {
        section.hidden = section.querySelector(".tdet-event:not([hidden])") === null;
      });
      count.textContent = form.getAttribute("data-count").replace("{shown}", shown).replace("{total}", events.length);
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  function init() {
    document.querySelectorAll("table.tdet-sortable").forEach(function (table) {
      if (!table.dataset.sortReady) { table.dataset.sortReady = "1"; makeSortable(table); }
    });
    var form = document.querySelector("form.tdet-filters");
    if (form && !form.dataset.filterReady) { form.dataset.filterReady = "1"; setUpFilters(form); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
