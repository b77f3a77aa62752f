package io.herald.push;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.herald.HeraldApplication;
import io.herald.support.MosquittoProcess;
import io.herald.support.PahoClients;
import io.herald.support.PostgresProcess;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
 * form one shared subscription, so each message published is handed to the delivery
 * exactly once in all, for a subscription registered on one of them.
 */
class PushSharedSubscriptionIntegrationTests {

	private static final int MESSAGES = 40;

	private static final Duration WAIT = Duration.ofSeconds(40);

	@Test
	void eachMessageIsHandedToTheDeliveryOnceAcrossBothInstances() throws Exception {
		try (MosquittoProcess mosquitto = MosquittoProcess.start();
				PostgresProcess postgres = PostgresProcess.start()) {
			String database = postgres.createDatabase("herald_shared");
			List<ConfigurableApplicationContext> instances = new ArrayList<>();
			MqttClient publisher = null;
			try {
				instances.add(herald(mosquitto, database));
				instances.add(herald(mosquitto, database));
				List<RecordingPushDelivery> recorders = instances.stream()
					.map((instance) -> instance.getBean(RecordingPushDelivery.class))
					.toList();
				register(port(instances.get(0)));
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
				assertThat(counts.values()).as("deliveries per message").allMatch((count) -> count == 1);
				for (int i = 0; i < MESSAGES; i++) {
					assertThat(counts).containsKey("message " + i);
				}
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

	private static void register(int port) {
		ResponseEntity<String> answer = TestHttp
			.client(port, TestTokens.of("reader", Map.of("sub", List.of("/news/#"))))
			.post()
			.uri("/api/push/subscriptions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(BrowserKeys.registration(BrowserKeys.endpoint(), "/news/#"))
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(201);
		assertThat(JsonMapper.builder().build().readTree(answer.getBody()).get("id").asString()).isNotEmpty();
	}

	private static ConfigurableApplicationContext herald(MosquittoProcess mosquitto, String database) {
		return new SpringApplicationBuilder(HeraldApplication.class, Recording.class).run("--server.port=0",
				"--herald.relay.listener.port=0", "--herald.broker.embedded=false",
				"--herald.broker.url=" + mosquitto.tcpUri(), "--herald.tls.self-signed-directory=target/tls",
				"--herald.security.jwt.secret=" + TestTokens.SECRET, "--herald.security.data-directory=target/security",
				"--spring.datasource.url=" + database, "--spring.datasource.username=" + PostgresProcess.USER,
				// Both instances sign with the same VAPID key pair, as they must.
				"--herald.push.vapid.key-file=target/push/vapid-keys", "--herald.push.index-refresh=0s");
	}

	private static int port(ConfigurableApplicationContext herald) {
		return herald.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/** Each instance's recording delivery; imported, never scanned. */
	static class Recording {

		// In place of Herald's sender: what the feed hands over is what is checked here.
		@Bean
		@Primary
		RecordingPushDelivery recordingPushDelivery() {
			return new RecordingPushDelivery();
		}

	}

}
