package io.herald.relay;

import java.util.stream.Stream;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A scripted MQTT conversation, played the same way on every route: what the clients send
 * may depend only on what they received, never on the route.
 */
interface Conversation {

	String name();

	/** Whether the conversation is about something only MQTT 5 has. */
	boolean mqtt5Only();

	/**
	 * Whether Herald's gate refuses what the client sends before the broker sees it:
	 * Herald then closes the connection without the DISCONNECT an MQTT 5 broker may send
	 * first.
	 */
	default boolean refusedByTheGate() {
		return false;
	}

	void play(TransparencyRun run) throws Exception;

	/**
	 * Every conversation with each MQTT version it applies to: 3.1.1 and 5, or 5 alone.
	 */
	static Stream<Arguments> all() {
		return Stream
			.<Conversation[]>of(SessionConversation.values(), DeliveryConversation.values(),
					RefusalConversation.values())
			.flatMap(Stream::of)
			.flatMap((conversation) -> Stream.of(MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5)
				.filter((version) -> version == MqttVersion.MQTT_5 || !conversation.mqtt5Only())
				.map((version) -> Arguments.of(conversation, version)));
	}

	/** MQTT 5 properties, for a packet of {@code run}'s version: none for MQTT 3.1.1. */
	static MqttProperties properties(TransparencyRun run, MqttProperties.MqttProperty<?>... properties) {
		MqttProperties all = new MqttProperties();
		if (run.mqtt5()) {
			for (MqttProperties.MqttProperty<?> property : properties) {
				all.add(property);
			}
		}
		return all;
	}

	/** A script step that may throw. */
	@FunctionalInterface
	interface Script {

		void play(TransparencyRun run) throws Exception;

	}

}
