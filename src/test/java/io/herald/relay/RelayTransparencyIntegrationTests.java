package io.herald.relay;

import java.util.UUID;
import java.util.stream.Stream;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.NoNettyLeaks;
import io.herald.support.OpenTopics;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With every topic open, an MQTT client sees through Herald exactly what the embedded
 * broker alone shows it: each scripted conversation is played straight to the broker's
 * TCP port, through the relay listener and through the web server's {@code /mqtt}, and
 * what each client received (every packet, field by field) must be the same; and no
 * buffer may leak on the way.
 *
 * <p>
 * What may differ and is normalised: client ids and topics (unique per run), an assigned
 * client id (new on every connection; on MQTT 5 Herald assigns it, so that it resumes the
 * bound session), a message's remaining expiry. The broker sees each client id bound as
 * {@code |<client id>}; that must show nowhere a client looks, and does not.
 *
 * <p>
 * Intended differences (README, Security): on MQTT 5, a topic, filter or alias the gate
 * finds invalid closes the connection without the broker's DISCONNECT and reason
 * ({@link Conversation#refusedByTheGate()}); {@code #} reaches no {@code $}-topic
 * (below); a first packet other than CONNECT is closed at once (see
 * {@link RefusalConversation}).
 */
@HeraldIntegrationTest
@OpenTopics
@NoNettyLeaks
class RelayTransparencyIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("conversations")
	void clientSeesWhatTheBrokerAloneShows(Conversation conversation, MqttVersion version) throws Exception {
		RelayTransparency.check(conversation, version, this.context);
	}

	/**
	 * The intended difference a client can meet with rights {@code #}: they reach no
	 * {@code $}-topic (README, Security), so Herald answers a SUBSCRIBE to {@code $SYS/#}
	 * itself with a failure where the broker alone may grant it. That answer comes at
	 * once, and after the CONNACK even when the SUBSCRIBE came in the same message as the
	 * CONNECT.
	 */
	@ParameterizedTest(name = "{0}, {1}, in one message with the CONNECT: {2}")
	@MethodSource("endpointsAndVersions")
	void subscribeToDollarTopicsIsAnsweredByHeraldWithFailure(RelayEndpoint endpoint, MqttVersion version,
			boolean pipelined) {
		BareMqttClient client = BareMqttClient.webSocket("a", version, endpoint.uri(this.context));
		try {
			MqttMessage connect = MqttMessageBuilders.connect()
				.protocolVersion(version)
				.clientId("dollar-" + UUID.randomUUID())
				.cleanSession(true)
				.keepAlive(60)
				.build();
			MqttMessage subscribe = MqttMessageBuilders.subscribe()
				.messageId(1)
				.addSubscription(MqttQoS.AT_MOST_ONCE, "$SYS/#")
				.build();
			if (pipelined) {
				client.send(connect, subscribe);
			}
			else {
				client.send(connect);
				client.await(MqttMessageType.CONNACK);
				client.send(subscribe);
			}
			client.await(MqttMessageType.SUBACK);
			assertThat(client.transcript()).hasSize(2);
			assertThat(client.transcript().get(0)).startsWith("CONNACK");
			assertThat(client.transcript().get(1))
				.endsWith((version == MqttVersion.MQTT_5) ? "codes=[0x87]" : "codes=[0x80]");
		}
		finally {
			client.discard();
		}
	}

	static Stream<Arguments> conversations() {
		return Conversation.all();
	}

	static Stream<Arguments> endpointsAndVersions() {
		return Stream.of(RelayEndpoint.values())
			.flatMap((endpoint) -> Stream.of(MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5)
				.flatMap((version) -> Stream.of(false, true)
					.map((pipelined) -> Arguments.of(endpoint, version, pipelined))));
	}

}
