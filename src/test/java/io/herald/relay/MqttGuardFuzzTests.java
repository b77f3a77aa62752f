package io.herald.relay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import ch.qos.logback.classic.Level;
import io.herald.support.NettyLeakLog;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million random and mutated packets through the gate, several to each guard, split
 * into random chunks: none makes it throw, hold more than a packet, keep a buffer after
 * its session, or let the broker see a token, an unbound client id, or a topic outside
 * the browser's rights. The seed is logged; {@code -Dherald.fuzz.seed} replays a run and
 * {@code -Dherald.fuzz.session-seed} one session of it ({@code -Dherald.fuzz.packets}
 * sets the count).
 */
class MqttGuardFuzzTests {

	private static final Logger logger = LoggerFactory.getLogger(MqttGuardFuzzTests.class);

	private static final int MAX_PACKET = 4096;

	private static final GuardSettings SETTINGS = new GuardSettings(MAX_PACKET, Duration.ofSeconds(10), 8, 100, 200,
			"herald", "secret");

	/**
	 * The most the guard may hold at once: a browser's packet and a PUBLISH head's copy,
	 * at most the maximum packet size each, and a broker's CONNACK or SUBACK, at most 64
	 * KiB; the held buffers grow by doubling.
	 */
	private static final long MAX_HELD = 3L * (MAX_PACKET + 5) + 2L * (65_536 + 5);

	@Test
	void randomAndMutatedPacketsNeitherEscapeTheGateNorOutliveTheirSession() throws InterruptedException {
		long seed = Long.getLong("herald.fuzz.seed", new Random().nextLong());
		long target = Long.getLong("herald.fuzz.packets", 1_000_000);
		Long onlySession = Long.getLong("herald.fuzz.session-seed");
		logger.info("Fuzzing MqttGuard with seed {} (replay with -Dherald.fuzz.seed={})", seed, seed);
		Random random = new Random(seed);
		FuzzCorpus corpus = new FuzzCorpus(new Random(random.nextLong()), MAX_PACKET);
		EmbeddedChannel loop = new EmbeddedChannel();
		ch.qos.logback.classic.Logger guardLogger = (ch.qos.logback.classic.Logger) LoggerFactory
			.getLogger(MqttGuard.class);
		Level level = guardLogger.getLevel();
		// A refusal is logged at debug: a million of them would be most of the run.
		guardLogger.setLevel(Level.INFO);
		Totals totals = new Totals();
		long start = System.nanoTime();
		try (NettyLeakLog leaks = NettyLeakLog.capture()) {
			if (onlySession != null) {
				session(seed, onlySession, corpus, loop, totals);
			}
			while (onlySession == null && totals.packets < target) {
				session(seed, random.nextLong(), corpus, loop, totals);
			}
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			long millis = Math.max(1, elapsed.toMillis());
			logger.info(
					"{} browser packets and {} broker packets ({} bytes) in {} sessions, {} refused, in {} ms: "
							+ "{} packets/s; the guard held at most {} bytes",
					totals.packets, totals.brokerPackets, totals.bytes, totals.sessions, totals.refused, millis,
					(totals.packets + totals.brokerPackets) * 1000 / millis, totals.peakHeld);
			assertThat(leaks.collect()).isEmpty();
		}
		finally {
			guardLogger.setLevel(level);
			loop.finishAndReleaseAll();
		}
		assertThat(totals.packets).isGreaterThanOrEqualTo((onlySession != null) ? 0 : target);
	}

	private static void session(long seed, long sessionSeed, FuzzCorpus corpus, EmbeddedChannel loop, Totals totals) {
		try {
			run(new Random(sessionSeed), corpus, loop, totals);
		}
		catch (RuntimeException | AssertionError ex) {
			throw new AssertionError("Session " + sessionSeed + " failed (replay with -Dherald.fuzz.seed=" + seed
					+ " -Dherald.fuzz.session-seed=" + sessionSeed + "): " + ex, ex);
		}
	}

	private static void run(Random random, FuzzCorpus corpus, EmbeddedChannel loop, Totals totals) {
		MqttVersion version = FuzzCorpus.version(random);
		List<byte[]> browserPackets = corpus.browserSession(random, version);
		List<byte[]> brokerPackets = corpus.brokerSession(random, version);
		byte[] browserStream = FuzzCorpus.concat(browserPackets);
		byte[] brokerStream = FuzzCorpus.concat(brokerPackets);
		boolean browserMutated = random.nextBoolean();
		boolean brokerMutated = random.nextInt(4) == 0;
		if (browserMutated) {
			browserStream = FuzzCorpus.mutate(random, browserStream);
		}
		if (brokerMutated) {
			brokerStream = FuzzCorpus.mutate(random, brokerStream);
		}
		Deque<byte[]> fromBroker = new ArrayDeque<>(FuzzCorpus.chunks(random, brokerStream));
		FuzzSession session = new FuzzSession(loop, SETTINGS, MAX_HELD,
				(random.nextInt(10) == 0) ? FuzzCorpus.GOOD : null);
		for (byte[] chunk : FuzzCorpus.chunks(random, browserStream)) {
			// The link stops reading while the guard decides; now and then a chunk
			// already read still comes.
			if (!session.reading() && random.nextInt(10) > 0) {
				session.settle(random.nextInt(4) > 0);
				assertThat(session.reading() || session.refused()).as("the guard reads again once it has decided")
					.isTrue();
			}
			session.browser(chunk);
			if (random.nextInt(5) == 0) {
				session.elapse(0);
			}
			broker(session, fromBroker, random.nextInt(3));
		}
		session.settle(random.nextInt(4) > 0);
		broker(session, fromBroker, Integer.MAX_VALUE);
		if (random.nextInt(8) == 0) {
			// Past the CONNECT deadline.
			session.elapse(11);
		}
		// The broker's packets are in the session's version, the browser's first one may
		// be of another.
		MqttVersion spoken = FuzzCorpus.spoken(browserPackets, version);
		boolean clean = !browserMutated && !brokerMutated
				&& (spoken == MqttVersion.MQTT_5) == (version == MqttVersion.MQTT_5);
		session.closeAndCheck(spoken, clean);
		totals.sessions++;
		totals.packets += browserPackets.size();
		totals.brokerPackets += brokerPackets.size();
		totals.bytes += browserStream.length + brokerStream.length;
		totals.refused += session.refused() ? 1 : 0;
		totals.peakHeld = Math.max(totals.peakHeld, session.peakHeld());
	}

	/**
	 * Up to {@code count} chunks from the broker, once the CONNECT was let in and while
	 * it is up.
	 */
	private static void broker(FuzzSession session, Deque<byte[]> chunks, int count) {
		for (int i = 0; i < count && session.admittedToBroker() && !session.refused() && !chunks.isEmpty(); i++) {
			if (!session.broker(chunks.poll())) {
				chunks.clear();
			}
		}
	}

	private static final class Totals {

		long sessions;

		long packets;

		long brokerPackets;

		long bytes;

		long refused;

		long peakHeld;

	}

}
