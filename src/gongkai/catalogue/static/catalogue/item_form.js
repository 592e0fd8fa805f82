// Item form: check the timeframe text (公开时限) while it is typed (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("id_timeframe_text");
  var target = document.getElementById("timeframe-check");
  if (!input || !target || !window.htmx) return;
  input.setAttribute("hx-get", target.getAttribute("data-check-url"));
  input.setAttribute("hx-trigger", "keyup changed delay:400ms, load");
  input.setAttribute("hx-target", "#timeframe-check");
  htmx.process(input);
});
