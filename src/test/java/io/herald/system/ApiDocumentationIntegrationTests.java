package io.herald.system;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import io.herald.support.EventStreamClient;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document against the application itself: it lists every REST endpoint
 * Spring MVC maps under {@code /api}, and every problem status it documents is one a real
 * request gets, as a problem detail.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.publish.timeout=1s", "herald.broker.health-timeout=1s",
		"herald.feed.sse-max-streams=1", "herald.push.max-subscriptions-per-identity=1" })
class ApiDocumentationIntegrationTests extends WithExternalMosquitto {

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	@Test
	void documentIsPublicAndListsEveryApiEndpointWithTheBearerScheme() {
		JsonNode document = document();

		TreeSet<String> mapped = new TreeSet<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			for (String pattern : info.getPatternValues()) {
				if (pattern.startsWith("/api")) {
					info.getMethodsCondition().getMethods().forEach((method) -> mapped.add(method + " " + pattern));
				}
			}
		}
		assertThat(mapped).isNotEmpty();
		assertThat(documented(document)).containsExactlyElementsOf(mapped);
		assertThat(document.at("/components/securitySchemes/bearer/scheme").asString("")).isEqualTo("bearer");
		assertThat(document.at("/components/securitySchemes/bearer/bearerFormat").asString("")).isEqualTo("JWT");
	}

	@Test
	void swaggerUiIsServed() {
		ResponseEntity<String> ui = TestHttp.get("https://localhost:" + this.port + "/swagger-ui/index.html");

		assertThat(ui.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(ui.getBody()).contains("Swagger UI");
		assertThat(TestHttp.get("https://localhost:" + this.port + "/swagger-ui.html").getStatusCode().value())
			.isBetween(200, 399);
	}

	@Test
	void everyDocumentedProblemIsOneTheApiAnswers() {
		JsonNode document = document();
		Map<String, Function<RestClient, ResponseEntity<String>>> producers = producers();
		List<String> problems = new ArrayList<>();
		document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			operation.getValue().get("responses").properties().forEach((response) -> {
				if (Integer.parseInt(response.getKey()) >= 400) {
					problems.add(operation.getKey().toUpperCase() + " " + path.getKey() + " " + response.getKey());
				}
			});
		}));
		// Last, since it takes the broker away.
		problems.sort((a, b) -> Boolean.compare(a.endsWith("503"), b.endsWith("503")));
		assertThat(problems).hasSizeGreaterThanOrEqualTo(10);
		assertThat(producers.keySet()).containsAll(problems);

		RestClient anonymous = TestHttp.client(this.port);
		boolean brokerStopped = false;
		for (String problem : problems) {
			if (problem.endsWith("503") && !brokerStopped) {
				mosquitto.stop();
				brokerStopped = true;
			}
			ResponseEntity<String> answer = producers.get(problem).apply(anonymous);
			assertThat(answer.getStatusCode().value()).as(problem)
				.isEqualTo(Integer.parseInt(problem.substring(problem.lastIndexOf(' ') + 1)));
			assertThat(answer.getHeaders().getContentType()).as(problem).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		}
		mosquitto = mosquitto.restart();
	}

	/** For each documented problem, a request that should get it. */
	private Map<String, Function<RestClient, ResponseEntity<String>>> producers() {
		String admin = TestTokens.bearer(TestTokens.admin());
		String subscriber = TestTokens.bearer(TestTokens.subscribing("/news/#"));
		String publisher = TestTokens.bearer(TestTokens.publishing("/news/#"));
		String tooLarge = "x".repeat(256 * 1024 + 1);
		Map<String, Function<RestClient, ResponseEntity<String>>> producers = new LinkedHashMap<>();
		producers.put("POST /api/news 400", (http) -> post(http, "/api/news", admin, Map.of("topic", "/news/+")));
		producers.put("POST /api/news 401", (http) -> post(http, "/api/news", null, message("/news/a")));
		producers.put("POST /api/news 403", (http) -> post(http, "/api/news", subscriber, message("/news/a")));
		producers.put("POST /api/news 413",
				(http) -> post(http, "/api/news", admin, Map.of("topic", "/news/a", "payload", tooLarge)));
		producers.put("POST /api/news 503", (http) -> post(http, "/api/news", publisher, message("/news/a")));
		producers.put("POST /api/news/batch 400", (http) -> post(http, "/api/news/batch", admin, List.of()));
		producers.put("POST /api/news/batch 401",
				(http) -> post(http, "/api/news/batch", "Bearer not-a-token", List.of(message("/news/a"))));
		producers.put("POST /api/news/batch 403",
				(http) -> post(http, "/api/news/batch", subscriber, List.of(message("/news/a"))));
		producers.put("POST /api/news/batch 413",
				(http) -> post(http, "/api/news/batch", admin, Collections.nCopies(1001, message("/news/a"))));
		producers.put("POST /api/news/batch 503",
				(http) -> post(http, "/api/news/batch", publisher, List.of(message("/news/a"))));
		producers.put("GET /api/news 400",
				(http) -> http.get().uri("/api/news?limit=0").retrieve().toEntity(String.class));
		producers.put("GET /api/news 401",
				(http) -> http.get()
					.uri("/api/news")
					.header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
					.retrieve()
					.toEntity(String.class));
		producers.put("GET /api/news/stream 400",
				(http) -> http.get().uri("/api/news/stream?lastEventId=yesterday").retrieve().toEntity(String.class));
		producers.put("GET /api/news/stream 401",
				(http) -> http.get()
					.uri("/api/news/stream")
					.header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
					.retrieve()
					.toEntity(String.class));
		producers.put("GET /api/news/stream 403",
				(http) -> http.get().uri("/api/news/stream?filter=/private/x").retrieve().toEntity(String.class));
		producers.put("GET /api/news/stream 503", (http) -> {
			// The one stream herald.feed.sse-max-streams allows here is taken.
			try (EventStreamClient held = EventStreamClient
				.open(URI.create("https://localhost:" + this.port + "/api/news/stream"), Map.of())) {
				assertThat(held.status()).isEqualTo(200);
				return http.get().uri("/api/news/stream").retrieve().toEntity(String.class);
			}
		});
		String reader = TestTokens.bearer(TestTokens.of("documented-reader", Map.of("sub", List.of("/news/#"))));
		producers.put("POST /api/push/subscriptions 400", (http) -> post(http, "/api/push/subscriptions", reader,
				pushRegistration("https://push.example.com/not-allowed", "/news/#")));
		producers.put("POST /api/push/subscriptions 401",
				(http) -> post(http, "/api/push/subscriptions", null, pushRegistration(fcm(), "/news/#")));
		producers.put("POST /api/push/subscriptions 403",
				(http) -> post(http, "/api/push/subscriptions", reader, pushRegistration(fcm(), "/private/#")));
		producers.put("POST /api/push/subscriptions 409", (http) -> {
			String collector = TestTokens
				.bearer(TestTokens.of("documented-collector", Map.of("sub", List.of("/news/#"))));
			assertThat(
					post(http, "/api/push/subscriptions", collector, pushRegistration(fcm(), "/news/#")).getStatusCode()
						.value())
				.isEqualTo(201);
			return post(http, "/api/push/subscriptions", collector, pushRegistration(fcm(), "/news/#"));
		});
		producers.put("DELETE /api/push/subscriptions/{id} 401",
				(http) -> http.delete()
					.uri("/api/push/subscriptions/" + UUID.randomUUID())
					.retrieve()
					.toEntity(String.class));
		producers.put("DELETE /api/push/subscriptions/{id} 404",
				(http) -> http.delete()
					.uri("/api/push/subscriptions/" + UUID.randomUUID())
					.header(HttpHeaders.AUTHORIZATION, reader)
					.retrieve()
					.toEntity(String.class));
		return producers;
	}

	private static String fcm() {
		return "https://fcm.googleapis.com/fcm/send/" + UUID.randomUUID();
	}

	/**
	 * A registration with a real P-256 point and a 16-byte secret, as a browser sends.
	 */
	private static Map<String, Object> pushRegistration(String endpoint, String filter) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
			byte[] point = new byte[65];
			point[0] = 4;
			copy(key.getW().getAffineX().toByteArray(), point, 1);
			copy(key.getW().getAffineY().toByteArray(), point, 33);
			Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();
			return Map.of(
					"subscription", Map.of("endpoint", endpoint, "keys", Map.of("p256dh",
							base64Url.encodeToString(point), "auth", base64Url.encodeToString(new byte[16]))),
					"filters", List.of(filter));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void copy(byte[] unsigned, byte[] target, int offset) {
		int start = Math.max(0, unsigned.length - 32);
		System.arraycopy(unsigned, start, target, offset + 32 - (unsigned.length - start), unsigned.length - start);
	}

	private static Map<String, String> message(String topic) {
		return Map.of("topic", topic, "payload", "documented");
	}

	private static ResponseEntity<String> post(RestClient http, String path, String authorization, Object body) {
		RestClient.RequestBodySpec request = http.post().uri(path).contentType(MediaType.APPLICATION_JSON);
		if (authorization != null) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		return request.body(body).retrieve().toEntity(String.class);
	}

	private JsonNode document() {
		ResponseEntity<JsonNode> answer = TestHttp.client(this.port)
			.get()
			.uri("/v3/api-docs")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		return answer.getBody();
	}

	private static TreeSet<String> documented(JsonNode document) {
		TreeSet<String> operations = new TreeSet<>();
		document.get("paths")
			.properties()
			.forEach((path) -> path.getValue()
				.properties()
				.forEach((operation) -> operations.add(operation.getKey().toUpperCase() + " " + path.getKey())));
		return operations;
	}

}
