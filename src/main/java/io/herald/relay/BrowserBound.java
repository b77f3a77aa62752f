package io.herald.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.jspecify.annotations.Nullable;

/**
 * What goes to a browser on the web server's endpoint: one chunk at a time to the
 * WebSocket's asynchronous send, later ones and pings queued in order, and a close only
 * once everything before it has been handed over. Tomcat refuses a message while another
 * is being written, so nothing is started before the send in flight ends. Used on its
 * link's event loop; send results come back to it.
 */
final class BrowserBound implements SendHandler {

	private final RemoteEndpoint.Async remote;

	private final EventLoop eventLoop;

	private final Listener listener;

	/**
	 * Where pings are sent: Tomcat sends them blocking, which an event loop must never
	 * do.
	 */
	private final Executor pingExecutor;

	/** Stands for a ping among the chunks to send; never released, never written. */
	private static final ByteBuf PING = Unpooled.unreleasableBuffer(Unpooled.EMPTY_BUFFER);

	private final Queue<ByteBuf> queued = new ArrayDeque<>();

	private @Nullable ByteBuf inFlight;

	/** Read by other threads for {@link #awaitingBrowser()}. */
	private volatile boolean sending;

	private @Nullable CloseCause closeAfterSend;

	private boolean closed;

	BrowserBound(RemoteEndpoint.Async remote, EventLoop eventLoop, Executor pingExecutor, Listener listener) {
		this.remote = remote;
		this.eventLoop = eventLoop;
		this.pingExecutor = pingExecutor;
		this.listener = listener;
	}

	/**
	 * Hand {@code data} to the browser after what is in flight or queued; ownership
	 * passes.
	 */
	void send(ByteBuf data) {
		if (this.closed) {
			data.release();
		}
		else if (this.inFlight != null) {
			this.queued.add(data);
		}
		else {
			start(data);
		}
	}

	/** Send a WebSocket ping after what is in flight or queued. */
	void ping() {
		send(PING);
	}

	/** Whether nothing is in flight or queued. */
	boolean idle() {
		return this.inFlight == null;
	}

	/** Whether a chunk is waiting for the browser to take it (any thread). */
	boolean awaitingBrowser() {
		return this.sending;
	}

	/**
	 * Close once everything in flight and queued has been handed over; the first cause
	 * wins.
	 */
	void close(CloseCause cause) {
		if (this.closed || this.closeAfterSend != null) {
			return;
		}
		if (this.inFlight != null) {
			this.closeAfterSend = cause;
			return;
		}
		this.closed = true;
		this.listener.closeNow(cause);
	}

	/**
	 * The browser is gone: drop what is queued (what is in flight is released when its
	 * send ends).
	 */
	void discard() {
		this.closed = true;
		discardQueued();
	}

	private void start(ByteBuf data) {
		this.inFlight = data;
		this.sending = true;
		if (data == PING) {
			startPing();
			return;
		}
		try {
			this.remote.sendBinary(data.nioBuffer(), this);
		}
		catch (RuntimeException ex) {
			// The session closed under us (the browser left): nothing more can be sent.
			onResult(new SendResult(ex));
		}
	}

	private void startPing() {
		try {
			this.pingExecutor.execute(() -> {
				try {
					this.remote.sendPing(ByteBuffer.allocate(0));
					onResult(new SendResult());
				}
				catch (IOException | RuntimeException ex) {
					onResult(new SendResult(ex));
				}
			});
		}
		catch (RejectedExecutionException ex) {
			onResult(new SendResult(ex));
		}
	}

	@Override
	public void onResult(SendResult result) {
		try {
			this.eventLoop.execute(() -> completed(result));
		}
		catch (RejectedExecutionException ex) {
			// Herald is stopping: its buffers go with it.
		}
	}

	private void completed(SendResult result) {
		ByteBuf sent = this.inFlight;
		this.inFlight = null;
		if (sent != null) {
			sent.release();
		}
		if (!result.isOK()) {
			discardQueued();
			this.closeAfterSend = null;
			this.sending = false;
			this.listener.sendFailed(result.getException());
			return;
		}
		ByteBuf next = this.queued.poll();
		if (next != null) {
			start(next);
			return;
		}
		this.sending = false;
		CloseCause close = this.closeAfterSend;
		if (close != null) {
			this.closed = true;
			this.listener.closeNow(close);
		}
		else {
			this.listener.drained();
		}
	}

	private void discardQueued() {
		ByteBuf data;
		while ((data = this.queued.poll()) != null) {
			data.release();
		}
	}

	/** What happens once everything was handed over, or could not be. */
	interface Listener {

		/** Nothing is in flight or queued any more: the browser takes more. */
		void drained();

		void closeNow(CloseCause cause);

		void sendFailed(Throwable failure);

	}

}
