package io.herald.push.send;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.herald.push.PushSubscriptions;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Web Push end to end: a subscription registered over REST as the page registers it, a
 * message published to Herald, and the push service stand-in on loopback checking the
 * VAPID token and decrypting what arrives as the browser would; a subscription its push
 * service says is gone is deleted.
 */
@HeraldIntegrationTest
class WebPushIntegrationTests {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final KeyPair vapid = generateVapidKeys();

	private static final PushServiceStandIn pushService = startPushService();

	@LocalServerPort
	private int port;

	@Autowired
	private PushSubscriptions subscriptions;

	@DynamicPropertySource
	static void pushToTheStandIn(DynamicPropertyRegistry registry) {
		registry.add("herald.push.vapid.public-key",
				() -> BASE64URL.encodeToString(P256.uncompressed((ECPublicKey) vapid.getPublic())));
		registry.add("herald.push.vapid.private-key",
				() -> BASE64URL.encodeToString(P256.scalar((ECPrivateKey) vapid.getPrivate())));
		registry.add("herald.push.allowed-endpoints", () -> pushService.origin() + "/push/**");
		registry.add("herald.push.index-refresh", () -> "0s");
	}

	@AfterAll
	static void stopPushService() {
		pushService.close();
	}

	@Test
	void aPublishedMessageReachesTheBrowserEncryptedAndSigned() throws Exception {
		PushTarget browser = pushService.subscribe("reader");
		register("reader", browser, "/news/+/sport");

		publish("/news/e2e/weather", "not for this subscription");
		publish("/news/e2e/sport", "goal");

		PushServiceStandIn.Received push = pushService.next();
		assertThat(push.name()).isEqualTo("reader");
		JsonNode message = JsonMapper.shared().readTree(push.plaintext());
		assertThat(message.get("topic").asString()).isEqualTo("/news/e2e/sport");
		assertThat(message.get("payload").asString()).isEqualTo("goal");
		assertThat(message.get("truncated").asBoolean()).isFalse();
		assertThat(push.headers().getFirst("TTL")).isEqualTo("86400");
		assertThat(push.headers().getFirst("Urgency")).isEqualTo("normal");
		assertThat(push.headers().getFirst("Content-Encoding")).isEqualTo("aes128gcm");
		pushService.assertNoFailures();
	}

	@Test
	void aSubscriptionItsPushServiceSaysIsGoneIsDeleted() throws Exception {
		PushTarget browser = pushService.subscribe("leaver");
		pushService.answer("leaver", 410, Map.of());
		register("leaver", browser, "/news/+/tennis");
		assertThat(this.subscriptions.count("leaver")).isEqualTo(1);

		publish("/news/e2e/tennis", "ace");

		assertThat(pushService.next().name()).isEqualTo("leaver");
		await().atMost(Duration.ofSeconds(40)).until(() -> this.subscriptions.count("leaver") == 0);
		pushService.assertNoFailures();
	}

	private void register(String subject, PushTarget browser, String filter) {
		RestClient http = TestHttp.client(this.port, TestTokens.of(subject, Map.of("sub", List.of("/news/#"))));
		Map<String, Object> body = Map.of("subscription",
				Map.of("endpoint", browser.endpoint().toString(), "keys", Map.of("p256dh",
						BASE64URL.encodeToString(browser.p256dh()), "auth", BASE64URL.encodeToString(browser.auth()))),
				"filters", List.of(filter));
		ResponseEntity<String> answer = http.post()
			.uri("/api/push/subscriptions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(201);
	}

	private void publish(String topic, String payload) {
		ResponseEntity<String> answer = TestHttp.client(this.port, TestTokens.admin())
			.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload, "qos", 1))
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(202);
	}

	private static KeyPair generateVapidKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(P256.PARAMETERS);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static PushServiceStandIn startPushService() {
		try {
			return new PushServiceStandIn((ECPublicKey) vapid.getPublic());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
