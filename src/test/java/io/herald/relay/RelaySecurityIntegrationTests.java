package io.herald.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.broker.BrokerEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.PahoClients;
import io.herald.support.TestTokens;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens and rights on real WebSockets, on both endpoints: where the token may be, what
 * it grants, when it ends, and that one identity cannot take over another's session.
 */
@HeraldIntegrationTest
class RelaySecurityIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerEndpoint broker;

	private final List<MqttWebSocketClient> clients = new java.util.ArrayList<>();

	private final List<MqttClient> pahoClients = new java.util.ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(MqttWebSocketClient::abort);
		this.pahoClients.forEach(PahoClients::closeQuietly);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void tokenRightsDecideEachFilterOfOneSubscribe(RelayEndpoint endpoint) throws Exception {
		MqttWebSocketClient browser = connected(endpoint.uri(this.context), TestTokens.subscribing("/news/europe/+"),
				"rights");
		browser.send(MqttMessageBuilders.subscribe()
			.messageId(11)
			.addSubscription(MqttQoS.AT_LEAST_ONCE, "/news/europe/sport")
			.addSubscription(MqttQoS.AT_LEAST_ONCE, "/news/+/sport")
			.addSubscription(MqttQoS.AT_MOST_ONCE, "/news/europe/+")
			.build());
		MqttSubAckMessage subAck = (MqttSubAckMessage) browser.awaitMessage(MqttMessageType.SUBACK);
		assertThat(subAck.variableHeader().messageId()).isEqualTo(11);
		assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x80, 0);

		publishToBroker("/news/asia/sport", "not for this token");
		publishToBroker("/news/europe/sport", "goal");
		MqttMessage delivered = browser.awaitMessage(MqttMessageType.PUBLISH);
		assertThat(((io.netty.handler.codec.mqtt.MqttPublishMessage) delivered).variableHeader().topicName())
			.isEqualTo("/news/europe/sport");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void tokenOnTheUrlIsUsedWithoutPassword(RelayEndpoint endpoint) {
		URI uri = URI.create(endpoint.uri(this.context) + "?access_token=" + TestTokens.admin());
		MqttWebSocketClient browser = open(uri);
		browser.send(connect("url-token", null));
		assertThat(returnCode(browser)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void passwordWinsOverTheUrlToken(RelayEndpoint endpoint) {
		URI uri = URI.create(endpoint.uri(this.context) + "?access_token=" + TestTokens.admin());
		MqttWebSocketClient browser = open(uri);
		browser.send(connect("password-wins", "not-a-token"));
		assertThat(returnCode(browser)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
		assertThat(browser.awaitCloseCode()).isEqualTo(1008);
		assertThat(browser.closeReason()).startsWith("Not authorized");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void sessionEndsWhenTheTokenExpires(RelayEndpoint endpoint) {
		long exp = Instant.now().plusSeconds(3).getEpochSecond();
		String token = TestTokens
			.withClaims(Map.of("sub", "brief", "exp", exp, "acl", Map.of("sub", List.of("/news/#"))));
		MqttWebSocketClient browser = connected(endpoint.uri(this.context), token, "brief");
		assertThat(browser.awaitCloseCode()).isEqualTo(1008);
		assertThat(browser.closeReason()).isEqualTo("Token expired");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void sameClientIdUnderAnotherIdentityTakesNothingOver(RelayEndpoint endpoint) throws Exception {
		MqttWebSocketClient alice = connected(endpoint.uri(this.context),
				TestTokens.withClaims(Map.of("sub", "alice", "exp", inAnHour(), "acl", Map.of("sub", List.of("#")))),
				"shared-id");
		MqttWebSocketClient mallory = connected(endpoint.uri(this.context),
				TestTokens.withClaims(Map.of("sub", "mallory", "exp", inAnHour(), "acl", Map.of("sub", List.of("#")))),
				"shared-id");
		// Had the broker seen one client id twice, it would have dropped alice's session
		// for mallory's.
		alice.send(
				MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, "/news/#").build());
		assertThat(alice.awaitMessage(MqttMessageType.SUBACK)).isNotNull();
		mallory.send(
				MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, "/news/#").build());
		assertThat(mallory.awaitMessage(MqttMessageType.SUBACK)).isNotNull();
		publishToBroker("/news/europe/sport", "both");
		assertThat(alice.awaitMessage(MqttMessageType.PUBLISH)).isNotNull();
		assertThat(mallory.awaitMessage(MqttMessageType.PUBLISH)).isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void anonymousBrowserMayNotPublish(RelayEndpoint endpoint) {
		MqttWebSocketClient browser = connected(endpoint.uri(this.context), null, "anonymous-publisher");
		browser.send(MqttMessageBuilders.publish()
			.topicName("/news/europe/sport")
			.qos(MqttQoS.AT_LEAST_ONCE)
			.messageId(3)
			.payload(io.netty.buffer.Unpooled.copiedBuffer("fake", StandardCharsets.UTF_8))
			.build());
		assertThat(browser.awaitCloseCode()).isEqualTo(1008);
		assertThat(browser.closeReason()).isEqualTo("Not authorized to publish to /news/europe/sport");
	}

	private MqttWebSocketClient connected(URI uri, @Nullable String token, String clientId) {
		MqttWebSocketClient browser = open(uri);
		browser.send(connect(clientId, token));
		assertThat(returnCode(browser)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		return browser;
	}

	private MqttWebSocketClient open(URI uri) {
		MqttWebSocketClient browser = MqttWebSocketClient.connect(uri, "mqtt");
		this.clients.add(browser);
		return browser;
	}

	private static MqttMessage connect(String clientId, @Nullable String token) {
		MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.clientId(clientId)
			.cleanSession(true)
			.keepAlive(60);
		if (token != null) {
			connect.hasUser(true).username("token").hasPassword(true).password(token.getBytes(StandardCharsets.UTF_8));
		}
		return connect.build();
	}

	private static MqttConnectReturnCode returnCode(MqttWebSocketClient browser) {
		return ((MqttConnAckMessage) browser.awaitMessage(MqttMessageType.CONNACK)).variableHeader()
			.connectReturnCode();
	}

	private void publishToBroker(String topic, String payload) throws Exception {
		MqttClient publisher = PahoClients.connect(this.broker.uri().toString(), MqttConnectOptions.MQTT_VERSION_3_1_1);
		this.pahoClients.add(publisher);
		publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
	}

	private static long inAnHour() {
		return Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
	}

	/** With anonymous browsers refused. */
	@Nested
	@TestPropertySource(properties = "herald.security.anonymous.enabled=false")
	class AnonymousDisabled {

		@Autowired
		private ApplicationContext nestedContext;

		@ParameterizedTest(name = "{0}")
		@EnumSource
		void browserWithoutTokenIsNotAuthorized(RelayEndpoint endpoint) {
			MqttWebSocketClient browser = MqttWebSocketClient.connect(endpoint.uri(this.nestedContext), "mqtt");
			RelaySecurityIntegrationTests.this.clients.add(browser);
			browser.send(connect("nobody", null));
			assertThat(returnCode(browser)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
			assertThat(browser.awaitCloseCode()).isEqualTo(1008);
			assertThat(browser.closeReason()).contains("herald.security.anonymous.enabled");
		}

	}

	/** With the gate off: bytes pass unread, as behind another gateway. */
	@Nested
	@TestPropertySource(properties = "herald.security.enabled=false")
	class SecurityDisabled {

		@Autowired
		private ApplicationContext nestedContext;

		@Autowired
		private BrokerEndpoint nestedBroker;

		@ParameterizedTest(name = "{0}")
		@EnumSource
		void anonymousBrowserMayPublishAnywhere(RelayEndpoint endpoint) throws Exception {
			BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
			MqttClient subscriber = PahoClients.connect(this.nestedBroker.uri().toString(),
					MqttConnectOptions.MQTT_VERSION_3_1_1);
			RelaySecurityIntegrationTests.this.pahoClients.add(subscriber);
			subscriber.subscribe("/private/#", 1, (topic, message) -> arrived.add(topic));
			MqttClient publisher = PahoClients.connect(endpoint.uri(this.nestedContext).toString(),
					MqttConnectOptions.MQTT_VERSION_3_1_1);
			RelaySecurityIntegrationTests.this.pahoClients.add(publisher);
			publisher.publish("/private/x", new byte[] { 1 }, 1, false);
			assertThat(arrived.poll(15, TimeUnit.SECONDS)).isEqualTo("/private/x");
		}

	}

}
