// Overview charts; every bar links to the table filtered to the records behind it.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var table = "/programme/";
  var units = JSON.parse(document.getElementById("data-units").textContent);
  var cats = JSON.parse(document.getElementById("data-categories").textContent);
  var u = echarts.init(document.getElementById("chart-units"));
  // All units of the scope are drawn; past 40 bars (12 on a phone) a zoom window shows that many at a time.
  var shown = u.getWidth() < 600 ? 12 : 40, many = units.labels.length > shown;
  u.setOption({
    tooltip: {}, grid: {left: 40, right: 10, bottom: many ? 90 : 60, top: 10},
    xAxis: {type: "category", data: units.labels, axisLabel: {rotate: 45, interval: 0, fontSize: 10}},
    yAxis: {type: "value", max: 100, name: "%"},
    dataZoom: many ? [{type: "slider", startValue: 0, endValue: shown - 1, height: 18, bottom: 4}, {type: "inside"}] : [],
    series: [{type: "bar", name: "完成率", data: units.rates, itemStyle: {color: "#8b1a1a"}}]
  });
  window.addEventListener("resize", function () { u.resize(); c.resize(); });
  u.on("click", function (p) { window.location = table + "?unit=" + encodeURIComponent(units.codes[p.dataIndex]); });
  var c = echarts.init(document.getElementById("chart-categories"));
  c.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0, data: ["已完成", "未完成"]}, grid: {left: 40, right: 10, bottom: 30, top: 30},
    xAxis: {type: "category", data: cats.labels}, yAxis: {type: "value"},
    series: [{type: "bar", name: "已完成", stack: "t", data: cats.done, itemStyle: {color: "#198754"}},
             {type: "bar", name: "未完成", stack: "t", data: cats.open, itemStyle: {color: "#adb5bd"}}]
  });
  c.on("click", function (p) {
    var q = "?category=" + encodeURIComponent(cats.labels[p.dataIndex]);
    window.location = table + q + (p.seriesName === "已完成" ? "&status=done" : "");
  });
});
