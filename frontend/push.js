// Web Push for the test page: registers Herald's service worker and, on request, subscribes this
// browser at its push service and registers the subscription with Herald for the page's current
// filters, so that news arrives as notifications even when the page is closed. Every failure is
// shown on the page, in words.

import { currentFilters } from './page.js';
import { problemHeadline, readJson } from './problem.js';

const WORKER_URL = '/push-worker.js';

// Across visits, unlike the token: the registration outlives the tab by design.
const REGISTRATION_KEY = 'herald.push';

const PUSH_SERVICE_UNREACHABLE = 'This browser cannot reach its push service, so notifications for a closed page'
  + ' are not available here.';

const result = document.getElementById('push-result');
const start = document.getElementById('push-start');
const stop = document.getElementById('push-stop');

function say(text, outcome) {
  result.textContent = text;
  result.dataset.outcome = outcome;
}

class PushProblem extends Error {}

function supported() {
  return window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window
    && 'Notification' in window;
}

function headers(extra) {
  const all = { Accept: 'application/json, application/problem+json', ...extra };
  const token = document.getElementById('token').value.trim();
  if (token) {
    all.Authorization = `Bearer ${token}`;
  }
  return all;
}

async function problemText(response, action) {
  const headline = problemHeadline(response, await readJson(response));
  const advice = response.status === 401 ? ' Check the token field.' : '';
  return `Herald could not ${action}: ${headline}.${advice}`;
}

async function call(method, url, action, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: headers(body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new PushProblem(`Could not reach Herald to ${action}: ${error.message}`);
  }
  if (!response.ok) {
    throw new PushProblem(await problemText(response, action));
  }
  return response;
}

// Herald gives the key as base64url (RFC 4648 §5, unpadded); the Push API wants its bytes.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// Past this, the push service is taken as unreachable: a browser that cannot reach it (Chromium without
// its Google connection) may leave subscribe() pending for minutes instead of failing.
const SUBSCRIBE_TIMEOUT_MS = 15000;

function subscribeOrTimeOut(registration, options) {
  const subscribing = registration.pushManager.subscribe(options);
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      // Should the push service answer after all, leave no subscription nobody registered.
      subscribing.then((late) => late.unsubscribe(), () => {}).catch(() => {});
      reject(new DOMException('the push service did not answer', 'AbortError'));
    }, SUBSCRIBE_TIMEOUT_MS);
  });
  return Promise.race([subscribing, timeout]).finally(() => clearTimeout(timer));
}

async function subscribeAtPushService(registration, applicationServerKey) {
  const options = { userVisibleOnly: true, applicationServerKey };
  try {
    return await subscribeOrTimeOut(registration, options);
  } catch (error) {
    if (error.name === 'InvalidStateError') {
      // Subscribed earlier with another key (Herald's key changed): start afresh.
      const old = await registration.pushManager.getSubscription();
      if (old) {
        await old.unsubscribe();
        return subscribeAtPushService(registration, applicationServerKey);
      }
    }
    if (error.name === 'NotAllowedError') {
      throw new PushProblem('Notifications are not allowed for this page: allow them in the site settings.');
    }
    if (error.name === 'AbortError') {
      throw new PushProblem(PUSH_SERVICE_UNREACHABLE);
    }
    throw new PushProblem(`The browser could not subscribe to its push service: ${error.message}`);
  }
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(REGISTRATION_KEY));
  } catch (error) {
    return null;
  }
}

function remember(entry) {
  try {
    if (entry) {
      localStorage.setItem(REGISTRATION_KEY, JSON.stringify(entry));
    } else {
      localStorage.removeItem(REGISTRATION_KEY);
    }
  } catch (error) {
    // Without storage, Stop works until the page is closed.
  }
}

let current = null;

function showOn(entry) {
  current = entry;
  stop.hidden = false;
  say(`Notifications on for ${entry.filters.join(', ')}, even when this page is closed.`, 'on');
}

async function turnOn() {
  const filters = currentFilters();
  if (filters.length === 0) {
    say('Subscribe to a topic filter first: notifications follow the page\'s filters.', 'problem');
    return;
  }
  say('Asking for notifications…', 'pending');
  try {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      throw new PushProblem(`Notifications are not allowed for this page (${permission}): allow them in the`
        + ' site settings.');
    }
    const registration = await navigator.serviceWorker.ready;
    const key = await (await call('GET', '/api/push/key', 'give its push key')).json();
    const subscription = await subscribeAtPushService(registration, keyBytes(key.publicKey));
    const { endpoint, keys } = subscription.toJSON();
    let answer;
    try {
      const response = await call('POST', '/api/push/subscriptions', 'register this browser',
        { subscription: { endpoint, keys }, filters });
      answer = await response.json();
    } catch (error) {
      // Herald will not push to it: leave no subscription behind at the push service.
      await subscription.unsubscribe().catch(() => {});
      throw error;
    }
    const entry = { id: answer.id, endpoint, filters };
    remember(entry);
    showOn(entry);
  } catch (error) {
    say(error instanceof PushProblem ? error.message : `Notifications could not be turned on: ${error.message}`,
      'problem');
  }
}

async function turnOff() {
  if (!current) {
    return;
  }
  say('Stopping notifications…', 'pending');
  try {
    await call('DELETE', `/api/push/subscriptions/${encodeURIComponent(current.id)}`, 'stop notifications')
      .catch((error) => {
        // Already gone at Herald is what was asked for.
        if (!/\(404\)/.test(error.message)) {
          throw error;
        }
      });
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await subscription.unsubscribe();
    }
    remember(null);
    current = null;
    stop.hidden = true;
    say('Notifications for a closed page are off.', 'off');
  } catch (error) {
    say(error instanceof PushProblem ? error.message : `Notifications could not be stopped: ${error.message}`,
      'problem');
  }
}

/** What this browser had turned on before, if its push subscription is still the one registered. */
async function restore(registration) {
  const entry = remembered();
  if (!entry) {
    return;
  }
  const subscription = await registration.pushManager.getSubscription();
  if (subscription && subscription.endpoint === entry.endpoint) {
    showOn(entry);
  } else {
    // Herald would push to a subscription that no longer exists: tell it so, if it listens.
    call('DELETE', `/api/push/subscriptions/${encodeURIComponent(entry.id)}`, 'forget it').catch(() => {});
    remember(null);
    say('Notifications for a closed page stopped: the browser dropped its push subscription. Turn them on again.',
      'problem');
  }
}

async function wire() {
  if (!supported()) {
    start.disabled = true;
    say('This browser does not support Web Push here (it needs service workers and the Push API on https),'
      + ' so notifications for a closed page are not available.', 'problem');
    return;
  }
  start.addEventListener('click', turnOn);
  stop.addEventListener('click', turnOff);
  let registration;
  try {
    registration = await navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
  } catch (error) {
    start.disabled = true;
    say(`The notification worker could not be registered: ${error.message}`, 'problem');
    return;
  }
  await restore(registration).catch(() => {});
}

wire();
