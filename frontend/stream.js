// The feed as Server-Sent Events from Herald's /api/news/stream, behind the same small interface the
// page uses for its MQTT connection: start, subscribe, unsubscribe, stop, with onState and
// onMessage. One EventSource carries every filter; a change of filters, or a drop, reopens it with
// lastEventId set to the last event seen, so that Herald replays what came meanwhile: nothing is lost
// and nothing arrives twice.

import { problemHeadline, readJson } from './problem.js';

const STREAM_PATH = '/api/news/stream';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

export class EventStreamConnection {

  /**
   * @param {function(): string} token asked each time the stream opens: sent as access_token
   *     (EventSource cannot send headers), or '' for anonymous rights
   * @param {{onState: function(string, string), onMessage: function(string, string, object),
   *     onGap: function(object)}} listeners
   */
  constructor(token, listeners) {
    this.token = token;
    this.listeners = listeners;
    // Filter → QoS asked for: kept only to be handed back when the page switches transports.
    this.subscriptions = new Map();
    this.lastEventId = '';
    this.delay = FIRST_DELAY_MS;
    this.source = null;
    this.timer = null;
    this.pending = null;
    this.stopped = false;
    // Counts the streams opened: an answer about an older one is of no use any more.
    this.generation = 0;
  }

  start() {
    this.open();
  }

  /** Reopens the stream with the filter added; settles once Herald accepted or refused it. */
  subscribe(filter, qos) {
    const already = this.subscriptions.has(filter);
    this.subscriptions.set(filter, qos);
    if (already && this.source && this.source.readyState === EventSource.OPEN) {
      return Promise.resolve({});
    }
    this.settle(null);
    return new Promise((resolve, reject) => {
      this.pending = { filter, resolve, reject };
      this.open();
    });
  }

  unsubscribe(filter) {
    this.subscriptions.delete(filter);
    this.open();
    return Promise.resolve();
  }

  stop() {
    this.stopped = true;
    this.close();
    this.settle(new Error('the stream was stopped'));
  }

  /** What the state line shows: the stream and its filters, never the token. */
  describe() {
    return `Server-Sent Events ${STREAM_PATH} (${[...this.subscriptions.keys()].join(', ')})`;
  }

  /** The URL of the stream for the current filters, resuming after the last event seen. */
  url(withToken) {
    const query = [...this.subscriptions.keys()].map((filter) => `filter=${encodeURIComponent(filter)}`);
    if (this.lastEventId) {
      query.push(`lastEventId=${encodeURIComponent(this.lastEventId)}`);
    }
    const token = withToken ? this.token() : '';
    if (token) {
      query.push(`access_token=${encodeURIComponent(token)}`);
    }
    return `${STREAM_PATH}?${query.join('&')}`;
  }

  open() {
    this.close();
    this.generation++;
    if (this.stopped) {
      return;
    }
    if (this.subscriptions.size === 0) {
      // Without a filter Herald would stream every topic allowed: an empty page asks for none.
      this.listeners.onState('idle', `Server-Sent Events from ${STREAM_PATH}: the stream opens with the first subscription`);
      return;
    }
    this.listeners.onState(this.lastEventId ? 'reconnecting' : 'connecting', this.describe());
    const source = new EventSource(this.url(true));
    this.source = source;
    let opened = false;
    source.addEventListener('open', () => {
      opened = true;
      this.delay = FIRST_DELAY_MS;
      this.listeners.onState('connected', this.describe());
      this.settle(null);
    });
    source.addEventListener('message', (event) => {
      this.lastEventId = event.lastEventId;
      const item = JSON.parse(event.data);
      this.listeners.onMessage(item.topic, item.payload,
        { qos: item.qos, retained: item.retained, time: new Date(item.receivedAt), id: item.id });
    });
    source.addEventListener('gap', (event) => {
      this.lastEventId = event.lastEventId;
      this.listeners.onGap(JSON.parse(event.data));
    });
    // EventSource would retry by itself, but with the id of its own last event only and without
    // saying why it failed: the stream is reopened here instead, and a refusal is asked about.
    source.addEventListener('error', () => {
      if (source !== this.source) {
        return;
      }
      this.close();
      if (opened) {
        this.retryLater('reconnecting', 'the stream was interrupted');
      } else {
        this.refused();
      }
    });
  }

  /** EventSource does not tell the status of a refusal: the same request, by fetch, does. */
  async refused() {
    const generation = this.generation;
    const url = this.url(true);
    const abort = new AbortController();
    let answer;
    try {
      const response = await fetch(url, {
        headers: { Accept: 'application/problem+json, application/json' },
        signal: abort.signal,
      });
      answer = response.ok ? null : { status: response.status, headline: await headlineOf(response) };
    } catch (error) {
      answer = { status: 0, problem: null, error };
    } finally {
      // A stream that opens this time is not read here: it opens again as an EventSource.
      abort.abort();
    }
    if (this.stopped || generation !== this.generation) {
      return;
    }
    if (answer === null) {
      this.retryLater('reconnecting', 'the stream failed to open');
      return;
    }
    const reason = answer.status === 0
      ? `Herald is unreachable (${answer.error.message})`
      : answer.headline;
    if (this.pending && (answer.status === 400 || answer.status === 403)) {
      // The stream stood before this filter was added: the filter is what Herald refused.
      const { filter } = this.pending;
      this.subscriptions.delete(filter);
      this.settle(new Error(reason));
      this.open();
      return;
    }
    this.retryLater('failed', reason);
  }

  retryLater(state, reason) {
    const seconds = Math.round(this.delay / 1000);
    this.listeners.onState(state, `${reason}; retrying in ${seconds} s`);
    this.timer = setTimeout(() => this.open(), this.delay);
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
  }

  close() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  /** Answers the subscription waiting for the stream to open: with null, it succeeded. */
  settle(error) {
    const pending = this.pending;
    this.pending = null;
    if (!pending) {
      return;
    }
    if (error) {
      pending.reject(error);
    } else {
      pending.resolve({});
    }
  }
}

async function headlineOf(response) {
  const headline = problemHeadline(response, await readJson(response));
  return response.status === 401 ? `${headline}; check the token` : headline;
}
