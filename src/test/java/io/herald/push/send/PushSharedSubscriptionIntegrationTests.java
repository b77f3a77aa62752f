package io.herald.push.send;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.herald.HeraldApplication;
import io.herald.push.PushDelivery;
import io.herald.push.RecordingPushDelivery;
import io.herald.support.MosquittoProcess;
import io.herald.support.PahoClients;
import io.herald.support.PostgresProcess;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Herald instances behind one Mosquitto, sharing one PostgreSQL: their push feeds
 * form one shared subscription, so each message published is handed to a sender exactly
 * once in all, for a subscription registered on one of them, and the push service
 * receives it once.
 */
class PushSharedSubscriptionIntegrationTests {

	private static final int MESSAGES = 40;

	private static final Duration WAIT = Duration.ofSeconds(40);

	@Test
	void eachMessageIsPushedOnceAcrossBothInstances() throws Exception {
		KeyPair vapid = vapidKeys();
		try (MosquittoProcess mosquitto = MosquittoProcess.start();
				PostgresProcess postgres = PostgresProcess.start();
				PushServiceStandIn pushService = new PushServiceStandIn((ECPublicKey) vapid.getPublic())) {
			String database = postgres.createDatabase("herald_shared");
			List<ConfigurableApplicationContext> instances = new ArrayList<>();
			MqttClient publisher = null;
			try {
				instances.add(herald(mosquitto, database, vapid, pushService));
				instances.add(herald(mosquitto, database, vapid, pushService));
				List<RecordingPushDelivery> recorders = instances.stream()
					.map((instance) -> instance.getBean(RecordingPushDelivery.class))
					.toList();
				register(port(instances.get(0)), pushService.subscribe("reader"));
				publisher = PahoClients.connect(mosquitto.tcpUri(), MqttConnectOptions.MQTT_VERSION_3_1_1);

				// Until each instance has handed over a message: both feeds are
				// subscribed,
				// and the second instance's index has caught up with the registration.
				MqttClient warmUp = publisher;
				await("both instances pushing").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
					warmUp.publish("/news/warm-up", "warm-up".getBytes(StandardCharsets.UTF_8), 1, false);
					return recorders.stream().allMatch((recorder) -> !recorder.deliveries().isEmpty());
				});

				for (int i = 0; i < MESSAGES; i++) {
					publisher.publish("/news/europe/sport", ("message " + i).getBytes(StandardCharsets.UTF_8), 1,
							false);
				}
				await("every message handed over").atMost(WAIT).until(() -> counted(recorders).size() == MESSAGES);
				// Room for a duplicate to show up, should there be one.
				Thread.sleep(3_000);

				Map<String, Long> counts = counted(recorders);
				assertThat(counts).hasSize(MESSAGES);
				assertThat(counts.values()).as("hand-overs per message").allMatch((count) -> count == 1);
				for (int i = 0; i < MESSAGES; i++) {
					assertThat(counts).containsKey("message " + i);
				}
				List<String> received = new ArrayList<>();
				await("every message pushed").atMost(WAIT)
					.until(() -> pushed(pushService, received).values()
						.stream()
						.mapToLong(Long::longValue)
						.sum() >= MESSAGES);
				Thread.sleep(3_000);
				Map<String, Long> pushed = pushed(pushService, received);
				assertThat(pushed).hasSize(MESSAGES);
				assertThat(pushed.values()).as("pushes per message").allMatch((count) -> count == 1);
				pushService.assertNoFailures();
			}
			finally {
				PahoClients.closeQuietly(publisher);
				instances.forEach(ConfigurableApplicationContext::close);
			}
		}
	}

	/**
	 * How often each message to /news/europe/sport was handed over, over both instances.
	 */
	private static Map<String, Long> counted(List<RecordingPushDelivery> recorders) {
		return recorders.stream()
			.flatMap((recorder) -> recorder.deliveries().stream())
			.filter((delivery) -> delivery.topic().equals("/news/europe/sport"))
			.map((delivery) -> new String(delivery.payload(), StandardCharsets.UTF_8))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	/**
	 * How often each message to /news/europe/sport reached the push service so far,
	 * adding the pushes received since the last call to {@code payloads}.
	 */
	private static Map<String, Long> pushed(PushServiceStandIn pushService, List<String> payloads)
			throws InterruptedException {
		JsonMapper json = JsonMapper.builder().build();
		while (pushService.pendingRequests() > 0) {
			JsonNode push = json.readTree(pushService.next().plaintext());
			if (push.get("topic").asString().equals("/news/europe/sport")) {
				payloads.add(push.get("payload").asString());
			}
		}
		return payloads.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	private static void register(int port, PushTarget browser) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		Map<String, Object> registration = Map.of("subscription",
				Map.of("endpoint", browser.endpoint().toString(), "keys", Map.of("p256dh",
						base64.encodeToString(browser.p256dh()), "auth", base64.encodeToString(browser.auth()))),
				"filters", List.of("/news/#"));
		ResponseEntity<String> answer = TestHttp
			.client(port, TestTokens.of("reader", Map.of("sub", List.of("/news/#"))))
			.post()
			.uri("/api/push/subscriptions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(registration)
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(201);
		assertThat(JsonMapper.builder().build().readTree(answer.getBody()).get("id").asString()).isNotEmpty();
	}

	private static ConfigurableApplicationContext herald(MosquittoProcess mosquitto, String database, KeyPair vapid,
			PushServiceStandIn pushService) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return new SpringApplicationBuilder(HeraldApplication.class, Recording.class).run("--server.port=0",
				"--herald.relay.listener.port=0", "--herald.broker.embedded=false",
				"--herald.broker.url=" + mosquitto.tcpUri(), "--herald.tls.self-signed-directory=target/tls",
				"--herald.security.jwt.secret=" + TestTokens.SECRET, "--herald.security.data-directory=target/security",
				"--spring.datasource.url=" + database, "--spring.datasource.username=" + PostgresProcess.USER,
				// Both instances sign with the same VAPID key pair, as they must.
				"--herald.push.vapid.public-key="
						+ base64.encodeToString(P256.uncompressed((ECPublicKey) vapid.getPublic())),
				"--herald.push.vapid.private-key="
						+ base64.encodeToString(P256.scalar((ECPrivateKey) vapid.getPrivate())),
				"--herald.push.allowed-endpoints=" + pushService.origin() + "/push/**",
				"--herald.push.index-refresh=0s");
	}

	private static int port(ConfigurableApplicationContext herald) {
		return herald.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static KeyPair vapidKeys() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(P256.PARAMETERS);
		return generator.generateKeyPair();
	}

	/**
	 * Each instance's hand-overs, kept on their way to its sender; imported, never
	 * scanned.
	 */
	static class Recording {

		@Bean
		@Primary
		RecordingPushDelivery recordingPushDelivery(@Qualifier("webPushDelivery") PushDelivery sender) {
			return new RecordingPushDelivery(sender);
		}

	}

}
