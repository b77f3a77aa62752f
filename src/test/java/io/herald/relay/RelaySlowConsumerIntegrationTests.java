package io.herald.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herald.support.HeraldIntegrationTest;
import io.herald.broker.BrokerEndpoint;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.NettyLeakLog;
import io.herald.support.PahoClients;
import io.herald.support.TestHttp;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser that stops reading holds back only its own broker connection: fifty others keep
 * receiving everything, and Herald stays healthy. Plain ws keeps the CPU on relaying, not TLS.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "server.ssl.enabled=false")
class RelaySlowConsumerIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(RelaySlowConsumerIntegrationTests.class);

	private static final int FAST_SUBSCRIBERS = 50;

	private static final int MESSAGES = 100;

	/** 6.4 MB in all: more than a stalled socket's kernel buffers can absorb. */
	private static final int PAYLOAD_SIZE = 64 * 1024;

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerEndpoint broker;

	@Autowired
	private RelayRegistry registry;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void stalledBrowserDoesNotHoldBackOthers(RelayEndpoint endpoint) throws Exception {
		URI relay = endpoint.uri(this.context);
		List<MqttWebSocketClient> fast = new ArrayList<>();
		MqttClient publisher = null;
		NettyLeakLog leaks = NettyLeakLog.capture();
		try (Socket stalled = stalledSubscriber(relay)) {
			for (int i = 0; i < FAST_SUBSCRIBERS; i++) {
				fast.add(subscriber(relay, "fast-" + i));
			}
			publisher = PahoClients.connect(this.broker.uri().toString(), MqttConnectOptions.MQTT_VERSION_3_1_1);
			long start = System.nanoTime();
			for (int i = 0; i < MESSAGES; i++) {
				publisher.publish("/news/europe/sport", new byte[PAYLOAD_SIZE], 0, false);
			}

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				for (MqttWebSocketClient client : fast) {
					assertThat(publishes(client)).isEqualTo(MESSAGES);
				}
			});
			logger.info("{} subscribers received {} x {} bytes in {} ms while one subscriber stalled",
					FAST_SUBSCRIBERS, MESSAGES, PAYLOAD_SIZE, (System.nanoTime() - start) / 1_000_000);

			await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.awaitingBrowser() == 1);
			assertThat(TestHttp.get("http://localhost:" + this.port + "/actuator/health").getBody())
				.contains("\"status\":\"UP\"");
		}
		finally {
			PahoClients.closeQuietly(publisher);
			fast.forEach(MqttWebSocketClient::close);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.registry.size() == 0);
		// The stalled browser closed with a chunk still in flight: that buffer too was released.
		assertThat(leaks.collect()).isEmpty();
		leaks.close();
	}

	private MqttWebSocketClient subscriber(URI relay, String clientId) {
		MqttWebSocketClient client = MqttWebSocketClient.connect(relay, "mqtt");
		client.send(connect(clientId));
		client.awaitMessage(MqttMessageType.CONNACK);
		client.send(subscribe());
		client.awaitMessage(MqttMessageType.SUBACK);
		return client;
	}

	private static long publishes(MqttWebSocketClient client) {
		return client.received().stream().filter((m) -> m.fixedHeader().messageType() == MqttMessageType.PUBLISH).count();
	}

	/**
	 * A hand-driven WebSocket client with a tiny receive buffer that subscribes and then never
	 * reads again.
	 */
	private Socket stalledSubscriber(URI relay) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.setSoTimeout(10_000);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.getPort()), 5_000);
		OutputStream out = socket.getOutputStream();
		InputStream in = socket.getInputStream();
		out.write(("GET /mqtt HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		String response = readHttpHeaders(in);
		assertThat(response).startsWith("HTTP/1.1 101");
		out.write(maskedBinaryFrame(MqttWebSocketClient.encode(connect("stalled"))));
		readFully(in, 2 + 4);
		out.write(maskedBinaryFrame(MqttWebSocketClient.encode(subscribe())));
		readFully(in, 2 + 5);
		return socket;
	}

	private static MqttMessage connect(String clientId) {
		return MqttMessageBuilders.connect()
			.clientId(clientId)
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(120)
			.build();
	}

	private static MqttMessage subscribe() {
		return MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, "/news/+/sport").build();
	}

	private static byte[] maskedBinaryFrame(byte[] payload) {
		assertThat(payload.length).isLessThan(126);
		byte[] frame = new byte[2 + 4 + payload.length];
		frame[0] = (byte) 0x82;
		frame[1] = (byte) (0x80 | payload.length);
		// A zero masking key leaves the payload as it is.
		System.arraycopy(payload, 0, frame, 6, payload.length);
		return frame;
	}

	private static String readHttpHeaders(InputStream in) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			assertThat(next).as("handshake response ended early").isNotNegative();
			headers.append((char) next);
		}
		return headers.toString();
	}

	private static void readFully(InputStream in, int length) throws IOException {
		assertThat(in.readNBytes(length)).hasSize(length);
	}

}
