package io.herald.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.PahoClients;
import io.herald.support.ReservedPort;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the primary broker down, browsers and health fall through to the failover URL.
 */
@HeraldIntegrationTest
class BrokerFailoverIntegrationTests {

	private static final int BROKER_PORT = freePort();

	private static final ReservedPort DEAD = ReservedPort.reserve();

	private static final int DEAD_PORT = DEAD.port();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void primaryDownFailoverUp(DynamicPropertyRegistry registry) {
		registry.add("herald.broker.embedded-port", () -> BROKER_PORT);
		registry.add("herald.broker.url", () -> "tcp://127.0.0.1:" + DEAD_PORT);
		registry.add("herald.broker.failover-urls", () -> "tcp://127.0.0.1:" + BROKER_PORT);
	}

	@AfterAll
	static void releasePort() throws IOException {
		DEAD.close();
	}

	@Test
	void browserIsRelayedToTheFailoverBroker() throws Exception {
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		MqttClient subscriber = PahoClients.connect("wss://localhost:" + this.port + "/mqtt",
				MqttConnectOptions.MQTT_VERSION_3_1_1);
		MqttClient publisher = PahoClients.connect("tcp://127.0.0.1:" + BROKER_PORT,
				MqttConnectOptions.MQTT_VERSION_3_1_1);
		try {
			subscriber.subscribe("/news/+/sport", 1,
					(topic, message) -> arrived.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
			publisher.publish("/news/europe/sport", "via failover".getBytes(StandardCharsets.UTF_8), 1, false);
			assertThat(arrived.poll(15, TimeUnit.SECONDS)).isEqualTo("via failover");
		}
		finally {
			PahoClients.closeQuietly(subscriber);
			PahoClients.closeQuietly(publisher);
		}
	}

	@Test
	void healthIsUpThroughTheFailoverBroker() {
		String health = TestHttp
			.get("https://localhost:" + this.port + "/actuator/health/readiness", TestTokens.admin())
			.getBody();
		assertThat(health).contains("\"status\":\"UP\"")
			.contains("tcp://127.0.0.1:" + DEAD_PORT + ", tcp://127.0.0.1:" + BROKER_PORT);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
