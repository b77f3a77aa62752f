package io.herald.relay;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The most connections one relay endpoint holds at once: a handshake beyond them is
 * answered 503. Each connection takes a {@link Slot} and gives it back once, however many
 * of its ends report the close.
 */
final class ConnectionLimit {

	private final int max;

	private final String refusal;

	private final AtomicInteger open = new AtomicInteger();

	/**
	 * A limit of {@code max} connections.
	 * @param max the most connections at once
	 * @param endpoint the endpoint, as the refusal names it ("This listener")
	 * @param property the setting that raises the limit
	 */
	ConnectionLimit(int max, String endpoint, String property) {
		this.max = max;
		this.refusal = endpoint + " already holds its maximum of " + max + " connections (" + property + ")";
	}

	/** A slot for one more connection, or {@code null} when every slot is taken. */
	@Nullable Slot tryOpen() {
		int current;
		do {
			current = this.open.get();
			if (current >= this.max) {
				return null;
			}
		}
		while (!this.open.compareAndSet(current, current + 1));
		return new Slot();
	}

	/** The connections holding a slot now. */
	int open() {
		return this.open.get();
	}

	/** The detail of a 503 for a handshake beyond the limit. */
	String refusal() {
		return this.refusal;
	}

	/** One connection's place under the limit. */
	final class Slot {

		private final AtomicBoolean released = new AtomicBoolean();

		/** Give the place back; only the first call counts. */
		void release() {
			if (this.released.compareAndSet(false, true)) {
				ConnectionLimit.this.open.decrementAndGet();
			}
		}

	}

}
