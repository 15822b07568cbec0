// A counselor's page that keeps itself up to date (docs/protocol.md, section 13).
//
// The page opens /ws/counselor/; each `changed` frame says one of her rooms moved on, in
// a line of plain words. The page then fetches itself again (at most once a second) and
// swaps in every element marked `data-live-region` that has an id, and says the line in
// a polite live region. The server renders everything: this script decides nothing.
// A region holding a form field someone is typing in is left alone until they leave it.

import { backoffDelay, CLOSE } from "./socket.js";

export const LIVE_RULES = Object.freeze({
  refetchGapMs: 1000, // at most one refetch a second, however many rooms change
  syncEveryMs: 30000, // a keep-alive, so a proxy does not close an idle socket
});

const EDITABLE = "input, textarea, select, [contenteditable='true']";

/** Whether `element` is a field someone may be in the middle of editing. */
export function isEditing(element) {
  if (!element || !element.matches || !element.matches(EDITABLE)) return false;
  const type = (element.getAttribute("type") || "").toLowerCase();
  return !["button", "submit", "reset", "checkbox", "radio"].includes(type);
}

/** The focusable things of a region, in order, to find "the same one" after a swap. */
function focusables(root) {
  return Array.from(root.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"));
}

/**
 * Replace each live region of `doc` (the page) with its fresh copy from `fresh` (a parsed
 * page). Keeps the keyboard's place in a swapped region; skips a region with a field
 * being edited. Returns the ids it skipped that way.
 */
export function swapRegions(doc, fresh) {
  const skipped = [];
  const active = doc.activeElement;
  for (const region of doc.querySelectorAll("[data-live-region][id]")) {
    const replacement = fresh.getElementById(region.id);
    if (!replacement) continue;
    const holdsFocus = active && active !== doc.body && region.contains(active);
    if (holdsFocus && isEditing(active)) {
      skipped.push(region.id);
      continue;
    }
    const place = holdsFocus ? focusables(region).indexOf(active) : -1;
    const activeId = holdsFocus ? active.id : "";
    const incoming = doc.importNode(replacement, true);
    region.replaceWith(incoming);
    if (!holdsFocus) continue;
    const target =
      (activeId && doc.getElementById(activeId)) ||
      focusables(incoming)[place] ||
      incoming.querySelector("h2, h3");
    if (target) {
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus({ preventScroll: true });
    }
  }
  return skipped;
}

class LivePage {
  constructor(announcer) {
    this.announcer = announcer;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.url = `${scheme}://${location.host}${announcer.dataset.socketPath}`;
    this.attempt = 0;
    this.opened = false;
    this.ws = null;
    this.sync = null;
    this.lastFetch = 0;
    this.fetching = false;
    this.again = false;
    this.timer = null;
    this.stopped = false;
  }

  connect() {
    if (this.stopped) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.attempt = 0;
      // Changes while the socket was down (or, the first time, between the server drawing
      // this page and the socket joining her rooms) were never said: look once now.
      this.refresh();
      this.opened = true;
      this.announcer.dataset.connection = "online";
      clearInterval(this.sync);
      this.sync = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "sync" }));
      }, LIVE_RULES.syncEveryMs);
    });
    ws.addEventListener("message", (event) => this.onMessage(event));
    ws.addEventListener("close", (event) => {
      if (ws !== this.ws) return;
      clearInterval(this.sync);
      this.announcer.dataset.connection = "offline";
      // Not (or no longer) signed in: reconnecting cannot help; the page's links still work.
      if (event.code === CLOSE.NO_SEAT) {
        this.stopped = true;
        return;
      }
      const extra = event.code === CLOSE.FLOODING ? 5000 : 0;
      setTimeout(() => this.connect(), backoffDelay(this.attempt) + extra);
      this.attempt += 1;
    });
  }

  onMessage(event) {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.type !== "changed") return;
    if (typeof frame.line === "string") this.announce(frame.line);
    this.schedule();
  }

  announce(line) {
    // Emptied first, so the same words said twice are still read out.
    this.announcer.textContent = "";
    setTimeout(() => {
      this.announcer.textContent = line;
    }, 60);
  }

  schedule() {
    if (this.fetching) {
      this.again = true;
      return;
    }
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFetch + LIVE_RULES.refetchGapMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, wait);
  }

  async refresh() {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    this.lastFetch = Date.now();
    try {
      const response = await fetch(location.href, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok && !response.redirected) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const skipped = swapRegions(document, fresh);
        if (skipped.length) this.afterEditing(skipped);
      }
    } catch {
      // Offline for a moment: the next change (or coming back) fetches again.
    } finally {
      this.fetching = false;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }

  /** A region was left alone while someone typed in it: bring it up to date when they leave. */
  afterEditing(ids) {
    for (const id of ids) {
      const region = document.getElementById(id);
      if (!region || region.dataset.liveWaiting) continue;
      region.dataset.liveWaiting = "1";
      region.addEventListener(
        "focusout",
        () => {
          delete region.dataset.liveWaiting;
          setTimeout(() => {
            if (!region.contains(document.activeElement)) this.schedule();
          }, 0);
        },
        { once: true },
      );
    }
  }
}

const announcer = document.getElementById("live-announcer");
if (announcer && typeof WebSocket !== "undefined") {
  const page = new LivePage(announcer);
  page.connect();
  window.stayLivePage = page;
}
