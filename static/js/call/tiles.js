// The call's tiles: one per person in the call, each with a name label, whether they are
// muted or have their camera off, and their connection in words. In a speak or reflect
// step the person holding the floor is shown large ("Sam is speaking"), except on their
// own device, where the one listening is ("Alex is listening"); otherwise the tiles are
// equal. Video elements are made once per person and kept, so a re-render never
// interrupts what someone is hearing.

import { gettext, interpolate, pgettext } from "../i18n.js";
import { connectionLine, featuredRole, initial, tileInitial, tileLabel } from "./rules.js";

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

export class Tiles {
  /**
   * onSoundBlocked(): the browser would not start a call's sound without a tap.
   * announce(words): say a change of someone's connection (one shared live region).
   */
  constructor(container, { onSoundBlocked, announce }) {
    this.box = container;
    this.onSoundBlocked = onSoundBlocked;
    this.announce = announce;
    this.tiles = new Map();
  }

  tile(role, self) {
    let t = this.tiles.get(role);
    if (t) return t;
    const figure = make("figure", "call-tile");
    figure.dataset.role = role;
    const video = make("video", "call-video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    if (self) {
      video.muted = true; // never hear yourself
      figure.classList.add("is-self");
    }
    const off = make("div", "call-tile-off");
    off.setAttribute("aria-hidden", "true");
    const caption = make("figcaption", "call-tile-caption");
    const name = make("span", "call-tile-name");
    const state = make("span", "call-tile-state");
    caption.append(name, state);
    const status = make("p", "call-tile-status");
    figure.append(video, off, caption, status);
    t = { figure, video, off, name, state, status, stream: null };
    this.tiles.set(role, t);
    return t;
  }

  attach(t, stream) {
    if (t.stream === stream) return;
    t.stream = stream;
    t.video.srcObject = stream;
    const playing = t.video.play();
    if (playing && playing.catch) {
      playing.catch((error) => {
        if (error && error.name === "NotAllowedError") this.onSoundBlocked();
      });
    }
  }

  /** Tap-to-hear after a reload that gave the page no tap to start sound with. */
  playAll() {
    for (const t of this.tiles.values()) t.video.play().catch(() => {});
  }

  /**
   * people: [{role, name, self, stream, media: {mic, camera}, status?, gone?}] in display
   * order, this person first. `state` is the room's snapshot (for the floor).
   */
  render(state, people) {
    const present = people.map((p) => p.role);
    const me = people.find((p) => p.self);
    const featured = featuredRole(state, present, me ? me.role : null);
    const keep = new Set(present);
    for (const [role, t] of this.tiles) {
      if (keep.has(role)) continue;
      t.video.srcObject = null;
      t.figure.remove();
      this.tiles.delete(role);
    }
    const ordered = featured
      ? [...people.filter((p) => p.role === featured), ...people.filter((p) => p.role !== featured)]
      : people;
    const figures = [];
    for (const person of ordered) {
      const t = this.tile(person.role, person.self);
      if (person.stream) this.attach(t, person.stream);
      const media = person.media || { mic: true, camera: true };
      const hasVideo = Boolean(person.stream && person.stream.getVideoTracks().length);
      const showVideo = media.camera !== false && hasVideo;
      t.figure.classList.toggle("is-featured", person.role === featured);
      t.figure.classList.toggle("is-camera-off", !showVideo);
      t.figure.dataset.mic = String(media.mic !== false);
      t.figure.dataset.camera = String(media.camera !== false);
      t.name.textContent = state ? tileLabel(state, person.role, featured) : person.name;
      const marks = [];
      if (media.mic === false) marks.push(pgettext("in the call", "muted"));
      if (media.camera === false) {
        marks.push(person.self ? pgettext("in the call", "your camera is off") : pgettext("in the call", "camera off"));
      }
      t.state.textContent = marks.length ? ` · ${marks.join(", ")}` : "";
      // Their own name's letter, on this person's own tile too (not the "Y" of "You").
      t.off.textContent = state ? tileInitial(state, person.role) : initial(person.name);
      let line = "";
      if (person.gone) line = gettext("Reconnecting…");
      else if (!person.self && person.status) {
        line = connectionLine(person.name, { ...person.status, media });
      }
      if (t.status.textContent !== line) {
        if (!person.self) {
          if (line) this.announce(interpolate(gettext("%(name)s: %(line)s"), { name: person.name, line }));
          else if (t.status.textContent) {
            this.announce(interpolate(gettext("%(name)s is connected."), { name: person.name }));
          }
        }
        t.status.textContent = line;
      }
      t.status.hidden = !line;
      t.figure.dataset.connection = person.status ? person.status.connection : "self";
      figures.push(t.figure);
    }
    this.box.dataset.count = String(figures.length);
    this.box.classList.toggle("has-featured", Boolean(featured));
    // Re-append only when the order changed, so playing videos are not moved needlessly.
    const current = [...this.box.children];
    if (current.length !== figures.length || current.some((el, i) => el !== figures[i])) {
      this.box.replaceChildren(...figures);
      for (const t of this.tiles.values()) if (t.stream) t.video.play().catch(() => {});
    }
  }

  clear() {
    for (const t of this.tiles.values()) t.video.srcObject = null;
    this.tiles.clear();
    this.box.replaceChildren();
  }
}
