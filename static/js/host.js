// Host tools in the room page: private notes and freeing a seat.

import { gettext, interpolate } from "./i18n.js";
import { freeSeatLabel } from "./room/words.js";
//
// Both are plain HTTP POSTs with the CSRF token, never WebSocket frames, so a
// note cannot reach the couple's sockets. The forms work without this script;
// it only keeps the page (and its live connection) in place while posting.

const panel = document.getElementById("host-panel");

function csrfToken(form) {
  const field = form.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

async function post(form) {
  return fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    credentials: "same-origin",
  });
}

function formatTime(iso) {
  const date = new Date(iso);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function addNote(list, note) {
  document.getElementById("host-note-empty")?.remove();
  const item = document.createElement("li");
  const meta = document.createElement("time");
  meta.className = "meta";
  meta.dateTime = note.created_at;
  meta.textContent = formatTime(note.created_at);
  const text = document.createElement("span");
  text.className = "note-text";
  text.textContent = note.text; // textContent: a note is never parsed as HTML
  item.append(meta, " ", text);
  list.prepend(item);
}

// Notes rendered by the server carry their moment in `datetime`; show it in the
// counselor's own clock, like the notes added from here.
function localiseTimes(list) {
  for (const time of list.querySelectorAll("time[datetime]")) {
    time.textContent = formatTime(time.dateTime);
  }
}

function setupNotes() {
  const form = document.getElementById("host-note-form");
  const list = document.getElementById("host-note-list");
  const status = document.getElementById("host-note-status");
  const textarea = document.getElementById("host-note-text");
  if (!form || !list || !status || !textarea) return;
  localiseTimes(list);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!textarea.value.trim()) {
      status.textContent = gettext("Write something before saving the note.");
      textarea.focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = gettext("Saving…");
    try {
      const response = await post(form);
      const body = await response.json().catch(() => ({}));
      if (response.status === 201) {
        addNote(list, body);
        textarea.value = "";
        status.textContent = gettext("Note saved. Only you can see it.");
      } else {
        status.textContent = body.error || gettext("The note was not saved. Please try again.");
      }
    } catch {
      status.textContent = gettext(
        "The note was not saved: the connection dropped. Your text is still here.",
      );
    } finally {
      button.disabled = false;
    }
  });
}

// "Save to my notes" beside the message to the couple: the message itself is never kept,
// so the counselor keeps it deliberately, as one of her private notes (same POST as a note).
function setupSaveMessage() {
  const button = document.getElementById("desk-message-save");
  const text = document.getElementById("desk-message-text");
  const status = document.getElementById("desk-message-status");
  const noteForm = document.getElementById("host-note-form");
  const list = document.getElementById("host-note-list");
  if (!button || !text || !status || !noteForm || !list) return;
  button.addEventListener("click", async () => {
    const words = text.value.trim();
    if (!words) {
      status.textContent = gettext("Write the message first; then it can be saved to your notes.");
      text.focus();
      return;
    }
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken(noteForm));
    body.append("text", interpolate(gettext("Message to the couple: %(message)s"), { message: words }));
    button.disabled = true;
    try {
      const response = await fetch(noteForm.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(noteForm) },
        credentials: "same-origin",
      });
      const note = await response.json().catch(() => ({}));
      if (response.status === 201) {
        addNote(list, note);
        status.textContent = gettext("Saved to your private notes.");
      } else {
        status.textContent =
          note.error || gettext("The message was not saved to your notes. Please try again.");
      }
    } catch {
      status.textContent = gettext("The message was not saved: the connection dropped.");
    } finally {
      button.disabled = false;
    }
  });
}

/** The question before freeing a seat, by the name on it (or which seat, with none). */
function releaseQuestion(seat, name) {
  if (name) {
    return interpolate(
      gettext(
        "Free %(name)s’s seat? If the session is running it will pause until someone joins that seat again.",
      ),
      { name },
    );
  }
  return seat === "a"
    ? gettext(
        "Free the first seat? If the session is running it will pause until someone joins that seat again.",
      )
    : gettext(
        "Free the second seat? If the session is running it will pause until someone joins that seat again.",
      );
}

/** What the status line says once the seat is free. */
function releasedLine(seat, name) {
  if (name) {
    return interpolate(
      gettext("Done: %(name)s’s seat is free. The partner can join again with the same link."),
      { name },
    );
  }
  return seat === "a"
    ? gettext("Done: the first seat is free. The partner can join again with the same link.")
    : gettext("Done: the second seat is free. The partner can join again with the same link.");
}

function setupRelease() {
  const status = document.getElementById("host-seat-status");
  const names = knownNames();
  for (const form of document.querySelectorAll("form.host-release")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // The name on the seat's button: the server's (data-name), kept true by followSeats.
      const seat = form.dataset.seat;
      const name = form.dataset.name ?? names[seat] ?? "";
      const sure = window.confirm(releaseQuestion(seat, name));
      if (!sure) return;
      try {
        const response = await post(form);
        status.textContent = response.ok
          ? releasedLine(seat, name)
          : gettext("The seat was not freed. Please try again.");
      } catch {
        status.textContent = gettext("The seat was not freed: the connection dropped.");
      }
    });
  }
}

// The names the counselor gave the couple (the room's page data), for a seat with no name yet.
function knownNames() {
  try {
    return JSON.parse(document.getElementById("room-data").textContent).names || {};
  } catch {
    return {};
  }
}

// The room page announces every new snapshot; keep the seat buttons true to it
// (who sits where changes while the page is open). Once the session is over there is
// no seat left worth freeing.
function followSeats() {
  const names = knownNames();
  document.addEventListener("stay:state", (event) => {
    const state = event.detail?.state;
    const seats = state?.seats;
    if (!seats) return;
    const finished = state.status === "completed" || state.status === "ended";
    for (const form of document.querySelectorAll("form.host-release")) {
      const seat = seats[form.dataset.seat];
      const button = form.querySelector("button");
      if (!seat || !button) continue;
      form.dataset.name = seat.name || names[form.dataset.seat] || "";
      button.textContent = freeSeatLabel(form.dataset.seat, form.dataset.name);
      form.hidden = !seat.claimed || finished;
    }
    const section = document.querySelector(".host-seats");
    if (section) section.hidden = finished;
  });
}

// The share page's "Copy link" button (the counselor sends the link on to the couple).
function setupCopy(root = document) {
  for (const button of root.querySelectorAll("[data-copy-link]")) {
    const input = document.getElementById(button.dataset.copyLink);
    const status = document.getElementById(`${button.dataset.copyLink}-status`);
    button.addEventListener("click", async () => {
      let copied = false;
      try {
        await navigator.clipboard.writeText(input.value);
        copied = true;
      } catch {
        input.select();
      }
      if (status) {
        status.textContent = copied
          ? gettext("Copied. Send it to both partners.")
          : gettext("The link is selected: copy it with your keyboard or menu.");
      }
    });
  }
}

setupCopy();

// Once the room has closed (ended elsewhere, deleted with its couple), the desk offers only
// its way back: a note, a message or a seat button could no longer reach anything.
function closeDeskWhenGone() {
  document.addEventListener("stay:status", (event) => {
    if (event.detail !== "gone") return;
    // Links to this room's pages too: a deleted room's summary or couple is gone with it.
    for (const part of panel.querySelectorAll(
      ":scope > section, :scope > details, .desk-back [data-of-room]",
    )) {
      part.hidden = true;
    }
    const said = document.createElement("p");
    said.className = "hint";
    said.textContent = gettext("This room has closed; nothing here can reach it any more.");
    panel.querySelector(".desk-back")?.after(said);
  });
}

// The couple's link in the folded "Link, QR code and seats": drawn when the page loaded,
// and Dana may have stopped or replaced it on the couple's page since. Each time the fold
// opens, the server's current copy of that part replaces it (the link is never in the
// room's state: the couple's sockets have no business with it).
function freshLinkOnOpen() {
  const fold = document.getElementById("desk-link-seats");
  if (!fold) return;
  fold.addEventListener("toggle", async () => {
    if (!fold.open) return;
    try {
      const response = await fetch(location.href, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok || response.redirected) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      const now = fresh.getElementById("desk-share");
      const shown = document.getElementById("desk-share");
      // Replaced only when the link itself changed (stopped, or a new one): a section
      // swapped under an unchanged link would wipe what Dana is doing there ("Copied").
      const linkOf = (part) => part?.querySelector("#desk-share-link")?.value ?? null;
      if (now && shown && linkOf(now) !== linkOf(shown)) {
        const adopted = document.adoptNode(now);
        shown.replaceWith(adopted);
        setupCopy(adopted);
      }
    } catch {
      // Offline for a moment: the copy shown stays until the fold opens again.
    }
  });
}

if (panel) {
  closeDeskWhenGone();
  freshLinkOnOpen();
  setupNotes();
  setupSaveMessage();
  setupRelease();
  followSeats();
}
