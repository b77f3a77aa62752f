package io.herald.feed;

import java.time.Duration;
import java.util.Map;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Herald starts while its broker is down: it starts anyway, and the feed subscribes on
 * its own once the broker is up.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.feed.max-reconnect-delay=1s", "herald.broker.health-timeout=1s" })
class BrokerDownAtStartIntegrationTests extends WithExternalMosquitto {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@BeforeAll
	static void stopBrokerBeforeHeraldStarts() {
		// Keep the port: Herald is pointed at it and must find nothing there yet.
		mosquitto.stop();
	}

	@Test
	void feedSubscribesOnceBrokerIsUp() {
		RestClient http = TestHttp.client(this.port, TestTokens.admin());
		assertThat(http.get().uri("/actuator/health/readiness").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		mosquitto = mosquitto.restart();

		await().atMost(WAIT)
			.until(() -> http.get()
				.uri("/actuator/health/readiness")
				.retrieve()
				.body(JsonNode.class)
				.at("/components/broker/details/subscribers/feedInbound")
				.asString(""), "subscribed"::equals);
		assertThat(http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", "/news/late/start", "payload", "first"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(WAIT)
			.until(() -> http.get()
				.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build("/news/late/#"))
				.retrieve()
				.body(JsonNode.class), (history) -> history.size() == 1);
	}

}
