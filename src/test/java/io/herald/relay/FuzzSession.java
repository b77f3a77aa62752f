package io.herald.relay;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.herald.mqtt.MqttFramer;
import io.herald.security.TopicRights;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fuzzed browser session: a guard on an {@link EmbeddedChannel}'s event loop with a
 * recording {@link MqttGuard.Output} that counts what the guard holds, and a
 * {@link RelayAccess} that knows the corpus's tokens; afterwards, what reached the broker
 * and the browser goes to {@link GateChecks}.
 */
final class FuzzSession implements MqttGuard.Output, RelayAccess {

	static final TopicRights RIGHTS = TopicRights.of(List.of("/news/#"), List.of("/news/europe/#"));

	static final TopicRights ANONYMOUS = TopicRights.of(List.of("/news/#"), List.of());

	private final EmbeddedChannel loop;

	private final GuardSettings settings;

	private final long maxHeld;

	/** Allocates what the guard holds, and counts it exactly. */
	private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	private final MqttGuard guard;

	private final List<ByteBuf> fed = new ArrayList<>();

	private final ByteArrayOutputStream toBroker = new ByteArrayOutputStream();

	private final ByteArrayOutputStream toBrowser = new ByteArrayOutputStream();

	private @Nullable Admission admission;

	private @Nullable CompletableFuture<Admission> pending;

	private int admissions;

	private boolean admitted;

	private boolean reading = true;

	private boolean fromBroker;

	private @Nullable CloseCause refused;

	private int refusals;

	private long peakHeld;

	FuzzSession(EmbeddedChannel loop, GuardSettings settings, long maxHeld, @Nullable String urlToken) {
		this.loop = loop;
		this.settings = settings;
		this.maxHeld = maxHeld;
		this.guard = new MqttGuard(this, this, settings, urlToken);
	}

	/** Feed the guard a chunk from the browser. */
	void browser(byte[] chunk) {
		ByteBuf buffer = Unpooled.wrappedBuffer(chunk);
		this.fed.add(buffer);
		this.guard.fromBrowser(buffer);
		checkHeld();
	}

	/**
	 * Feed the guard a chunk from the broker.
	 * @return {@code false} if it was malformed, which closes the session as the link
	 * would
	 */
	boolean broker(byte[] chunk) {
		ByteBuf buffer = Unpooled.wrappedBuffer(chunk);
		this.fed.add(buffer);
		this.fromBroker = true;
		try {
			this.guard.fromBroker(buffer);
			return true;
		}
		catch (MqttFramer.MalformedPacketException ex) {
			// The link answers this with 1011 and closes both sides.
			this.guard.close();
			return false;
		}
		finally {
			this.fromBroker = false;
			checkHeld();
		}
	}

	/** Run what is due on the event loop, after the clock moved on by {@code seconds}. */
	void elapse(long seconds) {
		this.loop.advanceTimeBy(seconds, TimeUnit.SECONDS);
		this.loop.runPendingTasks();
		checkHeld();
	}

	/** Decide a pending CONNECT, as the token check would, and run what follows. */
	void settle(boolean admit) {
		CompletableFuture<Admission> decision = this.pending;
		if (decision != null) {
			this.pending = null;
			if (admit) {
				this.admission = new Admission("carol|ops%", RIGHTS, Instant.now().plusSeconds(3600));
				decision.complete(this.admission);
			}
			else {
				decision.completeExceptionally(new IllegalArgumentException("Token refused"));
			}
		}
		elapse(0);
	}

	boolean reading() {
		return this.reading;
	}

	boolean admittedToBroker() {
		return this.admitted;
	}

	boolean refused() {
		return this.refused != null;
	}

	long peakHeld() {
		return this.peakHeld;
	}

	/**
	 * The session ends as the link ends it, then everything the gate promises is checked.
	 */
	void closeAndCheck(MqttVersion version, boolean clean) {
		this.guard.close();
		this.guard.close();
		ByteBuf late = Unpooled.wrappedBuffer(new byte[] { (byte) 0xC0, 0x00 });
		this.fed.add(late);
		this.guard.fromBrowser(late);
		assertThat(held()).as("bytes the guard holds after close").isZero();
		for (ByteBuf buffer : this.fed) {
			assertThat(buffer.refCnt()).as("references left to a chunk fed to the guard").isZero();
		}
		assertThat(this.refusals).as("refusals").isLessThanOrEqualTo(1);
		assertThat(this.admissions).as("CONNECTs decided").isLessThanOrEqualTo(1);
		if (this.toBroker.size() > 0) {
			assertThat(this.admitted).as("bytes reached the broker: the CONNECT was let in").isTrue();
			GateChecks.brokerBound(this.toBroker.toByteArray(), this.admission, this.settings);
		}
		if (clean) {
			GateChecks.browserBound(this.toBrowser.toByteArray(), version);
		}
	}

	private void checkHeld() {
		long held = held();
		this.peakHeld = Math.max(this.peakHeld, held);
		assertThat(held).as("bytes the guard holds").isLessThanOrEqualTo(this.maxHeld);
	}

	private long held() {
		return this.allocator.metric().usedHeapMemory() + this.allocator.metric().usedDirectMemory();
	}

	@Override
	public CompletableFuture<Admission> admit(@Nullable String token, String clientId) {
		this.admissions++;
		if (FuzzCorpus.SLOW.equals(token)) {
			this.pending = new CompletableFuture<>();
			return this.pending;
		}
		if (token == null || token.isEmpty() || FuzzCorpus.GOOD.equals(token) || FuzzCorpus.EXPIRING.equals(token)) {
			this.admission = (token == null || token.isEmpty()) ? new Admission(null, ANONYMOUS, null)
					: new Admission(FuzzCorpus.GOOD.equals(token) ? "alice" : "bob", RIGHTS,
							Instant.now().plusSeconds(FuzzCorpus.GOOD.equals(token) ? 3600 : -1));
			return CompletableFuture.completedFuture(this.admission);
		}
		return CompletableFuture.failedFuture(new IllegalArgumentException("Token refused"));
	}

	@Override
	public String id() {
		return "fuzz";
	}

	@Override
	public EventLoop eventLoop() {
		return this.loop.eventLoop();
	}

	@Override
	public ByteBufAllocator alloc() {
		return this.allocator;
	}

	@Override
	public void toBroker(ByteBuf bytes) {
		assertThat(bytes.isReadable()).as("bytes for the broker are readable").isTrue();
		this.toBroker.writeBytes(ByteBufUtil.getBytes(bytes));
		bytes.release();
	}

	@Override
	public void toBrowser(ByteBuf packet) {
		assertThat(packet.isReadable()).as("bytes for the browser are readable").isTrue();
		byte[] bytes = ByteBufUtil.getBytes(packet);
		packet.release();
		if (!this.fromBroker) {
			assertThat(GateChecks.isOnePacket(bytes))
				.as("Herald answered with one whole packet: %s", ByteBufUtil.hexDump(bytes))
				.isTrue();
		}
		this.toBrowser.writeBytes(bytes);
	}

	@Override
	public void admitted() {
		this.admitted = true;
	}

	@Override
	public void readBrowser(boolean read) {
		this.reading = read;
	}

	@Override
	public void packetSeen(RelayMetrics.Direction direction, int type) {
	}

	@Override
	public void refuse(CloseCause cause) {
		this.refusals++;
		assertThat(cause.code()).isIn(CloseCause.PROTOCOL_ERROR, CloseCause.POLICY_VIOLATION,
				CloseCause.MESSAGE_TOO_BIG);
		assertThat(cause.reason()).isNotBlank();
		if (this.refused == null) {
			this.refused = cause;
		}
	}

}
