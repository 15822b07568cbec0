// The room's one-key shortcut: Pause. "P" pauses from anywhere in the room except
// while typing in a text field (where it is a letter); Alt+P pauses even then. The
// quick exit's Escape-twice lives in quick-exit.js.

const NOT_TYPING = new Set([
  "button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit",
]);

/** Whether keys pressed in `el` are text being typed. */
export function isTyping(el) {
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !NOT_TYPING.has((el.type || "text").toLowerCase());
}

/** Whether this key press (a KeyboardEvent, or its fields) asks for a pause. */
export function isPauseKey(event, typing) {
  if (event.repeat || event.ctrlKey || event.metaKey) return false;
  // Alt+P by the key's place, so it works where Alt+P types a character (π on a Mac).
  if (event.altKey) return event.code === "KeyP";
  return !typing && (event.key === "p" || event.key === "P");
}
