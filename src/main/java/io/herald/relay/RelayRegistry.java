package io.herald.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The relayed connections currently open, published as the {@code herald.relay.connections} and
 * {@code herald.relay.awaiting-browser} gauges.
 */
public class RelayRegistry implements MeterBinder {

	private final Set<RelayConnection> connections = ConcurrentHashMap.newKeySet();

	void add(RelayConnection connection) {
		this.connections.add(connection);
	}

	void remove(RelayConnection connection) {
		this.connections.remove(connection);
	}

	/** How many browsers are relayed right now. */
	public int size() {
		return this.connections.size();
	}

	/** How many browsers have not yet taken the last chunk relayed to them. */
	public long awaitingBrowser() {
		return this.connections.stream().filter(RelayConnection::awaitingBrowser).count();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("herald.relay.connections", this.connections, Set::size)
			.description("Browsers relayed to the broker right now")
			.register(registry);
		Gauge.builder("herald.relay.awaiting-browser", this, RelayRegistry::awaitingBrowser)
			.description("Relayed browsers holding back their broker connection by not reading yet")
			.register(registry);
	}

}
