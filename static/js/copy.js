// "Copy link" buttons: <button data-copy="input-id"> copies that input's value and
// says so in the matching [data-copy-status] element.

import { gettext } from "./i18n.js";

async function copyFrom(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.select();
    return document.execCommand && document.execCommand("copy");
  }
}

export function wireCopyButtons(root = document) {
  for (const button of root.querySelectorAll("[data-copy]")) {
    const id = button.dataset.copy;
    const input = document.getElementById(id);
    const status = root.querySelector(`[data-copy-status="${id}"]`);
    button.addEventListener("click", async () => {
      const ok = await copyFrom(input);
      if (status) {
        status.textContent = ok
          ? gettext("Copied. Paste it in a message to your partner.")
          : gettext("Select the link and copy it by hand.");
      }
    });
  }
}
