package io.herald.push.send;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sender's meters: {@code herald.push.deliveries} by {@code outcome}, and the
 * {@code herald.push.queue} gauge of deliveries not finished yet.
 */
final class PushMeters {

	/** What became of an attempt or an offer, as the {@code outcome} tag says it. */
	enum Outcome {

		/** The push service took the message (2xx). */
		DELIVERED,

		/** The subscription no longer exists (404, 410). */
		GONE,

		/** The push service refused the request for good (another 4xx, or a 3xx). */
		REJECTED,

		/** Given up: attempts exhausted, a wait too long, a local error, or shutdown. */
		FAILED,

		/** An attempt failed for a reason that may pass, and another one is scheduled. */
		RETRIED,

		/** Refused at the door: the queue was full. */
		OVERFLOW;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

	PushMeters(MeterRegistry meters, AtomicInteger pending) {
		for (Outcome outcome : Outcome.values()) {
			this.counters.put(outcome,
					Counter.builder("herald.push.deliveries")
						.description("Web Push deliveries and retries, by outcome")
						.tag("outcome", outcome.tag())
						.register(meters));
		}
		Gauge.builder("herald.push.queue", pending, AtomicInteger::get)
			.description("Web Push deliveries accepted and not finished: queued, in flight or waiting to retry")
			.register(meters);
	}

	void count(Outcome outcome) {
		this.counters.get(outcome).increment();
	}

}
