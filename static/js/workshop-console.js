// The workshop console (templates/counselor/workshop_console.html), live on
// /ws/workshop/<id>/ (docs/protocol.md §14). The server words everything: a `console`
// frame carries every room's tile, the counts and their line; a `tile` frame one room's
// new tile. This script only puts them on the page (a new room's tile from the page's
// own <template>), and sends the group commands by fetch so the page keeps its place.
// Without it the page still works: each command is a plain form post.

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

/** What the header says of the group's step ("Everyone may go up to step 3 of 7…"). */
export function stepLine(step, steps) {
  const shown = Math.min(step + 1, steps);
  return `Everyone may go up to step ${shown} of ${steps}. Paused rooms stay paused and join this step when they're ready.`;
}

/** Fill one tile element (a server-rendered one or a copy of the template) from a tile. */
export function fillTile(el, tile) {
  const names = tile.names || "A couple arriving";
  el.dataset.room = tile.room;
  el.dataset.status = tile.status;
  el.querySelector('[data-tile="names"]').textContent = names;
  el.querySelector('[data-tile="line"]').textContent = tile.line;
  for (const who of el.querySelectorAll('[data-tile="who"]')) who.textContent = tile.names || "this couple";
  el.querySelector('[data-tile="hand"]').hidden = !tile.hand;
  const field = el.querySelector('input[name="room"]');
  if (field) field.value = tile.room;
  const open = el.querySelector('[data-tile="open"]');
  if (open) open.setAttribute("href", open.getAttribute("href").replace(BLANK_ROOM, tile.room));
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
    this.attempt = 0;
    this.ws = null;
    this.sync = null;
    this.stopped = false;
    root.addEventListener("submit", (event) => this.send(event));
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
    if (state && w.status) state.textContent = w.status === "started" ? "started" : "open for couples";
    if (Number.isInteger(w.step)) {
      // "Next step" names the step it moves on from, so a second press for the same
      // step is refused rather than moving everyone twice.
      const from = document.getElementById("next-from");
      if (from) from.value = String(w.step);
      const line = document.getElementById("group-step");
      if (line) line.textContent = stepLine(w.step, this.steps);
      const next = document.getElementById("next-btn");
      if (next) {
        const last = w.step + 1 >= this.steps;
        next.disabled = last;
        next.setAttribute("aria-disabled", String(last));
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

  async send(event) {
    const form = event.target.closest("form[data-command]");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    this.error.hidden = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error || "That didn't go through. Please try again.");
      this.status.textContent = "";
      setTimeout(() => {
        this.status.textContent = answer.line || "Done.";
      }, 50);
      const text = form.querySelector('input[type="text"]');
      if (text) text.value = "";
      if (form.hasAttribute("data-reload")) location.reload();
    } catch (err) {
      this.error.textContent = err.message || "That didn't go through. Please try again.";
      this.error.hidden = false;
    } finally {
      if (button && button.id !== "next-btn") button.disabled = false;
      else if (button) button.disabled = button.getAttribute("aria-disabled") === "true";
    }
  }
}

const root = typeof document !== "undefined" ? document.getElementById("console") : null;
if (root && typeof WebSocket !== "undefined") {
  const page = new Console(root);
  page.connect();
  window.stayConsole = page;
}
