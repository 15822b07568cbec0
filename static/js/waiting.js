// The page of someone who asked to be let in on a new device: ask the server every few
// seconds whether there is news (never who is in the room), then reload to see it.
// Without JavaScript the page's "Check again" link does the same.

import { gettext } from "./i18n.js";

const POLL_MS = 2500;
const box = document.getElementById("waiting");
const status = document.getElementById("waiting-status");

async function check() {
  try {
    const response = await fetch(box.dataset.checkUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.ok) {
      const news = await response.json();
      if (news.changed) {
        status.textContent = gettext("There's an answer. One moment…");
        window.location.assign(box.dataset.pageUrl);
        return;
      }
    }
  } catch {
    // Offline for a moment: keep waiting, and try again.
  }
  setTimeout(check, POLL_MS);
}

if (box) setTimeout(check, POLL_MS);
