package io.herald.mqtt;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;

/**
 * Finds MQTT packet boundaries in a byte stream that arrives in arbitrary chunks, without
 * copying: it reads each fixed header (type byte and variable-length remaining length)
 * and skips the body.
 *
 * <p>
 * Netty's {@code MqttDecoder} decodes whole packets into objects, which the relay does
 * not want on its hot path: bytes must pass through unchanged, and only packet types and
 * sizes are needed here.
 */
public final class MqttFramer {

	/** The largest remaining length MQTT can encode (four bytes of seven bits). */
	public static final int MAX_REMAINING_LENGTH = 268_435_455;

	/**
	 * MQTT control packet types this relay cares about (upper nibble of the first byte).
	 */
	public static final int CONNECT = 1;

	public static final int DISCONNECT = 14;

	private static final ByteAt<ByteBuffer> NIO = ByteBuffer::get;

	private static final ByteAt<ByteBuf> NETTY = ByteBuf::getByte;

	private final PacketListener listener;

	private int headerByte = -1;

	private int remainingLength;

	private int lengthBytes;

	private long bodyLeft;

	public MqttFramer(PacketListener listener) {
		this.listener = listener;
	}

	/**
	 * Walk {@code chunk} from its position to its limit, reporting each packet whose
	 * fixed header completes in it. The chunk's position is left unchanged.
	 * @throws MalformedPacketException if the stream is not MQTT
	 */
	public void scan(ByteBuffer chunk) {
		scan(chunk, NIO, chunk.position(), chunk.limit());
	}

	/**
	 * Walk {@code chunk}'s readable bytes, reporting each packet whose fixed header
	 * completes in it. The buffer's indexes are left unchanged.
	 * @throws MalformedPacketException if the stream is not MQTT
	 */
	public void scan(ByteBuf chunk) {
		scan(chunk, NETTY, chunk.readerIndex(), chunk.writerIndex());
	}

	private <B> void scan(B buffer, ByteAt<B> bytes, int from, int limit) {
		int index = from;
		while (index < limit) {
			if (this.bodyLeft > 0) {
				int skip = (int) Math.min(this.bodyLeft, limit - index);
				this.bodyLeft -= skip;
				index += skip;
			}
			else if (this.headerByte < 0) {
				this.headerByte = bytes.get(buffer, index++) & 0xFF;
				if ((this.headerByte >>> 4) == 0) {
					throw new MalformedPacketException("Reserved MQTT packet type 0");
				}
			}
			else {
				readLengthByte(bytes.get(buffer, index++) & 0xFF);
			}
		}
	}

	/** Whether the stream ends on a packet boundary. */
	public boolean atBoundary() {
		return this.headerByte < 0 && this.bodyLeft == 0;
	}

	private void readLengthByte(int encoded) {
		this.remainingLength |= (encoded & 0x7F) << (7 * this.lengthBytes);
		this.lengthBytes++;
		if ((encoded & 0x80) != 0) {
			if (this.lengthBytes == 4) {
				throw new MalformedPacketException("MQTT remaining length longer than four bytes");
			}
			return;
		}
		int type = this.headerByte >>> 4;
		int length = this.remainingLength;
		this.bodyLeft = length;
		this.headerByte = -1;
		this.remainingLength = 0;
		this.lengthBytes = 0;
		this.listener.onPacket(type, length);
	}

	/**
	 * Absolute reads from a buffer, whichever kind it is (stateless: no allocation per
	 * scan).
	 */
	@FunctionalInterface
	private interface ByteAt<B> {

		byte get(B buffer, int index);

	}

	/**
	 * Receives the type and remaining length of each packet as its fixed header
	 * completes.
	 */
	@FunctionalInterface
	public interface PacketListener {

		void onPacket(int type, int remainingLength);

	}

	/** The byte stream broke MQTT's fixed-header rules. */
	public static final class MalformedPacketException extends RuntimeException {

		public MalformedPacketException(String message) {
			super(message);
		}

	}

}
