package io.herald.relay;

/**
 * A token bucket: {@code rate} messages per second on average, up to {@code burst} at
 * once.
 */
final class PublishRate {

	private static final long SECOND = 1_000_000_000L;

	private final double perNano;

	private final int burst;

	private double tokens;

	private long last = Long.MIN_VALUE;

	PublishRate(int rate, int burst) {
		this.perNano = (double) rate / SECOND;
		this.burst = burst;
		this.tokens = burst;
	}

	/** Take one message's token at {@code now} (nanoseconds), if there is one. */
	boolean tryAcquire(long now) {
		if (this.last != Long.MIN_VALUE) {
			this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perNano);
		}
		this.last = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens--;
		return true;
	}

}
