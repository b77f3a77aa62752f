package io.herald.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} after real traffic on both endpoints and the REST API: the
 * admin may scrape it, nobody else, and the relay's, the publisher's and the feed's
 * meters moved by what the traffic did; the Grafana dashboard in {@code deploy/} asks
 * only for metrics Herald exposes.
 */
@HeraldIntegrationTest
class RelayMetricsIntegrationTests {

	private static final Pattern METRIC = Pattern.compile("\\b(herald|jvm|process)_[a-z_]+");

	private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	private final List<MqttWebSocketClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(MqttWebSocketClient::abort);
	}

	@Test
	void onlyTheAdminMayScrape() {
		String url = "https://localhost:" + this.port + "/actuator/prometheus";

		assertThat(TestHttp.get(url).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(TestHttp.get(url, TestTokens.subscribing("/news/#")).getStatusCode())
			.isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(TestHttp.get(url, TestTokens.admin()).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void metersFollowTheTraffic() {
		Map<String, Double> before = scrape();

		// Through the listener: a subscribe partly denied, kept open.
		MqttWebSocketClient subscriber = connected(RelayEndpoint.LISTENER, TestTokens.subscribing("/news/#"),
				"metrics-subscriber");
		subscriber.send(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(MqttQoS.AT_LEAST_ONCE, "/news/metrics")
			.addSubscription(MqttQoS.AT_LEAST_ONCE, "/private/metrics")
			.build());
		subscriber.awaitMessage(MqttMessageType.SUBACK);
		// Through the web server: an anonymous publish, refused with 1008.
		MqttWebSocketClient publisher = connected(RelayEndpoint.WEB_SERVER, null, "metrics-publisher");
		publisher.send(MqttMessageBuilders.publish()
			.topicName("/news/metrics")
			.qos(MqttQoS.AT_LEAST_ONCE)
			.messageId(2)
			.payload(Unpooled.copiedBuffer("refused", StandardCharsets.UTF_8))
			.build());
		assertThat(publisher.awaitCloseCode()).isEqualTo(1008);
		// A token the gate refuses at CONNECT.
		MqttWebSocketClient stranger = open(RelayEndpoint.WEB_SERVER);
		stranger.send(connect("metrics-stranger", "not-a-token"));
		assertThat(returnCode(stranger)).isNotEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		// A REST publish the subscriber receives, through the feed too.
		ResponseEntity<String> published = TestHttp.client(this.port, TestTokens.admin())
			.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", "/news/metrics", "payload", "counted"))
			.retrieve()
			.toEntity(String.class);
		assertThat(published.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		subscriber.awaitMessage(MqttMessageType.PUBLISH);
		// Handshakes offering no MQTT subprotocol, on both endpoints.
		for (RelayEndpoint endpoint : RelayEndpoint.values()) {
			assertThatException().isThrownBy(() -> MqttWebSocketClient.connect(endpoint.uri(this.context), Map.of()));
		}

		await().untilAsserted(() -> {
			Map<String, Double> after = scrape();
			delta(before, after, "herald_relay_denials_total{rule=\"subscribe\"}").isEqualTo(1);
			delta(before, after, "herald_relay_denials_total{rule=\"publish\"}").isEqualTo(1);
			delta(before, after, "herald_relay_denials_total{rule=\"connect\"}").isEqualTo(1);
			// The refused PUBLISH and the refused CONNECT both end in 1008.
			delta(before, after, "herald_relay_closes_total{code=\"1008\"}").isEqualTo(2);
			delta(before, after, "herald_publish_messages_seconds_count{outcome=\"published\"}").isEqualTo(1);
			delta(before, after, "herald_feed_messages_total").isGreaterThanOrEqualTo(1);
			assertThat(after.get("herald_relay_connections{endpoint=\"listener\"}")).isGreaterThanOrEqualTo(1);
			assertThat(after).containsKey("herald_relay_connections{endpoint=\"web\"}");
			// The PUBLISH delivered to the subscriber, at least, and its CONNECT and
			// SUBSCRIBE.
			delta(before, after, "herald_relay_bytes_total{direction=\"to-browser\"}")
				.isGreaterThanOrEqualTo("counted".length());
			delta(before, after, "herald_relay_bytes_total{direction=\"to-broker\"}").isPositive();
			delta(before, after, "herald_relay_packets_total{direction=\"to-broker\",type=\"connect\"}").isEqualTo(3);
			delta(before, after, "herald_relay_packets_total{direction=\"to-broker\",type=\"subscribe\"}").isEqualTo(1);
			delta(before, after, "herald_relay_packets_total{direction=\"to-broker\",type=\"publish\"}").isEqualTo(1);
			delta(before, after, "herald_relay_packets_total{direction=\"to-browser\",type=\"suback\"}").isEqualTo(1);
			delta(before, after, "herald_relay_packets_total{direction=\"to-browser\",type=\"publish\"}").isEqualTo(1);
			delta(before, after, "herald_relay_handshakes_refused_total{reason=\"subprotocol\"}").isEqualTo(2);
		});
		assertThat(scrape().keySet()).noneMatch((name) -> name.contains("metrics-subscriber"))
			.noneMatch((name) -> name.contains("/news/metrics"));
	}

	@Test
	void theDashboardAsksOnlyForMetricsHeraldExposes() throws IOException {
		JsonNode dashboard = JsonMapper.shared().readTree(Files.readString(Path.of("deploy/grafana/herald.json")));
		Set<String> exposed = new HashSet<>();
		scrape().keySet().forEach((sample) -> exposed.add(sample.replaceFirst("\\{.*", "")));
		List<String> queried = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				Matcher metric = METRIC.matcher(target.get("expr").asString());
				while (metric.find()) {
					queried.add(metric.group());
				}
			}
		}
		assertThat(queried).contains("herald_relay_connections", "herald_relay_packets_total",
				"herald_relay_denials_total", "herald_relay_handshakes_refused_total", "herald_relay_closes_total",
				"herald_publish_messages_seconds_bucket", "herald_feed_messages_total");
		// A close code's counter exists once Herald closed with it.
		exposed.add("herald_relay_closes_total");
		assertThat(exposed).containsAll(queried);
	}

	private static org.assertj.core.api.AbstractDoubleAssert<?> delta(Map<String, Double> before,
			Map<String, Double> after, String name) {
		assertThat(after).as("scraped").containsKey(name);
		return assertThat(after.get(name) - before.getOrDefault(name, 0.0)).as(name);
	}

	private Map<String, Double> scrape() {
		ResponseEntity<String> scraped = TestHttp.get("https://localhost:" + this.port + "/actuator/prometheus",
				TestTokens.admin());
		assertThat(scraped.getStatusCode()).isEqualTo(HttpStatus.OK);
		Map<String, Double> samples = new HashMap<>();
		Matcher matcher = SAMPLE.matcher(scraped.getBody());
		while (matcher.find()) {
			samples.put(matcher.group(1) + ((matcher.group(2) != null) ? matcher.group(2) : ""),
					Double.parseDouble(matcher.group(3)));
		}
		return samples;
	}

	private MqttWebSocketClient connected(RelayEndpoint endpoint, @Nullable String token, String clientId) {
		MqttWebSocketClient browser = open(endpoint);
		browser.send(connect(clientId, token));
		assertThat(returnCode(browser)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		return browser;
	}

	private MqttWebSocketClient open(RelayEndpoint endpoint) {
		MqttWebSocketClient browser = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
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

}
