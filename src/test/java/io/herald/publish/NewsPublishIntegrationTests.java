package io.herald.publish;

import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.PahoClients;
import io.herald.support.TestHttp;
import io.herald.support.TestTls;
import io.herald.support.TestTokens;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * News posted over REST reaches browsers subscribed through the relay and the feed's
 * history.
 */
@HeraldIntegrationTest
class NewsPublishIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	private RestClient http;

	private MqttClient subscriber;

	/**
	 * A topic level of its own, so that tests sharing the broker never see each other's
	 * news.
	 */
	private final String run = "/news/" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeEach
	void connect() {
		this.http = TestHttp.client(this.port, TestTokens.admin());
	}

	@AfterEach
	void disconnect() {
		PahoClients.closeQuietly(this.subscriber);
	}

	@Test
	void publishedNewsReachesSubscriberThroughTheRelay() throws Exception {
		BlockingQueue<String> arrived = subscribeThroughRelay(this.run + "/+/sport");

		ResponseEntity<JsonNode> tennis = post("/api/news",
				Map.of("topic", this.run + "/usa/tennis", "payload", "ace"));
		ResponseEntity<JsonNode> sport = post("/api/news",
				Map.of("topic", this.run + "/europe/sport", "payload", Map.of("score", List.of(2, 1)), "qos", 2));

		assertThat(tennis.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(sport.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(sport.getBody().get("qos").intValue()).isEqualTo(2);
		assertThat(sport.getBody().get("id").stringValue()).isNotBlank();
		assertThat(sport.getBody().get("publishedAt").stringValue()).isNotBlank();
		assertThat(arrived.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo(this.run + "/europe/sport {\"score\":[2,1]}");
		assertThat(arrived).isEmpty();
	}

	@Test
	void publishedNewsLandsInHistory() {
		String topic = this.run + "/europe/sport";
		assertThat(post("/api/news", Map.of("topic", topic, "payload", "goal", "qos", 0)).getStatusCode())
			.isEqualTo(HttpStatus.ACCEPTED);

		JsonNode item = await().atMost(WAIT)
			.until(() -> history(this.run + "/+/sport"), (items) -> items.size() == 1)
			.get(0);
		assertThat(item.get("topic").stringValue()).isEqualTo(topic);
		assertThat(item.get("payload").stringValue()).isEqualTo("goal");
		assertThat(item.get("qos").intValue()).isZero();
		assertThat(item.get("retained").booleanValue()).isFalse();
		assertThat(item.get("id").asString()).matches("[0-9a-z]+-[1-9][0-9]*");
		assertThat(item.get("receivedAt").stringValue()).isNotBlank();
	}

	@Test
	void batchIsPublishedInOrderWithOneReceiptEach() {
		List<Map<String, Object>> batch = List.of(Map.of("topic", this.run + "/1", "payload", "one"),
				Map.of("topic", this.run + "/2", "payload", "two", "qos", 0),
				Map.of("topic", this.run + "/3", "payload", "three", "qos", 2));

		ResponseEntity<JsonNode> response = post("/api/news/batch", batch);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(response.getBody().valueStream().map((receipt) -> receipt.get("topic").stringValue()))
			.containsExactly(this.run + "/1", this.run + "/2", this.run + "/3");
		JsonNode history = await().atMost(WAIT).until(() -> history(this.run + "/#"), (items) -> items.size() == 3);
		assertThat(history.valueStream().map((item) -> item.get("payload").stringValue())).containsExactly("three",
				"two", "one");
		assertThat(sequence(history.get(0))).isGreaterThan(sequence(history.get(1)));
	}

	@Test
	void retainedNewsReachesLaterSubscribers() throws Exception {
		String topic = this.run + "/retained/sport";
		assertThat(post("/api/news", Map.of("topic", topic, "payload", "kept", "retain", true)).getStatusCode())
			.isEqualTo(HttpStatus.ACCEPTED);
		try {
			BlockingQueue<String> arrived = subscribeThroughRelay(topic);

			assertThat(arrived.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(topic + " kept");
		}
		finally {
			// An empty retained message clears it.
			post("/api/news", Map.of("topic", topic, "payload", "", "retain", true));
		}
	}

	@Test
	void invalidNewsIsRefusedEndToEndWithProblemDetail() {
		ResponseEntity<String> response = this.http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"topic\": \"/news/+/sport\", \"payload\": \"x\"}")
			.retrieve()
			.toEntity(String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody()).contains("\"field\":\"topic\"").doesNotContain("Exception");
	}

	@Test
	void chunkedBodyOverMaximumRequestSizeIsCutOffWith413AndHeraldStaysUsable() throws Exception {
		// 5 MB of undeclared length (chunked): refused once past
		// herald.publish.max-request-size (4MB).
		byte[] padding = new byte[5 * 1024 * 1024];
		Arrays.fill(padding, (byte) 'x');
		SequenceInputStream body = new SequenceInputStream(
				new ByteArrayInputStream("{\"topic\": \"a\", \"payload\": \"".getBytes(StandardCharsets.UTF_8)),
				new ByteArrayInputStream(padding));
		HttpClient client = HttpClient.newBuilder().sslContext(TestTls.trustingAll()).build();
		HttpResponse<String> response = client
			.send(HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + "/api/news"))
				.header("Content-Type", "application/json")
				.header("Authorization", TestTokens.bearer(TestTokens.admin()))
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE));
		assertThat(response.body()).contains("herald.publish.max-request-size");
		assertThat(post("/api/news", Map.of("topic", this.run + "/after", "payload", "still here")).getStatusCode())
			.isEqualTo(HttpStatus.ACCEPTED);
	}

	private BlockingQueue<String> subscribeThroughRelay(String filter) throws Exception {
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		this.subscriber = PahoClients.connect("wss://localhost:" + this.port + "/mqtt",
				MqttConnectOptions.MQTT_VERSION_3_1_1);
		this.subscriber.subscribe(filter, 1, (topic, message) -> arrived
			.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
		return arrived;
	}

	private ResponseEntity<JsonNode> post(String path, Object body) {
		return this.http.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private JsonNode history(String filter) {
		return this.http.get()
			.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build(filter))
			.retrieve()
			.body(JsonNode.class);
	}

	/** The sequence part of a history id ({@code <epoch>-<sequence>}). */
	private static long sequence(JsonNode item) {
		String id = item.get("id").asString();
		return Long.parseLong(id.substring(id.indexOf('-') + 1));
	}

}
