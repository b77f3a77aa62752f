package io.herald.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

import io.herald.support.MqttWebSocketClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser whose broker cannot be reached is told so with 1011 and a reason.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RelayBrokerUnreachableIntegrationTests {

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void unreachableBroker(DynamicPropertyRegistry registry) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		registry.add("herald.broker.embedded", () -> "false");
		registry.add("herald.broker.url", () -> "tcp://127.0.0.1:" + closedPort);
	}

	@Test
	void browserIsClosedWith1011NamingTheBroker() {
		MqttWebSocketClient client = MqttWebSocketClient.connect(URI.create("wss://localhost:" + this.port + "/mqtt"),
				"mqtt");
		assertThat(client.awaitCloseCode()).isEqualTo(1011);
		assertThat(client.closeReason()).startsWith("Broker unreachable").contains("127.0.0.1");
	}

}
