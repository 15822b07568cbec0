// The workshop console (templates/counselor/workshop_console.html), live on
// /ws/workshop/<id>/ (docs/protocol.md §14). The server words everything: a `console`
// frame carries every room's tile, the counts and their line; a `tile` frame one room's
// new tile. This script only puts them on the page (a new room's tile from the page's
// own <template>), and sends the group commands by fetch so the page keeps its place.
// Without it the page still works: each command is a plain form post.

import { gettext, interpolate, pgettext } from "./i18n.js";
import { backoffDelay, CLOSE } from "./socket.js";

export const CONSOLE_RULES = Object.freeze({ syncEveryMs: 30000 });
const BLANK_ROOM = "0".repeat(16);

/** The fields of one tile frame, checked: anything else is no tile. */
export function validTile(tile) {
  return Boolean(
    tile &&
      typeof tile.room === "string" &&
      /^[0-9a-f]{16}$/.test(tile.room) &&
      typeof tile.line === "string" &&
      typeof tile.status === "string",
  );
}

/** What the Pace section says of the group's step ("Everyone may go up to step 2 of 8 — Arriving."). */
export function stepLine(step, steps, titles = []) {
  const shown = Math.min(step + 1, steps);
  const title = typeof titles[shown - 1] === "string" ? titles[shown - 1] : "";
  if (title) {
    return interpolate(gettext("Everyone may go up to step %(step)s of %(steps)s — %(title)s."), {
      step: shown,
      steps,
      title,
    });
  }
  return interpolate(gettext("Everyone may go up to step %(step)s of %(steps)s."), { step: shown, steps });
}

/** How the room stands, under its names: the tile's line without the names it starts
 * with or the raised hand it may end with (the heading and the badge show those). The
 * server words the line (store.workshop_console.status_words says the same), in the
 * facilitator's language: its parts are cut at their " · ", never matched by their words. */
export function statusWords(tile) {
  const SEP = " · ";
  let words = tile.line;
  const who = `${tile.names} · `;
  if (tile.names && words.startsWith(who)) words = words.slice(who.length);
  else if (!tile.names && words.includes(SEP)) words = words.slice(words.indexOf(SEP) + SEP.length);
  if (tile.hand && words.includes(SEP)) words = words.slice(0, words.lastIndexOf(SEP));
  return words;
}

/** A room Dana may take away: still waiting, with one name or none (the page's own rule,
 * `_shown` in sessions/web/workshops.py; the server checks again when she presses). */
export function removable(tile) {
  return (tile.status === "waiting" || tile.status === "alone") && !(tile.names || "").includes(" and ");
}

/** The <details> confirmation (End, Remove) an Escape key press closes, if any: the open
 * one the key was pressed in. */
export function detailsToClose(key, target) {
  if (key !== "Escape" || !target || typeof target.closest !== "function") return null;
  return target.closest("details[open]");
}

/** Turn a button off. A disabled button drops the keyboard's focus to <body>, so if it
 * has the focus, the command's status line (role=status) takes it first. */
export function switchOff(button, status) {
  if (!button) return;
  if (status && button.ownerDocument?.activeElement === button) status.focus();
  button.disabled = true;
  button.setAttribute("aria-disabled", "true");
}

/** Fill one tile element (a server-rendered one or a copy of the template) from a tile. */
export function fillTile(el, tile) {
  const names = tile.names || gettext("A couple arriving");
  el.dataset.room = tile.room;
  el.dataset.status = tile.status;
  el.dataset.hand = String(Boolean(tile.hand));
  el.querySelector('[data-tile="names"]').textContent = names;
  el.querySelector('[data-tile="line"]').textContent = tile.line;
  el.querySelector('[data-tile="state"]').textContent = statusWords(tile);
  for (const who of el.querySelectorAll('[data-tile="who"]')) who.textContent = tile.names || gettext("this couple");
  const hand = el.querySelector('[data-tile="hand"]');
  // Lowered (by Dana's Lower, or the room finishing): its button goes, the focus stays in the tile.
  if (!tile.hand && hand.contains(el.ownerDocument?.activeElement)) {
    el.querySelector('[data-tile="open"]')?.focus();
  }
  hand.hidden = !tile.hand;
  const field = el.querySelector('input[name="room"]');
  if (field) field.value = tile.room;
  const open = el.querySelector('[data-tile="open"]');
  if (open) open.setAttribute("href", open.getAttribute("href").replace(BLANK_ROOM, tile.room));
  const remove = el.querySelector('[data-tile="remove"]');
  if (remove) {
    remove.hidden = !removable(tile);
    if (remove.hidden) remove.open = false;
    const form = remove.querySelector("form");
    form.setAttribute("action", form.getAttribute("action").replace(BLANK_ROOM, tile.room));
  }
  return el;
}

class Console {
  constructor(root) {
    this.root = root;
    this.tiles = document.getElementById("tiles");
    this.template = document.getElementById("tile-template");
    this.status = document.getElementById("console-status");
    this.error = document.getElementById("console-error");
    this.steps = Number(root.dataset.steps) || 0;
    const titles = document.getElementById("step-titles");
    try {
      this.titles = titles ? JSON.parse(titles.textContent) : [];
    } catch {
      this.titles = [];
    }
    this.timerOver = null;
    this.watchTimer();
    this.attempt = 0;
    this.ws = null;
    this.sync = null;
    this.stopped = false;
    this.pending = new WeakSet();
    root.addEventListener("submit", (event) => this.send(event));
    root.addEventListener("keydown", (event) => this.closeOnEscape(event));
  }

  /** Esc closes an open confirmation (End, Remove) and gives the focus back to its summary. */
  closeOnEscape(event) {
    const details = detailsToClose(event.key, event.target);
    if (!details) return;
    event.preventDefault();
    details.open = false;
    details.querySelector("summary")?.focus();
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}${this.root.dataset.socketPath}`);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.attempt = 0;
      this.root.dataset.connection = "online";
      clearInterval(this.sync);
      this.sync = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "sync" }));
      }, CONSOLE_RULES.syncEveryMs);
    });
    ws.addEventListener("message", (event) => this.onMessage(event));
    ws.addEventListener("close", (event) => {
      if (ws !== this.ws) return;
      clearInterval(this.sync);
      this.root.dataset.connection = "offline";
      // Signed out, or not hers: reconnecting cannot help; the page still works by reloading.
      if (event.code === CLOSE.NO_SEAT || event.code === CLOSE.NOT_FOUND) {
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
    if (frame.type === "console") this.showAll(frame);
    else if (frame.type === "tile" && validTile(frame.tile)) {
      this.showTile(frame.tile);
      this.showCounts(frame.line);
    }
  }

  showCounts(line) {
    const box = document.getElementById("counts-line");
    if (typeof line === "string" && box.textContent !== line) box.textContent = line;
  }

  showAll(frame) {
    const w = frame.workshop || {};
    // Ended elsewhere (another tab): the page's own controls change, so draw it again.
    if (w.status && w.status !== this.root.dataset.status && w.status === "ended") {
      location.reload();
      return;
    }
    if (w.status) this.root.dataset.status = w.status;
    const state = document.getElementById("console-state");
    if (state && w.status) {
      state.textContent =
        w.status === "started" ? pgettext("workshop", "started") : pgettext("workshop", "open for couples");
    }
    if (w.status === "started") this.markStarted();
    if (Number.isInteger(w.step)) {
      // "Next step" names the step it moves on from, so a second press for the same
      // step is refused rather than moving everyone twice.
      const from = document.getElementById("next-from");
      if (from) from.value = String(w.step);
      const line = document.getElementById("group-step");
      if (line) line.textContent = stepLine(w.step, this.steps, this.titles);
      const next = document.getElementById("next-btn");
      if (next) {
        // Not before "Start all" (the server refuses it then), nor past the last step.
        const off = w.step + 1 >= this.steps || this.root.dataset.status === "open";
        if (off) switchOff(next, this.status);
        else if (!this.pending.has(next.form)) {
          next.disabled = false;
          next.setAttribute("aria-disabled", "false");
        }
      }
    }
    const tiles = Array.isArray(frame.tiles) ? frame.tiles.filter(validTile) : [];
    const wanted = new Set(tiles.map((t) => t.room));
    for (const el of [...this.tiles.children]) if (!wanted.has(el.dataset.room)) el.remove();
    for (const tile of tiles) this.showTile(tile);
    this.showCounts(frame.line);
  }

  showTile(tile) {
    let el = [...this.tiles.children].find((child) => child.dataset.room === tile.room);
    if (!el) {
      el = this.template.content.firstElementChild.cloneNode(true);
      this.tiles.append(el);
    }
    fillTile(el, tile);
    document.getElementById("no-rooms").hidden = this.tiles.children.length > 0;
  }

  /** Start all is done once: its button stays pressed, its note says when (if told). */
  markStarted(note) {
    switchOff(document.getElementById("start-btn"), this.status);
    const hint = document.getElementById("start-hint");
    if (hint && typeof note === "string" && note) hint.textContent = note;
  }

  /** The Group timer section's line: what runs, and once it has run out, when it did. */
  showTimer(timer) {
    const box = document.getElementById("timer-running");
    if (!box) return;
    if (timer && typeof timer.running === "string") {
      box.dataset.endsAt = String(timer.ends_at);
      box.dataset.over = timer.over;
      box.textContent = timer.is_over ? timer.over : timer.running;
    } else {
      delete box.dataset.endsAt;
      delete box.dataset.over;
      box.textContent = box.dataset.none || gettext("No group timer is running.");
    }
    this.watchTimer();
  }

  watchTimer() {
    clearTimeout(this.timerOver);
    const box = document.getElementById("timer-running");
    const ends = box ? Number(box.dataset.endsAt) : NaN;
    if (!Number.isFinite(ends)) return;
    this.timerOver = setTimeout(() => {
      if (box.dataset.over) box.textContent = box.dataset.over;
    }, Math.max(ends - Date.now(), 0));
  }

  async send(event) {
    const form = event.target.closest("form[data-command]");
    if (!form) return;
    event.preventDefault();
    // One command at a time per form. The button stays focusable while it is sent
    // (aria-disabled, not disabled), so Enter on it never drops the focus to <body>.
    if (this.pending.has(form)) return;
    const button = event.submitter || form.querySelector("button[type=submit]");
    if (button?.getAttribute("aria-disabled") === "true") return;
    this.pending.add(form);
    button?.setAttribute("aria-disabled", "true");
    this.error.hidden = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error || gettext("That didn't go through. Please try again."));
      this.status.textContent = "";
      setTimeout(() => {
        this.status.textContent = answer.line || gettext("Done.");
      }, 50);
      const text = form.querySelector('input[type="text"]');
      if (text) text.value = "";
      if ("started" in answer) this.markStarted(answer.started);
      if ("timer" in answer) this.showTimer(answer.timer);
      if (form.hasAttribute("data-removes")) {
        form.closest(".tile")?.remove();
        document.getElementById("no-rooms").hidden = this.tiles.children.length > 0;
        document.getElementById("rooms-heading").focus();
      }
      if (form.hasAttribute("data-reload")) location.reload();
    } catch (err) {
      this.error.textContent = err.message || gettext("That didn't go through. Please try again.");
      this.error.hidden = false;
    } finally {
      this.pending.delete(form);
      // Still on unless the answer turned it off for good (Start all, once started).
      if (button && !button.disabled) button.setAttribute("aria-disabled", "false");
    }
  }
}

const root = typeof document !== "undefined" ? document.getElementById("console") : null;
if (root && typeof WebSocket !== "undefined") {
  const page = new Console(root);
  page.connect();
  window.stayConsole = page;
}
