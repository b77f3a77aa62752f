// One MQTT session over Herald's WebSocket relay, kept alive: reconnects with exponential backoff
// and jitter after a failure or a drop, renews every subscription on each new session, and
// presents the token current at each attempt, so a token changed or renewed meanwhile is the one
// that goes out.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

// Paho JS 1.1.0 refuses a password without a user name; Herald reads only the password.
const TOKEN_USER_NAME = 'token';

// Paho's code for a refusing CONNACK; the MQTT return code is only in its message.
const PAHO_CONNACK_REFUSED = 6;

export class RelayConnection {

  /**
   * @param {string} url the relay's ws:// or wss:// URL
   * @param {function(): string} token asked on every connection attempt: the token to present as
   *     the MQTT password, or '' to connect anonymously
   * @param {{onState: function(string, string, object=), onMessage: function(object)}} listeners
   *     onState's third argument, on a failed attempt, says whether the WebSocket itself failed
   *     ({unreachable: true}) rather than the broker refusing the CONNECT
   */
  constructor(url, token, listeners) {
    this.url = url;
    this.token = token;
    this.listeners = listeners;
    this.clientId = 'herald-' + randomId();
    this.subscriptions = new Map();
    this.delay = FIRST_DELAY_MS;
    this.connected = false;
    this.client = new Paho.Client(url, this.clientId);
    this.client.onConnectionLost = (response) => this.lost(response);
    this.client.onMessageArrived = (message) => this.listeners.onMessage(message);
  }

  start() {
    this.attempt('connecting', '');
  }

  /** Disconnects for good: no retry follows. */
  stop() {
    this.stopped = true;
    this.connected = false;
    try {
      this.client.disconnect();
    } catch (error) {
      // Not connected: nothing to close.
    }
  }

  /** Subscribe now if connected, and again on every reconnection. */
  subscribe(filter, qos) {
    this.subscriptions.set(filter, qos);
    if (!this.connected) {
      return Promise.resolve({ pending: true });
    }
    return this.sendSubscribe(filter, qos);
  }

  unsubscribe(filter) {
    this.subscriptions.delete(filter);
    if (!this.connected) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.client.unsubscribe(filter, {
        onSuccess: () => resolve(),
        onFailure: (response) => reject(new Error(response.errorMessage || 'unsubscribe failed')),
        timeout: 10,
      });
    });
  }

  attempt(state, detail) {
    if (this.stopped) {
      return;
    }
    this.listeners.onState(state, detail);
    const token = this.token();
    const options = {
      timeout: 10,
      keepAliveInterval: 30,
      cleanSession: true,
      mqttVersion: 4,
      onSuccess: () => this.established(),
      onFailure: (response) => this.failed(failureReason(response, token !== ''),
          response.errorCode !== PAHO_CONNACK_REFUSED),
    };
    if (token) {
      options.userName = TOKEN_USER_NAME;
      options.password = token;
    }
    try {
      this.client.connect(options);
    } catch (error) {
      this.failed(error.message, true);
    }
  }

  established() {
    this.connected = true;
    this.delay = FIRST_DELAY_MS;
    this.listeners.onState('connected', this.url);
    for (const [filter, qos] of this.subscriptions) {
      this.sendSubscribe(filter, qos).catch((error) => this.listeners.onState('connected',
          `could not renew ${filter}: ${error.message}`));
    }
  }

  failed(reason, unreachable) {
    this.connected = false;
    const seconds = Math.round(this.retryLater(reason) / 1000);
    this.listeners.onState('failed', `${reason}; retrying in ${seconds} s`, { unreachable });
  }

  lost(response) {
    this.connected = false;
    if (response.errorCode === 0) {
      return;
    }
    this.listeners.onState('reconnecting', response.errorMessage || 'connection lost');
    this.retryLater(response.errorMessage);
  }

  /**
   * Attempt again after between half and all of the backoff, at random, so that the browsers a
   * broker crash dropped together do not all come back at the same moment; returns the delay.
   */
  retryLater(reason) {
    const delay = this.delay / 2 + Math.random() * (this.delay / 2);
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    setTimeout(() => this.attempt('reconnecting', reason || ''), delay);
    return delay;
  }

  sendSubscribe(filter, qos) {
    return new Promise((resolve, reject) => {
      this.client.subscribe(filter, {
        qos,
        timeout: 10,
        onSuccess: (response) => {
          const granted = response.grantedQos;
          if (granted === 128 || (Array.isArray(granted) && granted[0] === 128)) {
            reject(new Error('the broker refused the subscription'));
          } else {
            resolve({ grantedQos: Array.isArray(granted) ? granted[0] : granted });
          }
        },
        onFailure: (response) => reject(new Error(response.errorMessage || 'subscription failed')),
      });
    });
  }
}

/** Why an attempt failed; a refusal of the credentials says what to do about the token. */
function failureReason(response, withToken) {
  const message = response.errorMessage || 'connection refused';
  const refusal = /return code:\s*(\d+)/.exec(message);
  if (response.errorCode !== PAHO_CONNACK_REFUSED || !refusal) {
    return message;
  }
  switch (Number(refusal[1])) {
    case 4:
      return withToken ? 'bad user name or password: check the token' : 'bad user name or password';
    case 5:
      return withToken ? 'not authorized: check the token' : 'not authorized: this needs a token';
    default:
      return message;
  }
}

function randomId() {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
