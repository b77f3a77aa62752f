package io.herald.bench;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts the TLS application-data records (content type 23) a channel receives, in front of its
 * SslHandler: reads each 5-byte record header (type, version, 16-bit length) and skips the body,
 * across reads, without copying or consuming anything. One per channel; the count is shared.
 */
final class TlsRecordCounter extends ChannelInboundHandlerAdapter {

	private static final int APPLICATION_DATA = 23;

	private static final int HEADER_LENGTH = 5;

	private final LongAdder records;

	/** Bytes of the current record's header seen so far (0 to 4). */
	private int headerSeen;

	private int type;

	private int length;

	/** Bytes of the current record's body still to skip. */
	private int remaining;

	TlsRecordCounter(LongAdder records) {
		this.records = records;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf buffer) {
			count(buffer);
		}
		ctx.fireChannelRead(msg);
	}

	private void count(ByteBuf buffer) {
		int index = buffer.readerIndex();
		int end = buffer.writerIndex();
		while (index < end) {
			if (this.remaining > 0) {
				int skip = Math.min(this.remaining, end - index);
				index += skip;
				this.remaining -= skip;
				continue;
			}
			int value = buffer.getUnsignedByte(index++);
			switch (this.headerSeen++) {
				case 0 -> this.type = value;
				case 3 -> this.length = value << 8;
				case HEADER_LENGTH - 1 -> {
					this.remaining = this.length | value;
					this.headerSeen = 0;
					if (this.type == APPLICATION_DATA) {
						this.records.increment();
					}
				}
				default -> {
					// The protocol version: not needed.
				}
			}
		}
	}

}
