package io.herald.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.awaitility.Awaitility;

/**
 * A bare MQTT-over-WebSocket client for tests that need to see frames and close codes:
 * the JDK's WebSocket with Netty's MQTT codec.
 */
public final class MqttWebSocketClient implements WebSocket.Listener {

	private static final HttpClient HTTP = HttpClient.newBuilder().sslContext(TestTls.trustingAll()).build();

	/** Where netty-codec-mqtt keeps the protocol version it decodes. */
	private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

	private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1024 * 1024));

	private final List<MqttMessage> received = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private volatile String closeReason;

	private volatile boolean reading = true;

	private final AtomicInteger pings = new AtomicInteger();

	private volatile Consumer<byte[]> bytesListener = (bytes) -> {
	};

	private WebSocket webSocket;

	private MqttWebSocketClient() {
	}

	/** Open a WebSocket to {@code uri} (ws or wss) offering the given subprotocols. */
	public static MqttWebSocketClient connect(URI uri, String subprotocol, String... more) {
		String[] subprotocols = new String[more.length + 1];
		subprotocols[0] = subprotocol;
		System.arraycopy(more, 0, subprotocols, 1, more.length);
		return connect(uri, Map.of(), subprotocols);
	}

	/**
	 * Open a WebSocket to {@code uri} with extra request {@code headers} (an
	 * {@code Origin}), offering {@code subprotocols}, or none at all when there are none.
	 */
	public static MqttWebSocketClient connect(URI uri, Map<String, String> headers, String... subprotocols) {
		MqttWebSocketClient client = new MqttWebSocketClient();
		WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
		headers.forEach(builder::header);
		if (subprotocols.length > 0) {
			builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
		}
		client.webSocket = builder.buildAsync(uri, client).orTimeout(15, TimeUnit.SECONDS).join();
		return client;
	}

	/**
	 * Decode what the server sends as {@code version} (the server speaks the CONNECT's
	 * version).
	 */
	public MqttWebSocketClient speaking(MqttVersion version) {
		synchronized (this.decoder) {
			this.decoder.attr(VERSION).set(version);
		}
		return this;
	}

	public String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	public void send(MqttMessage message) {
		send(ByteBuffer.wrap(encode(message)));
	}

	/** The wire bytes of {@code message}, encoded by Netty's MQTT codec. */
	public static byte[] encode(MqttMessage message) {
		EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
		encoder.writeOutbound(message);
		ByteBuf encoded = encoder.readOutbound();
		try {
			return ByteBufUtil.getBytes(encoded);
		}
		finally {
			encoded.release();
			encoder.finishAndReleaseAll();
		}
	}

	public void send(ByteBuffer bytes) {
		this.webSocket.sendBinary(bytes, true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * Start sending {@code bytes} as one binary message, without waiting for it to be
	 * written.
	 */
	public CompletableFuture<WebSocket> sendAsync(ByteBuffer bytes) {
		return this.webSocket.sendBinary(bytes, true);
	}

	public void sendText(String text) {
		this.webSocket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * Stop asking for frames, so the TCP connection backs up like a stalled browser's.
	 */
	public void stopReading() {
		this.reading = false;
	}

	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(10, TimeUnit.SECONDS).join();
		}
	}

	public void abort() {
		this.webSocket.abort();
	}

	/**
	 * Also hand the bytes of every binary frame, as they came, to {@code listener}: for
	 * clients that decode them themselves (MQTT 5, whose packets the 3.1.1 decoder here
	 * misreads). Set it before sending anything.
	 */
	public void onBytes(Consumer<byte[]> listener) {
		this.bytesListener = listener;
	}

	/** Run {@code action} once the WebSocket is closed or failed. */
	public void whenClosed(Runnable action) {
		this.closeCode.whenComplete((code, failure) -> action.run());
	}

	public List<MqttMessage> received() {
		return this.received;
	}

	/** Wait for the first received message of {@code type}. */
	public MqttMessage awaitMessage(MqttMessageType type) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.received.stream().anyMatch((m) -> m.fixedHeader().messageType() == type));
		return this.received.stream().filter((m) -> m.fixedHeader().messageType() == type).findFirst().orElseThrow();
	}

	/** Wait for the server to close the WebSocket and return its close code. */
	public int awaitCloseCode() {
		return this.closeCode.orTimeout(15, TimeUnit.SECONDS).join();
	}

	public String closeReason() {
		return this.closeReason;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = copy(data);
		this.bytesListener.accept(bytes);
		synchronized (this.decoder) {
			this.decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
			MqttMessage message;
			while ((message = this.decoder.readInbound()) != null) {
				this.received.add(message);
				ReferenceCountUtil.release(message);
			}
		}
		if (this.reading) {
			webSocket.request(1);
		}
		return null;
	}

	@Override
	public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		// The JDK's WebSocket answers each ping it delivers here with a pong.
		this.pings.incrementAndGet();
		if (this.reading) {
			webSocket.request(1);
		}
		return null;
	}

	/** How many pings the server sent and this client answered. */
	public int pings() {
		return this.pings.get();
	}

	/** Whether the WebSocket has been closed by either side. */
	public boolean closed() {
		return this.closeCode.isDone();
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeReason = reason;
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.completeExceptionally(error);
	}

	private static byte[] copy(ByteBuffer data) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		return bytes;
	}

}
