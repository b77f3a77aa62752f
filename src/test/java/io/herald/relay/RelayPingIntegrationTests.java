package io.herald.relay;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herald.broker.BrokerEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.OpenTopics;
import io.herald.support.PahoClients;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Browsers that went away without closing are found by WebSocket pings and disconnected,
 * while one that answers stays however long it is idle, MQTT keep-alive 0 included.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "server.ssl.enabled=false", "herald.relay.ping-interval=1s" })
@OpenTopics
class RelayPingIntegrationTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private BrokerEndpoint broker;

	@Autowired
	private RelayRegistry registry;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void silentBrowserIsDroppedWith1011WhileOneThatAnswersStays(RelayEndpoint endpoint) throws Exception {
		MqttWebSocketClient live = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
		MqttClient publisher = null;
		try {
			live.send(MqttMessageBuilders.connect()
				.clientId("live-" + endpoint)
				.protocolVersion(MqttVersion.MQTT_3_1_1)
				.cleanSession(true)
				.keepAlive(0)
				.build());
			live.awaitMessage(MqttMessageType.CONNACK);
			live.send(MqttMessageBuilders.subscribe()
				.messageId(1)
				.addSubscription(MqttQoS.AT_MOST_ONCE, "/news/#")
				.build());
			live.awaitMessage(MqttMessageType.SUBACK);
			long connected = System.nanoTime();
			try (Socket silent = StalledSubscriber.connect(endpoint.uri(this.context), "silent-" + endpoint)) {
				assertThat(this.registry.size()).isEqualTo(2);
				await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.size() == 1);
				assertThat(Duration.ofNanos(System.nanoTime() - connected))
					.isGreaterThanOrEqualTo(INTERVAL.multipliedBy(2));
				List<Frame> frames = framesUntilEnd(silent);
				assertThat(frames).extracting(Frame::opcode).contains(Frame.PING);
				Frame close = frames.get(frames.size() - 1);
				assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
				assertThat(close.closeCode()).isEqualTo(1011);
				assertThat(close.closeReason())
					.isEqualTo("No answer to WebSocket pings for 2s (herald.relay.ping-interval)");
			}
			// Idle for several times the silence that dropped the other, answering every
			// ping.
			int pingsBefore = live.pings();
			await().atMost(Duration.ofSeconds(30)).until(() -> live.pings() >= pingsBefore + 5);
			assertThat(live.closed()).isFalse();
			assertThat(this.registry.size()).isEqualTo(1);
			publisher = PahoClients.connect(this.broker.uri().toString(), MqttConnectOptions.MQTT_VERSION_3_1_1);
			publisher.publish("/news/europe/sport", "still here".getBytes(StandardCharsets.UTF_8), 0, false);
			MqttPublishMessage received = (MqttPublishMessage) live.awaitMessage(MqttMessageType.PUBLISH);
			assertThat(received.variableHeader().topicName()).isEqualTo("/news/europe/sport");
		}
		finally {
			PahoClients.closeQuietly(publisher);
			live.abort();
		}
	}

	/**
	 * Every WebSocket frame the server sent after the SUBACK, up to the end of the
	 * connection.
	 */
	private static List<Frame> framesUntilEnd(Socket socket) throws IOException {
		socket.setSoTimeout(15_000);
		DataInputStream in = new DataInputStream(socket.getInputStream());
		List<Frame> frames = new ArrayList<>();
		while (true) {
			int first;
			try {
				first = in.read();
			}
			catch (SocketTimeoutException | java.net.SocketException ex) {
				return frames;
			}
			if (first < 0) {
				return frames;
			}
			int length = in.readUnsignedByte() & 0x7F;
			if (length == 126) {
				length = in.readUnsignedShort();
			}
			else if (length == 127) {
				length = Math.toIntExact(in.readLong());
			}
			byte[] payload = new byte[length];
			try {
				in.readFully(payload);
			}
			catch (EOFException ex) {
				return frames;
			}
			frames.add(new Frame(first & 0x0F, payload));
		}
	}

	private record Frame(int opcode, byte[] payload) {

		static final int CLOSE = 0x8;

		static final int PING = 0x9;

		int closeCode() {
			return ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

		String closeReason() {
			return new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8);
		}

	}

}
