// Deleting a finished session needs both partners' yes, and each is told in words what the
// other did. Those answers travel by plain HTTP (no socket is told), so a summary on screen
// — in the room or on the summary page — looks at the summary page again every few
// seconds while it is visible, and shows the news as soon as there is any.
//
// The summary page marks its deletion news with `data-deletion` (partner_asked, i_asked,
// partner_left, partner_kept or none) on #deletion-news; a change of that mark is news.

export const WATCH_MS = 4000;
// After half an hour on screen, news is rarer: look once a minute, not every few seconds.
export const SLOW_AFTER_MS = 30 * 60 * 1000;
export const SLOW_WATCH_MS = 60000;

/**
 * Looks at `url` every WATCH_MS (SLOW_WATCH_MS after SLOW_AFTER_MS) while the page is
 * visible: `onPage(doc)` with the parsed page, or `onGone(status)` once it answers 404 or
 * 410 (deleted, or no longer this browser's), after which it stops. Returns a function
 * that stops it.
 */
export function watchSummary(url, onPage, onGone) {
  let timer = null;
  let stopped = false;
  const since = Date.now();
  const pace = () => (Date.now() - since > SLOW_AFTER_MS ? SLOW_WATCH_MS : WATCH_MS);
  const stop = () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  async function look() {
    timer = null;
    if (document.visibilityState === "visible") {
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (stopped) return;
        if (response.status === 404 || response.status === 410) {
          stop();
          onGone(response.status);
          return;
        }
        if (response.ok) {
          onPage(new DOMParser().parseFromString(await response.text(), "text/html"));
        }
      } catch {
        // Offline for a moment: look again later.
      }
    }
    if (!stopped) timer = setTimeout(look, pace());
  }
  timer = setTimeout(look, WATCH_MS);
  return stop;
}

/** The deletion mark of a summary page (or of this document): "" when it has none. */
export function deletionMark(doc) {
  const news = doc.getElementById("deletion-news");
  return news ? news.dataset.deletion || "" : "";
}

/** On the summary page itself: swap in the news and the choices when they change. */
function watchThisPage() {
  const section = document.getElementById("deleting");
  if (!section || !document.getElementById("deletion-news")) return;
  watchSummary(
    location.pathname,
    (doc) => {
      if (deletionMark(doc) === deletionMark(document)) return;
      for (const id of ["deletion-news", "deleting"]) {
        const fresh = doc.getElementById(id);
        const here = document.getElementById(id);
        if (!fresh || !here) continue;
        const hadFocus = here.contains(document.activeElement);
        here.replaceWith(document.adoptNode(fresh));
        if (hadFocus) document.getElementById("deleting-heading")?.focus();
      }
    },
    // Deleted by agreement (410) or this browser's place is gone: the page says which.
    () => location.reload(),
  );
}

// Only the summary page has #deleting when it loads (the room fetches its summary later).
if (typeof document !== "undefined") watchThisPage();
