// Keeps the screen on while breathing, so a phone does not dim mid-breath.
// The browser drops the lock when the tab is hidden; we take it again on return.

let sentinel = null;
let wanted = false;

async function take() {
  if (!wanted || sentinel || !("wakeLock" in navigator)) return;
  try {
    sentinel = await navigator.wakeLock.request("screen");
    sentinel.addEventListener("release", () => {
      sentinel = null;
    });
  } catch {
    sentinel = null; // Not allowed (battery saver, no user gesture yet): the pacer still works.
  }
}

export function keepAwake(on) {
  wanted = on;
  if (on) take();
  else if (sentinel) {
    sentinel.release().catch(() => {});
    sentinel = null;
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") take();
});
