package io.herald.relay;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;

import static io.netty.handler.codec.mqtt.MqttMessageType.CONNACK;
import static io.netty.handler.codec.mqtt.MqttMessageType.SUBACK;
import static io.netty.handler.codec.mqtt.MqttMessageType.UNSUBACK;
import static io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE;
import static io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE;
import static io.netty.handler.codec.mqtt.MqttQoS.EXACTLY_ONCE;

/**
 * Conversations about subscriptions and messages: SUBACK codes, retained messages, the
 * three QoS flows both ways, unsubscribing, MQTT 5 subscription options, properties and
 * topic aliases.
 */
enum DeliveryConversation implements Conversation {

	SUBSCRIBE_TO_SEVERAL_FILTERS(false, (run) -> {
		BareMqttClient client = run.connected("a");
		client.send(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(AT_MOST_ONCE, run.topic("a"))
			.addSubscription(AT_LEAST_ONCE, run.topic("+/b"))
			.addSubscription(EXACTLY_ONCE, run.topic("#"))
			.build());
		client.await(SUBACK);
		// The same filter again, at another QoS: it replaces the first.
		client.send(run.subscribe(2, EXACTLY_ONCE, "a"));
		client.await(SUBACK);
		run.disconnect(client);
	}),

	RETAINED_MESSAGE_THEN_SUBSCRIBE(false, (run) -> {
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("kept", AT_LEAST_ONCE, 1, "kept").retained(true).build());
		BareMqttClient subscriber = run.connected("subscriber");
		subscriber.send(run.subscribe(1, AT_LEAST_ONCE, "kept"));
		subscriber.await(SUBACK);
		run.received(subscriber);
		// Every SUBSCRIBE sends the retained message again, at the new subscription's
		// QoS.
		subscriber.send(run.subscribe(2, AT_MOST_ONCE, "kept"));
		subscriber.await(SUBACK);
		run.received(subscriber);
		// An empty retained message clears it, and reaches the subscriber as a live one.
		run.published(publisher, run.publish("kept", AT_LEAST_ONCE, 2, "").retained(true).build());
		run.received(subscriber);
		subscriber.send(run.subscribe(3, AT_LEAST_ONCE, "kept"));
		subscriber.await(SUBACK);
		run.disconnect(subscriber);
		run.disconnect(publisher);
	}),

	QOS_0(false, (run) -> flow(run, AT_MOST_ONCE, AT_MOST_ONCE)),

	QOS_1(false, (run) -> flow(run, AT_LEAST_ONCE, AT_LEAST_ONCE)),

	QOS_2(false, (run) -> flow(run, EXACTLY_ONCE, EXACTLY_ONCE)),

	/** A message is delivered at the lower of its QoS and the subscription's. */
	QOS_2_TO_A_QOS_1_SUBSCRIPTION(false, (run) -> flow(run, EXACTLY_ONCE, AT_LEAST_ONCE)),

	UNSUBSCRIBE(false, (run) -> {
		BareMqttClient subscriber = run.connected("subscriber");
		subscriber.send(run.subscribe(1, AT_LEAST_ONCE, "gone", "stays"));
		subscriber.await(SUBACK);
		subscriber.send(run.unsubscribe(2, "gone", "never-subscribed"));
		subscriber.await(UNSUBACK);
		BareMqttClient publisher = run.connected("publisher");
		// Same publisher, same QoS: had "gone" been delivered, it would have come first.
		run.published(publisher, run.publish("gone", AT_LEAST_ONCE, 1, "not delivered").build());
		run.published(publisher, run.publish("stays", AT_LEAST_ONCE, 2, "delivered").build());
		run.received(subscriber);
		run.disconnect(subscriber);
		run.disconnect(publisher);
	}),

	SUBSCRIPTION_OPTIONS(true, (run) -> {
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("kept", AT_LEAST_ONCE, 1, "kept").retained(true).build());
		BareMqttClient subscriber = run.connected("subscriber");
		subscribe(run, subscriber, 1, "kept", option(false, false, RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE));
		// Only for a subscription that did not exist yet: not this time...
		subscribe(run, subscriber, 2, "kept",
				option(false, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS));
		subscriber.send(run.unsubscribe(3, "kept"));
		subscriber.await(UNSUBACK);
		// ...but after unsubscribing.
		subscribe(run, subscriber, 4, "kept",
				option(false, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS));
		run.received(subscriber);
		subscribe(run, subscriber, 5, "kept", option(false, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
		run.received(subscriber);
		subscriber.send(MqttMessageBuilders.subscribe()
			.messageId(6)
			.addSubscription(run.topic("as-published"), option(false, true, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))
			.addSubscription(run.topic("plain"), option(false, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))
			.properties(Conversation.properties(run,
					new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 7)))
			.build());
		subscriber.await(SUBACK);
		run.published(publisher,
				run.publish("as-published", AT_LEAST_ONCE, 2, "retain flag kept").retained(true).build());
		run.received(subscriber);
		run.published(publisher, run.publish("plain", AT_LEAST_ONCE, 3, "retain flag cleared").retained(true).build());
		run.received(subscriber);
		// No local: the subscriber's own message reaches the other subscriber only.
		subscribe(run, subscriber, 8, "own", option(true, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
		subscribe(run, publisher, 9, "own", option(false, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
		run.published(subscriber, run.publish("own", AT_LEAST_ONCE, 10, "not to myself").build());
		run.received(publisher);
		run.disconnect(subscriber);
		for (String topic : new String[] { "kept", "as-published", "plain" }) {
			run.published(publisher, run.publish(topic, AT_LEAST_ONCE, 11, "").retained(true).build());
		}
		run.disconnect(publisher);
	}),

	PROPERTIES(true, (run) -> {
		BareMqttClient subscriber = run.open("subscriber");
		subscriber.send(run.connect("subscriber")
			.properties(Conversation.properties(run, new UserProperty("client", "scripted"),
					new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), 10),
					new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 1024 * 1024),
					new IntegerProperty(MqttPropertyType.REQUEST_PROBLEM_INFORMATION.value(), 1)))
			.build());
		subscriber.await(CONNACK);
		subscriber.send(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(AT_LEAST_ONCE, run.topic("news"))
			.properties(Conversation.properties(run, new UserProperty("why", "testing"),
					new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 42)))
			.build());
		subscriber.await(SUBACK);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("news", AT_LEAST_ONCE, 1, "with properties")
			.properties(Conversation.properties(run, new UserProperty("a", "1"), new UserProperty("a", "2"),
					new UserProperty("b", "3"), new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain"),
					new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), run.topic("replies")),
					new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(),
							"request-1".getBytes(StandardCharsets.UTF_8)),
					new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1),
					new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 3600)))
			.build());
		run.received(subscriber);
		subscriber.send(MqttMessageBuilders.unsubscribe()
			.messageId(2)
			.addTopicFilter(run.topic("news"))
			.properties(Conversation.properties(run, new UserProperty("why", "done")))
			.build());
		subscriber.await(UNSUBACK);
		subscriber.send(MqttMessageBuilders.disconnect()
			.properties(Conversation.properties(run, new UserProperty("bye", "now")))
			.build());
		subscriber.awaitClosed();
		run.disconnect(publisher);
	}),

	/** Topic aliases the client sets, uses, and sets again. */
	TOPIC_ALIAS(true, (run) -> {
		BareMqttClient subscriber = run.connected("subscriber");
		subscriber.send(run.subscribe(1, AT_LEAST_ONCE, "first", "second"));
		subscriber.await(SUBACK);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, aliased(run, "first", 1, 1, "sets alias 1"));
		run.published(publisher, aliased(run, "", 1, 2, "by alias 1"));
		run.published(publisher, aliased(run, "second", 1, 3, "sets alias 1 again"));
		run.published(publisher, aliased(run, "", 1, 4, "by alias 1 again"));
		for (int i = 0; i < 4; i++) {
			run.received(subscriber);
		}
		run.disconnect(subscriber);
		run.disconnect(publisher);
	}),

	/** A shared subscription ($share/group/filter) receives what its filter matches. */
	SHARED_SUBSCRIPTION(false, (run) -> {
		BareMqttClient subscriber = run.connected("subscriber");
		subscriber.send(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(AT_LEAST_ONCE, "$share/group/" + run.topic("shared"))
			.build());
		subscriber.await(SUBACK);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("shared", AT_LEAST_ONCE, 1, "to the group").build());
		run.received(subscriber);
		run.disconnect(subscriber);
		run.disconnect(publisher);
	});

	private final boolean mqtt5Only;

	private final Script script;

	DeliveryConversation(boolean mqtt5Only, Script script) {
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
	 * A publisher sends at {@code published} QoS to a subscription at {@code subscribed}
	 * QoS, then the subscriber to itself: both directions of each flow on both
	 * connections.
	 */
	private static void flow(TransparencyRun run, MqttQoS published, MqttQoS subscribed) {
		BareMqttClient subscriber = run.connected("subscriber");
		subscriber.send(run.subscribe(1, subscribed, "flow"));
		subscriber.await(SUBACK);
		BareMqttClient publisher = run.connected("publisher");
		run.published(publisher, run.publish("flow", published, 1, "from the publisher").build());
		run.received(subscriber);
		run.published(subscriber, run.publish("flow", published, 2, "to myself").build());
		run.received(subscriber);
		run.published(publisher, run.publish("nobody-listens", published, 3, "to no one").build());
		run.disconnect(subscriber);
		run.disconnect(publisher);
	}

	private static void subscribe(TransparencyRun run, BareMqttClient client, int packetId, String topic,
			MqttSubscriptionOption option) {
		client.send(
				MqttMessageBuilders.subscribe().messageId(packetId).addSubscription(run.topic(topic), option).build());
		client.await(SUBACK);
	}

	private static MqttSubscriptionOption option(boolean noLocal, boolean retainAsPublished,
			RetainedHandlingPolicy retainHandling) {
		return new MqttSubscriptionOption(AT_LEAST_ONCE, noLocal, retainAsPublished, retainHandling);
	}

	private static MqttPublishMessage aliased(TransparencyRun run, String topic, int alias, int packetId,
			String payload) {
		return run.publish(topic, AT_LEAST_ONCE, packetId, payload)
			.properties(Conversation.properties(run, new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias)))
			.build();
	}

}
