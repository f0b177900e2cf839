// Failed forms: move focus to the first field with a message (or the form's own message), so the
// user sees it without scrolling and a screen reader reads it. Select-all boxes for bulk actions.
// Tables wider than the screen scroll sideways in their wrapper: keyboard users can reach it too.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("main .is-invalid, main [data-form-error]");
  if (target) {
    target.scrollIntoView({block: "center", behavior: "instant"});
    target.focus({preventScroll: true});
  }
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var boxes = function () { return document.querySelectorAll("input[name='" + all.dataset.selectAll + "']"); };
    all.addEventListener("change", function () { boxes().forEach(function (b) { b.checked = all.checked; }); });
  });
  var markScrollable = function () {
    var used = {};
    document.querySelectorAll(".table-responsive").forEach(function (w) {
      if (w.scrollWidth > w.clientWidth + 1) {
        var box = w.closest("section, .card"), heading = box && box.querySelector("h1, h2, h3");
        var name = (heading ? heading.textContent.trim() : "表格") + "(可左右滚动)";
        used[name] = (used[name] || 0) + 1;
        w.tabIndex = 0;
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", used[name] > 1 ? name + " " + used[name] : name);
      } else if (w.getAttribute("role") === "region") {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
      }
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);
});
