package io.herald.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Splits an MQTT byte stream, arriving in arbitrary chunks, into what passes through
 * unchanged and what must be read first: its {@link Handler} says at each packet's first
 * byte whether the packet passes, is held whole, or is held only up to the part that
 * decides it (a PUBLISH up to its topic), after which the rest passes or is skipped
 * unread. Bytes that pass leave as slices of the chunks they came in, never copied.
 */
public final class PacketStream {

	/** How a packet's bytes are handled. */
	public enum Handling {

		/** Relayed unchanged. */
		PASS,

		/** Held whole and handed to {@link Handler#decide}. */
		HOLD,

		/** Held up to {@link Handler#headLength}, then decided. */
		HEAD,

		/** The rest of the packet is dropped unread. */
		SKIP,

		/** Decided, but nothing more is to be read until the stream is fed again. */
		STALL

	}

	private final Handler handler;

	private final long maxHeld;

	private final ByteBufAllocator allocator;

	private Handling handling = Handling.PASS;

	private boolean inHeader;

	private int type;

	private int flags;

	private int remainingLength;

	private int lengthBytes;

	private long bodyLeft;

	private int headLength = -1;

	private @Nullable ByteBuf held;

	/**
	 * Whether the chunk being fed passed whole: ownership went with it, nothing to
	 * release.
	 */
	private boolean handedOver;

	public PacketStream(Handler handler, long maxHeld, ByteBufAllocator allocator) {
		this.handler = handler;
		this.maxHeld = maxHeld;
		this.allocator = allocator;
	}

	/**
	 * Take {@code chunk} (ownership passes).
	 * @return what is left unread when the handler stalled, or {@code null}
	 * @throws MqttFramer.MalformedPacketException if the stream is not MQTT
	 * @throws PacketTooLargeException if a packet to hold is larger than allowed
	 */
	public @Nullable ByteBuf feed(ByteBuf chunk) {
		int index = chunk.readerIndex();
		int limit = chunk.writerIndex();
		int runStart = -1;
		this.handedOver = false;
		try {
			while (index < limit) {
				if (!this.inHeader && this.bodyLeft == 0 && this.held == null) {
					int first = chunk.getByte(index) & 0xFF;
					this.type = first >>> 4;
					if (this.type == 0) {
						throw new MqttFramer.MalformedPacketException("Reserved MQTT packet type 0");
					}
					this.flags = first & 0x0F;
					this.handling = this.handler.begin(this.type, this.flags);
					this.inHeader = true;
					this.remainingLength = 0;
					this.lengthBytes = 0;
					this.headLength = -1;
					if (this.handling == Handling.PASS) {
						if (runStart < 0) {
							runStart = index;
						}
					}
					else {
						runStart = flush(chunk, runStart, index);
						this.held = this.allocator.buffer(64);
						this.held.writeByte(first);
					}
					index++;
				}
				else if (this.inHeader) {
					if (this.held == null && runStart < 0) {
						// The rest of a passing packet's fixed header, begun in the chunk
						// before.
						runStart = index;
					}
					int encoded = chunk.getByte(index++) & 0xFF;
					if (this.held != null) {
						this.held.writeByte(encoded);
					}
					if (readLengthByte(encoded)) {
						Handling next = headerComplete();
						if (next == Handling.STALL) {
							return remainder(chunk, runStart, index, limit);
						}
					}
				}
				else if (this.held != null) {
					int want = (int) Math.min(limit - index, heldWanted());
					this.held.writeBytes(chunk, index, want);
					index += want;
					this.bodyLeft -= want;
					Handling next = heldProgress();
					if (next == Handling.PASS) {
						runStart = index;
					}
					else if (next == Handling.STALL) {
						return remainder(chunk, runStart, index, limit);
					}
				}
				else {
					int skip = (int) Math.min(this.bodyLeft, limit - index);
					if (this.handling == Handling.SKIP) {
						runStart = flush(chunk, runStart, index);
					}
					else if (runStart < 0) {
						runStart = index;
					}
					index += skip;
					this.bodyLeft -= skip;
				}
			}
			flush(chunk, runStart, index);
			return null;
		}
		finally {
			if (!this.handedOver) {
				chunk.release();
			}
		}
	}

	/** Whether the stream ends on a packet boundary. */
	public boolean atBoundary() {
		return !this.inHeader && this.bodyLeft == 0 && this.held == null;
	}

	/** Drop what is held (the connection is gone). */
	public void discard() {
		if (this.held != null) {
			this.held.release();
			this.held = null;
		}
	}

	private @Nullable ByteBuf remainder(ByteBuf chunk, int runStart, int index, int limit) {
		flush(chunk, runStart, index);
		return (index < limit) ? chunk.retainedSlice(index, limit - index) : null;
	}

	private int flush(ByteBuf chunk, int runStart, int index) {
		if (runStart >= 0 && index > runStart) {
			if (runStart == chunk.readerIndex() && index == chunk.writerIndex()) {
				// The whole chunk passes, as most do: it goes on as it came, with no
				// count to change.
				this.handedOver = true;
				this.handler.pass(chunk);
			}
			else {
				this.handler.pass(chunk.retainedSlice(runStart, index - runStart));
			}
		}
		return -1;
	}

	/**
	 * Adds one byte of the remaining length.
	 * @param encoded the byte as read
	 * @return whether the remaining length is complete
	 */
	private boolean readLengthByte(int encoded) {
		this.remainingLength |= (encoded & 0x7F) << (7 * this.lengthBytes);
		this.lengthBytes++;
		if ((encoded & 0x80) != 0) {
			if (this.lengthBytes == 4) {
				throw new MqttFramer.MalformedPacketException("MQTT remaining length longer than four bytes");
			}
			return false;
		}
		this.inHeader = false;
		this.bodyLeft = this.remainingLength;
		return true;
	}

	private Handling headerComplete() {
		if (this.held == null) {
			return Handling.PASS;
		}
		if (this.handling == Handling.HOLD && this.remainingLength > this.maxHeld) {
			throw new PacketTooLargeException(this.remainingLength, this.maxHeld);
		}
		return heldProgress();
	}

	/** Body bytes still to hold before the handler can decide. */
	private long heldWanted() {
		if (this.handling == Handling.HOLD) {
			return this.bodyLeft;
		}
		int body = this.held.readableBytes() - 1 - this.lengthBytes;
		return (this.headLength >= 0) ? this.headLength - body : 1;
	}

	/**
	 * Decide the held packet if enough of it is there: PASS or SKIP for the rest, STALL,
	 * or HOLD for more.
	 */
	private Handling heldProgress() {
		ByteBuf packet = this.held;
		if (this.handling == Handling.HEAD) {
			if (this.headLength < 0) {
				int body = packet.readableBytes() - 1 - this.lengthBytes;
				this.headLength = this.handler.headLength(this.type, this.flags, packet, body);
				if (this.headLength > this.remainingLength || this.headLength > this.maxHeld) {
					throw (this.headLength > this.remainingLength)
							? new MqttFramer.MalformedPacketException("MQTT packet shorter than its header")
							: new PacketTooLargeException(this.headLength, this.maxHeld);
				}
				if (this.headLength < 0 && this.bodyLeft == 0) {
					throw new MqttFramer.MalformedPacketException("MQTT packet shorter than its header");
				}
			}
			int body = packet.readableBytes() - 1 - this.lengthBytes;
			if (this.headLength < 0 || body < this.headLength) {
				return Handling.HOLD;
			}
		}
		else if (this.bodyLeft > 0) {
			return Handling.HOLD;
		}
		this.held = null;
		Handling next = this.handler.decide(packet, this.type, this.flags, this.remainingLength);
		if (this.bodyLeft == 0) {
			return (next == Handling.STALL) ? Handling.STALL : Handling.SKIP;
		}
		this.handling = (next == Handling.PASS) ? Handling.PASS : Handling.SKIP;
		return this.handling;
	}

	/** Decides what becomes of each packet. */
	public interface Handler {

		/** A packet begins with this type and these flags: how are its bytes handled? */
		Handling begin(int type, int flags);

		/**
		 * For a {@link Handling#HEAD HEAD} packet: how many body bytes decide it, given
		 * the fixed header and the first {@code bodyBytes} of the body in {@code head};
		 * {@code -1} while more are needed to tell.
		 */
		default int headLength(int type, int flags, ByteBuf head, int bodyBytes) {
			throw new UnsupportedOperationException("No head for packet type " + type);
		}

		/**
		 * A held packet (whole, or its head), fixed header included; ownership passes.
		 * @return for a head, {@link Handling#PASS PASS} to relay the rest of the packet
		 * or {@link Handling#SKIP SKIP} to drop it; {@link Handling#STALL STALL} to stop
		 * reading
		 */
		Handling decide(ByteBuf packet, int type, int flags, int remainingLength);

		/** Bytes that pass unchanged; ownership passes. */
		void pass(ByteBuf bytes);

	}

	/** A packet to hold is larger than allowed. */
	public static final class PacketTooLargeException extends RuntimeException {

		PacketTooLargeException(long size, long max) {
			super("MQTT packet of " + size + " bytes is larger than herald.relay.max-frame-size (" + max + " bytes)");
		}

	}

}
