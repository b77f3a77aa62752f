package io.herald.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.herald.mqtt.PacketStream.Handling;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream splitter on streams cut at every possible place: what passes comes out byte
 * for byte, what is held arrives whole, what is skipped never comes out.
 */
class PacketStreamTests {

	private static final long SEED = Long.getLong("herald.packet-stream.seed", System.nanoTime());

	@Test
	void passingBytesComeOutUnchangedHoweverTheStreamIsCut() {
		Random random = new Random(SEED);
		for (int run = 0; run < 2_000; run++) {
			byte[] stream = packets(random, 1 + random.nextInt(12));
			Recorder recorder = new Recorder((type) -> Handling.PASS);
			feed(new PacketStream(recorder, 1 << 20, ByteBufAllocator.DEFAULT), stream, random);
			assertThat(recorder.passed()).as("seed %d run %d", SEED, run).isEqualTo(stream);
			assertThat(recorder.held).isEmpty();
		}
	}

	@Test
	void heldPacketsArriveWholeAndTheRestPassesInOrder() {
		Random random = new Random(SEED);
		for (int run = 0; run < 2_000; run++) {
			List<byte[]> packets = new ArrayList<>();
			for (int i = 0; i < 1 + random.nextInt(8); i++) {
				packets.add(packet(random));
			}
			byte[] stream = concat(packets);
			// SUBACK (9) held whole and dropped, like a SUBACK the gate rebuilds;
			// everything else passes.
			Recorder recorder = new Recorder((type) -> (type == 9) ? Handling.HOLD : Handling.PASS);
			feed(new PacketStream(recorder, 1 << 20, ByteBufAllocator.DEFAULT), stream, random);
			List<byte[]> expectedHeld = packets.stream().filter((p) -> (p[0] & 0xF0) == 0x90).toList();
			byte[] expectedPassed = concat(packets.stream().filter((p) -> (p[0] & 0xF0) != 0x90).toList());
			assertThat(recorder.held).as("seed %d run %d", SEED, run).containsExactlyElementsOf(expectedHeld);
			assertThat(recorder.passed()).as("seed %d run %d", SEED, run).isEqualTo(expectedPassed);
		}
	}

	private static void feed(PacketStream stream, byte[] bytes, Random random) {
		int at = 0;
		while (at < bytes.length) {
			int size = 1 + random.nextInt(Math.min(bytes.length - at, (random.nextBoolean()) ? 3 : 64));
			assertThat(stream.feed(Unpooled.copiedBuffer(bytes, at, size))).isNull();
			at += size;
		}
		assertThat(stream.atBoundary()).isTrue();
	}

	private static byte[] packets(Random random, int count) {
		List<byte[]> packets = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			packets.add(packet(random));
		}
		return concat(packets);
	}

	/**
	 * A packet of a random type 1..15 with a body of 0 to 300 bytes (one- and two-byte
	 * lengths).
	 */
	private static byte[] packet(Random random) {
		int type = 1 + random.nextInt(15);
		int length = random.nextBoolean() ? random.nextInt(4) : random.nextInt(300);
		ByteBuf packet = Unpooled.buffer();
		packet.writeByte(type << 4);
		int value = length;
		do {
			int encoded = value & 0x7F;
			value >>>= 7;
			packet.writeByte((value > 0) ? encoded | 0x80 : encoded);
		}
		while (value > 0);
		byte[] body = new byte[length];
		random.nextBytes(body);
		packet.writeBytes(body);
		return ByteBufUtil.getBytes(packet);
	}

	private static byte[] concat(List<byte[]> parts) {
		ByteBuf all = Unpooled.buffer();
		parts.forEach(all::writeBytes);
		return ByteBufUtil.getBytes(all);
	}

	/** What the stream let through and held. */
	private static final class Recorder implements PacketStream.Handler {

		private final java.util.function.IntFunction<Handling> handling;

		private final ByteBuf passed = Unpooled.buffer();

		final List<byte[]> held = new ArrayList<>();

		Recorder(java.util.function.IntFunction<Handling> handling) {
			this.handling = handling;
		}

		@Override
		public Handling begin(int type, int flags) {
			return this.handling.apply(type);
		}

		@Override
		public Handling decide(ByteBuf packet, int type, int flags, int remainingLength) {
			this.held.add(ByteBufUtil.getBytes(packet));
			packet.release();
			return Handling.SKIP;
		}

		@Override
		public void pass(ByteBuf bytes) {
			this.passed.writeBytes(bytes);
			bytes.release();
		}

		byte[] passed() {
			return ByteBufUtil.getBytes(this.passed);
		}

	}

}
