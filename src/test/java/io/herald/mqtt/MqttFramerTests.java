package io.herald.mqtt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MqttFramerTests {

	private final List<String> packets = new ArrayList<>();

	private final MqttFramer framer = new MqttFramer((type, length) -> this.packets.add(type + ":" + length));

	@Test
	void findsSeveralPacketsInOneChunk() {
		byte[] connack = { 0x20, 0x02, 0x00, 0x00 };
		byte[] pingresp = { (byte) 0xD0, 0x00 };
		byte[] publish = packet(0x30, 5);
		this.framer.scan(ByteBuffer.wrap(concat(connack, pingresp, publish)));
		assertThat(this.packets).containsExactly("2:2", "13:0", "3:5");
		assertThat(this.framer.atBoundary()).isTrue();
	}

	@Test
	void followsOnePacketSplitAcrossChunksAtEveryByte() {
		byte[] publish = packet(0x32, 300);
		for (int cut = 1; cut < publish.length; cut++) {
			this.packets.clear();
			this.framer.scan(ByteBuffer.wrap(publish, 0, cut));
			assertThat(this.framer.atBoundary()).isFalse();
			this.framer.scan(ByteBuffer.wrap(publish, cut, publish.length - cut));
			assertThat(this.packets).as("cut at %d", cut).containsExactly("3:300");
			assertThat(this.framer.atBoundary()).isTrue();
		}
	}

	@Test
	void scansOnlyTheReadableBytesOfANettyBufferAndLeavesItsIndexes() {
		byte[] publish = packet(0x30, 5);
		ByteBuf buffer = Unpooled.buffer().writeBytes(new byte[] { 0x00, 0x00 }).writeBytes(publish).writeByte(0x00);
		buffer.readerIndex(2).writerIndex(2 + publish.length);
		this.framer.scan(buffer);
		assertThat(this.packets).containsExactly("3:5");
		assertThat(this.framer.atBoundary()).isTrue();
		assertThat(buffer.readerIndex()).isEqualTo(2);
		assertThat(buffer.writerIndex()).isEqualTo(2 + publish.length);
	}

	@Test
	void feedsByteByByte() {
		byte[] stream = concat(packet(0x10, 12), packet(0x82, 130), packet(0xE0, 0));
		for (byte b : stream) {
			this.framer.scan(ByteBuffer.wrap(new byte[] { b }));
		}
		assertThat(this.packets).containsExactly("1:12", "8:130", "14:0");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, MqttFramer.MAX_REMAINING_LENGTH })
	void decodesRemainingLengthAtEncodingEdges(int length) {
		byte[] header = header(0x30, length);
		assertThat(header).hasSize(1 + encodedLengthBytes(length));
		this.framer.scan(ByteBuffer.wrap(header));
		assertThat(this.packets).containsExactly("3:" + length);
		assertThat(this.framer.atBoundary()).isEqualTo(length == 0);
	}

	@Test
	void rejectsFiveByteRemainingLength() {
		byte[] bad = { 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01 };
		assertThatExceptionOfType(MqttFramer.MalformedPacketException.class)
			.isThrownBy(() -> this.framer.scan(ByteBuffer.wrap(bad)))
			.withMessageContaining("four bytes");
	}

	@Test
	void rejectsReservedPacketTypeZero() {
		assertThatExceptionOfType(MqttFramer.MalformedPacketException.class)
			.isThrownBy(() -> this.framer.scan(ByteBuffer.wrap(new byte[] { 0x00, 0x00 })));
	}

	@Test
	void leavesTheChunkPositionUntouched() {
		ByteBuffer chunk = ByteBuffer.wrap(packet(0x30, 10));
		chunk.position(0);
		this.framer.scan(chunk);
		assertThat(chunk.position()).isZero();
		assertThat(chunk.remaining()).isEqualTo(12);
	}

	private static byte[] packet(int firstByte, int bodyLength) {
		return concat(header(firstByte, bodyLength), new byte[bodyLength]);
	}

	private static byte[] header(int firstByte, int remainingLength) {
		ByteBuffer out = ByteBuffer.allocate(5);
		out.put((byte) firstByte);
		int value = remainingLength;
		do {
			int digit = value % 128;
			value /= 128;
			out.put((byte) ((value > 0) ? (digit | 0x80) : digit));
		}
		while (value > 0);
		byte[] bytes = new byte[out.position()];
		out.flip().get(bytes);
		return bytes;
	}

	private static int encodedLengthBytes(int length) {
		return (length < 128) ? 1 : (length < 16_384) ? 2 : (length < 2_097_152) ? 3 : 4;
	}

	private static byte[] concat(byte[]... parts) {
		int size = 0;
		for (byte[] part : parts) {
			size += part.length;
		}
		ByteBuffer out = ByteBuffer.allocate(size);
		for (byte[] part : parts) {
			out.put(part);
		}
		return out.array();
	}

}
