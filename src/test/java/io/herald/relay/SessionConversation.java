package io.herald.relay;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import io.netty.handler.codec.mqtt.MqttQoS;

import static io.netty.handler.codec.mqtt.MqttMessageType.CONNACK;
import static io.netty.handler.codec.mqtt.MqttMessageType.PINGRESP;
import static io.netty.handler.codec.mqtt.MqttMessageType.PUBACK;
import static io.netty.handler.codec.mqtt.MqttMessageType.PUBLISH;
import static io.netty.handler.codec.mqtt.MqttMessageType.SUBACK;

/**
 * Conversations about the session itself: connecting and disconnecting, client ids,
 * keep-alive pings, wills, persistent sessions and takeovers.
 */
enum SessionConversation implements Conversation {

	CONNECT_AND_DISCONNECT(false, (run) -> run.disconnect(run.connected("a"))),

	/** The broker assigns a client id, which MQTT 5 tells in the CONNACK. */
	EMPTY_CLIENT_ID(false, (run) -> {
		BareMqttClient client = run.open("a");
		client.send(run.connect("").build());
		client.await(CONNACK);
		run.disconnect(client);
	}),

	/**
	 * MQTT 3.1.1 refuses an empty client id for a session to keep; MQTT 5 leaves it to
	 * the broker.
	 */
	EMPTY_CLIENT_ID_WITHOUT_CLEAN_SESSION(false, (run) -> {
		BareMqttClient client = run.open("a");
		client.send(run.connect("").cleanSession(false).build());
		if (client.await(CONNACK).code() == 0) {
			run.disconnect(client);
		}
		else {
			client.awaitClosed();
		}
	}),

	PING(false, (run) -> {
		BareMqttClient client = run.connected("a");
		client.send(MqttMessage.PINGREQ);
		client.await(PINGRESP);
		client.send(MqttMessage.PINGREQ);
		client.await(PINGRESP);
		run.disconnect(client);
	}),

	/**
	 * CONNECT and what follows it in one write, before the CONNACK: Herald holds them
	 * while it decides.
	 */
	PIPELINED(false, (run) -> {
		BareMqttClient client = run.open("a");
		client.send(run.connect("a").build(), run.subscribe(1, MqttQoS.AT_LEAST_ONCE, "pipelined"),
				run.publish("pipelined", MqttQoS.AT_LEAST_ONCE, 2, "right behind the CONNECT").build(),
				MqttMessage.PINGREQ);
		client.await(CONNACK);
		client.await(SUBACK);
		client.await(PUBACK);
		run.received(client);
		client.await(PINGRESP);
		run.disconnect(client);
	}),

	WILL_WHEN_THE_CONNECTION_IS_RESET(false, (run) -> will(run, (client) -> client.drop(true), true)),

	/**
	 * A browser closing its tab closes the WebSocket properly, yet sends no DISCONNECT.
	 */
	WILL_WHEN_THE_CONNECTION_IS_CLOSED(false, (run) -> will(run, (client) -> client.drop(false), true)),

	NO_WILL_AFTER_DISCONNECT(false, (run) -> will(run, run::disconnect, false)),

	WILL_AFTER_DISCONNECT_WITH_WILL_MESSAGE(true, (run) -> will(run, (client) -> {
		client.send(MqttMessageBuilders.disconnect().reasonCode((byte) 0x04).build());
		client.awaitClosed();
	}, true)),

	/**
	 * Messages published while a persistent session is offline are delivered when it is
	 * resumed.
	 */
	PERSISTENT_SESSION_RESUMED_WITH_QUEUED_MESSAGES(false, (run) -> {
		BareMqttClient first = run.open("a");
		first.send(keptSession(run).build());
		first.await(CONNACK);
		first.send(run.subscribe(1, MqttQoS.AT_LEAST_ONCE, "queued"));
		first.await(SUBACK);
		run.disconnect(first);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("queued", MqttQoS.AT_LEAST_ONCE, 1, "first").build());
		run.published(publisher, run.publish("queued", MqttQoS.AT_LEAST_ONCE, 2, "second").build());
		BareMqttClient resumed = run.open("a resumed");
		resumed.send(keptSession(run).build());
		resumed.await(CONNACK);
		run.received(resumed);
		run.received(resumed);
		run.disconnect(resumed);
		endSession(run);
		run.disconnect(publisher);
	}),

	/**
	 * A message delivered but not acknowledged is delivered again, as a duplicate, on
	 * resuming.
	 */
	PERSISTENT_SESSION_RESUMED_WITH_AN_UNACKNOWLEDGED_MESSAGE(false, (run) -> {
		BareMqttClient first = run.open("a");
		first.send(keptSession(run).build());
		first.await(CONNACK);
		first.send(run.subscribe(1, MqttQoS.AT_LEAST_ONCE, "queued"));
		first.await(SUBACK);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("queued", MqttQoS.AT_LEAST_ONCE, 1, "unacknowledged").build());
		first.await(PUBLISH);
		first.drop(true);
		BareMqttClient resumed = run.open("a resumed");
		resumed.send(keptSession(run).build());
		resumed.await(CONNACK);
		run.received(resumed);
		run.disconnect(resumed);
		endSession(run);
		run.disconnect(publisher);
	}),

	/**
	 * MQTT 5: the broker processes an empty client id as if the client had sent the one
	 * it assigns, so a client reconnecting with that id resumes its session.
	 */
	ASSIGNED_CLIENT_ID_RESUMES_ITS_SESSION(true, (run) -> {
		BareMqttClient first = run.open("a");
		first.send(keptSession(run).clientId("").build());
		String assigned = first.await(CONNACK).assignedClientId();
		first.send(run.subscribe(1, MqttQoS.AT_LEAST_ONCE, "queued"));
		first.await(SUBACK);
		run.disconnect(first);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("queued", MqttQoS.AT_LEAST_ONCE, 1, "while away").build());
		BareMqttClient resumed = run.open("a resumed by its assigned id");
		resumed.send(keptSession(run).clientId(String.valueOf(assigned)).build());
		if (resumed.await(CONNACK).text().contains("sessionPresent=true")) {
			run.received(resumed);
		}
		run.disconnect(resumed);
		BareMqttClient clean = run.open("a clean");
		clean.send(run.connect("a").clientId(String.valueOf(assigned)).build());
		clean.await(CONNACK);
		run.disconnect(clean);
		run.disconnect(publisher);
	}),

	/**
	 * A second connection with the same client id takes the session over; the first is
	 * closed.
	 */
	SESSION_TAKEOVER(false, (run) -> {
		BareMqttClient first = run.connected("a");
		BareMqttClient second = run.open("a again");
		second.send(run.connect("a").build());
		second.await(CONNACK);
		first.awaitClosed();
		run.disconnect(second);
	});

	private final boolean mqtt5Only;

	private final Script script;

	SessionConversation(boolean mqtt5Only, Script script) {
		this.mqtt5Only = mqtt5Only;
		this.script = script;
	}

	@Override
	public boolean mqtt5Only() {
		return this.mqtt5Only;
	}

	@Override
	public void play(TransparencyRun run) throws Exception {
		this.script.play(run);
	}

	/**
	 * Client "a" connects with a will, then {@code leaves}; a subscriber watches the
	 * will's topic.
	 */
	private static void will(TransparencyRun run, Leaving leaves, boolean delivered) throws Exception {
		BareMqttClient watcher = run.connected("watcher");
		watcher.send(run.subscribe(1, MqttQoS.AT_LEAST_ONCE, "will"));
		watcher.await(SUBACK);
		BareMqttClient client = run.open("a");
		client.send(run.connect("a")
			.willFlag(true)
			.willTopic(run.topic("will"))
			.willMessage("a is gone".getBytes(StandardCharsets.UTF_8))
			.willQoS(MqttQoS.AT_LEAST_ONCE)
			.willProperties(Conversation.properties(run, new UserProperty("last", "words"),
					new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain")))
			.build());
		client.await(CONNACK);
		leaves.leave(client);
		if (delivered) {
			run.received(watcher);
		}
	}

	/**
	 * CONNECT for client "a" keeping its session: clean session off, MQTT 5 session
	 * expiry 5 minutes.
	 */
	private static MqttMessageBuilders.ConnectBuilder keptSession(TransparencyRun run) {
		return run.connect("a")
			.cleanSession(false)
			.properties(Conversation.properties(run,
					new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 300)));
	}

	/** Connect client "a" with a clean session, which ends the kept one. */
	private static void endSession(TransparencyRun run) {
		BareMqttClient clean = run.open("a clean");
		clean.send(run.connect("a").properties(MqttProperties.NO_PROPERTIES).build());
		clean.await(CONNACK);
		run.disconnect(clean);
	}

	@FunctionalInterface
	private interface Leaving {

		void leave(BareMqttClient client) throws Exception;

	}

}
