package io.herald.push.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * When to try a delivery again after a push service answered 429 or 5xx, or could not be
 * reached: when the service said (its {@code Retry-After}, in seconds or as an HTTP
 * date), else after an exponential backoff with jitter, so that many deliveries failing
 * together do not come back together.
 */
final class RetryPolicy {

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final Clock clock;

	RetryPolicy(Duration initialBackoff, Duration maxBackoff, Clock clock) {
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.clock = clock;
	}

	/**
	 * The wait before the next attempt: the push service's {@code Retry-After} when it
	 * gave a valid one (which may exceed the maximum backoff), else the backoff.
	 * @param attempts how many attempts were made so far (at least one)
	 * @param retryAfter the {@code Retry-After} header of the answer, if any
	 */
	Duration delay(int attempts, @Nullable String retryAfter) {
		Duration asked = (retryAfter != null) ? parse(retryAfter) : null;
		return (asked != null) ? asked : backoff(attempts);
	}

	/** Whether a wait is longer than the sender waits between attempts. */
	boolean tooLong(Duration delay) {
		return delay.compareTo(this.maxBackoff) > 0;
	}

	/**
	 * The initial backoff doubled for each attempt after the first, at most the maximum,
	 * of which a random half is waited or not ("equal jitter").
	 */
	Duration backoff(int attempts) {
		int doublings = Math.min(attempts - 1, 30);
		Duration full = this.initialBackoff.multipliedBy(1L << doublings);
		long millis = ((full.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : full).toMillis();
		return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
	}

	/**
	 * A {@code Retry-After} value (RFC 9110 section 10.2.3), or null if it is neither
	 * form.
	 */
	@Nullable Duration parse(String retryAfter) {
		String value = retryAfter.trim();
		if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
			// Beyond nine digits the exact figure does not matter: it exceeds any
			// backoff.
			return Duration.ofSeconds((value.length() > 9) ? 999_999_999L : Long.parseLong(value));
		}
		try {
			Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(this.clock.instant(), at);
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
