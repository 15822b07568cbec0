// The page's colours: light, dark, or whatever this device prefers (the default).
// A classic script loaded in <head> (never a module, never inline: the CSP allows only
// files from this site), so the saved choice is on <html data-theme> before the first
// paint and a dark page never flashes light. stay.css reads data-theme; with none it
// follows `prefers-color-scheme`. The choice stays in this browser only (localStorage),
// never on the server; the footer's "Theme" select changes it.
(function () {
  "use strict";
  var KEY = "stay-theme";
  var CHOICES = ["light", "dark"];
  var root = document.documentElement;

  function saved() {
    try {
      var value = localStorage.getItem(KEY);
      return CHOICES.indexOf(value) >= 0 ? value : "";
    } catch (e) {
      return ""; // Storage refused (a private mode): follow the device.
    }
  }

  // The phone's browser bar (base.html's two theme-color metas, one per device
  // preference): a chosen theme paints both, so the bar matches the page.
  var BAR = { light: "#1d5c63", dark: "#161c1e" };

  function paintBar(choice) {
    var metas = document.querySelectorAll('meta[name="theme-color"]');
    for (var i = 0; i < metas.length; i += 1) {
      var own = (metas[i].getAttribute("media") || "").indexOf("dark") >= 0 ? BAR.dark : BAR.light;
      metas[i].setAttribute("content", choice ? BAR[choice] : own);
    }
  }

  function apply(choice) {
    if (choice) root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    paintBar(choice);
  }

  function save(choice) {
    try {
      if (choice) localStorage.setItem(KEY, choice);
      else localStorage.removeItem(KEY);
    } catch (e) {
      // Not remembered, but this page still changes.
    }
  }

  apply(saved());

  function wire() {
    paintBar(saved()); // the metas come after this script in <head>
    var select = document.getElementById("theme-choice");
    if (!select) return;
    select.value = saved();
    select.addEventListener("change", function () {
      var choice = CHOICES.indexOf(select.value) >= 0 ? select.value : "";
      save(choice);
      apply(choice);
    });
    // Shown only where it works: without this script the select would do nothing.
    var picker = select.closest("[data-theme-picker]");
    if (picker) picker.hidden = false;
  }

  // Another tab of this browser changed it: this one follows.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY && event.key !== null) return;
    var choice = saved();
    apply(choice);
    var select = document.getElementById("theme-choice");
    if (select) select.value = choice;
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
