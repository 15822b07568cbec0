// Installs Stay's service worker (sessions/web/app_shell.py) so the app can sit on a
// phone's home screen and show a calm page when offline. Browsers allow workers only on
// https and on localhost; elsewhere (a LAN address over http) this quietly does nothing.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without a worker Stay still works; only the offline page is missing.
  });
}
