package io.herald.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay answers to requests that are not a handshake it can serve: an origin
 * outside {@code herald.relay.allowed-origins}, other paths and plain requests on the
 * relay listener, and a connection that never completes its handshake.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.relay.allowed-origins=https://*.example.com",
		"herald.relay.listener.handshake-timeout=1s" })
class RelayHandshakeIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private RelayListener listener;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void allowedOriginIsUpgraded(RelayEndpoint endpoint) throws IOException {
		String response = exchange(endpoint.uri(this.context).getPort(),
				handshake("/mqtt", "https://news.example.com"));
		assertThat(response).startsWith("HTTP/1.1 101");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void otherOriginIsForbidden(RelayEndpoint endpoint) throws IOException {
		String response = exchange(endpoint.uri(this.context).getPort(), handshake("/mqtt", "https://evil.test"));
		assertThat(response).startsWith("HTTP/1.1 403");
	}

	@Test
	void listenerAnswersOtherPathsWith404ProblemDetail() throws IOException {
		String response = exchange(this.listener.port(), handshake("/ws", null));
		assertThat(response).startsWith("HTTP/1.1 404")
			.contains("content-type: application/problem+json")
			.contains("\"status\":404")
			.contains("only the MQTT WebSocket endpoint /mqtt")
			.contains("\"instance\":\"/ws\"");
	}

	@Test
	void listenerAnswersAPlainRequestWith400ProblemDetail() throws IOException {
		String response = exchange(this.listener.port(), "GET /mqtt HTTP/1.1\r\nHost: localhost\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 400")
			.contains("content-type: application/problem+json")
			.contains("Expected a WebSocket handshake");
	}

	@Test
	void listenerAnswersOversizedHeadersWith400ProblemDetail() throws IOException {
		String response = exchange(this.listener.port(),
				"GET /mqtt HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "x".repeat(10_000) + "\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 400").contains("Malformed HTTP request");
	}

	@Test
	void listenerClosesAConnectionThatNeverCompletesItsHandshake() throws IOException {
		try (Socket socket = TestTls.trustingAll().getSocketFactory().createSocket("localhost", this.listener.port())) {
			socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
			long start = System.nanoTime();
			socket.getOutputStream().write("GET /mqtt HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		}
	}

	private static String handshake(String path, String origin) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
				+ "Sec-WebSocket-Protocol: mqtt\r\n" + ((origin != null) ? "Origin: " + origin + "\r\n" : "") + "\r\n";
	}

	/**
	 * Send one request over TLS and read the response's head, and its body if it has a
	 * length.
	 */
	private static String exchange(int port, String request) throws IOException {
		try (Socket socket = TestTls.trustingAll().getSocketFactory().createSocket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				int next = in.read();
				if (next < 0) {
					break;
				}
				head.append((char) next);
			}
			String text = head.toString();
			String lower = text.toLowerCase(Locale.ROOT);
			int length = lower.indexOf("content-length: ");
			if (length < 0) {
				return text;
			}
			int end = lower.indexOf("\r\n", length);
			int size = Integer.parseInt(lower.substring(length + 16, end).trim());
			return text + new String(in.readNBytes(size), StandardCharsets.UTF_8);
		}
	}

}
