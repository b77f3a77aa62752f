package io.herald.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import io.herald.support.TestTls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Each relay endpoint holds at most its {@code max-connections}
 * ({@code herald.relay.listener.max-connections},
 * {@code herald.relay.web.max-connections}): one more is answered 503, a place that frees
 * up can be taken again, and handshakes that never open take no place.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.relay.listener.max-connections=2", "herald.relay.web.max-connections=2" })
@OpenTopics
class RelayConnectionLimitIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@ParameterizedTest
	@EnumSource(RelayEndpoint.class)
	void handshakeBeyondTheLimitIsRefusedWith503UntilAPlaceFreesUp(RelayEndpoint endpoint) throws IOException {
		URI relay = endpoint.uri(this.context);
		for (int i = 0; i < 3; i++) {
			// Refused by the WebSocket handshake itself, after Herald's checks.
			assertThat(handshake(relay, 99)).startsWith("HTTP/1.1 426");
		}
		MqttWebSocketClient first = MqttWebSocketClient.connect(relay, "mqtt");
		MqttWebSocketClient second = MqttWebSocketClient.connect(relay, "mqtt");
		try {
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> MqttWebSocketClient.connect(relay, "mqtt"))
				.havingCause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(503));
			assertThat(handshake(relay, 13)).startsWith("HTTP/1.1 503")
				.contains("maximum of 2 connections")
				.contains((endpoint == RelayEndpoint.LISTENER) ? "(herald.relay.listener.max-connections)"
						: "(herald.relay.web.max-connections)");

			first.close();
			MqttWebSocketClient third = await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> MqttWebSocketClient.connect(relay, "mqtt"), (client) -> client != null);
			third.close();
		}
		finally {
			second.close();
		}
	}

	/**
	 * A WebSocket handshake of {@code version}, over TLS: the response's head, and its
	 * body when it gives a length.
	 */
	private static String handshake(URI relay, int version) throws IOException {
		try (Socket socket = TestTls.trustingAll().getSocketFactory().createSocket("localhost", relay.getPort())) {
			socket.setSoTimeout(10_000);
			String request = "GET " + relay.getPath() + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: " + version + "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			InputStream in = socket.getInputStream();
			StringBuilder head = new StringBuilder();
			int next;
			while (!head.toString().endsWith("\r\n\r\n") && (next = in.read()) >= 0) {
				head.append((char) next);
			}
			Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
			byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
			return head + new String(body, StandardCharsets.UTF_8);
		}
	}

}
