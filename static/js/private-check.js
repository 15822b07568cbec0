// The private check before joining. Entirely in this page: nothing is posted, so
// the other partner (or anyone reading the server's records) can never learn the
// answer. Its quick-exit button (and Escape pressed twice) is wired by
// quick-exit.js, shared with every partner page.

import "./quick-exit.js";

const box = document.getElementById("private-check");

/** The join form is what comes after the check; hide it until this person says yes. */
function afterCheck() {
  const marked = document.querySelectorAll("[data-after-check]");
  if (marked.length) return [...marked];
  return [...document.querySelectorAll("main form[method=post], main form[method=POST]")];
}

if (box) {
  const gated = afterCheck();
  for (const el of gated) el.hidden = true;
  box.querySelector('[data-check="yes"]').addEventListener("click", () => {
    box.hidden = true;
    for (const el of gated) el.hidden = false;
    // The name field on the join link; on the couple's link the first button (join or start).
    const field =
      gated.map((el) => el.querySelector("input:not([type=hidden])")).find(Boolean) ||
      gated.map((el) => el.querySelector("button")).find(Boolean);
    if (field) field.focus();
  });
  box.querySelector('[data-check="no"]').addEventListener("click", () => {
    box.querySelector("[data-check-question]").hidden = true;
    box.querySelector("[data-check-no]").hidden = false;
    box.querySelector("[data-check-no] p").setAttribute("tabindex", "-1");
    box.querySelector("[data-check-no] p").focus();
  });
}
