package io.herald.publish;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Herald in front of a real Mosquitto that goes away and comes back: publishing answers
 * 503 with {@code Retry-After} meanwhile, health turns DOWN, and both recover, the feed
 * included, once the broker is back.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.publish.timeout=2s", "herald.publish.retry-after=3s",
		"herald.feed.max-reconnect-delay=1s", "herald.broker.health-timeout=1s" })
class BrokerOutageIntegrationTests extends WithExternalMosquitto {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Test
	void answersServiceUnavailableWhileBrokerIsDownAndRecoversWhenItIsBack() {
		RestClient http = TestHttp.client(this.port, TestTokens.admin());
		String topic = "/news/outage/" + UUID.randomUUID().toString().substring(0, 8);
		await().atMost(WAIT).until(() -> feedState(http), "subscribed"::equals);
		assertThat(publish(http, topic, "before").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

		mosquitto.stop();

		ResponseEntity<JsonNode> refused = publish(http, topic, "during");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("3");
		assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getBody().get("detail").stringValue()).startsWith("The broker did not accept the message");
		ResponseEntity<JsonNode> refusedBatch = http.post()
			.uri("/api/news/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.body(new Object[] { Map.of("topic", topic, "payload", "during") })
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(refusedBatch.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		await().atMost(WAIT).until(() -> feedState(http), (state) -> state.startsWith("connection failed"));
		assertThat(health(http).get("status").stringValue()).isEqualTo("DOWN");

		mosquitto = mosquitto.restart();

		await().atMost(WAIT).until(() -> publish(http, topic, "after").getStatusCode(), HttpStatus.ACCEPTED::equals);
		await().atMost(WAIT).until(() -> feedState(http), "subscribed"::equals);
		// Readiness waits for every broker subscriber, not only the feed.
		await().atMost(WAIT).until(() -> health(http).get("status").stringValue(), "UP"::equals);
		assertThat(publish(http, topic, "resubscribed").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(WAIT)
			.until(() -> http.get()
				.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build(topic))
				.retrieve()
				.body(JsonNode.class),
					(history) -> !history.isEmpty()
							&& history.get(0).get("payload").stringValue().equals("resubscribed"));
	}

	private static ResponseEntity<JsonNode> publish(RestClient http, String topic, String payload) {
		return http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload))
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private static JsonNode health(RestClient http) {
		return http.get().uri("/actuator/health/readiness").retrieve().body(JsonNode.class);
	}

	private static String feedState(RestClient http) {
		JsonNode state = health(http).at("/components/broker/details/subscribers/feedInbound");
		return state.isMissingNode() ? "unknown" : state.stringValue();
	}

}
