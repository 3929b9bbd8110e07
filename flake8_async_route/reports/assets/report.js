// Sorting and filtering for the HTML report. The page reads without it: the table and the
// findings are rendered on the server; this only shows the controls and makes them work.
(function () {
  "use strict";

  function words(input) {
    return input.value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  // ----- the findings, in `check` and `audit` alike -------------------------------------
  (function () {
    var filter = document.getElementById("findings-filter");
    if (!filter) { return; }
    var rule = document.getElementById("rule-filter");
    var shown = document.getElementById("findings-shown");
    var noMatch = document.getElementById("no-finding");
    var items = Array.prototype.slice.call(document.querySelectorAll("#findings li.finding"));
    var texts = items.map(function (item) { return item.textContent.toLowerCase(); });
    var files = Array.prototype.slice.call(document.querySelectorAll("#findings section.file"));
    function apply() {
      var wanted = words(filter), code = rule.value, count = 0;
      items.forEach(function (item, index) {
        var match = (!code || item.getAttribute("data-code") === code) &&
          wanted.every(function (word) { return texts[index].indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { count += 1; }
      });
      files.forEach(function (file) {
        file.hidden = !file.querySelector("li.finding:not([hidden])");
      });
      shown.textContent = count + " of " + items.length + " findings shown";
      noMatch.hidden = count !== 0;
    }
    filter.addEventListener("input", apply);
    rule.addEventListener("change", apply);
    document.getElementById("findings-controls").hidden = false;
    apply();
  })();

  // ----- the inventory of handlers (`audit`) ---------------------------------------------
  var table = document.getElementById("inventory");
  var dataNode = document.getElementById("asr-data");
  if (!table || !dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var haystacks = rows.map(function (row) {
    var h = data.handlers[Number(row.getAttribute("data-index"))] || {};
    return [row.textContent, h.path, h.route, h.name, h.verdict, h.kind,
            (h.codes || []).join(" "), (h.messages || []).join(" ")].join(" ").toLowerCase();
  });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sortColumn = -1, ascending = true;

  function value(row, column) {
    return row.cells[column].getAttribute("data-sort") || "";
  }
  function compare(a, b, column) {
    var x = value(a, column), y = value(b, column);
    var nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && isFinite(nx) && isFinite(ny)) { return nx - ny; }
    return collator.compare(x, y);
  }
  function sortBy(column) {
    ascending = column === sortColumn ? !ascending : true;
    sortColumn = column;
    var order = rows.map(function (row, index) { return [row, index]; });
    order.sort(function (a, b) {
      var result = compare(a[0], b[0], column);
      if (!ascending) { result = -result; }
      return result || a[1] - b[1];
    });
    var fragment = document.createDocumentFragment();
    order.forEach(function (pair) { fragment.appendChild(pair[0]); });
    body.appendChild(fragment);
    headers.forEach(function (th, index) {
      var arrow = th.querySelector(".arrow");
      if (index === column) {
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        arrow.textContent = ascending ? "\u25B2" : "\u25BC";
      } else {
        th.removeAttribute("aria-sort");
        arrow.textContent = "";
      }
    });
  }
  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    var label = document.createElement("span");
    label.textContent = th.textContent;
    var arrow = document.createElement("span");
    arrow.className = "arrow";
    arrow.setAttribute("aria-hidden", "true");
    button.appendChild(label);
    button.appendChild(arrow);
    button.title = "Sort by " + th.textContent;
    button.addEventListener("click", function () { sortBy(index); });
    th.textContent = "";
    th.appendChild(button);
  });

  var filter = document.getElementById("filter");
  var verdict = document.getElementById("verdict-filter");
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  function applyFilter() {
    var wantedWords = words(filter);
    var wanted = verdict.value, count = 0;
    rows.forEach(function (row, index) {
      var match = (!wanted || row.getAttribute("data-verdict") === wanted) &&
        wantedWords.every(function (word) { return haystacks[index].indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " handlers shown";
    noMatch.hidden = count !== 0;
  }
  filter.addEventListener("input", applyFilter);
  verdict.addEventListener("change", applyFilter);
  document.getElementById("inventory-controls").hidden = false;
  applyFilter();
})();
