package io.herald.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Deliveries seen by all subscribers of one scenario: counts, duplicates and delivery latency
 * (publisher's timestamp in the payload to the subscriber's decode, in microseconds).
 */
final class Tally {

	private final Recorder latency = new Recorder(3);

	private final LongAdder delivered = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAccumulator lastDelivery = new LongAccumulator(Long::max, Long.MIN_VALUE);

	void delivered(long sentNanos, boolean duplicate) {
		long now = System.nanoTime();
		if (duplicate) {
			this.duplicates.increment();
			return;
		}
		this.latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - sentNanos)));
		this.delivered.increment();
		this.lastDelivery.accumulate(now);
	}

	long delivered() {
		return this.delivered.sum();
	}

	long duplicates() {
		return this.duplicates.sum();
	}

	/** When the last delivery arrived ({@link System#nanoTime()}), or {@link Long#MIN_VALUE} if none did. */
	long lastDeliveryNanos() {
		return this.lastDelivery.get();
	}

	/** Latency histogram in microseconds, of everything recorded since the previous call. */
	Histogram latencyMicros() {
		return this.latency.getIntervalHistogram();
	}

}
