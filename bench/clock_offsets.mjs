// Runs the page's own clock code (static/js/clock.js) over recorded ping/pong samples.
// stdin: {"clients": [[[t0, t1, server], ...], ...]}  (device ms, in arrival order)
// stdout: {"offsets": [[offset after each sample, ...], ...]}
import { readFileSync } from "node:fs";
import { ServerClock } from "../static/js/clock.js";

const input = JSON.parse(readFileSync(0, "utf8"));
const offsets = input.clients.map((samples) => {
  let deviceNow = 0;
  const clock = new ServerClock(() => deviceNow);
  return samples.map(([t0, t1, server]) => {
    deviceNow = t1;
    return clock.addSample(t0, t1, server);
  });
});
process.stdout.write(JSON.stringify({ offsets }));
