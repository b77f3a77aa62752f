package io.herald.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket endpoint under test and the processes serving it: the WebSocket server (a relay,
 * or Mosquitto itself) and the broker behind it.
 */
record Target(String name, URI uri, ServerProcess server, ServerProcess broker) {

	boolean tls() {
		return "wss".equals(this.uri.getScheme());
	}

	boolean isHerald() {
		return this.name.startsWith("Herald");
	}

	/** The process(es) holding the browsers' WebSockets: for Mosquitto's own listener, the broker. */
	List<Long> serverPids() {
		return List.of(this.server.pid());
	}

	/** Everything serving this target: the WebSocket server and, if another process, the broker. */
	List<Long> allPids() {
		List<Long> pids = new ArrayList<>(serverPids());
		if (this.server != this.broker) {
			pids.add(this.broker.pid());
		}
		return pids;
	}

}
