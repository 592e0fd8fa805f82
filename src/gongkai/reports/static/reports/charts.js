/* Draw each dashboard chart with the vendored ECharts from the JSON next to it.
   The same rows are in the accessible table below each chart, so the page works without JS. */
(function () {
  function option(d) {
    var labels = d.rows.map(function (r) { return r[0]; });
    var base = { animation: false, tooltip: { trigger: d.kind === "pie" ? "item" : "axis" },
      textStyle: { fontFamily: "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif" }, grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true } };
    if (d.kind === "pie") {
      base.series = [{ type: "pie", radius: ["35%", "65%"], data: d.rows.map(function (r) { return { name: r[0], value: r[1] }; }),
        label: { formatter: "{b}: {c}" } }];
      return base;
    }
    var series = [];
    (d.plot || []).forEach(function (i) {
      series.push({ name: d.columns[i], type: d.kind === "line" ? "line" : "bar", data: d.rows.map(function (r) { return r[i]; }) });
    });
    if (series.length > 1) { base.legend = { top: 0 }; base.grid.top = 32; }
    var cat = { type: "category", data: labels, axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
    var val = { type: "value", minInterval: 1 };
    if (d.kind === "hbar") { cat.inverse = true; base.xAxis = val; base.yAxis = cat; } else { base.xAxis = cat; base.yAxis = val; }
    base.series = series;
    return base;
  }
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.id.replace(/^chart-/, ""));
      if (!src) { return; }
      var d = JSON.parse(src.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(d));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
