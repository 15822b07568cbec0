// Stay's service worker (served at /sw.js by sessions/web/app_shell.py, which prepends
// VERSION, OFFLINE_URL, SHELL and STATIC_PREFIXES). It keeps the app shell only: static
// files, the scripts' catalogs and the offline page. Pages are never stored: a room, a
// join link or a couple's link carries a code and a session's words, so a navigation
// always goes to the network and, when there is none, gets the offline page instead.
const CACHE = "stay-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function isShellFile(url) {
  return url.origin === self.location.origin && STATIC_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate") {
    // Always the network; the offline page only when it cannot be reached.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  if (isShellFile(url)) {
    // The shell from the cache (the worker's version changes with every static file),
    // the network for anything it does not hold. Nothing new is stored here.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Anything else (the room's data, sockets, a counselor's pages' requests) is left alone.
});
