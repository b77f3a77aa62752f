package io.herald.relay;

import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * Conversations that break MQTT's rules, which the broker answers by closing the
 * connection (MQTT 5: with a DISCONNECT saying why, which the specification leaves to
 * it).
 *
 * <p>
 * Not among them, as an intended difference: a first packet other than CONNECT. Herald
 * closes at once (README, Security); HiveMQ ignores such a packet and closes only when
 * its wait for a CONNECT ends.
 */
enum RefusalConversation implements Conversation {

	SECOND_CONNECT(true, false, (run) -> {
		BareMqttClient client = run.connected("a");
		client.send(run.connect("a").build());
		client.awaitClosed();
	}),

	SUBSCRIBE_TO_AN_INVALID_FILTER(true, false, (run) -> {
		BareMqttClient client = run.connected("a");
		client.send(run.subscribe(1, MqttQoS.AT_LEAST_ONCE, "a/#/b"));
		client.awaitClosed();
	}),

	PUBLISH_TO_A_WILDCARD_TOPIC(true, false, (run) -> {
		BareMqttClient client = run.connected("a");
		client.send(run.publish("a/+", MqttQoS.AT_LEAST_ONCE, 1, "nowhere").build());
		client.awaitClosed();
	}),

	TOPIC_ALIAS_NEVER_SET(true, true, (run) -> alias(run, "", 3)),

	TOPIC_ALIAS_ZERO(true, true, (run) -> alias(run, "zero", 0)),

	/** Herald lets this through: only the broker knows its maximum. */
	TOPIC_ALIAS_ABOVE_THE_MAXIMUM(false, true, (run) -> alias(run, "too-high", 1000));

	private final boolean refusedByTheGate;

	private final boolean mqtt5Only;

	private final Script script;

	RefusalConversation(boolean refusedByTheGate, boolean mqtt5Only, Script script) {
		this.refusedByTheGate = refusedByTheGate;
		this.mqtt5Only = mqtt5Only;
		this.script = script;
	}

	@Override
	public boolean mqtt5Only() {
		return this.mqtt5Only;
	}

	@Override
	public boolean refusedByTheGate() {
		return this.refusedByTheGate;
	}

	@Override
	public void play(TransparencyRun run) throws Exception {
		this.script.play(run);
	}

	private static void alias(TransparencyRun run, String topic, int alias) {
		BareMqttClient client = run.connected("a");
		client.send(run.publish(topic, MqttQoS.AT_LEAST_ONCE, 1, "by alias")
			.properties(Conversation.properties(run, new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias)))
			.build());
		client.awaitClosed();
	}

}
