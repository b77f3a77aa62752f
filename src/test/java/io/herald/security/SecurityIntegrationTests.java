package io.herald.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Herald with security on, as REST clients meet it: who may publish, what each caller
 * reads from the history, and who sees the actuator.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.feed.topics=/news/#,/private/#")
class SecurityIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	/**
	 * A topic level of its own, so that tests sharing the broker never see each other's
	 * news.
	 */
	private final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void publishingWithoutTokenIsUnauthorizedWithABearerChallenge() {
		ResponseEntity<JsonNode> response = publish(TestHttp.client(this.port), "/news/" + this.run);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer")
			.doesNotContain("invalid_token");
		assertThat(response.getBody().get("status").intValue()).isEqualTo(401);
		assertThat(response.getBody().get("instance").stringValue()).isEqualTo("/api/news");
		assertThat(response.getBody().get("detail").stringValue()).contains("bearer token");
	}

	@Test
	void publishingWithAnInvalidTokenIsUnauthorizedAsAnInvalidToken() {
		long now = Instant.now().getEpochSecond();
		Map<String, Object> acl = Map.of("all", List.of("#"));
		String expired = TestTokens.withClaims(Map.of("sub", "late", "iat", now - 7200, "exp", now - 3600, "acl", acl));
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String unsigned = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(("{\"sub\":\"mallory\",\"exp\":" + (now + 600) + ",\"acl\":{\"all\":[\"#\"]}}")
					.getBytes(StandardCharsets.UTF_8))
				+ ".";

		for (String token : List.of(expired, unsigned, TestTokens.withAcl(Map.of("everything", List.of("#"))))) {
			ResponseEntity<JsonNode> response = publish(TestHttp.client(this.port, token), "/news/" + this.run);

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
			assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer")
				.contains("error=\"invalid_token\"");
			String claims = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
			assertThat(response.getBody().toString()).doesNotContain(claims);
		}
		JsonNode refusal = publish(TestHttp.client(this.port, expired), "/news/" + this.run).getBody();
		assertThat(refusal.get("detail").stringValue()).contains("expired");
	}

	@Test
	void publishingToATopicOutsideTheTokensRightsIsForbiddenNamingTheTopic() {
		RestClient newsOnly = TestHttp.client(this.port, TestTokens.publishing("/news/#"));

		ResponseEntity<JsonNode> single = publish(newsOnly, "/private/" + this.run);
		ResponseEntity<JsonNode> batch = newsOnly.post()
			.uri("/api/news/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.body(List.of(Map.of("topic", "/news/" + this.run, "payload", "fine"),
					Map.of("topic", "/private/" + this.run + "/b", "payload", "not allowed")))
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(single.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(single.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(single.getBody().get("detail").stringValue()).contains("/private/" + this.run);
		assertThat(batch.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(batch.getBody().get("detail").stringValue()).contains("/private/" + this.run + "/b");
		assertThat(batch.getBody().at("/errors/0/field").stringValue()).isEqualTo("[1].topic");
	}

	@Test
	void publishingWithinTheTokensRightsIsAccepted() {
		ResponseEntity<JsonNode> response = publish(TestHttp.client(this.port, TestTokens.publishing("/news/#")),
				"/news/" + this.run);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(response.getBody().get("topic").stringValue()).isEqualTo("/news/" + this.run);
	}

	@Test
	void historyAnswersEachCallerWhatItMaySubscribeTo() {
		RestClient admin = TestHttp.client(this.port, TestTokens.admin());
		String filter = "+/+/" + this.run + "/#";
		assertThat(publish(admin, "/news/" + this.run + "/a").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(publish(admin, "/private/" + this.run + "/b").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(WAIT).until(() -> topics(admin, filter).size() == 2);

		assertThat(topics(TestHttp.client(this.port), filter)).containsExactly("/news/" + this.run + "/a");
		assertThat(topics(TestHttp.client(this.port, TestTokens.subscribing("/private/#")), filter))
			.containsExactly("/private/" + this.run + "/b");
		assertThat(topics(TestHttp.client(this.port, TestTokens.withoutAcl()), filter)).isEmpty();
		assertThat(TestHttp.client(this.port, "not-a-token")
			.get()
			.uri("/api/news")
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void healthIsPublicWithoutDetailsAndDetailedForTheAdmin() {
		for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			ResponseEntity<String> anonymous = TestHttp.get(url(path));
			assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(anonymous.getBody()).contains("\"status\":\"UP\"").doesNotContain("components");
		}
		assertThat(TestHttp.get(url("/actuator/health"), TestTokens.publishing("#")).getBody())
			.doesNotContain("components");
		assertThat(TestHttp.get(url("/actuator/health"), TestTokens.admin()).getBody()).contains("\"broker\"")
			.contains("\"connack\":\"CONNECTION_ACCEPTED\"");
	}

	@Test
	void otherActuatorEndpointsAreTheAdminsAlone() {
		ResponseEntity<String> anonymous = TestHttp.get(url("/actuator/info"));
		ResponseEntity<String> publisher = TestHttp.get(url("/actuator/info"), TestTokens.publishing("#"));
		ResponseEntity<String> admin = TestHttp.get(url("/actuator/info"), TestTokens.admin());

		assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(anonymous.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
		assertThat(publisher.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(publisher.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(publisher.getBody()).contains("HERALD_ADMIN");
		// Let through, and not exposed.
		assertThat(admin.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void pageAndItsAssetsArePublicWithSecurityHeaders() {
		ResponseEntity<String> page = TestHttp.get(url("/"));

		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(page.getHeaders().getFirst("Strict-Transport-Security")).contains("max-age=");
		assertThat(page.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(page.getHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
		assertThat(TestHttp.get(url("/app/page.js")).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(TestHttp.get(url("/webjars/paho-mqtt/1.1.0/paho-mqtt.js")).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void relayHandshakeNeedsNoToken() {
		MqttWebSocketClient client = MqttWebSocketClient.connect(URI.create("wss://localhost:" + this.port + "/mqtt"),
				"mqtt");
		try {
			assertThat(client.subprotocol()).isEqualTo("mqtt");
		}
		finally {
			client.abort();
		}
	}

	private String url(String path) {
		return "https://localhost:" + this.port + path;
	}

	private static ResponseEntity<JsonNode> publish(RestClient http, String topic) {
		return http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", "news", "qos", 1))
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private static List<String> topics(RestClient http, String filter) {
		JsonNode items = http.get()
			.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build(filter))
			.retrieve()
			.body(JsonNode.class);
		return items.valueStream().map((item) -> item.get("topic").stringValue()).toList();
	}

}
