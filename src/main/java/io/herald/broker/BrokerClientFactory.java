package io.herald.broker;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.integration.mqtt.core.DefaultMqttPahoClientFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Paho clients for Herald's own broker connections (the feed and the REST publisher) that
 * give up on a CONNACK after {@code herald.broker.connack-timeout}.
 * <p>
 * Paho 1.2 bounds only the TCP connect: once a broker has accepted the connection it
 * waits for the CONNACK forever, and while that attempt is pending, every reconnect is
 * refused as "connect already in progress". A broker that accepts connections and never
 * answers would so keep the feed down until Herald restarts. Here an attempt still
 * pending at the deadline is shut down as timed out, which Paho and Spring Integration
 * treat like any failed attempt: the next server URI, then the reconnect with backoff.
 */
public final class BrokerClientFactory extends DefaultMqttPahoClientFactory implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(BrokerClientFactory.class);

	private static final Duration FIRST_CONNECT_MARGIN = Duration.ofSeconds(1);

	private final Duration connackTimeout;

	private final ScheduledExecutorService deadlines;

	public BrokerClientFactory(MqttConnectOptions options, Duration connackTimeout, String name) {
		setConnectionOptions(options);
		this.connackTimeout = connackTimeout;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				daemonThreads(name + "-connack-deadline-"));
		executor.setRemoveOnCancelPolicy(true);
		this.deadlines = executor;
	}

	/**
	 * Clients for a subscriber that stays connected (the history feed, the push feed):
	 * clean sessions, MQTT 3.1.1 only, Paho's automatic reconnect backing off up to
	 * {@code maxReconnectDelay}.
	 */
	public static BrokerClientFactory subscriber(BrokerEndpoint endpoint, BrokerProperties broker,
			Duration maxReconnectDelay, String name) {
		MqttConnectOptions options = new MqttConnectOptions();
		options.setServerURIs(endpoint.serverUris());
		options.setCleanSession(true);
		// MQTT 3.1.1 only: Paho's default would retry each failed attempt as 3.1, which
		// doubles the time spent on a broker that does not answer.
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setAutomaticReconnect(true);
		options.setMaxReconnectDelay(Math.toIntExact(maxReconnectDelay.toMillis()));
		// Paho counts whole seconds, and 0 would mean waiting forever.
		options.setConnectionTimeout((int) Math.max(1, (broker.connectTimeout().toMillis() + 999) / 1000));
		return new BrokerClientFactory(options, broker.connackTimeout(), name);
	}

	/**
	 * How long a subscribing adapter must wait for its first connect: until Herald's
	 * CONNACK deadline has given it up on every server URI. An adapter that stopped
	 * waiting earlier would find that attempt still in progress and start no reconnects.
	 */
	public static Duration firstConnectWait(BrokerEndpoint endpoint, BrokerProperties broker) {
		return broker.connectTimeout()
			.plus(broker.connackTimeout())
			.multipliedBy(endpoint.serverUris().length)
			.plus(FIRST_CONNECT_MARGIN);
	}

	@Override
	public IMqttAsyncClient getAsyncClientInstance(@Nullable String uri, String clientId) throws MqttException {
		return new DeadlineClient((uri != null) ? uri : "tcp://NO_URL_PROVIDED", clientId);
	}

	@Override
	public void destroy() {
		this.deadlines.shutdownNow();
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	private final class DeadlineClient extends MqttAsyncClient {

		/**
		 * Counts the client's connects: a deadline acts only on the connect it was set
		 * for, never on a later one that Paho or Spring Integration started meanwhile.
		 */
		private final AtomicLong connects = new AtomicLong();

		DeadlineClient(String uri, String clientId) throws MqttException {
			super(uri, clientId, new MemoryPersistence());
		}

		/** Every connect passes here, Paho's own reconnects included. */
		@Override
		public IMqttToken connect(MqttConnectOptions options, @Nullable Object userContext,
				@Nullable IMqttActionListener callback) throws MqttException {
			long connect = this.connects.incrementAndGet();
			IMqttToken token = super.connect(options, userContext, callback);
			scheduleDeadline(new Attempt(token, connect, this.comms.getNetworkModuleIndex()));
			return token;
		}

		private void scheduleDeadline(Attempt attempt) {
			try {
				BrokerClientFactory.this.deadlines.schedule(() -> enforceDeadline(attempt),
						BrokerClientFactory.this.connackTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: nothing waits for this attempt any more.
			}
		}

		private void enforceDeadline(Attempt attempt) {
			if (attempt.connect() != this.connects.get() || attempt.token().isComplete()) {
				return;
			}
			int serverIndex = this.comms.getNetworkModuleIndex();
			if (serverIndex != attempt.serverIndex()) {
				// Paho went on to the next server URI by itself after a failure: that
				// attempt gets a whole deadline of its own.
				scheduleDeadline(attempt.onServer(serverIndex));
				return;
			}
			if (!this.comms.isConnecting()) {
				return;
			}
			logger.warn("No CONNACK from {} within {} (herald.broker.connack-timeout): giving up on this attempt",
					getCurrentServerURI(), BrokerClientFactory.this.connackTimeout);
			this.comms.shutdownConnection(null, new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT,
					new TimeoutException("No CONNACK within " + BrokerClientFactory.this.connackTimeout)));
			if (!attempt.token().isComplete()) {
				// With several server URIs, Paho has gone on to the next one under the
				// same token.
				scheduleDeadline(attempt.onServer(this.comms.getNetworkModuleIndex()));
			}
		}

	}

	/** One connect of a client to one of its server URIs. */
	private record Attempt(IMqttToken token, long connect, int serverIndex) {

		Attempt onServer(int index) {
			return new Attempt(this.token, this.connect, index);
		}

	}

}
