// The footer's language picker (templates/base.html): a plain form that works without this
// script. With it, a language picked by tap or click is sent at once. Picked by keyboard
// (arrow keys change a closed select in some browsers) it waits for the button, so moving
// through the list never reloads the page under the person's fingers.
import { gettext } from "./i18n.js";

for (const form of document.querySelectorAll("[data-language-picker]")) {
  const select = form.querySelector("select");
  const button = form.querySelector("button[type=submit]");
  if (!select || !button) continue;
  const label = button.textContent;
  let byKeyboard = false;

  select.addEventListener("keydown", () => {
    byKeyboard = true;
  });
  select.addEventListener("pointerdown", () => {
    byKeyboard = false;
  });
  select.addEventListener("change", () => {
    if (!byKeyboard) form.requestSubmit(button);
  });
  form.addEventListener("submit", () => {
    button.textContent = gettext("Changing the language…");
    button.setAttribute("aria-disabled", "true");
  });
  // Back to this page from the next one (the browser's page cache): the button as it was.
  window.addEventListener("pageshow", () => {
    button.textContent = label;
    button.removeAttribute("aria-disabled");
  });
}
