// Small choices a person makes once (sound, vibration, still pacer; a gentle sound or
// vibration when a break's time is up) are remembered on this device only; nothing
// about them goes to the server.

const PREFIX = "stay.";

export function getFlag(name, fallback = false) {
  try {
    const value = localStorage.getItem(PREFIX + name);
    return value === null ? fallback : value === "1";
  } catch {
    return fallback;
  }
}

export function setFlag(name, on) {
  try {
    localStorage.setItem(PREFIX + name, on ? "1" : "0");
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}
