// After a quick exit, "Back" must not bring Stay back. The exit replaced the page it left
// in the tab's history, but the pages before it are still there: the session link (which
// opens the room again for a browser holding a seat) or the join page kept whole by the
// browser's back-forward cache. quick-exit.js marks the tab (sessionStorage) as it leaves;
// a partner page reached again by Back or Forward while the mark is set leaves again at
// once, before the rest of the page is read. Opening Stay any other way (a link, typing
// the address, a reload) clears the mark.
//
// A classic script, not a module, placed right after the quick-exit button: it runs
// before the page's content is parsed or shown.
(function () {
  var KEY = "stay-left-quickly";
  var holder = document.querySelector("[data-quick-exit]");
  var url = holder && holder.getAttribute("data-quick-exit");
  if (!url) return;
  function marked() {
    try {
      return sessionStorage.getItem(KEY) === "1";
    } catch (e) {
      return false;
    }
  }
  function leave() {
    document.documentElement.style.visibility = "hidden";
    if (window.stop) window.stop();
    location.replace(url);
  }
  var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (nav && nav.type === "back_forward") {
    if (marked()) leave();
  } else {
    try {
      sessionStorage.removeItem(KEY);
    } catch (e) {
      // Storage refused (a private mode): nothing was marked either.
    }
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && marked()) leave();
  });
})();
