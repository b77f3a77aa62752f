package io.herald.relay;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The relayed connections currently open, published as the
 * {@code herald.relay.connections} and {@code herald.relay.awaiting-browser} gauges; on
 * shutdown it tells every browser to go away (1001) before the web server stops, so
 * clients reconnect to another instance at once.
 */
public class RelayRegistry implements MeterBinder, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RelayRegistry.class);

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

	private final Set<RelayedBrowser> connections = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/** Until shutdown begins; also before start, which may come after the listener's. */
	private volatile boolean accepting = true;

	/** What a handshake refused while Herald shuts down is told. */
	static final String DRAINING = "Herald is shutting down: connect again, another instance will take you";

	/**
	 * The registries the relay counts into: empty until Spring binds this registry to the
	 * application's, so that the relay's counters exist from the start.
	 */
	private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

	private final RelayMetrics metrics = new RelayMetrics(this.meters);

	RelayMetrics metrics() {
		return this.metrics;
	}

	/**
	 * Track a new connection.
	 * @return {@code false} if Herald is shutting down and the connection must go away
	 */
	boolean add(RelayedBrowser connection) {
		this.connections.add(connection);
		return this.running;
	}

	void remove(RelayedBrowser connection) {
		this.connections.remove(connection);
	}

	/** How many browsers are relayed right now. */
	public int size() {
		return this.connections.size();
	}

	/** How many browsers are relayed right now through {@code endpoint}. */
	long size(String endpoint) {
		return this.connections.stream().filter((connection) -> connection.endpoint().equals(endpoint)).count();
	}

	/** How many browsers have not yet taken the last chunk relayed to them. */
	public long awaitingBrowser() {
		return this.connections.stream().filter(RelayedBrowser::awaitingBrowser).count();
	}

	@Override
	public void start() {
		this.accepting = true;
		this.running = true;
	}

	/**
	 * Whether new browsers are let in: not once Herald is shutting down, when their
	 * handshakes are answered 503 on both endpoints.
	 */
	boolean accepting() {
		return this.accepting;
	}

	/** Refuse new browsers from now on: Herald is shutting down. */
	void refuseNewBrowsers() {
		this.accepting = false;
	}

	/**
	 * After the drain ({@link RelayDrain}, which stops first): tell the relayed browsers
	 * to go away with 1001 and wait for them to leave. The relay listener, which depends
	 * on this registry, is stopped just before.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 256;
	}

	@Override
	public void stop() {
		this.accepting = false;
		this.running = false;
		int open = this.connections.size();
		if (open == 0) {
			return;
		}
		logger.info("Shutting down: telling {} relayed browsers to go away", open);
		this.connections.forEach(RelayedBrowser::goAway);
		long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
		while (!this.connections.isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String endpoint : new String[] { ListenerRelay.ENDPOINT, WebServerRelay.ENDPOINT }) {
			Gauge.builder("herald.relay.connections", this, (relay) -> relay.size(endpoint))
				.description("Browsers relayed to the broker right now, by the endpoint they came through")
				.tag("endpoint", endpoint)
				.register(registry);
		}
		this.meters.add(registry);
		Gauge.builder("herald.relay.awaiting-browser", this, RelayRegistry::awaitingBrowser)
			.description("Relayed browsers holding back their broker connection by not reading yet")
			.register(registry);
	}

}
