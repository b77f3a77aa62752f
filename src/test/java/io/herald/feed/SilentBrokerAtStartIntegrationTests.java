package io.herald.feed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * Herald starts while something on the broker's port accepts TCP connections and never
 * answers: the feed and the publisher give up on each CONNACK after
 * {@code herald.broker.connack-timeout} and keep retrying, so once a real broker listens
 * there the feed subscribes and publishing works, without a restart. The connections the
 * silent listener accepted stay open all along, as they would in front of a hung broker.
 */
@HeraldIntegrationTest
// A CONNACK deadline longer than the connect timeout, as in the defaults.
@TestPropertySource(properties = { "herald.broker.connect-timeout=1s", "herald.broker.connack-timeout=2s",
		"herald.feed.max-reconnect-delay=1s", "herald.broker.health-timeout=1s", "herald.publish.timeout=2s" })
class SilentBrokerAtStartIntegrationTests extends WithExternalMosquitto {

	private static final Duration WAIT = Duration.ofSeconds(40);

	private static ServerSocket silent;

	private static final List<Socket> accepted = new CopyOnWriteArrayList<>();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void silentListenerOnTheBrokersPort() throws IOException {
		mosquitto.stop();
		silent = new ServerSocket();
		silent.setReuseAddress(true);
		silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), mosquitto.port()));
		Thread acceptor = new Thread(() -> {
			while (!silent.isClosed()) {
				try {
					accepted.add(silent.accept());
				}
				catch (IOException ex) {
					// Closed when the real broker takes the port.
				}
			}
		}, "silent-broker");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@AfterAll
	static void closeAcceptedConnections() throws IOException {
		for (Socket socket : accepted) {
			socket.close();
		}
	}

	@Test
	void feedAndPublisherRecoverOnceARealBrokerAnswers() throws Exception {
		RestClient http = TestHttp.client(this.port, TestTokens.admin());
		await().atMost(WAIT).until(() -> !accepted.isEmpty());
		ResponseEntity<JsonNode> down = http.get()
			.uri("/actuator/health/readiness")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(down.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(down.getBody().at("/components/broker/details/error").asString(""))
			.contains("No CONNACK within the health timeout");
		ResponseEntity<JsonNode> refused = publish(http, "meanwhile");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.getHeaders().getFirst("Retry-After")).isNotNull();

		// The listening socket goes, the accepted connections stay open and silent.
		silent.close();
		mosquitto = mosquitto.restart();

		await().atMost(WAIT)
			.until(() -> http.get()
				.uri("/actuator/health/readiness")
				.retrieve()
				.body(JsonNode.class)
				.at("/components/broker/details/subscribers/feedInbound")
				.asString(""), "subscribed"::equals);
		await().atMost(WAIT).until(() -> publish(http, "answered").getStatusCode() == HttpStatus.ACCEPTED);
		await().atMost(WAIT)
			.until(() -> http.get()
				.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build("/news/silent/#"))
				.retrieve()
				.body(JsonNode.class), (history) -> history.size() >= 1);
		assertThat(accepted).allSatisfy((socket) -> assertThat(socket.isClosed()).isFalse());
	}

	private static ResponseEntity<JsonNode> publish(RestClient http, String payload) {
		return http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", "/news/silent/start", "payload", payload))
			.retrieve()
			.toEntity(JsonNode.class);
	}

}
