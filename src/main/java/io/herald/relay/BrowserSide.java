package io.herald.relay;

import io.netty.buffer.ByteBuf;

/**
 * What the shared broker path needs from the endpoint that accepted a browser: send it
 * MQTT bytes as binary messages in order, tell whether it takes more, hold its reads
 * back, close it. Called on the broker channel's event loop only.
 */
interface BrowserSide {

	/** The connection id used in log lines. */
	String id();

	/**
	 * Send {@code data} to the browser after everything sent before; ownership passes.
	 */
	void send(ByteBuf data);

	/**
	 * Send a WebSocket ping (after what was sent before, where the transport orders
	 * control frames so).
	 */
	void ping();

	/** Push what {@link #send} queued onto the wire. */
	void flush();

	/**
	 * Whether the browser takes more now; once this answered {@code false}, the endpoint
	 * calls {@link BrokerLink#browserWritable()} when it does again.
	 */
	boolean isWritable();

	/**
	 * Whether the browser leaves sent bytes unread (any thread, for the shutdown drain
	 * and gauges).
	 */
	boolean awaitingBrowser();

	/** Stop reading what the browser sends, or read again. */
	void readBrowser(boolean read);

	/** Send a close frame after everything sent before it; nothing more is sent. */
	void close(CloseCause cause);

	/** The endpoint this browser came through, as the metrics name it. */
	String endpoint();

	/**
	 * Whether the browser takes one chunk at a time, so the broker channel reads no more
	 * than one chunk per read.
	 */
	boolean oneChunkAtATime();

}
