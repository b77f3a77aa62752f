package io.herald.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.herald.broker.BrokerConnector;
import io.herald.security.TokenMinter;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.NoNettyLeaks;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * What a browser gets for input Herald refuses, on both endpoints, with anonymous
 * browsers' default rights: the MQTT answer where MQTT has one, then the close code and
 * reason, or the problem detail of a refused handshake; and that Herald then serves the
 * next browser as before.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.relay.connect-timeout=2s", "herald.relay.max-frame-size=256KB",
		"herald.relay.max-subscriptions=100" })
@NoNettyLeaks
class RelayBadInputIntegrationTests {

	private static final String ADMIN = TestTokens.admin();

	@Autowired
	private ApplicationContext context;

	@Autowired
	private RelayRegistry registry;

	@MockitoSpyBean
	private BrokerConnector connector;

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("mqtt311")
	void badInputIsAnsweredAndHeraldServesTheNextBrowser(BadInput input, RelayEndpoint endpoint) {
		check(input, endpoint);
	}

	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("mqtt5")
	void badInputOnMqtt5IsAnsweredWithReasonCodesAndHeraldServesTheNextBrowser(BadInput input, RelayEndpoint endpoint) {
		check(input, endpoint);
	}

	static Stream<Arguments> mqtt311() {
		return onBothEndpoints(
				BadInput.of("garbage bytes")
					.sends(hex("00 13 37 42"))
					.closes(1002, "Malformed MQTT: Reserved MQTT packet type 0"),
				BadInput.of("an HTTP request line as binary")
					.sends("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))
					.closes(1002, "Malformed MQTT: the first packet must be CONNECT"),
				BadInput.of("a 5-byte remaining length")
					.sends(hex("10 FF FF FF FF 01"))
					.closes(1002, "Malformed MQTT: MQTT remaining length longer than four bytes"),
				BadInput.of("a CONNECT shorter than its remaining length, then silence")
					.sends(hex("10 7F 00 04 4D 51 54 54 04 02"))
					.closes(1008, "No CONNECT within 2s (herald.relay.connect-timeout)")
					.closesNotBefore(Duration.ofMillis(1500)),
				BadInput.of("a CONNECT declaring the largest remaining length")
					.sends(hex("10 FF FF FF 7F"))
					.closes(1009,
							"MQTT packet of 268435455 bytes is larger than herald.relay.max-frame-size (262144 bytes)"),
				BadInput.of("a CONNECT whose user name runs past its end")
					// User name of 255 bytes, 1 there: the decoder would wait for the
					// rest of the packet.
					.sends(hex("10 10 00 04 4D 51 54 54 04 82 00 1E 00 01 61 00 FF 78"))
					.closes(1002, "Malformed MQTT: CONNECT: "),
				BadInput.of("a SUBSCRIBE whose filter runs past its end")
					.connects(null)
					.sends(hex("82 05 00 01 00 FF 61"))
					.answered("CONNACK 0x00")
					.closes(1002, "Malformed MQTT: SUBSCRIBE: ")
					.reachesBroker(),
				BadInput.of("an MQTT 3.1 client id over 23 characters with the identity before it")
					.offering("mqttv3.1")
					.speaks(MqttVersion.MQTT_3_1)
					.clientId("a-client-id-of-23-chars")
					.connects(null)
					.answered("CONNACK 0x02")
					.closes(1002, "Client id rejected"),
				BadInput.of("an empty MQTT 3.1 client id")
					.offering("mqttv3.1")
					.speaks(MqttVersion.MQTT_3_1)
					// MQIsdp level 3, clean session, keep-alive 30, client id "": no
					// encoder writes it.
					.sends(hex("10 0E 00 06 4D 51 49 73 64 70 03 02 00 1E 00 00"))
					.answered("CONNACK 0x02")
					.closes(1002, "Client id rejected: MQTT 3.1 allows 1 to 23 characters"),
				BadInput.of("a client id over 65,535 bytes with the identity before it")
					.clientId("x".repeat(65_535))
					.connects(ADMIN)
					.answered("CONNACK 0x02")
					.closes(1002, "Client id rejected"),
				BadInput.of("SUBSCRIBE before CONNECT")
					.sends(subscribe(1, "/news/#"))
					.closes(1002, "Malformed MQTT: the first packet must be CONNECT"),
				BadInput.of("a second CONNECT")
					.connects(null)
					.sends(MqttMessageBuilders.connect()
						.clientId("again")
						.protocolVersion(MqttVersion.MQTT_3_1_1)
						.build())
					.answered("CONNACK 0x00")
					.closes(1002, "Malformed MQTT: a second CONNECT")
					.reachesBroker(),
				BadInput.of("protocol name MQTT with level 3")
					.sends(hex("10 0D 00 04 4D 51 54 54 03 02 00 1E 00 01 61"))
					.answered("CONNACK 0x01")
					.closes(1002, "Unacceptable MQTT protocol version"),
				BadInput.of("a PUBLISH topic with U+0000")
					.connects(ADMIN)
					.sends(publish(MqttVersion.MQTT_3_1_1, "/news/a\u0000b", 0, 1))
					.answered("CONNACK 0x00")
					.closes(1002, "Malformed MQTT: PUBLISH topic must not contain U+0000")
					.reachesBroker(),
				BadInput.of("a PUBLISH topic with invalid UTF-8")
					// Topic "/news/" and C3 28: a two-byte sequence whose second byte is
					// no continuation.
					.connects(ADMIN)
					.sends(hex("30 0B 00 08 2F 6E 65 77 73 2F C3 28 78"))
					.answered("CONNACK 0x00")
					.closes(1002, "Malformed MQTT: PUBLISH topic is not valid UTF-8")
					.reachesBroker(),
				BadInput.of("an empty topic filter")
					.connects(null)
					.sends(subscribe(2, ""))
					.answered("CONNACK 0x00")
					.closes(1002, "Malformed MQTT: topic filter must not be empty")
					.reachesBroker(),
				BadInput.of("10,000 filters in one SUBSCRIBE")
					.connects(null)
					.sends(subscribe(3, newsFilters(10_000)))
					.awaits(MqttMessageType.SUBACK)
					.pings()
					.answered("CONNACK 0x00", "SUBACK [0x01 ×100, 0x80 ×9900]", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("only a denied filter")
					.connects(null)
					.sends(subscribe(4, "/secret/#"))
					.awaits(MqttMessageType.SUBACK)
					.pings()
					.answered("CONNACK 0x00", "SUBACK [0x80]", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("only a denied filter, in the CONNECT's message")
					.connectsWith(null, BadInput.bytes(subscribe(5, "/secret/#"), MqttVersion.MQTT_3_1_1))
					.awaits(MqttMessageType.SUBACK)
					.pings()
					.answered("CONNACK 0x00", "SUBACK [0x80]", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("a QoS 1 PUBLISH outside the rights")
					.connects(null)
					.sends(publish(MqttVersion.MQTT_3_1_1, "/news/x", 1, 1))
					.answered("CONNACK 0x00")
					.closes(1008, "Not authorized to publish to /news/x")
					.reachesBroker(),
				BadInput.of("a 10 MiB PUBLISH")
					.connects(ADMIN)
					.startsSending(publish(MqttVersion.MQTT_3_1_1, "/news/big", 1, 10 * 1024 * 1024))
					.answered("CONNACK 0x00")
					.closes(1009, "Message larger than herald.relay.max-frame-size (262144 bytes)")
					.reachesBroker(),
				BadInput.of("a text frame").sendsText("CONNECT").closes(1003, "Text messages not supported"),
				BadInput.of("no subprotocol").offering().refused(400, "Sec-WebSocket-Protocol must offer mqtt"),
				BadInput.of("a foreign Origin")
					.header("Origin", "https://evil.example")
					.refused(403, "Origin https://evil.example is not allowed (herald.relay.allowed-origins)"),
				BadInput.of("a token signed with another key")
					.connects(signedWithAnotherKey())
					.answered("CONNACK 0x05")
					.closes(1008, "Not authorized: Token refused"),
				BadInput.of("a token with alg none")
					.connects(unsigned())
					.answered("CONNACK 0x05")
					.closes(1008, "Not authorized: Token refused"),
				BadInput.of("an expired token")
					.connects(expired())
					.answered("CONNACK 0x05")
					.closes(1008, "Not authorized: Token refused"),
				BadInput.of("a token without exp")
					.connects(withoutExpiry())
					.answered("CONNACK 0x05")
					.closes(1008, "Not authorized: Token refused"),
				BadInput.of("an expired token in access_token")
					.urlToken(expired())
					.connects(null)
					.answered("CONNACK 0x05")
					.closes(1008, "Not authorized: Token refused"),
				BadInput.of("a SUBSCRIBE shorter than its remaining length, then silence (keep-alive 1s)")
					.connects(null, 1)
					.sends(hex("82 7F 00 01"))
					.answered("CONNACK 0x00")
					.closes(1011, "Broker closed the connection")
					.reachesBroker());
	}

	static Stream<Arguments> mqtt5() {
		return onBothEndpoints(
				BadInput.of("a token signed with another key")
					.mqtt5()
					.connects(signedWithAnotherKey())
					.answered("CONNACK 0x87")
					.closes(1008, "Not authorized: Token refused"),
				BadInput.of("a QoS 1 PUBLISH outside the rights")
					.mqtt5()
					.connects(null)
					.sends(publish(MqttVersion.MQTT_5, "/news/x", 1, 1))
					.awaits(MqttMessageType.PUBACK)
					.pings()
					.answered("CONNACK 0x00", "PUBACK #7 0x87", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("a QoS 1 PUBLISH outside the rights, in the CONNECT's message")
					.mqtt5()
					.connectsWith(null, publish(MqttVersion.MQTT_5, "/news/x", 1, 1))
					.awaits(MqttMessageType.PUBACK)
					.pings()
					.answered("CONNACK 0x00", "PUBACK #7 0x87", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("a QoS 0 PUBLISH outside the rights")
					.mqtt5()
					.connects(null)
					.sends(publish(MqttVersion.MQTT_5, "/news/x", 0, 1))
					.pings()
					.answered("CONNACK 0x00", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("a denied filter beside an allowed one")
					.mqtt5()
					.connects(null)
					.sends(subscribe(4, "/secret/#", "/news/y"))
					.awaits(MqttMessageType.SUBACK)
					.pings()
					.answered("CONNACK 0x00", "SUBACK [0x87, 0x01]", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("only a denied filter, with a subscription identifier")
					.mqtt5()
					.connects(null)
					.sends(MqttMessageBuilders.subscribe()
						.messageId(5)
						.properties(subscriptionIdentifier(42))
						.addSubscription(MqttQoS.AT_LEAST_ONCE, "/secret/#")
						.build())
					.awaits(MqttMessageType.SUBACK)
					.pings()
					.answered("CONNACK 0x00", "SUBACK [0x87]", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("10,000 filters in one SUBSCRIBE")
					.mqtt5()
					.connects(null)
					.sends(subscribe(6, newsFilters(10_000)))
					.awaits(MqttMessageType.SUBACK)
					.pings()
					.answered("CONNACK 0x00", "SUBACK [0x01 ×100, 0x97 ×9900]", "PINGRESP")
					.disconnects()
					.reachesBroker(),
				BadInput.of("a PUBLISH by a topic alias never set")
					.mqtt5()
					.connects(ADMIN)
					.sends(publishByAlias(3))
					.answered("CONNACK 0x00")
					.closes(1002, "Malformed MQTT: PUBLISH by topic alias 3 never set")
					.reachesBroker());
	}

	private void check(BadInput input, RelayEndpoint endpoint) {
		clearInvocations(this.connector);
		input.check(endpoint.uri(this.context));
		verify(this.connector, times(input.brokerConnections())).connect(any(ChannelInitializer.class),
				any(EventLoop.class));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.size() == 0);
		assertServesTheNextBrowser(endpoint);
	}

	private void assertServesTheNextBrowser(RelayEndpoint endpoint) {
		assertThat(TestHttp.get("https://localhost:" + this.port + "/actuator/health/liveness").getStatusCode().value())
			.isEqualTo(200);
		MqttWebSocketClient client = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
		client.send(MqttMessageBuilders.connect()
			.clientId("next-browser")
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.hasUser(true)
			.username("token")
			.hasPassword(true)
			.password(ADMIN.getBytes(StandardCharsets.UTF_8))
			.build());
		assertThat(BadInput.describe(client.awaitMessage(MqttMessageType.CONNACK))).isEqualTo("CONNACK 0x00");
		client.send(MqttMessage.DISCONNECT);
		assertThat(client.awaitCloseCode()).isEqualTo(1000);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.size() == 0);
	}

	private static Stream<Arguments> onBothEndpoints(BadInput... inputs) {
		return Arrays.stream(inputs)
			.flatMap((input) -> Arrays.stream(RelayEndpoint.values()).map((endpoint) -> Arguments.of(input, endpoint)));
	}

	private static byte[] hex(String bytes) {
		return HexFormat.ofDelimiter(" ").parseHex(bytes);
	}

	private static MqttMessage subscribe(int packetId, String... filters) {
		MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(packetId);
		for (String filter : filters) {
			subscribe.addSubscription(MqttQoS.AT_LEAST_ONCE, filter);
		}
		return subscribe.build();
	}

	/** Distinct filters anonymous browsers may subscribe to. */
	private static String[] newsFilters(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "/news/x/" + i).toArray(String[]::new);
	}

	private static byte[] publish(MqttVersion version, String topic, int qos, int payloadBytes) {
		return BadInput.bytes(MqttMessageBuilders.publish()
			.topicName(topic)
			.qos(MqttQoS.valueOf(qos))
			.messageId(7)
			.payload(Unpooled.wrappedBuffer(new byte[payloadBytes]))
			.build(), version);
	}

	private static byte[] publishByAlias(int alias) {
		MqttProperties properties = new MqttProperties();
		properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value(), alias));
		return BadInput.bytes(MqttMessageBuilders.publish()
			.topicName("")
			.qos(MqttQoS.AT_MOST_ONCE)
			.properties(properties)
			.payload(Unpooled.wrappedBuffer(new byte[1]))
			.build(), MqttVersion.MQTT_5);
	}

	private static MqttProperties subscriptionIdentifier(int identifier) {
		MqttProperties properties = new MqttProperties();
		properties.add(new MqttProperties.IntegerProperty(
				MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), identifier));
		return properties;
	}

	private static String signedWithAnotherKey() {
		return new TokenMinter("another-hs256-secret-that-herald-does-not-know").mint("test-client",
				Map.of("all", List.of("#")), Duration.ofMinutes(30));
	}

	/** An unsecured JWT (RFC 7519, section 6): {@code alg: none} and no signature. */
	private static String unsigned() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		long now = Instant.now().getEpochSecond();
		String claims = "{\"sub\":\"test-client\",\"iat\":" + now + ",\"exp\":" + (now + 1800)
				+ ",\"acl\":{\"all\":[\"#\"]}}";
		return base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
	}

	private static String expired() {
		long now = Instant.now().getEpochSecond();
		return TestTokens.withClaims(
				Map.of("sub", "test-client", "iat", now - 7200, "exp", now - 3600, "acl", Map.of("all", List.of("#"))));
	}

	private static String withoutExpiry() {
		return TestTokens.withClaims(Map.of("sub", "test-client", "iat", Instant.now().getEpochSecond(), "acl",
				Map.of("all", List.of("#"))));
	}

}
