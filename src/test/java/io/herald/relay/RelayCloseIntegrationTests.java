package io.herald.relay;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.NettyLeakLog;
import io.herald.support.OpenTopics;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What a browser sees when either side ends the session, or sends what the relay refuses.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = "herald.relay.max-frame-size=64KB")
@OpenTopics
class RelayCloseIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private RelayRegistry registry;

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void negotiatesTheFirstOfferedMqttSubprotocol(RelayEndpoint endpoint) {
		MqttWebSocketClient both = MqttWebSocketClient.connect(relayUri(endpoint), "mqtt", "mqttv3.1");
		MqttWebSocketClient legacy = MqttWebSocketClient.connect(relayUri(endpoint), "mqttv3.1");
		try {
			assertThat(both.subprotocol()).isEqualTo("mqtt");
			assertThat(legacy.subprotocol()).isEqualTo("mqttv3.1");
		}
		finally {
			both.close();
			legacy.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void handshakeOfferingNoMqttSubprotocolIsRefusedWith400(RelayEndpoint endpoint) {
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> MqttWebSocketClient.connect(relayUri(endpoint), "chat"))
			.havingCause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(400));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void disconnectThenBrokerCloseEndsWith1000(RelayEndpoint endpoint) {
		MqttWebSocketClient client = connectedClient(endpoint, "disconnecting");
		client.send(MqttMessage.DISCONNECT);
		assertThat(client.awaitCloseCode()).isEqualTo(1000);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void brokerClosingWithoutDisconnectEndsWith1011(RelayEndpoint endpoint) {
		MqttWebSocketClient client = connectedClient(endpoint, "bad-flags");
		// A PINGREQ with reserved flags set passes Herald unread; the broker must drop
		// the connection.
		client.send(ByteBuffer.wrap(new byte[] { (byte) 0xC1, 0x00 }));
		assertThat(client.awaitCloseCode()).isEqualTo(1011);
		assertThat(client.closeReason()).isEqualTo("Broker closed the connection");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void textFrameEndsWith1003(RelayEndpoint endpoint) {
		MqttWebSocketClient client = connectedClient(endpoint, "texter");
		client.sendText("hello");
		assertThat(client.awaitCloseCode()).isEqualTo(1003);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void messageOverMaxFrameSizeEndsWith1009(RelayEndpoint endpoint) {
		MqttWebSocketClient client = connectedClient(endpoint, "big");
		// Refused on its header, the frame is still read to its end: the browser is not
		// reset mid-send.
		client.send(publish(new byte[64 * 1024]));
		assertThat(client.awaitCloseCode()).as(client::closeReason).isEqualTo(1009);
		assertThat(client.closeReason()).contains("herald.relay.max-frame-size");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void messageAtMaxFrameSizeIsRelayed(RelayEndpoint endpoint) {
		MqttWebSocketClient client = connectedClient(endpoint, "large-publish");
		byte[] payload = new byte[64 * 1024 - 64];
		client.send(publish(payload));
		assertThat(client.awaitMessage(MqttMessageType.PUBACK)).isNotNull();
		client.close();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void malformedMqttEndsWith1002(RelayEndpoint endpoint) {
		MqttWebSocketClient client = MqttWebSocketClient.connect(relayUri(endpoint), "mqtt");
		client.send(ByteBuffer.wrap(new byte[] { 0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01 }));
		assertThat(client.awaitCloseCode()).isEqualTo(1002);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void connectCyclesLeaveNoConnectionSocketOrBufferBehind(RelayEndpoint endpoint) throws Exception {
		warmUp(endpoint);
		long baseline = openSockets();
		try (NettyLeakLog leaks = NettyLeakLog.capture()) {
			connectCycles(endpoint, 150);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(this.registry.size()).isZero();
				// Each relayed session holds four sockets in this JVM (test client,
				// browser side,
				// upstream, embedded broker's end): a leak of any would show here.
				assertThat(openSockets()).isLessThanOrEqualTo(baseline + 5);
			});
			assertThat(leaks.collect()).isEmpty();
		}
	}

	private void connectCycles(RelayEndpoint endpoint, int count) {
		for (int i = 0; i < count; i++) {
			MqttWebSocketClient client = connectedClient(endpoint, "cycle-" + i);
			if (i % 3 == 0) {
				client.send(MqttMessage.DISCONNECT);
				client.awaitCloseCode();
			}
			else if (i % 3 == 1) {
				client.close();
			}
			else {
				client.abort();
			}
		}
	}

	private void warmUp(RelayEndpoint endpoint) {
		MqttWebSocketClient client = connectedClient(endpoint, "warm-up");
		client.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.size() == 0);
	}

	private MqttWebSocketClient connectedClient(RelayEndpoint endpoint, String clientId) {
		MqttWebSocketClient client = MqttWebSocketClient.connect(relayUri(endpoint), "mqtt");
		client.send(connect(clientId));
		MqttConnAckMessage connAck = (MqttConnAckMessage) client.awaitMessage(MqttMessageType.CONNACK);
		assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
		return client;
	}

	private static MqttMessage connect(String clientId) {
		return MqttMessageBuilders.connect()
			.clientId(clientId)
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(30)
			.build();
	}

	private static MqttMessage publish(byte[] payload) {
		return MqttMessageBuilders.publish()
			.topicName("/news/europe/sport")
			.qos(MqttQoS.AT_LEAST_ONCE)
			.messageId(7)
			.payload(Unpooled.wrappedBuffer(payload))
			.build();
	}

	private static long openSockets() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.filter(RelayCloseIntegrationTests::isSocket).count();
		}
	}

	private static boolean isSocket(Path descriptor) {
		try {
			return Files.readSymbolicLink(descriptor).toString().startsWith("socket:");
		}
		catch (IOException ex) {
			// Closed between listing and reading: not open any more.
			return false;
		}
	}

	private URI relayUri(RelayEndpoint endpoint) {
		return endpoint.uri(this.context);
	}

}
