// Runs the page's own clock code (static/js/clock.js) over recorded ping/pong samples.
// stdin: {"clients": [[[t0, t1, server], ...], ...]}  (device ms, in arrival order)
// stdout: {"offsets": [[offset after each sample, ...], ...],
//          "settled": [[clock.settled after each sample, ...], ...]}
import { readFileSync } from "node:fs";
import { ServerClock } from "../static/js/clock.js";

const input = JSON.parse(readFileSync(0, "utf8"));
const offsets = [];
const settled = [];
for (const samples of input.clients) {
  let deviceNow = 0;
  const clock = new ServerClock(() => deviceNow);
  const offs = [];
  const sett = [];
  for (const [t0, t1, server] of samples) {
    deviceNow = t1;
    offs.push(clock.addSample(t0, t1, server));
    sett.push(clock.settled);
  }
  offsets.push(offs);
  settled.push(sett);
}
process.stdout.write(JSON.stringify({ offsets, settled }));
