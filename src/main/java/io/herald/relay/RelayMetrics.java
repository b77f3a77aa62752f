package io.herald.relay;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The relay's counters, for both endpoints alike: resolved once, so that counting on the
 * event loop is an add to a striped counter, never a registry lookup. Tags are bounded: a
 * direction, a rule, a close code, never a topic or a client id.
 */
final class RelayMetrics {

	/** What a gate denial was for. */
	enum Rule {

		CONNECT, SUBSCRIBE, PUBLISH;

		String tag() {
			return name().toLowerCase();
		}

	}

	/** Which way relayed bytes and packets go. */
	enum Direction {

		TO_BROKER("to-broker"), TO_BROWSER("to-browser");

		private final String tag;

		Direction(String tag) {
			this.tag = tag;
		}

	}

	/** Why a WebSocket handshake was refused. */
	enum Refusal {

		MALFORMED, NOT_FOUND, FULL, DRAINING, NOT_WEBSOCKET, SUBPROTOCOL, ORIGIN, ADDRESS_LIMIT;

		String tag() {
			return name().toLowerCase().replace('_', '-');
		}

	}

	/** MQTT's control packet names, by type: 1 (CONNECT) to 15 (AUTH, MQTT 5). */
	private static final List<String> PACKET_TYPES = List.of("connect", "connack", "publish", "puback", "pubrec",
			"pubrel", "pubcomp", "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect",
			"auth");

	private final MeterRegistry registry;

	private final Counter bytesToBroker;

	private final Counter bytesToBrowser;

	/** By direction, then by packet type (index 0 for type 1). */
	private final Counter[][] packets = new Counter[Direction.values().length][PACKET_TYPES.size()];

	private final Map<Rule, Counter> denials = new EnumMap<>(Rule.class);

	private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);

	private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();

	RelayMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.bytesToBroker = bytes(registry, Direction.TO_BROKER);
		this.bytesToBrowser = bytes(registry, Direction.TO_BROWSER);
		for (Refusal refusal : Refusal.values()) {
			this.refusals.put(refusal,
					Counter.builder("herald.relay.handshakes.refused")
						.description("WebSocket handshakes refused, by reason")
						.tag("reason", refusal.tag())
						.register(registry));
		}
		for (Direction direction : Direction.values()) {
			for (int i = 0; i < PACKET_TYPES.size(); i++) {
				this.packets[direction.ordinal()][i] = Counter.builder("herald.relay.packets")
					.description("MQTT packets relayed, by direction and packet type")
					.tag("direction", direction.tag)
					.tag("type", PACKET_TYPES.get(i))
					.register(registry);
			}
		}
		for (Rule rule : Rule.values()) {
			this.denials.put(rule,
					Counter.builder("herald.relay.denials")
						.description("Packets the gate refused, by the rule that refused them")
						.tag("rule", rule.tag())
						.register(registry));
		}
	}

	private static Counter bytes(MeterRegistry registry, Direction direction) {
		return Counter.builder("herald.relay.bytes")
			.description("MQTT bytes relayed, by direction")
			.baseUnit("bytes")
			.tag("direction", direction.tag)
			.register(registry);
	}

	/** A packet of {@code type} begins, going {@code direction}. */
	void packet(Direction direction, int type) {
		if (type >= 1 && type <= PACKET_TYPES.size()) {
			this.packets[direction.ordinal()][type - 1].increment();
		}
	}

	void toBroker(int bytes) {
		this.bytesToBroker.increment(bytes);
	}

	void toBrowser(int bytes) {
		this.bytesToBrowser.increment(bytes);
	}

	void refused(Refusal refusal) {
		this.refusals.get(refusal).increment();
	}

	void denied(Rule rule) {
		this.denials.get(rule).increment();
	}

	/** A close Herald decided, by its WebSocket close code (a handful of values). */
	void closed(int code) {
		this.closes
			.computeIfAbsent(code,
					(key) -> Counter.builder("herald.relay.closes")
						.description("Browser connections Herald closed, by WebSocket close code")
						.tag("code", String.valueOf(key))
						.register(this.registry))
			.increment();
	}

}
