package io.herald.relay;

import java.nio.ByteBuffer;

import io.herald.mqtt.MqttFramer;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Checks what a browser sends, chunk by chunk as it arrives: no WebSocket message larger
 * than {@code herald.relay.max-frame-size}, and a byte stream that keeps to MQTT's
 * framing.
 */
final class BrowserStream {

	private final @Nullable MqttFramer framer;

	private final long maxMessageSize;

	/** Bytes of the current WebSocket message so far. */
	private long messageBytes;

	/**
	 * With {@code framer} {@code null}, only the size is checked (the gate frames the
	 * stream itself).
	 */
	BrowserStream(@Nullable MqttFramer framer, long maxMessageSize) {
		this.framer = framer;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Check one chunk of a WebSocket message.
	 * @throws MessageTooLargeException if the message grew past the maximum size
	 * @throws MqttFramer.MalformedPacketException if the bytes are not MQTT
	 */
	void check(ByteBuffer chunk, boolean last) {
		count(chunk.remaining(), last);
		if (this.framer != null) {
			this.framer.scan(chunk);
		}
	}

	/** The same for a Netty buffer's readable bytes. */
	void check(ByteBuf chunk, boolean last) {
		count(chunk.readableBytes(), last);
		if (this.framer != null) {
			this.framer.scan(chunk);
		}
	}

	/** Why a message over the maximum size is refused. */
	static String tooLarge(long maxMessageSize) {
		return "Message larger than herald.relay.max-frame-size (" + maxMessageSize + " bytes)";
	}

	private void count(int bytes, boolean last) {
		this.messageBytes += bytes;
		if (this.messageBytes > this.maxMessageSize) {
			throw new MessageTooLargeException(this.maxMessageSize);
		}
		if (last) {
			this.messageBytes = 0;
		}
	}

	/**
	 * A browser sent a WebSocket message larger than {@code herald.relay.max-frame-size}.
	 */
	static final class MessageTooLargeException extends RuntimeException {

		MessageTooLargeException(long maxMessageSize) {
			super(tooLarge(maxMessageSize));
		}

	}

}
