package io.herald.push.send;

import java.time.Duration;
import java.util.Set;

/**
 * How the {@link PushSender} delivers.
 *
 * @param ttl how long a push service keeps a message for a browser that is offline (the
 * {@code TTL} header, in whole seconds)
 * @param urgency the {@code Urgency} header: very-low, low, normal or high
 * @param concurrency how many requests to push services may be in flight at once
 * @param queueCapacity how many deliveries may wait (queued, in flight or waiting to
 * retry) before new ones are refused
 * @param maxAttempts how many times a delivery is tried, the first time included
 * @param initialBackoff the wait before the first retry, doubled at each further one
 * @param maxBackoff the longest wait between two attempts; a Retry-After longer than this
 * ends the delivery
 * @param requestTimeout how long connecting, and then waiting for a push service's
 * answer, may each take
 */
public record PushSenderSettings(Duration ttl, String urgency, int concurrency, int queueCapacity, int maxAttempts,
		Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {

	private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");

	public PushSenderSettings {
		if (ttl.isNegative()) {
			throw new IllegalArgumentException("The push TTL must not be negative");
		}
		if (!URGENCIES.contains(urgency)) {
			throw new IllegalArgumentException(
					"The push urgency must be very-low, low, normal or high, not '" + urgency + "'");
		}
		positive(concurrency, "concurrency");
		positive(queueCapacity, "queue capacity");
		positive(maxAttempts, "maximum of attempts");
		positive(initialBackoff, "initial backoff");
		positive(requestTimeout, "request timeout");
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException("The push maximum backoff must not be shorter than the initial one");
		}
	}

	private static void positive(int value, String name) {
		if (value <= 0) {
			throw new IllegalArgumentException("The push " + name + " must be positive, not " + value);
		}
	}

	private static void positive(Duration value, String name) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("The push " + name + " must be positive, not " + value);
		}
	}

}
