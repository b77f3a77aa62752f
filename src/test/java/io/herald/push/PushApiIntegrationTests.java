package io.herald.push;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Web Push REST API against Herald itself (embedded broker, in-memory database): the
 * public key, registration and its refusals as problem details, deletion by the owner
 * only, and a published message handed to the delivery for the matching subscription.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.push.max-subscriptions-per-identity=3", "herald.push.max-filters=3",
		"herald.push.index-refresh=0s" })
@Import(PushApiIntegrationTests.Recording.class)
class PushApiIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private VapidKeys keys;

	@Autowired
	private PushFilterIndex index;

	@Autowired
	private RecordingPushDelivery delivery;

	@Test
	void publicKeyIsServedWithoutTokenAsTheUncompressedPoint() {
		ResponseEntity<String> answer = TestHttp.client(this.port)
			.get()
			.uri("/api/push/key")
			.retrieve()
			.toEntity(String.class);

		assertThat(answer.getStatusCode().value()).isEqualTo(200);
		String publicKey = body(answer).get("publicKey").asString();
		assertThat(publicKey).isEqualTo(this.keys.publicKeyBase64Url()).doesNotContain("=");
		byte[] point = Base64.getUrlDecoder().decode(publicKey);
		assertThat(point).hasSize(65);
		assertThat(point[0]).isEqualTo((byte) 0x04);
	}

	@Test
	void newEndpointIsCreatedAndRegisteringItAgainUpdatesItsFilters() {
		RestClient http = client("updater", "/news/#");
		String endpoint = BrowserKeys.endpoint();

		ResponseEntity<String> created = register(http, BrowserKeys.registration(endpoint, "/news/+/sport"));
		assertThat(created.getStatusCode().value()).isEqualTo(201);
		String id = body(created).get("id").asString();
		assertThat(created.getHeaders().getLocation()).hasToString("/api/push/subscriptions/" + id);
		assertThat(ids(this.index.match("/news/europe/sport"))).contains(id);

		ResponseEntity<String> updated = register(http, BrowserKeys.registration(endpoint, "/news/usa/#"));
		assertThat(updated.getStatusCode().value()).isEqualTo(200);
		assertThat(body(updated).get("id").asString()).isEqualTo(id);
		assertThat(ids(this.index.match("/news/europe/sport"))).doesNotContain(id);
		assertThat(ids(this.index.match("/news/usa/tennis"))).contains(id);
	}

	@Test
	void registeringNeedsAToken() {
		ResponseEntity<String> answer = register(TestHttp.client(this.port),
				BrowserKeys.registration(BrowserKeys.endpoint(), "/news/#"));

		assertProblem(answer, 401);
	}

	@Test
	void endpointsOutsideTheAllowListAreRefused() {
		RestClient http = client("lister", "/news/#");
		for (String endpoint : List.of("http://fcm.googleapis.com/fcm/send/x", "https://evil.example.com/push",
				"https://fcm.googleapis.com.evil.example.com/x", "https://a.b.notify.windows.com/w/x",
				"https://user@fcm.googleapis.com/x", "https://127.0.0.1/x", "fcm.googleapis.com/x",
				"https://fcm.googleapis.com:8443/x")) {
			ResponseEntity<String> answer = register(http, BrowserKeys.registration(endpoint, "/news/#"));
			assertProblem(answer, 400);
			assertThat(field(answer)).as(endpoint).isEqualTo("subscription.endpoint");
		}
		for (String endpoint : List.of("https://wns2-par02p.notify.windows.com/w/?token=abc",
				"https://web.push.apple.com/QGuQyavXutnMH", "https://updates.push.services.mozilla.com/wpush/v2/x")) {
			assertThat(register(http, BrowserKeys.registration(endpoint, "/news/#")).getStatusCode().value())
				.as(endpoint)
				.isEqualTo(201);
		}
	}

	@Test
	void keysThatAreNotAP256PointAndA16ByteSecretAreRefused() {
		RestClient http = client("keys", "/news/#");
		byte[] offCurve = Base64.getUrlDecoder().decode(BrowserKeys.p256dh());
		offCurve[64] ^= 1;
		Map<String, String> badPoints = Map.of("short", BrowserKeys.base64Url(new byte[33]), "off the curve",
				BrowserKeys.base64Url(offCurve), "not base64url", "***");
		badPoints.forEach((what, p256dh) -> {
			ResponseEntity<String> answer = register(http,
					BrowserKeys.registrationWithKeys(BrowserKeys.endpoint(), p256dh, BrowserKeys.auth(), "/news/#"));
			assertProblem(answer, 400);
			assertThat(field(answer)).as(what).isEqualTo("subscription.keys.p256dh");
		});
		ResponseEntity<String> shortAuth = register(http, BrowserKeys.registrationWithKeys(BrowserKeys.endpoint(),
				BrowserKeys.p256dh(), BrowserKeys.base64Url(new byte[15]), "/news/#"));
		assertProblem(shortAuth, 400);
		assertThat(field(shortAuth)).isEqualTo("subscription.keys.auth");
	}

	@Test
	void invalidFiltersAndTooManyAreRefused() {
		RestClient http = client("filters", "#");
		ResponseEntity<String> invalid = register(http, BrowserKeys.registration(BrowserKeys.endpoint(), "/news/a#"));
		assertProblem(invalid, 400);
		assertThat(field(invalid)).isEqualTo("filters[0]");

		ResponseEntity<String> none = register(http, BrowserKeys.registration(BrowserKeys.endpoint(), new String[0]));
		assertProblem(none, 400);
		assertThat(field(none)).isEqualTo("filters");

		ResponseEntity<String> tooMany = register(http,
				BrowserKeys.registration(BrowserKeys.endpoint(), "/a", "/b", "/c", "/d"));
		assertProblem(tooMany, 400);
		assertThat(body(tooMany).get("detail").asString()).contains("herald.push.max-filters");
	}

	@Test
	void filterOutsideTheSubscribeRightsIsForbidden() {
		ResponseEntity<String> answer = register(client("reader", "/news/europe/+"),
				BrowserKeys.registration(BrowserKeys.endpoint(), "/news/europe/sport", "/news/+/sport"));

		assertProblem(answer, 403);
		assertThat(field(answer)).isEqualTo("filters[1]");
		assertThat(body(answer).get("detail").asString()).contains("/news/+/sport");
	}

	@Test
	void anIdentityHoldsAtMostItsMaximumOfSubscriptions() {
		RestClient http = client("collector", "/news/#");
		for (int i = 0; i < 3; i++) {
			assertThat(
					register(http, BrowserKeys.registration(BrowserKeys.endpoint(), "/news/#")).getStatusCode().value())
				.isEqualTo(201);
		}

		ResponseEntity<String> fourth = register(http, BrowserKeys.registration(BrowserKeys.endpoint(), "/news/#"));

		assertProblem(fourth, 409);
		assertThat(body(fourth).get("detail").asString()).contains("herald.push.max-subscriptions-per-identity");
		assertThat(
				register(client("someone-else", "/news/#"), BrowserKeys.registration(BrowserKeys.endpoint(), "/news/#"))
					.getStatusCode()
					.value())
			.isEqualTo(201);
	}

	@Test
	void onlyTheOwnerDeletesASubscription() {
		ResponseEntity<String> created = register(client("owner", "/news/#"),
				BrowserKeys.registration(BrowserKeys.endpoint(), "/news/owned"));
		String id = body(created).get("id").asString();

		assertProblem(delete(client("intruder", "/news/#"), id), 404);
		assertThat(ids(this.index.match("/news/owned"))).contains(id);
		assertProblem(delete(TestHttp.client(this.port), id), 401);

		assertThat(delete(client("owner", "/news/#"), id).getStatusCode().value()).isEqualTo(204);
		assertThat(ids(this.index.match("/news/owned"))).doesNotContain(id);
		assertProblem(delete(client("owner", "/news/#"), id), 404);
		assertProblem(delete(client("owner", "/news/#"), "not-a-uuid"), 404);
	}

	@Test
	void publishedMessageIsHandedToTheDeliveryOfMatchingSubscriptionsOnly() {
		String endpoint = BrowserKeys.endpoint();
		String id = body(register(client("pushed", "/news/#"), BrowserKeys.registration(endpoint, "/news/+/weather")))
			.get("id")
			.asString();
		RestClient publisher = TestHttp.client(this.port, TestTokens.admin());

		publish(publisher, "/news/usa/tennis", "not for the weather subscription");
		publish(publisher, "/news/europe/weather", "rain");

		await().atMost(Duration.ofSeconds(40))
			.untilAsserted(() -> assertThat(this.delivery.deliveries())
				.anySatisfy((delivery) -> assertThat(delivery.topic()).isEqualTo("/news/europe/weather")));
		List<RecordingPushDelivery.Delivery> mine = this.delivery.deliveries()
			.stream()
			.filter((delivery) -> delivery.subscription().id().toString().equals(id))
			.toList();
		assertThat(mine).hasSize(1);
		assertThat(mine.get(0).subscription().endpoint()).isEqualTo(endpoint);
		assertThat(new String(mine.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("rain");
	}

	private void publish(RestClient publisher, String topic, String payload) {
		ResponseEntity<String> answer = publisher.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload, "qos", 1))
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(202);
	}

	private RestClient client(String subject, String subscribe) {
		return TestHttp.client(this.port, TestTokens.of(subject, Map.of("sub", List.of(subscribe))));
	}

	private static ResponseEntity<String> register(RestClient http, Object body) {
		return http.post()
			.uri("/api/push/subscriptions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
	}

	private static ResponseEntity<String> delete(RestClient http, String id) {
		return http.delete().uri("/api/push/subscriptions/" + id).retrieve().toEntity(String.class);
	}

	private static void assertProblem(ResponseEntity<String> answer, int status) {
		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(status);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE)).doesNotContain("html");
	}

	private static String field(ResponseEntity<String> answer) {
		return body(answer).at("/errors/0/field").asString();
	}

	private static JsonNode body(ResponseEntity<String> answer) {
		return json.readTree(answer.getBody());
	}

	private static List<String> ids(List<PushSubscription> subscriptions) {
		return subscriptions.stream().map(PushSubscription::id).map(UUID::toString).toList();
	}

	/**
	 * The recording delivery, imported rather than annotated, so that no component scan
	 * of another test's Herald picks it up.
	 */
	static class Recording {

		// In place of Herald's sender: what the feed hands over is what is checked here.
		@Bean
		@Primary
		RecordingPushDelivery recordingPushDelivery() {
			return new RecordingPushDelivery();
		}

	}

}
