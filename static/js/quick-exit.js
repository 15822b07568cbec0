// The quick exit on every partner page: a button, and Escape pressed twice. Both
// replace this page in the tab's history with a neutral site, so "Back" does not
// bring it back (and mark the tab, so exit-guard.js sends Back into an earlier Stay
// page out again). The address comes from the page (`data-quick-exit`), set by the
// server's STAY_QUICK_EXIT_URL.

export const DOUBLE_PRESS_MS = 1500;

/** Remembers the last press; says yes to a second one within `within` ms. */
export function doublePress(within = DOUBLE_PRESS_MS) {
  let last = null;
  return (now) => {
    const second = last !== null && now - last <= within;
    last = second ? null : now;
    return second;
  };
}

/** Marks the tab for exit-guard.js, so Back into Stay leaves again. */
export const LEFT_KEY = "stay-left-quickly";

export function quickExit(url) {
  if (!url) return;
  try {
    sessionStorage.setItem(LEFT_KEY, "1");
  } catch {
    // Storage refused (a private mode): the exit itself still happens.
  }
  location.replace(url);
}

/** The exit address on this page, or "" when the page has none. */
function exitUrl() {
  const holder = document.querySelector("[data-quick-exit]");
  return holder ? holder.dataset.quickExit : "";
}

export function wireQuickExit() {
  const url = exitUrl();
  if (!url) return;
  for (const button of document.querySelectorAll("[data-quick-exit-button]")) {
    button.addEventListener("click", () => quickExit(url));
  }
  const escape = doublePress();
  // Capture, so no field or dialog on the page can swallow the key first.
  window.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || event.repeat) return;
      if (escape(performance.now())) quickExit(url);
    },
    true,
  );
}

// Wired once per page, however many scripts import this module (not under node's unit tests).
if (typeof document !== "undefined") wireQuickExit();
