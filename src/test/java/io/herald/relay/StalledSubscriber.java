package io.herald.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.herald.support.MqttWebSocketClient;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-driven plain-ws client with a tiny receive buffer that subscribes to
 * {@code /news/+/sport} and then never reads again.
 */
final class StalledSubscriber {

	private StalledSubscriber() {
	}

	static Socket connect(URI relay, String clientId) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.setSoTimeout(10_000);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.getPort()), 5_000);
		OutputStream out = socket.getOutputStream();
		InputStream in = socket.getInputStream();
		out.write(("GET /mqtt HTTP/1.1\r\nHost: localhost:" + relay.getPort() + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		String response = readHttpHeaders(in);
		assertThat(response).startsWith("HTTP/1.1 101");
		out.write(maskedBinaryFrame(MqttWebSocketClient.encode(MqttMessageBuilders.connect()
			.clientId(clientId)
			.protocolVersion(MqttVersion.MQTT_3_1_1)
			.cleanSession(true)
			.keepAlive(120)
			.build())));
		readFully(in, 2 + 4);
		out.write(maskedBinaryFrame(MqttWebSocketClient.encode(subscribe())));
		readFully(in, 2 + 5);
		return socket;
	}

	private static MqttMessage subscribe() {
		return MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(MqttQoS.AT_MOST_ONCE, "/news/+/sport")
			.build();
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
