package io.herald.system;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.relay.RelayEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.PahoClients;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIGKILL to the broker, with a browser on each relay endpoint, and a new broker on the
 * same port: the browsers are closed with 1011 and the reason, readiness goes DOWN, new
 * browsers are refused with 1011 and REST publishes get 503 with {@code Retry-After}
 * while it is gone; once it is back, readiness is UP, the feed has resubscribed, REST
 * publishes are accepted and new browsers on both endpoints subscribe and receive.
 * Herald's own settings are the defaults, so the printed timings are those a deployment
 * sees.
 */
@HeraldIntegrationTest
class BrokerKillIntegrationTests extends WithExternalMosquitto {

	private static final Duration WAIT = Duration.ofSeconds(40);

	private static final String TOPICS = "/news/broker-kill-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	private final Map<RelayEndpoint, MqttWebSocketClient> browsers = new EnumMap<>(RelayEndpoint.class);

	private MqttClient publisher;

	@AfterEach
	void closeClients() {
		this.browsers.values().forEach(MqttWebSocketClient::abort);
		PahoClients.closeQuietly(this.publisher);
	}

	@Test
	void browsersGet1011AndEverythingRecoversOnceTheKilledBrokerIsBack() {
		RestClient http = TestHttp.client(this.port, TestTokens.admin());
		await().atMost(WAIT).until(() -> readiness(http).getStatusCode(), HttpStatus.OK::equals);
		Map<RelayEndpoint, Long> closedAt = new ConcurrentHashMap<>();
		for (RelayEndpoint endpoint : RelayEndpoint.values()) {
			MqttWebSocketClient browser = subscribedBrowser(endpoint, "killed-");
			browser.whenClosed(() -> closedAt.put(endpoint, System.nanoTime()));
			this.browsers.put(endpoint, browser);
		}
		assertThat(publish(http, "/before").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.browsers.values().forEach((browser) -> assertThat(receivedTopic(browser)).isEqualTo(TOPICS + "/before"));

		long killed = System.nanoTime();
		mosquitto.kill();

		this.browsers.forEach((endpoint, browser) -> {
			assertThat(browser.awaitCloseCode()).as("%s close code", endpoint).isEqualTo(1011);
			assertThat(browser.closeReason()).as("%s close reason", endpoint).isEqualTo("Broker closed the connection");
		});
		await("readiness DOWN").atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> readiness(http).getStatusCode(), HttpStatus.SERVICE_UNAVAILABLE::equals);
		long down = System.nanoTime();
		JsonNode broker = readiness(http).getBody().at("/components/broker");
		assertThat(broker.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(broker.at("/details/error").stringValue()).contains("Connection refused");
		long publishing = System.nanoTime();
		assertPublishRefused(http);
		long answered = System.nanoTime();
		for (RelayEndpoint endpoint : RelayEndpoint.values()) {
			assertBrowserRefused(endpoint);
		}

		long restarting = System.nanoTime();
		mosquitto = mosquitto.restart();
		long restarted = System.nanoTime();

		await("readiness UP").atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> readiness(http).getStatusCode(), HttpStatus.OK::equals);
		long up = System.nanoTime();
		assertThat(readiness(http).getBody().at("/components/broker/details/subscribers/feedInbound").stringValue())
			.isEqualTo("subscribed");
		publishToBroker("/restarted");
		await("the feed resubscribed").atMost(WAIT).until(() -> newestInHistory(http), (TOPICS + "/restarted")::equals);
		assertThat(publish(http, "/accepted-again").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.browsers.values().forEach(MqttWebSocketClient::abort);
		for (RelayEndpoint endpoint : RelayEndpoint.values()) {
			this.browsers.put(endpoint, subscribedBrowser(endpoint, "after-"));
		}
		assertThat(publish(http, "/after").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.browsers.values().forEach((browser) -> assertThat(receivedTopic(browser)).isEqualTo(TOPICS + "/after"));

		closedAt.forEach((endpoint, at) -> System.out
			.printf("Broker SIGKILL: %s browser closed with 1011 after %d ms%n", endpoint, millis(killed, at)));
		System.out.printf("Broker SIGKILL: readiness DOWN after %d ms, a REST publish answered 503 in %d ms%n",
				millis(killed, down), millis(publishing, answered));
		System.out.printf("Broker restart: listening after %d ms, readiness UP %d ms after it listened%n",
				millis(restarting, restarted), millis(restarted, up));
	}

	private static void assertPublishRefused(RestClient http) {
		ResponseEntity<JsonNode> refused = publish(http, "/while-gone");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getBody().get("detail").stringValue()).startsWith("The broker did not accept the message");
	}

	/** A browser arriving while no broker listens is told so, and why. */
	private void assertBrowserRefused(RelayEndpoint endpoint) {
		MqttWebSocketClient browser = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
		browser.send(connect("while-gone-", endpoint));
		MqttConnAckMessage connAck = (MqttConnAckMessage) browser.awaitMessage(MqttMessageType.CONNACK);
		assertThat(connAck.variableHeader().connectReturnCode()).as("%s CONNACK", endpoint)
			.isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
		assertThat(browser.awaitCloseCode()).as("%s close code", endpoint).isEqualTo(1011);
		assertThat(browser.closeReason()).as("%s close reason", endpoint)
			.startsWith("Broker unreachable: ")
			.contains("Connection refused");
	}

	private MqttWebSocketClient subscribedBrowser(RelayEndpoint endpoint, String clientIdPrefix) {
		MqttWebSocketClient browser = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
		browser.send(connect(clientIdPrefix, endpoint));
		MqttConnAckMessage connAck = (MqttConnAckMessage) browser.awaitMessage(MqttMessageType.CONNACK);
		assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		browser.send(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(MqttQoS.AT_LEAST_ONCE, TOPICS + "/#")
			.build());
		MqttSubAckMessage subAck = (MqttSubAckMessage) browser.awaitMessage(MqttMessageType.SUBACK);
		assertThat(subAck.payload().reasonCodes()).containsExactly(1);
		return browser;
	}

	private static MqttConnectMessage connect(String clientIdPrefix, RelayEndpoint endpoint) {
		String token = TestTokens.subscribing("/news/#");
		return MqttMessageBuilders.connect()
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.clientId(clientIdPrefix + endpoint.name().toLowerCase(Locale.ROOT))
			.cleanSession(true)
			.keepAlive(30)
			.hasUser(true)
			.username("token")
			.hasPassword(true)
			.password(token.getBytes(StandardCharsets.UTF_8))
			.build();
	}

	private static String receivedTopic(MqttWebSocketClient browser) {
		return ((MqttPublishMessage) browser.awaitMessage(MqttMessageType.PUBLISH)).variableHeader().topicName();
	}

	private void publishToBroker(String subtopic) {
		this.publisher = PahoClients.connect(mosquitto.tcpUri(), MqttConnectOptions.MQTT_VERSION_3_1_1);
		try {
			this.publisher.publish(TOPICS + subtopic, "straight to the broker".getBytes(StandardCharsets.UTF_8), 1,
					false);
		}
		catch (MqttException ex) {
			throw new IllegalStateException("Failed to publish to " + TOPICS + subtopic, ex);
		}
	}

	private static ResponseEntity<JsonNode> publish(RestClient http, String subtopic) {
		return http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", TOPICS + subtopic, "payload", "over REST", "qos", 1))
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private static ResponseEntity<JsonNode> readiness(RestClient http) {
		return http.get().uri("/actuator/health/readiness").retrieve().toEntity(JsonNode.class);
	}

	private static String newestInHistory(RestClient http) {
		JsonNode history = http.get()
			.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build(TOPICS + "/#"))
			.retrieve()
			.body(JsonNode.class);
		return history.isEmpty() ? "" : history.get(0).get("topic").stringValue();
	}

	private static long millis(long from, long to) {
		return Duration.ofNanos(to - from).toMillis();
	}

}
