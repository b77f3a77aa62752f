package io.herald.relay;

/**
 * A browser being relayed to the broker, by whichever server accepted its WebSocket.
 */
interface RelayedBrowser {

	/** The connection id used in log lines. */
	String id();

	/** The endpoint it came through: {@code listener} or {@code web}. */
	String endpoint();

	/** Whether relayed bytes are waiting for this browser to read them. */
	boolean awaitingBrowser();

	/**
	 * Herald is shutting down: close with 1001 once what is being sent has been handed
	 * over.
	 */
	void goAway();

}
