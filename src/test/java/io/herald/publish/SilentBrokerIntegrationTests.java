package io.herald.publish;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker that accepts TCP connections and then never answers: publishing is answered
 * 503 after {@code herald.publish.timeout} rather than hanging.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.publish.timeout=1s", "herald.broker.connect-timeout=1s",
		"herald.broker.health-timeout=1s" })
class SilentBrokerIntegrationTests {

	private static ServerSocket silentBroker;

	private static final List<Socket> accepted = new CopyOnWriteArrayList<>();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startSilentBroker() throws IOException {
		silentBroker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!silentBroker.isClosed()) {
				try {
					// Keep each connection open and read nothing: no CONNACK ever comes.
					accepted.add(silentBroker.accept());
				}
				catch (IOException ex) {
					// Closed at the end of the tests.
				}
			}
		}, "silent-broker");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@AfterAll
	static void stopSilentBroker() throws IOException {
		silentBroker.close();
		for (Socket socket : accepted) {
			socket.close();
		}
	}

	@DynamicPropertySource
	static void silentBrokerUrl(DynamicPropertyRegistry registry) {
		registry.add("herald.broker.embedded", () -> "false");
		registry.add("herald.broker.url", () -> "tcp://127.0.0.1:" + silentBroker.getLocalPort());
	}

	@Test
	void publishIsAnsweredServiceUnavailableInsteadOfHanging() {
		RestClient http = TestHttp.client(this.port, TestTokens.admin());

		ResponseEntity<JsonNode> single = http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", "/news/silent", "payload", "anyone?"))
			.retrieve()
			.toEntity(JsonNode.class);
		ResponseEntity<JsonNode> batch = http.post()
			.uri("/api/news/batch")
			.contentType(MediaType.APPLICATION_JSON)
			.body(List.of(Map.of("topic", "/news/silent", "payload", "anyone?")))
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(single.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(single.getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(single.getBody().get("title").stringValue()).isEqualTo("Broker unavailable");
		assertThat(batch.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(batch.getBody().has("accepted")).isFalse();
	}

	@Test
	void healthIsDownWithTheReason() {
		ResponseEntity<String> health = TestHttp.get("https://localhost:" + this.port + "/actuator/health/readiness",
				TestTokens.admin());

		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(health.getBody()).contains("No CONNACK within the health timeout");
	}

}
