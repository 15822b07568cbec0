// Stay's service worker (served at /sw.js by sessions/web/app_shell.py, which prepends
// VERSION, OFFLINE_PAGES, DEFAULT_LANGUAGE, SHELL and STATIC_PREFIXES). It keeps the app
// shell only: static files, the scripts' catalogs and the offline page in each language.
// Pages are never stored: a room, a join link or a couple's link carries a code and a
// session's words, so a navigation always goes to the network and, when there is none,
// gets the offline page instead, in the language of the person's last page.
const CACHE = "stay-shell-" + VERSION;
// Where the worker notes that language (its own cache: a worker may be stopped any time).
const LANGUAGE_KEY = "/offline/__language__";

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

async function rememberLanguage(response) {
  const language = response.headers.get("Content-Language");
  if (!language || !Object.hasOwn(OFFLINE_PAGES, language)) return;
  const cache = await caches.open(CACHE);
  await cache.put(LANGUAGE_KEY, new Response(language));
}

async function offlinePage() {
  const cache = await caches.open(CACHE);
  const noted = await cache.match(LANGUAGE_KEY);
  const language = noted ? await noted.text() : DEFAULT_LANGUAGE;
  return (
    (await cache.match(OFFLINE_PAGES[language] || OFFLINE_PAGES[DEFAULT_LANGUAGE])) ||
    Response.error()
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate") {
    // Always the network; the offline page only when it cannot be reached.
    const answer = fetch(request);
    event.respondWith(answer.catch(() => offlinePage()));
    // Both during the event's dispatch: the worker stays up until the language is noted.
    event.waitUntil(answer.then(rememberLanguage, () => undefined));
    return;
  }
  if (isShellFile(url)) {
    // Network first, so a deploy's scripts and words arrive with its pages; the cached
    // shell only stands in while offline. Nothing new is stored here.
    event.respondWith(fetch(request).catch(() => caches.match(request).then((hit) => hit || Response.error())));
  }
  // Anything else (the room's data, sockets, a counselor's pages' requests) is left alone.
});
