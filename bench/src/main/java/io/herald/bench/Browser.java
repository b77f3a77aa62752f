package io.herald.bench;

/**
 * One simulated browser as a {@link Cohort} sees it, whatever it speaks: MQTT over a WebSocket
 * ({@link Subscriber}) or a Server-Sent Events stream ({@link EventStreamSubscriber}).
 */
interface Browser {

	/** Highest message sequence number received so far (-1: none), read by the windowed publisher. */
	long highestSeq();

	/** Nanoseconds from starting the TCP connection to being subscribed. */
	long establishNanos();

	/** When it was subscribed ({@link System#nanoTime()}). */
	long establishedAt();

	boolean isActive();

	/** The TCP connection could not be opened. */
	void connectFailed(Throwable cause);

	/** Leave as a closing page does. */
	void leave();

	/** What a browser reports to the scenario that started it, on its channel's event loop. */
	interface Listener {

		void established(Browser browser);

		void failed(Browser browser, String reason);

		void closed(Browser browser);

		void delivered(long sentNanos, boolean duplicate);

	}

}
