package io.herald.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One endpoint under test and the processes serving it: the WebSocket server (a relay, or none
 * when Mosquitto serves the WebSockets itself) and the broker, which is restarted fresh for every
 * measurement. A Herald target also names its web server's port (for its actuator); its browsers
 * may be event streams ({@code sse}) rather than MQTT over a WebSocket.
 */
record Target(String name, URI uri, ServerProcess relay, Supplier<ServerProcess> broker, boolean sse, int webPort) {

	Target(String name, URI uri, ServerProcess relay, Supplier<ServerProcess> broker) {
		this(name, uri, relay, broker, false, 0);
	}

	boolean tls() {
		return "wss".equals(this.uri.getScheme()) || "https".equals(this.uri.getScheme());
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
