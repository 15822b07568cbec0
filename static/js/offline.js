// The offline page stands at the address that could not be reached (the service worker
// answered with it), so trying again is a reload: when the person asks, or by itself as
// soon as the browser says it is back online.
const retry = document.getElementById("offline-retry");
if (retry) retry.addEventListener("click", () => window.location.reload());
window.addEventListener("online", () => window.location.reload());
