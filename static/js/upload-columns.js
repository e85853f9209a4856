// The record-level part of the import form, progressively enhanced:
// - shows the record-level options only for record-level imports, and the column fields only
//   for "another format" (without JavaScript every field stays visible);
// - reads the first line of a chosen CSV file in the browser and offers its column names
//   for the column fields (a <datalist>) and as flag checkboxes. The server still checks
//   that every named column exists and says which ones the file has.
(function () {
  "use strict";

  var GUESSES = {
    month_column: /^(month|date|.*\bdate\b.*|.*\bmonth\b.*)$/i,
    category_column: /^(crime type|offence|offense|category|crime category|.*\btype\b.*)$/i,
    area_column: /^(lsoa|lsoa code|lsoa11cd|lsoa21cd|.*\blsoa\b.*)$/i
  };

  // The cells of a CSV file's first record (quotes and doubled quotes handled).
  function headerCells(text) {
    text = text.replace(/^\ufeff/, "");
    var cells = [], cell = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { cells.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") break;
      else cell += c;
    }
    cells.push(cell);
    return cells.map(function (name) { return name.trim(); }).filter(Boolean);
  }

  function byName(form, name) { return form.querySelector("[name=" + name + "]"); }

  function checkedValue(form, name) {
    var checked = form.querySelector("[name=" + name + "]:checked");
    if (checked) return checked.value;
    var field = byName(form, name);
    return field && field.tagName === "SELECT" ? field.value : null;
  }

  function toggle(form) {
    var records = form.querySelector("#record-options");
    var mapping = form.querySelector("#mapping-fields");
    var kind = checkedValue(form, "kind");
    if (records) records.hidden = kind !== "records";
    if (mapping) mapping.hidden = checkedValue(form, "preset") !== "";
  }

  function flagInput(form) { return form.querySelector("[data-flag-field]"); }

  function chosenFlags(form) {
    var input = flagInput(form);
    return input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function showFlagChoices(form, columns) {
    var box = form.querySelector("#flag-choices");
    var input = flagInput(form);
    if (!box || !input) return;
    box.textContent = "";
    if (!columns.length) { box.hidden = true; return; }
    var group = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.className = "form-label fs-6 mb-1";
    legend.textContent = "Or tick the flag columns";
    group.appendChild(legend);
    var chosen = chosenFlags(form).map(function (s) { return s.toLowerCase(); });
    columns.forEach(function (name, index) {
      var wrapper = document.createElement("div");
      wrapper.className = "form-check form-check-inline";
      var box_ = document.createElement("input");
      box_.type = "checkbox";
      box_.className = "form-check-input";
      box_.id = "flag-choice-" + index;
      box_.value = name;
      box_.checked = chosen.indexOf(name.toLowerCase()) >= 0;
      box_.addEventListener("change", function () {
        var flags = chosenFlags(form).filter(function (flag) {
          return flag.toLowerCase() !== name.toLowerCase();
        });
        if (box_.checked) flags.push(name);
        input.value = flags.join(", ");
      });
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box_.id;
      label.textContent = name;
      wrapper.appendChild(box_);
      wrapper.appendChild(label);
      group.appendChild(wrapper);
    });
    box.appendChild(group);
    box.hidden = false;
  }

  function offerColumns(form, columns, fileName) {
    var list = document.getElementById("file-columns");
    var status = document.getElementById("file-columns-status");
    list.textContent = "";
    columns.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
    Object.keys(GUESSES).forEach(function (field) {
      var input = byName(form, field);
      if (!input || input.value) return;
      var match = columns.filter(function (name) { return GUESSES[field].test(name); })[0];
      if (match) input.value = match;
    });
    showFlagChoices(form, columns);
    status.textContent = columns.length
      ? "Columns in " + fileName + ": " +
        columns.map(function (name) { return "\u201c" + name + "\u201d"; }).join(", ") +
        ". Choose from them in the column fields."
      : "";
  }

  function readHeader(form, input) {
    var status = document.getElementById("file-columns-status");
    var file = input.files && input.files[0];
    if (!file || !status) return;
    if (!/\.(csv|txt)$/i.test(file.name)) {
      offerColumns(form, [], file.name);
      if (/\.(xlsx|xlsm)$/i.test(file.name)) {
        status.textContent = "Column names are read from CSV files only: type them as in the workbook's first row.";
      }
      return;
    }
    var reader = new FileReader();
    reader.addEventListener("load", function () {
      offerColumns(form, headerCells(String(reader.result || "")), file.name);
    });
    reader.readAsText(file.slice(0, 65536));
  }

  function enhance() {
    var form = document.querySelector("form[data-import-form]");
    if (!form) return;
    form.querySelectorAll("[data-no-js-hint]").forEach(function (hint) { hint.hidden = true; });
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind" || event.target.name === "preset") toggle(form);
      if (event.target.type === "file") readHeader(form, event.target);
    });
    toggle(form);
  }

  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("workbench:import-form", enhance);
})();
