package io.herald.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.herald.support.HeraldProcess;
import io.herald.support.MosquittoProcess;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.PahoClients;
import io.herald.support.TestTls;
import io.herald.support.TestTokens;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIGTERM to a Herald process under REST load, with browsers on both endpoints:
 * readiness goes down first, new handshakes on both endpoints are answered 503 while the
 * relayed browsers stay for {@code herald.relay.drain-delay}, then they get 1001; every
 * publish answered 202 reached the broker, and the process exits within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
class GracefulShutdownIntegrationTests {

	private static final Duration DRAIN = Duration.ofSeconds(3);

	private static final String TOPIC = "/news/drain/load";

	private final HttpClient http = HttpClient.newBuilder()
		.sslContext(TestTls.trustingAll())
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	@Test
	void drainsThenClosesBrowsersAndLosesNoAcceptedPublish() throws Exception {
		try (MosquittoProcess mosquitto = MosquittoProcess.start();
				HeraldProcess herald = HeraldProcess.start(mosquitto.tcpUri(),
						"--herald.relay.drain-delay=" + DRAIN.toSeconds() + "s")) {
			Set<String> arrived = ConcurrentHashMap.newKeySet();
			MqttClient subscriber = PahoClients.connect(mosquitto.tcpUri(), 4);
			subscriber.subscribe(TOPIC, 1, (topic, message) -> arrived.add(new String(message.getPayload())));
			List<MqttWebSocketClient> browsers = List.of(connected(herald, true), connected(herald, false));

			Set<String> accepted = ConcurrentHashMap.newKeySet();
			AtomicInteger refused = new AtomicInteger();
			AtomicLong readinessDownAt = new AtomicLong();
			List<Thread> load = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				int thread = i;
				load.add(daemon(() -> publishUntilGone(herald, thread, accepted, refused)));
			}
			Thread readiness = daemon(() -> watchReadiness(herald, readinessDownAt));
			await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= 20);

			long terminatedAt = System.nanoTime();
			herald.terminate();
			await().atMost(DRAIN).until(() -> readinessDownAt.get() != 0);
			// Draining: browsers still relayed, new ones refused on both endpoints.
			assertThat(handshakeStatus(herald.listenerPort())).isEqualTo(503);
			assertThat(handshakeStatus(herald.port())).isEqualTo(503);
			assertThat(browsers).noneMatch(MqttWebSocketClient::closed);
			int acceptedWhileDraining = accepted.size();

			for (MqttWebSocketClient browser : browsers) {
				assertThat(browser.awaitCloseCode()).isEqualTo(1001);
			}
			assertThat(herald.awaitExit(Duration.ofSeconds(25))).as("exited within the shutdown timeout").isTrue();
			Duration shutdown = Duration.ofNanos(System.nanoTime() - terminatedAt);
			assertThat(shutdown).isGreaterThanOrEqualTo(DRAIN);
			for (Thread thread : load) {
				thread.join(10_000);
			}
			readiness.join(10_000);

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(arrived).containsAll(accepted));
			assertThat(accepted.size()).isGreaterThan(acceptedWhileDraining);
			System.out.printf(
					"Graceful shutdown: %d publishes answered 202 (all reached the broker), %d refused "
							+ "or unanswered, readiness down %d ms after SIGTERM, exit after %d ms%n",
					accepted.size(), refused.get(), Duration.ofNanos(readinessDownAt.get() - terminatedAt).toMillis(),
					shutdown.toMillis());
			PahoClients.closeQuietly(subscriber);
		}
	}

	private MqttWebSocketClient connected(HeraldProcess herald, boolean listener) {
		MqttWebSocketClient browser = MqttWebSocketClient
			.connect(listener ? herald.listenerUri() : herald.webServerUri(), "mqtt");
		browser.send(MqttMessageBuilders.connect()
			.clientId(listener ? "draining-listener" : "draining-web")
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(60)
			.build());
		assertThat(((MqttConnAckMessage) browser.awaitMessage(MqttMessageType.CONNACK)).variableHeader()
			.connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		return browser;
	}

	private void publishUntilGone(HeraldProcess herald, int thread, Set<String> accepted, AtomicInteger refused) {
		String token = TestTokens.admin();
		for (int i = 0; herald.isAlive(); i++) {
			String payload = thread + "-" + i;
			HttpRequest request = HttpRequest.newBuilder()
				.uri(URI.create("https://localhost:" + herald.port() + "/api/news"))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"topic\": \"" + TOPIC + "\", \"payload\": \"" + payload + "\", \"qos\": 1}"))
				.build();
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 202) {
					accepted.add(payload);
				}
				else {
					refused.incrementAndGet();
				}
			}
			catch (IOException ex) {
				refused.incrementAndGet();
				sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void watchReadiness(HeraldProcess herald, AtomicLong downAt) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("https://localhost:" + herald.port() + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		while (herald.isAlive() && downAt.get() == 0) {
			try {
				if (this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 503) {
					downAt.set(System.nanoTime());
				}
			}
			catch (IOException ex) {
				// Not answering is not "down" as a probe reports it: keep asking.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			sleep(25);
		}
	}

	/** The status a WebSocket handshake for MQTT gets on {@code port}. */
	private static int handshakeStatus(int port) throws IOException {
		try (Socket socket = TestTls.trustingAll().getSocketFactory().createSocket("localhost", port)) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /mqtt HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			return Integer.parseInt(status.substring(9, 12));
		}
	}

	private static Thread daemon(Runnable work) {
		Thread thread = new Thread(work, "graceful-shutdown-load");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
