// Progress of a background job (ledger import or export, rollup workbook): polls the job's
// status URL every second, moves the bars, and reloads the page when the job has finished
// to show its result. The box's data-unit names what is counted (行 unless given).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var unit = box.getAttribute("data-unit") || "行";

  function show(name, value, total) {
    var bar = document.getElementById("job-" + name);
    var text = document.getElementById("job-" + name + "-text");
    if (bar) { bar.max = total || 1; bar.value = value; }
    if (text) { text.textContent = value + " / " + total + " " + unit; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 3000); return; }
        if (state.finished) { window.location.reload(); return; }
        document.getElementById("job-status").textContent = state.status_label;
        if (state.stage) { document.getElementById("job-stage").textContent = state.stage; }
        show("read", state.read, state.total);
        show("checked", state.checked, state.total);
        show("written", state.written, state.total);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
