// Sorting and filtering for the HTML report. The page reads without it: the table and the
// findings are rendered on the server; this only shows the controls and makes them work.
(function () {
  "use strict";

  // Shows the elements whose text holds every word typed in `input` and whose `attribute`
  // is the option chosen in `select` (any, when none is), and says how many are shown.
  function wireFilter(parts) {
    function apply() {
      var wanted = parts.input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var chosen = parts.select.value, count = 0;
      parts.elements.forEach(function (element, index) {
        var match = (!chosen || element.getAttribute(parts.attribute) === chosen) &&
          wanted.every(function (word) { return parts.texts[index].indexOf(word) !== -1; });
        element.hidden = !match;
        if (match) { count += 1; }
      });
      if (parts.after) { parts.after(); }
      parts.shown.textContent = count + " of " + parts.elements.length + " " + parts.noun +
        " shown";
      parts.noMatch.hidden = count !== 0;
    }
    parts.input.addEventListener("input", apply);
    parts.select.addEventListener("change", apply);
    parts.controls.hidden = false;
    apply();
  }

  // ----- the findings, in `check` and `audit` alike -------------------------------------
  if (document.getElementById("findings-filter")) {
    var items = Array.prototype.slice.call(document.querySelectorAll("#findings li.finding"));
    var files = Array.prototype.slice.call(document.querySelectorAll("#findings section.file"));
    wireFilter({
      elements: items, attribute: "data-code", noun: "findings",
      texts: items.map(function (item) { return item.textContent.toLowerCase(); }),
      input: document.getElementById("findings-filter"),
      select: document.getElementById("rule-filter"),
      shown: document.getElementById("findings-shown"),
      noMatch: document.getElementById("no-finding"),
      controls: document.getElementById("findings-controls"),
      after: function () {  // a file with no finding left shown is hidden too
        files.forEach(function (file) {
          file.hidden = !file.querySelector("li.finding:not([hidden])");
        });
      }
    });
  }

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

  wireFilter({
    elements: rows, texts: haystacks, attribute: "data-verdict", noun: "handlers",
    input: document.getElementById("filter"),
    select: document.getElementById("verdict-filter"),
    shown: document.getElementById("shown"),
    noMatch: document.getElementById("no-match"),
    controls: document.getElementById("inventory-controls")
  });
})();
