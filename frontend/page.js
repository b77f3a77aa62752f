// The test page: a live view of the news, over MQTT on Herald's relay or as Server-Sent Events from
// its feed, a REST publish form, and desktop notifications, all with the token from the token field.
// Every payload is shown as text, never interpreted as HTML.

import { RelayConnection } from './connection.js';
import { EventStreamConnection } from './stream.js';
import { problemHeadline, readJson } from './problem.js';

const MAX_SHOWN = 200;

// Per tab, and gone with it: a token is a credential, not a preference.
const TOKEN_KEY = 'herald.token';

const app = document.getElementById('app');
const messages = document.getElementById('messages');
const emptyHint = document.getElementById('messages-empty');
let notify = false;

// The live view's transport: a RelayConnection or an EventStreamConnection, both with start,
// subscribe, unsubscribe, stop and a subscriptions map.
let transport = null;
// Whether MQTT over WebSocket ever connected on this page, and whether the transport was picked
// by hand: only a first MQTT connection that cannot be made, on the page's own choice, falls back.
let mqttConnected = false;
let chosen = false;

// Herald's relay listener when it runs, else the web server's own endpoint next to this page.
function relayUrl() {
  if (app.dataset.relayUrl) {
    return app.dataset.relayUrl;
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${app.dataset.relayPath}`;
}

function showState(state, detail) {
  const connection = document.getElementById('connection');
  connection.dataset.state = state;
  document.getElementById('connection-state').textContent = state;
  document.getElementById('connection-detail').textContent = detail ? ` — ${detail}` : '';
}

function payloadText(message) {
  try {
    return message.payloadString;
  } catch (error) {
    return `(binary payload, ${message.payloadBytes.length} bytes)`;
  }
}

function show(item, { prepend }) {
  const entry = document.createElement('li');
  entry.className = 'message';
  entry.dataset.topic = item.topic;
  entry.dataset.source = item.history ? 'history' : 'live';
  entry.dataset.retained = String(Boolean(item.retained));
  if (item.id) {
    entry.dataset.id = item.id;
  }
  const header = document.createElement('p');
  header.className = 'message-header';
  const topic = document.createElement('code');
  topic.className = 'message-topic';
  topic.textContent = item.topic;
  const time = document.createElement('time');
  time.dateTime = item.time.toISOString();
  time.textContent = item.time.toLocaleTimeString();
  const badges = document.createElement('span');
  badges.className = 'message-badges';
  badges.textContent = [`QoS ${item.qos}`, item.retained ? 'retained' : '', item.history ? 'history' : '']
    .filter(Boolean).join(' · ');
  header.append(topic, ' ', time, ' ', badges);
  const payload = document.createElement('pre');
  payload.className = 'message-payload';
  payload.textContent = item.payload;
  entry.append(header, payload);
  if (prepend) {
    messages.prepend(entry);
  } else {
    messages.append(entry);
  }
  while (messages.children.length > MAX_SHOWN) {
    messages.lastElementChild.remove();
  }
  emptyHint.hidden = true;
}

function arrived(topic, payload, meta) {
  const item = {
    topic, payload, qos: meta.qos, retained: meta.retained, id: meta.id, time: meta.time || new Date(),
  };
  show(item, { prepend: true });
  if (notify && document.hidden && Notification.permission === 'granted') {
    new Notification(item.topic, { body: item.payload.slice(0, 200), tag: 'herald-news' });
  }
}

/** Herald no longer holds everything after the last event seen: say so where messages show. */
function gap() {
  const entry = document.createElement('li');
  entry.className = 'message gap';
  entry.dataset.source = 'gap';
  entry.textContent = 'Some messages may be missing here: Herald no longer holds all of them since the '
    + 'last one shown (or it restarted). The stream goes on from the oldest it holds.';
  messages.prepend(entry);
  emptyHint.hidden = true;
}

async function loadHistory(filter) {
  const query = new URLSearchParams({ filter, limit: app.dataset.historyLimit });
  try {
    const response = await fetch(`/api/news?${query}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      return;
    }
    const items = await response.json();
    for (const item of items) {
      show({ ...item, time: new Date(item.receivedAt), history: true }, { prepend: false });
    }
  } catch (error) {
    // The history is a convenience: the live view works without it.
  }
}

function listSubscription(filter, qos) {
  const list = document.getElementById('subscriptions');
  for (const existing of list.children) {
    if (existing.dataset.filter === filter) {
      existing.remove();
    }
  }
  const entry = document.createElement('li');
  entry.dataset.filter = filter;
  const label = document.createElement('code');
  label.textContent = filter;
  const level = document.createElement('span');
  level.className = 'subscription-qos';
  level.textContent = `QoS ${qos}`;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Unsubscribe';
  button.setAttribute('aria-label', `Unsubscribe from ${filter}`);
  button.addEventListener('click', async () => {
    entry.remove();
    try {
      await transport.unsubscribe(filter);
      setText('subscribe-result', `Unsubscribed from ${filter}`);
    } catch (error) {
      setText('subscribe-result', `Could not unsubscribe from ${filter}: ${error.message}`);
    }
  });
  entry.append(label, level, button);
  list.append(entry);
}

/** MQTT's topic filter rules, so that a filter the broker would reject is never sent. */
function filterProblem(filter) {
  if (filter.length === 0) {
    return 'the topic filter must not be empty';
  }
  if (filter.includes('\u0000')) {
    return 'the topic filter must not contain U+0000';
  }
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    if (levels[i].includes('#') && (levels[i] !== '#' || i !== levels.length - 1)) {
      return "'#' must be a whole level and the last one";
    }
    if (levels[i].includes('+') && levels[i] !== '+') {
      return "'+' must be a whole level";
    }
  }
  return null;
}

function setText(id, text) {
  document.getElementById(id).textContent = text;
}

function wireSubscribe() {
  const form = document.getElementById('subscribe-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const filter = form.elements.filter.value.trim();
    const qos = Number(form.elements.qos.value);
    const problem = filterProblem(filter);
    if (problem) {
      setText('subscribe-result', `Cannot subscribe: ${problem}`);
      return;
    }
    setText('subscribe-result', `Subscribing to ${filter}…`);
    try {
      const result = await transport.subscribe(filter, qos);
      listSubscription(filter, qos);
      if (result.pending) {
        setText('subscribe-result', `Subscribing to ${filter} once connected`);
      } else if (result.grantedQos === undefined) {
        setText('subscribe-result', `Subscribed to ${filter} (event stream)`);
      } else {
        setText('subscribe-result', `Subscribed to ${filter} (granted QoS ${result.grantedQos})`);
      }
    } catch (error) {
      transport.subscriptions.delete(filter);
      setText('subscribe-result', `Could not subscribe to ${filter}: ${error.message}`);
    }
  });
}

/**
 * Restores the token field from this tab's storage and keeps it there; returns a function giving
 * the field's current token ('' for anonymous), asked anew for every connection and publish.
 */
function wireToken() {
  const field = document.getElementById('token');
  const toggle = document.getElementById('token-toggle');
  field.value = storedToken();
  field.addEventListener('input', () => storeToken(field.value));
  document.getElementById('token-form').addEventListener('submit', (event) => event.preventDefault());
  toggle.addEventListener('click', () => {
    const show = field.type === 'password';
    field.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-label', show ? 'Hide the token' : 'Show the token');
  });
  return () => field.value.trim();
}

// Storage may be refused (privacy settings); the field then simply starts empty on each load.
function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch (error) {
    return '';
  }
}

function storeToken(value) {
  try {
    if (value.trim()) {
      sessionStorage.setItem(TOKEN_KEY, value);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  } catch (error) {
    // Kept in the field for this page load only.
  }
}

function describeProblem(problem, response, withToken) {
  const lines = [problemHeadline(response, problem)];
  for (const error of (problem && problem.errors) || []) {
    if (error.message !== (problem && problem.detail)) {
      lines.push(error.message);
    }
  }
  if (response.status === 401) {
    lines.push(withToken
      ? 'Herald did not accept the token: check the token field.'
      : 'Publishing needs a token: paste the admin token Herald logged at start.');
  } else if (response.status === 403) {
    lines.push('The token does not allow publishing to this topic.');
  }
  return lines.join('\n');
}

function wirePublish(token) {
  const form = document.getElementById('publish-form');
  const result = document.getElementById('publish-result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      topic: form.elements.topic.value,
      payload: form.elements.payload.value,
      qos: Number(form.elements.qos.value),
      retain: form.elements.retain.checked,
    };
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
    const bearer = token();
    if (bearer) {
      headers.Authorization = `Bearer ${bearer}`;
    }
    result.dataset.outcome = 'pending';
    result.textContent = 'Publishing…';
    try {
      const response = await fetch('/api/news', { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await readJson(response);
      if (response.ok && answer) {
        result.dataset.outcome = 'published';
        result.textContent = `Published to ${answer.topic} at ${new Date(answer.publishedAt).toLocaleTimeString()}`
          + ` (id ${answer.id}, QoS ${answer.qos}${answer.retain ? ', retained' : ''})`;
      } else {
        result.dataset.outcome = 'problem';
        result.textContent = describeProblem(answer, response, bearer !== '');
      }
    } catch (error) {
      result.dataset.outcome = 'problem';
      result.textContent = `Could not reach Herald: ${error.message}`;
    }
  });
}

function wireNotifications() {
  const toggle = document.getElementById('notifications');
  toggle.addEventListener('change', async () => {
    if (!toggle.checked) {
      notify = false;
      setText('notifications-result', 'Notifications off');
      return;
    }
    if (!('Notification' in window)) {
      toggle.checked = false;
      setText('notifications-result', 'This browser does not support notifications');
      return;
    }
    const permission = await Notification.requestPermission();
    notify = permission === 'granted';
    toggle.checked = notify;
    setText('notifications-result', notify
      ? 'Notifications on while this tab is hidden'
      : `Notifications not allowed (${permission})`);
  });
}

/**
 * Stops the current transport and starts `kind` ('mqtt' or 'sse') with the same subscriptions.
 * Only the current transport's news reaches the page: a stopped one may still report.
 */
function useTransport(kind, token) {
  const subscriptions = transport ? new Map(transport.subscriptions) : new Map();
  if (transport) {
    transport.stop();
  }
  let started = null;
  const current = (report) => (...args) => {
    if (transport === started) {
      report(...args);
    }
  };
  if (kind === 'sse') {
    started = new EventStreamConnection(token, {
      onState: current(showState),
      onMessage: current(arrived),
      onGap: current(gap),
    });
  } else {
    started = new RelayConnection(relayUrl(), token, {
      onState: current((state, detail, failure) => mqttState(state, detail, failure, token)),
      onMessage: current((message) => arrived(message.destinationName, payloadText(message),
        { qos: message.qos, retained: message.retained })),
    });
  }
  for (const [filter, qos] of subscriptions) {
    started.subscriptions.set(filter, qos);
  }
  transport = started;
  document.body.dataset.transport = kind;
  document.getElementById(kind === 'sse' ? 'transport-sse' : 'transport-mqtt').checked = true;
  // An event stream has no QoS to ask for: each message comes once, in order, resumed after drops.
  document.getElementById('subscribe-qos').disabled = kind === 'sse';
  document.getElementById('subscribe-qos-hint').hidden = kind !== 'sse';
  started.start();
}

function mqttState(state, detail, failure, token) {
  showState(state, detail);
  if (state === 'connected') {
    mqttConnected = true;
  }
  if (state === 'failed' && failure && failure.unreachable && !mqttConnected && !chosen) {
    const notice = document.getElementById('transport-notice');
    notice.textContent = 'WebSocket unavailable: using Server-Sent Events';
    setText('transport-notice-detail', `The WebSocket to ${relayUrl()} could not be opened. `
      + 'Choose "MQTT over WebSocket" to try it again.');
    notice.hidden = false;
    useTransport('sse', token);
  }
}

function wireTransport(token) {
  for (const choice of document.querySelectorAll('input[name=transport]')) {
    choice.addEventListener('change', () => {
      if (!choice.checked) {
        return;
      }
      chosen = true;
      document.getElementById('transport-notice').hidden = true;
      setText('transport-notice-detail', '');
      useTransport(choice.value, token);
    });
  }
}

const token = wireToken();
wireTransport(token);
wireSubscribe();
wirePublish(token);
wireNotifications();
loadHistory(document.getElementById('subscribe-filter').value.trim());
useTransport('mqtt', token);

/** The filters the page is subscribed to, or else the one in the filter field: what Web Push follows. */
export function currentFilters() {
  const subscribed = [...transport.subscriptions.keys()];
  const field = document.getElementById('subscribe-filter').value.trim();
  return subscribed.length > 0 || !field ? subscribed : [field];
}
