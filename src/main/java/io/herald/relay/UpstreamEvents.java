package io.herald.relay;

import io.netty.buffer.ByteBuf;

/**
 * What a relayed session hears from its broker connection, on that connection's I/O thread.
 */
interface UpstreamEvents {

	/** The session's id, for log lines. */
	String id();

	/** A chunk from the broker; ownership passes to the session. */
	void fromBroker(ByteBuf chunk);

	/** The broker connection has no more to read for now. */
	default void brokerReadComplete() {
	}

	/** The broker connection's pending output crossed its high- or low-water mark. */
	void upstreamWritabilityChanged(boolean writable);

	/** The broker connection closed, after a {@code failure} or not ({@code null}). */
	void upstreamClosed(Throwable failure);

}
