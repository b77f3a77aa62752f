package io.herald.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import io.netty.handler.codec.mqtt.MqttQoS;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The subscribers of one scenario on one target: opens them with bounded concurrency (bounding
 * those connecting, or with {@code boundOpen} those open), counts who got their SUBACK (or event
 * stream), who failed and why, who has closed, and forwards deliveries to a {@link Tally}.
 */
final class Cohort implements Browser.Listener {

	private final LoadClient client;

	private final Target target;

	private final MqttQoS qos;

	private final boolean leaveAfterSubscribe;

	private final String idPrefix;

	private final Tally tally;

	private final boolean stall;

	private final boolean boundOpen;

	private final Queue<Browser> established = new ConcurrentLinkedQueue<>();

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger succeeded = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger closed = new AtomicInteger();

	private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

	private final LongAccumulator lastEstablished = new LongAccumulator(Long::max, Long.MIN_VALUE);

	private final Recorder establishMicros = new Recorder(3);

	private final Semaphore pending;

	/** As many as may be connecting at once: a whole batch timed out, the target takes no more. */
	private static final int GIVE_UP_AFTER = 100;

	private final AtomicInteger failedInARow = new AtomicInteger();

	Cohort(LoadClient client, Target target, MqttQoS qos, boolean leaveAfterSubscribe, String idPrefix, Tally tally,
			int maxPending) {
		this(client, target, qos, leaveAfterSubscribe, false, false, idPrefix, tally, maxPending);
	}

	/**
	 * {@code stall}: its subscribers stop reading once subscribed; {@code boundOpen}: at most
	 * {@code maxPending} open (not just connecting) at once.
	 */
	Cohort(LoadClient client, Target target, MqttQoS qos, boolean leaveAfterSubscribe, boolean stall,
			boolean boundOpen, String idPrefix, Tally tally, int maxPending) {
		this.client = client;
		this.target = target;
		this.qos = qos;
		this.leaveAfterSubscribe = leaveAfterSubscribe;
		this.stall = stall;
		this.boundOpen = boundOpen;
		this.idPrefix = idPrefix;
		this.tally = tally;
		this.pending = new Semaphore(maxPending);
	}

	/**
	 * Open {@code count} subscribers, at most {@code maxPending} between TCP connect and SUBACK;
	 * stop early once {@value #GIVE_UP_AFTER} in a row failed (the target takes no more).
	 */
	void connect(int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (int i = 0; i < count && this.failedInARow.get() < GIVE_UP_AFTER; i++) {
			long left = deadline - System.nanoTime();
			try {
				if (left <= 0 || !this.pending.tryAcquire(left, TimeUnit.NANOSECONDS)) {
					break;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
			startOne();
		}
		await(() -> this.succeeded.get() + this.failed.get() >= this.started.get(), deadline);
	}

	/** Start one more subscriber now, if fewer than {@code maxPending} are still connecting. */
	boolean tryStartOne() {
		if (!this.pending.tryAcquire()) {
			return false;
		}
		startOne();
		return true;
	}

	private void startOne() {
		int n = this.started.incrementAndGet();
		if (this.target.sse()) {
			this.client.connect(this.target, new EventStreamSubscriber("localhost:" + this.target.uri().getPort(), this,
					this.leaveAfterSubscribe));
		}
		else {
			this.client.connect(this.target,
					new Subscriber(this.idPrefix + n, this.qos, this, this.leaveAfterSubscribe, this.stall));
		}
	}

	/** Every established subscriber leaves (DISCONNECT, close); wait until all channels closed. */
	void leaveAll(Duration timeout) {
		this.established.forEach(Browser::leave);
		awaitClosed(timeout);
	}

	boolean awaitClosed(Duration timeout) {
		return await(() -> this.closed.get() >= this.started.get(), System.nanoTime() + timeout.toNanos());
	}

	int started() {
		return this.started.get();
	}

	int succeeded() {
		return this.succeeded.get();
	}

	int failed() {
		return this.failed.get();
	}

	int open() {
		return this.started.get() - this.closed.get();
	}

	long lastEstablishedNanos() {
		return this.lastEstablished.get();
	}

	Histogram establishMicros() {
		return this.establishMicros.getIntervalHistogram();
	}

	Map<String, LongAdder> failures() {
		return this.failures;
	}

	/** Lowest highest-received sequence number over the subscribers still connected. */
	long slowestSeq() {
		long slowest = Long.MAX_VALUE;
		for (Browser subscriber : this.established) {
			if (subscriber.isActive()) {
				slowest = Math.min(slowest, subscriber.highestSeq());
			}
		}
		return slowest == Long.MAX_VALUE ? Long.MAX_VALUE / 2 : slowest;
	}

	@Override
	public void established(Browser subscriber) {
		this.succeeded.incrementAndGet();
		this.failedInARow.set(0);
		this.lastEstablished.accumulate(subscriber.establishedAt());
		this.establishMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(subscriber.establishNanos()));
		if (!this.leaveAfterSubscribe) {
			this.established.add(subscriber);
		}
		if (!this.boundOpen) {
			this.pending.release();
		}
	}

	@Override
	public void failed(Browser subscriber, String reason) {
		this.failed.incrementAndGet();
		this.failedInARow.incrementAndGet();
		// Keep reasons short and few: the first words name the cause.
		String key = reason.length() > 120 ? reason.substring(0, 120) : reason;
		if (this.failures.size() < 20 || this.failures.containsKey(key)) {
			this.failures.computeIfAbsent(key, (k) -> new LongAdder()).increment();
		}
		if (!this.boundOpen) {
			this.pending.release();
		}
	}

	@Override
	public void closed(Browser subscriber) {
		this.closed.incrementAndGet();
		if (this.boundOpen) {
			this.pending.release();
		}
	}

	@Override
	public void delivered(long sentNanos, boolean duplicate) {
		this.tally.delivered(sentNanos, duplicate);
	}

	List<Browser> establishedSubscribers() {
		return List.copyOf(this.established);
	}

	static boolean await(BooleanSupplier condition, long deadlineNanos) {
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() >= deadlineNanos) {
				return false;
			}
			ServerProcess.sleep(20);
		}
		return true;
	}

}
