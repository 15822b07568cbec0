// The console's script under node: it takes only well-formed tiles from its socket, and
// words the group's step as the page does.
import assert from "node:assert/strict";
import { test } from "node:test";

import { stepLine, validTile } from "../../../static/js/workshop-console.js";

test("only a tile with a room id, a line and a status is drawn", () => {
  const tile = { room: "0123456789abcdef", line: "Alex and Sam · step 1 of 4", status: "active" };
  assert.equal(validTile(tile), true);
  assert.equal(validTile({ ...tile, room: "../../etc" }), false);
  assert.equal(validTile({ ...tile, line: 3 }), false);
  assert.equal(validTile(null), false);
});

test("the group's step is counted from one and never past the last", () => {
  assert.match(stepLine(0, 4), /^Everyone may go up to step 1 of 4\./);
  assert.match(stepLine(9, 4), /step 4 of 4/);
  assert.match(stepLine(1, 4), /Paused rooms stay paused/);
});
