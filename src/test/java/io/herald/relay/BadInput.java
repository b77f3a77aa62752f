package io.herald.relay;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.herald.mqtt.MqttCodec;
import io.herald.support.MqttWebSocketClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One row of a bad-input table: how a browser opens its WebSocket and what it sends, and
 * what it must get back: the MQTT packets Herald or the broker answer with, then the
 * close frame, or the HTTP problem that refuses the handshake.
 */
final class BadInput {

	private final String name;

	private MqttVersion version = MqttVersion.MQTT_3_1_1;

	private String clientId = "bad-input";

	private final Map<String, String> headers = new LinkedHashMap<>();

	private String[] subprotocols = { "mqtt" };

	private @Nullable String urlToken;

	private final List<Step> steps = new ArrayList<>();

	private final List<String> replies = new ArrayList<>();

	private int closeCode;

	private String reason = "";

	private int status;

	private String detail = "";

	private int brokerConnections;

	private Duration notBefore = Duration.ZERO;

	private BadInput(String name) {
		this.name = name;
	}

	static BadInput of(String name) {
		return new BadInput(name);
	}

	/**
	 * The browser speaks MQTT 5 (its CONNECT says so, and replies are decoded as such).
	 */
	BadInput mqtt5() {
		return speaks(MqttVersion.MQTT_5);
	}

	BadInput speaks(MqttVersion spoken) {
		this.version = spoken;
		return this;
	}

	/** The client id of the CONNECTs the browser sends. */
	BadInput clientId(String id) {
		this.clientId = id;
		return this;
	}

	BadInput header(String header, String value) {
		this.headers.put(header, value);
		return this;
	}

	/** The subprotocols the handshake offers, none at all when empty. */
	BadInput offering(String... offered) {
		this.subprotocols = offered;
		return this;
	}

	/**
	 * The token goes in the WebSocket URL's {@code access_token} rather than in the
	 * CONNECT.
	 */
	BadInput urlToken(String token) {
		this.urlToken = token;
		return this;
	}

	/**
	 * Send a CONNECT with {@code token} as its password ({@code null} for none) and wait
	 * for the CONNACK.
	 */
	BadInput connects(@Nullable String token) {
		return connects(token, 30);
	}

	BadInput connects(@Nullable String token, int keepAliveSeconds) {
		this.steps.add((client) -> {
			client.send(ByteBuffer.wrap(bytes(connect(token, keepAliveSeconds), this.version)));
			client.awaitMessage(MqttMessageType.CONNACK);
		});
		return this;
	}

	/**
	 * Send a CONNECT with {@code token} and, in the same WebSocket message,
	 * {@code following} (MQTT lets a client send on before its CONNACK), then wait for
	 * the CONNACK.
	 */
	BadInput connectsWith(@Nullable String token, byte[] following) {
		this.steps.add((client) -> {
			byte[] connect = bytes(connect(token, 30), this.version);
			ByteBuffer message = ByteBuffer.allocate(connect.length + following.length).put(connect).put(following);
			client.send(message.flip());
			client.awaitMessage(MqttMessageType.CONNACK);
		});
		return this;
	}

	/** Send each of {@code messages} as one binary WebSocket message. */
	BadInput sends(byte[]... messages) {
		for (byte[] message : messages) {
			this.steps.add((client) -> client.send(ByteBuffer.wrap(message)));
		}
		return this;
	}

	/**
	 * Send {@code message}, encoded now in the browser's MQTT version (say
	 * {@link #mqtt5()} first).
	 */
	BadInput sends(MqttMessage message) {
		return sends(bytes(message, this.version));
	}

	BadInput sendsText(String text) {
		this.steps.add((client) -> client.sendText(text));
		return this;
	}

	/**
	 * Start sending {@code message} without waiting for it to be taken: Herald may close
	 * first.
	 */
	BadInput startsSending(byte[] message) {
		this.steps.add((client) -> client.sendAsync(ByteBuffer.wrap(message)));
		return this;
	}

	/** Wait for a packet of {@code type}. */
	BadInput awaits(MqttMessageType type) {
		this.steps.add((client) -> client.awaitMessage(type));
		return this;
	}

	/** PINGREQ, waiting for the PINGRESP: the session goes on. */
	BadInput pings() {
		this.steps.add((client) -> {
			client.send(ByteBuffer.wrap(new byte[] { (byte) 0xC0, 0x00 }));
			client.awaitMessage(MqttMessageType.PINGRESP);
		});
		return this;
	}

	/**
	 * The packets the browser gets, as {@link #describe(MqttMessage)} writes them, in
	 * order.
	 */
	BadInput answered(String... packets) {
		this.replies.addAll(List.of(packets));
		return this;
	}

	/** The close frame the browser gets: its code, and a fragment of its reason. */
	BadInput closes(int code, String reasonFragment) {
		this.closeCode = code;
		this.reason = reasonFragment;
		return this;
	}

	/** DISCONNECT, after which the broker closes and the browser gets 1000. */
	BadInput disconnects() {
		this.steps.add((client) -> client.send(ByteBuffer.wrap(new byte[] { (byte) 0xE0, 0x00 })));
		return closes(1000, "");
	}

	/**
	 * The handshake is refused with {@code status} and a problem detail containing
	 * {@code detailFragment}.
	 */
	BadInput refused(int status, String detailFragment) {
		this.status = status;
		this.detail = detailFragment;
		return this;
	}

	/** Herald connects to the broker for this browser (its CONNECT was let in). */
	BadInput reachesBroker() {
		this.brokerConnections = 1;
		return this;
	}

	/** The close comes no sooner than {@code delay} after the WebSocket opened. */
	BadInput closesNotBefore(Duration delay) {
		this.notBefore = delay;
		return this;
	}

	int brokerConnections() {
		return this.brokerConnections;
	}

	/**
	 * Open the WebSocket at {@code uri}, run the row's steps and assert what comes back.
	 */
	void check(URI uri) {
		URI target = (this.urlToken != null) ? URI.create(uri + "?access_token=" + this.urlToken) : uri;
		MqttWebSocketClient client;
		try {
			client = MqttWebSocketClient.connect(target, this.headers, this.subprotocols);
		}
		catch (CompletionException ex) {
			assertThat(this.status).as("handshake refused: %s", ex.getCause()).isPositive();
			assertThat(ex.getCause()).isInstanceOfSatisfying(WebSocketHandshakeException.class, (refusal) -> {
				assertThat(refusal.getResponse().statusCode()).isEqualTo(this.status);
				assertThat(String.valueOf(refusal.getResponse().body())).contains("\"status\":" + this.status)
					.contains(this.detail);
			});
			return;
		}
		try {
			assertThat(this.status).as("handshake status").isZero();
			long opened = System.nanoTime();
			client.speaking(this.version);
			this.steps.forEach((step) -> step.run(client));
			int code = client.awaitCloseCode();
			Duration elapsed = Duration.ofNanos(System.nanoTime() - opened);
			assertThat(client.received()).extracting(BadInput::describe).containsExactlyElementsOf(this.replies);
			assertThat(code).as("close code (reason %s)", client.closeReason()).isEqualTo(this.closeCode);
			assertThat(String.valueOf(client.closeReason())).contains(this.reason);
			assertThat(elapsed).isGreaterThanOrEqualTo(this.notBefore);
		}
		finally {
			// A case that failed leaves no connection behind for the next ones to trip
			// on.
			client.abort();
		}
	}

	/** A packet as the table writes it: its type, and the codes it carries in hex. */
	static String describe(MqttMessage message) {
		if (message.decoderResult().isFailure()) {
			return "undecodable: " + message.decoderResult().cause();
		}
		MqttMessageType type = message.fixedHeader().messageType();
		Object header = message.variableHeader();
		return switch (type) {
			case CONNACK -> "CONNACK " + hex(((MqttConnAckVariableHeader) header).connectReturnCode().byteValue());
			case SUBACK -> "SUBACK " + runs(((MqttSubAckMessage) message).payload().reasonCodes())
					+ (((MqttSubAckMessage) message).idAndPropertiesVariableHeader().properties().isEmpty() ? ""
							: " with properties " + ((MqttSubAckMessage) message).idAndPropertiesVariableHeader()
								.properties()
								.listAll());
			case PUBACK, PUBREC -> type + " #" + ((MqttPubReplyMessageVariableHeader) header).messageId() + " "
					+ hex(((MqttPubReplyMessageVariableHeader) header).reasonCode());
			case DISCONNECT -> "DISCONNECT " + hex(((MqttReasonCodeAndPropertiesVariableHeader) header).reasonCode());
			default -> type.toString();
		};
	}

	/** Codes as runs: {@code [0x01 ×100, 0x80 ×9900]}. */
	private static String runs(List<Integer> codes) {
		List<String> runs = new ArrayList<>();
		for (int i = 0; i < codes.size();) {
			int j = i;
			while (j < codes.size() && codes.get(j).equals(codes.get(i))) {
				j++;
			}
			runs.add(hex(codes.get(i)) + ((j - i > 1) ? " ×" + (j - i) : ""));
			i = j;
		}
		return runs.toString();
	}

	private static String hex(int code) {
		return String.format("0x%02X", code & 0xFF);
	}

	private MqttMessage connect(@Nullable String token, int keepAliveSeconds) {
		MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
			.protocolVersion(this.version)
			.clientId(this.clientId)
			.cleanSession(true)
			.keepAlive(keepAliveSeconds);
		if (token != null) {
			connect.hasUser(true).username("token").hasPassword(true).password(token.getBytes(StandardCharsets.UTF_8));
		}
		return connect.build();
	}

	/** The wire bytes of {@code message} in {@code version}. */
	static byte[] bytes(MqttMessage message, MqttVersion version) {
		ByteBuf encoded = MqttCodec.encode(message, version);
		try {
			return ByteBufUtil.getBytes(encoded);
		}
		finally {
			encoded.release();
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

	@FunctionalInterface
	private interface Step {

		void run(MqttWebSocketClient client);

	}

}
