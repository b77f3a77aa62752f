package io.herald.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import io.herald.mqtt.MqttCodec;
import io.herald.support.MqttWebSocketClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A scripted MQTT client that sends the packets it is given, as they are, over a plain
 * TCP socket or a WebSocket, and keeps every packet it receives as {@link PacketText}
 * describes it, and whether the other side closed the connection.
 */
final class BareMqttClient {

	/** Where netty-codec-mqtt keeps a connection's protocol version. */
	private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final String CLOSED = "<closed by the other side>";

	private final String name;

	private final MqttVersion version;

	private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(16 * 1024 * 1024));

	private final List<Packet> received = new ArrayList<>();

	private final Transport transport;

	private boolean closed;

	private boolean dropped;

	private volatile long lastArrival = System.nanoTime();

	private BareMqttClient(String name, MqttVersion version, Opener opener) {
		this.name = name;
		this.version = version;
		this.decoder.attr(VERSION).set(version);
		this.transport = opener.open(this);
	}

	/** A client straight to the broker at {@code host:port}. */
	static BareMqttClient tcp(String name, MqttVersion version, String host, int port) {
		return new BareMqttClient(name, version, (client) -> new TcpTransport(client, host, port));
	}

	/** A client of a relay endpoint, over its WebSocket. */
	static BareMqttClient webSocket(String name, MqttVersion version, URI uri) {
		return new BareMqttClient(name, version, (client) -> {
			MqttWebSocketClient webSocket = MqttWebSocketClient.connect(uri, "mqtt");
			webSocket.onBytes(client::arrived);
			webSocket.whenClosed(client::closedByPeer);
			return new WebSocketTransport(webSocket);
		});
	}

	/**
	 * Encode {@code messages} in this client's version and send them in one write (one
	 * WebSocket message).
	 */
	void send(MqttMessage... messages) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (MqttMessage message : messages) {
			ByteBuf encoded = MqttCodec.encode(message, this.version);
			try {
				bytes.writeBytes(ByteBufUtil.getBytes(encoded));
			}
			finally {
				encoded.release();
			}
		}
		this.transport.write(bytes.toByteArray());
	}

	/** The next received packet of {@code type} not taken yet, waiting for it. */
	Packet await(MqttMessageType type) {
		return take("a " + type, (packet) -> packet.type() == type);
	}

	/** Wait until the other side has closed the connection. */
	void awaitClosed() {
		try {
			Awaitility.await(this.name + " closed")
				.atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(5))
				.until(this::isClosed);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(this.name + " was not closed; received " + transcript(), ex);
		}
	}

	/**
	 * Close the connection without an MQTT DISCONNECT: a reset, or an orderly TCP or
	 * WebSocket close.
	 */
	void drop(boolean abrupt) {
		synchronized (this) {
			this.dropped = true;
		}
		this.transport.close(abrupt);
	}

	/** Close the connection, whether or not the other side has, as a run ends. */
	void discard() {
		try {
			drop(true);
		}
		catch (RuntimeException ex) {
			// Closed meanwhile: nothing left to release.
		}
	}

	/**
	 * What was received, in order, and last whether the other side closed the connection.
	 */
	synchronized List<String> transcript() {
		List<String> lines = new ArrayList<>(this.received.size() + 1);
		this.received.forEach((packet) -> lines.add(packet.text()));
		if (this.closed) {
			lines.add(CLOSED);
		}
		return lines;
	}

	long lastArrival() {
		return this.lastArrival;
	}

	private Packet take(String what, Predicate<Packet> wanted) {
		try {
			return Awaitility.await(this.name + " receiving " + what)
				.atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> next(wanted), (packet) -> packet != null);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(this.name + " did not receive " + what + "; received " + transcript(), ex);
		}
	}

	private synchronized Packet next(Predicate<Packet> wanted) {
		// Packets not wanted now stay for later awaits of their own.
		for (int i = 0; i < this.received.size(); i++) {
			Packet packet = this.received.get(i);
			if (!packet.taken && wanted.test(packet)) {
				packet.taken = true;
				return packet;
			}
		}
		return null;
	}

	private synchronized boolean isClosed() {
		return this.closed;
	}

	private synchronized void arrived(byte[] bytes) {
		this.lastArrival = System.nanoTime();
		this.decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
		MqttMessage message;
		while ((message = this.decoder.readInbound()) != null) {
			try {
				this.received.add(new Packet(message.fixedHeader().messageType(),
						message.fixedHeader().qosLevel().value(), PacketText.packetId(message),
						PacketText.code(message), PacketText.assignedClientId(message), PacketText.describe(message)));
			}
			finally {
				ReferenceCountUtil.release(message);
			}
		}
	}

	private synchronized void closedByPeer() {
		this.lastArrival = System.nanoTime();
		if (!this.dropped) {
			this.closed = true;
		}
	}

	/** A packet received: what scripts act on, and its full description. */
	static final class Packet {

		private final MqttMessageType type;

		private final int qos;

		private final int packetId;

		private final int code;

		private final @Nullable String assignedClientId;

		private final String text;

		private boolean taken;

		Packet(MqttMessageType type, int qos, int packetId, int code, @Nullable String assignedClientId, String text) {
			this.type = type;
			this.qos = qos;
			this.packetId = packetId;
			this.code = code;
			this.assignedClientId = assignedClientId;
			this.text = text;
		}

		MqttMessageType type() {
			return this.type;
		}

		int qos() {
			return this.qos;
		}

		/** The packet id, or -1 for a packet without one. */
		int packetId() {
			return this.packetId;
		}

		/** The return or reason code, or -1 for a packet without one. */
		int code() {
			return this.code;
		}

		/** A CONNACK's Assigned Client Identifier, or {@code null}. */
		@Nullable String assignedClientId() {
			return this.assignedClientId;
		}

		String text() {
			return this.text;
		}

	}

	/** Opens a client's connection. */
	@FunctionalInterface
	private interface Opener {

		Transport open(BareMqttClient client);

	}

	/** A connection's bytes, either way. */
	private interface Transport {

		void write(byte[] bytes);

		void close(boolean abrupt);

	}

	/** Straight to the broker over TCP, read by a thread of its own. */
	private static final class TcpTransport implements Transport {

		private final Socket socket;

		private final OutputStream out;

		TcpTransport(BareMqttClient client, String host, int port) {
			try {
				this.socket = new Socket(host, port);
				this.socket.setTcpNoDelay(true);
				this.out = this.socket.getOutputStream();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Failed to connect to the broker at " + host + ":" + port, ex);
			}
			Thread reader = new Thread(() -> read(client), "bare-mqtt-" + client.name);
			reader.setDaemon(true);
			reader.start();
		}

		private void read(BareMqttClient client) {
			byte[] buffer = new byte[16 * 1024];
			// The socket stays open until the run closes it: a send racing the broker's
			// close fails as
			// a send to a closed connection does, not on a socket closed under it.
			try {
				InputStream in = this.socket.getInputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					client.arrived(Arrays.copyOf(buffer, read));
				}
			}
			catch (IOException ex) {
				// A reset is a close too.
			}
			client.closedByPeer();
		}

		@Override
		public void write(byte[] bytes) {
			try {
				this.out.write(bytes);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Failed to send to the broker: " + ex, ex);
			}
		}

		@Override
		public void close(boolean abrupt) {
			try {
				if (abrupt) {
					this.socket.setSoLinger(true, 0);
				}
				this.socket.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/** To a relay endpoint over its WebSocket. */
	private record WebSocketTransport(MqttWebSocketClient webSocket) implements Transport {

		@Override
		public void write(byte[] bytes) {
			this.webSocket.send(java.nio.ByteBuffer.wrap(bytes));
		}

		@Override
		public void close(boolean abrupt) {
			if (abrupt) {
				this.webSocket.abort();
			}
			else {
				this.webSocket.close();
			}
		}

	}

}
