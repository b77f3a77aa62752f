package io.herald.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One WebSocket endpoint under test and the processes serving it: the WebSocket server (a relay,
 * or none when Mosquitto serves the WebSockets itself) and the broker, which is restarted fresh
 * for every measurement.
 */
record Target(String name, URI uri, ServerProcess relay, Supplier<ServerProcess> broker) {

	boolean tls() {
		return "wss".equals(this.uri.getScheme());
	}

	boolean isHerald() {
		return this.name.startsWith("Herald");
	}

	/** The process holding the browsers' WebSockets: the relay, or the broker itself. */
	ServerProcess server() {
		return this.relay != null ? this.relay : this.broker.get();
	}

	List<Long> serverPids() {
		return List.of(server().pid());
	}

	/** Everything serving this target: the WebSocket server and, if another process, the broker. */
	List<Long> allPids() {
		List<Long> pids = new ArrayList<>(serverPids());
		if (this.relay != null) {
			pids.add(this.broker.get().pid());
		}
		return pids;
	}

}
