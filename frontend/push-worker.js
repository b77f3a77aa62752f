// The test page's service worker, served by Herald at /push-worker.js so that its scope is the whole
// site: it shows each Web Push message as a notification, also when no page of Herald is open, and
// brings the page back when one is clicked. Every payload is shown as notification text only.

// Herald sends {"topic": "...", "payload": "...", "truncated": false}, as UTF-8 JSON.
function newsOf(event) {
  if (!event.data) {
    return { topic: 'Herald', payload: '(a push message without content)', truncated: false };
  }
  try {
    const news = event.data.json();
    return {
      topic: String(news.topic || 'Herald'),
      payload: String(news.payload ?? ''),
      truncated: Boolean(news.truncated),
    };
  } catch (error) {
    return { topic: 'Herald', payload: event.data.text(), truncated: false };
  }
}

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const news = newsOf(event);
  // The tag is the topic: a newer message on a topic replaces the older one instead of piling up.
  event.waitUntil(self.registration.showNotification(news.topic, {
    body: news.truncated ? `${news.payload}… (truncated)` : news.payload,
    tag: news.topic,
    renotify: true,
    icon: '/app/favicon.svg',
    data: { topic: news.topic, truncated: news.truncated },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = pages.find((page) => new URL(page.url).pathname === '/');
    if (open) {
      return open.focus();
    }
    return self.clients.openWindow('/');
  })());
});
