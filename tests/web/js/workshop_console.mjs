// The console's script under node: it takes only well-formed tiles from its socket, words
// the group's step as the page does, shows a room's standing under its names, and offers
// Remove only on a room nobody joined; Esc closes a confirmation, and a button turned off
// under the keyboard hands its focus to the status line.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  detailsToClose,
  removable,
  statusWords,
  stepLine,
  switchOff,
  validTile,
} from "../../../static/js/workshop-console.js";

test("only a tile with a room id, a line and a status is drawn", () => {
  const tile = { room: "0123456789abcdef", line: "Alex and Sam · step 1 of 4", status: "active" };
  assert.equal(validTile(tile), true);
  assert.equal(validTile({ ...tile, room: "../../etc" }), false);
  assert.equal(validTile({ ...tile, line: 3 }), false);
  assert.equal(validTile(null), false);
});

test("the group's step is counted from one, named, and never past the last", () => {
  const titles = ["Before you begin", "Arriving", "Breathe", "Closing"];
  assert.equal(stepLine(1, 4, titles), "Everyone may go up to step 2 of 4 — Arriving.");
  assert.equal(stepLine(9, 4, titles), "Everyone may go up to step 4 of 4 — Closing.");
  assert.equal(stepLine(0, 4), "Everyone may go up to step 1 of 4.");
});

test("under Alex and Sam's names, how their room stands, without the names or the hand", () => {
  const tile = {
    names: "Alex and Sam",
    hand: true,
    line: "Alex and Sam · step 2 of 8 · paused (flooding break) · hand raised",
  };
  assert.equal(statusWords(tile), "step 2 of 8 · paused (flooding break)");
  assert.equal(statusWords({ names: "", hand: false, line: "Nobody yet · waiting to start" }), "waiting to start");
});

test("Remove is offered for Pat waiting alone, never once Jo and Kim are both in", () => {
  assert.equal(removable({ names: "Pat", status: "alone" }), true);
  assert.equal(removable({ names: "", status: "waiting" }), true);
  assert.equal(removable({ names: "Jo and Kim", status: "waiting" }), false);
  assert.equal(removable({ names: "Pat", status: "active" }), false);
});

test("Esc closes the confirmation Dana opened, and nothing when none is open", () => {
  const open = { tag: "details[open]" };
  const inside = { closest: (selector) => (selector === "details[open]" ? open : null) };
  const outside = { closest: () => null };
  assert.equal(detailsToClose("Escape", inside), open);
  assert.equal(detailsToClose("Enter", inside), null);
  assert.equal(detailsToClose("Escape", outside), null);
  assert.equal(detailsToClose("Escape", null), null);
});

test("a button Dana pressed by keyboard hands its focus to the status line as it turns off", () => {
  const focused = [];
  const status = { focus: () => focused.push("status") };
  const doc = { activeElement: null };
  const attrs = {};
  const button = { ownerDocument: doc, disabled: false, setAttribute: (k, v) => (attrs[k] = v) };
  doc.activeElement = button;
  switchOff(button, status);
  assert.deepEqual(focused, ["status"]);
  assert.equal(button.disabled, true);
  assert.equal(attrs["aria-disabled"], "true");
  doc.activeElement = null; // not focused: the focus is left where it is
  switchOff({ ...button, disabled: false }, status);
  assert.deepEqual(focused, ["status"]);
});
