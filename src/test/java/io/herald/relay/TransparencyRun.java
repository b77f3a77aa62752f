package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.herald.broker.BrokerEndpoint;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;

/**
 * One scripted conversation on one route: the clients it opens, the packets they send,
 * and what each received. Client ids and topics carry an id of their own per run, which
 * {@link #transcript(Throwable)} writes as {@code <run>}.
 */
final class TransparencyRun {

	static final String STOPPED = "script stopped: ";

	private static final Duration QUIET = Duration.ofMillis(250);

	private final Route route;

	private final MqttVersion version;

	private final ApplicationContext context;

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	private final Map<String, BareMqttClient> clients = new LinkedHashMap<>();

	TransparencyRun(Route route, MqttVersion version, ApplicationContext context) {
		this.route = route;
		this.version = version;
		this.context = context;
	}

	boolean mqtt5() {
		return this.version == MqttVersion.MQTT_5;
	}

	/**
	 * A new connection on this run's route; {@code name} heads its part of the
	 * transcript.
	 */
	BareMqttClient open(String name) {
		if (this.clients.containsKey(name)) {
			throw new IllegalArgumentException("A connection named " + name + " is open already");
		}
		BareMqttClient client = (this.route == Route.BROKER) ? tcpClient(name)
				: BareMqttClient.webSocket(name, this.version, this.route.endpoint().uri(this.context));
		this.clients.put(name, client);
		return client;
	}

	/**
	 * Open a connection and send a clean CONNECT for client {@code name}, awaiting its
	 * CONNACK.
	 */
	BareMqttClient connected(String name) {
		BareMqttClient client = open(name);
		client.send(connect(name).build());
		client.await(MqttMessageType.CONNACK);
		return client;
	}

	/** The client id {@code name} stands for in this run. */
	String clientId(String name) {
		return this.id + "-" + name;
	}

	/** The topic, or filter, {@code name} stands for in this run. */
	String topic(String name) {
		return "transparency/" + this.id + "/" + name;
	}

	/**
	 * A CONNECT builder: this run's version, client id {@code name}, clean, keep-alive 60
	 * s.
	 */
	MqttMessageBuilders.ConnectBuilder connect(String name) {
		return MqttMessageBuilders.connect()
			.protocolVersion(this.version)
			.clientId(name.isEmpty() ? "" : clientId(name))
			.cleanSession(true)
			.keepAlive(60);
	}

	MqttMessage subscribe(int packetId, MqttQoS qos, String... topics) {
		MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(packetId);
		for (String topic : topics) {
			subscribe.addSubscription(qos, topic(topic));
		}
		return subscribe.build();
	}

	MqttMessage unsubscribe(int packetId, String... topics) {
		MqttMessageBuilders.UnsubscribeBuilder unsubscribe = MqttMessageBuilders.unsubscribe().messageId(packetId);
		for (String topic : topics) {
			unsubscribe.addTopicFilter(topic(topic));
		}
		return unsubscribe.build();
	}

	MqttMessageBuilders.PublishBuilder publish(String topic, MqttQoS qos, int packetId, String payload) {
		return MqttMessageBuilders.publish()
			.topicName(topic.isEmpty() ? "" : topic(topic))
			.qos(qos)
			.messageId(packetId)
			.payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
	}

	/** A PUBACK, PUBREC, PUBREL or PUBCOMP for {@code packetId}, reason code 0. */
	MqttMessage reply(MqttMessageType type, int packetId) {
		MqttQoS qos = (type == MqttMessageType.PUBREL) ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
		MqttFixedHeader header = new MqttFixedHeader(type, false, qos, false, 0);
		return new MqttMessage(header,
				mqtt5() ? new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES)
						: MqttMessageIdVariableHeader.from(packetId));
	}

	/**
	 * Send a PUBLISH and go through its QoS flow: await PUBACK, or PUBREC, PUBREL and
	 * PUBCOMP.
	 */
	void published(BareMqttClient client, MqttPublishMessage publish) {
		int qos = publish.fixedHeader().qosLevel().value();
		int packetId = publish.variableHeader().packetId();
		client.send(publish);
		if (qos == 1) {
			client.await(MqttMessageType.PUBACK);
		}
		else if (qos == 2) {
			client.await(MqttMessageType.PUBREC);
			client.send(reply(MqttMessageType.PUBREL, packetId));
			client.await(MqttMessageType.PUBCOMP);
		}
	}

	/**
	 * Await the next PUBLISH and acknowledge it as its QoS asks: PUBACK, or PUBREC,
	 * PUBREL, PUBCOMP.
	 */
	void received(BareMqttClient client) {
		BareMqttClient.Packet publish = client.await(MqttMessageType.PUBLISH);
		if (publish.qos() == 1) {
			client.send(reply(MqttMessageType.PUBACK, publish.packetId()));
		}
		else if (publish.qos() == 2) {
			client.send(reply(MqttMessageType.PUBREC, publish.packetId()));
			client.await(MqttMessageType.PUBREL);
			client.send(reply(MqttMessageType.PUBCOMP, publish.packetId()));
		}
	}

	/** Send DISCONNECT and wait for the other side to close. */
	void disconnect(BareMqttClient client) {
		client.send(MqttMessageBuilders.disconnect().build());
		client.awaitClosed();
	}

	/**
	 * Wait until nothing has arrived for a while, so that a packet one route sends and
	 * another does not is seen, then close every connection left open.
	 */
	void finish() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			long last = this.clients.values().stream().mapToLong(BareMqttClient::lastArrival).max().orElse(0);
			long quietFor = System.nanoTime() - last;
			if (quietFor >= QUIET.toNanos()) {
				break;
			}
			Thread.sleep(Math.max(1, (QUIET.toNanos() - quietFor) / 1_000_000));
		}
		this.clients.values().forEach(BareMqttClient::discard);
	}

	/**
	 * What each connection received, by name, in the order they were opened, and where
	 * the script stopped when it {@code failed}.
	 */
	String transcript(@Nullable Throwable failed) {
		StringBuilder text = new StringBuilder();
		this.clients.forEach((name, client) -> {
			text.append(name).append(":\n");
			client.transcript().forEach((line) -> text.append("  ").append(line).append('\n'));
		});
		if (failed != null) {
			text.append(STOPPED).append(failed.getMessage()).append('\n');
		}
		return text.toString().replace(this.id, "<run>");
	}

	private BareMqttClient tcpClient(String name) {
		BrokerEndpoint broker = this.context.getBean(BrokerEndpoint.class);
		return BareMqttClient.tcp(name, this.version, broker.uri().getHost(), broker.uri().getPort());
	}

	/** Where a run's clients connect. */
	enum Route {

		/** Straight to the broker's TCP port. */
		BROKER(null),

		/** Through the relay listener's WebSocket. */
		RELAY_LISTENER(RelayEndpoint.LISTENER),

		/** Through the web server's {@code /mqtt} WebSocket. */
		WEB_SERVER(RelayEndpoint.WEB_SERVER);

		private final @Nullable RelayEndpoint endpoint;

		Route(@Nullable RelayEndpoint endpoint) {
			this.endpoint = endpoint;
		}

		@Nullable RelayEndpoint endpoint() {
			return this.endpoint;
		}

	}

}
