package io.herald.relay;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.springframework.web.socket.CloseStatus;

/**
 * The broker-to-browser half of a relayed connection: one chunk at a time goes to the WebSocket's
 * asynchronous send; a chunk arriving meanwhile waits, and the broker channel stops reading until
 * the send completes. At most two chunks per browser are held, however slow it is.
 *
 * <p>
 * The channel reads on its own while the browser keeps up, so a message costs no extra
 * hand-over to the channel's I/O thread.
 */
final class BrowserBound implements SendHandler {

	private final RemoteEndpoint.Async remote;

	private final MqttFramer framer;

	private final SendListener listener;

	/** Guards every field below but {@link #inFlight}. */
	private final Object lock = new Object();

	private Channel upstream;

	private boolean sending;

	private ByteBuf queued;

	private ByteBuffer queuedChunk;

	private CloseStatus closeAfterSend;

	private boolean released;

	private final AtomicReference<ByteBuf> inFlight = new AtomicReference<>();

	BrowserBound(RemoteEndpoint.Async remote, MqttFramer framer, SendListener listener) {
		this.remote = remote;
		this.framer = framer;
		this.listener = listener;
	}

	/** Start relaying from the broker channel (event loop). */
	void start(Channel channel) {
		synchronized (this.lock) {
			this.upstream = channel;
		}
		channel.config().setAutoRead(true);
	}

	/**
	 * Hand {@code data} to the browser, now or after the chunk in flight; ownership passes to this
	 * object (event loop).
	 * @throws MqttFramer.MalformedPacketException if the bytes are not MQTT ({@code data} is
	 * released)
	 */
	void send(ByteBuf data) {
		ByteBuffer chunk = data.nioBuffer();
		try {
			this.framer.scan(chunk);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			data.release();
			throw ex;
		}
		synchronized (this.lock) {
			if (this.released) {
				data.release();
				return;
			}
			if (this.sending) {
				this.queued = data;
				this.queuedChunk = chunk;
				this.upstream.config().setAutoRead(false);
				return;
			}
			this.sending = true;
		}
		transmit(data, chunk);
	}

	/** Whether a chunk is waiting for the browser to take it. */
	boolean awaitingBrowser() {
		synchronized (this.lock) {
			return this.sending;
		}
	}

	/**
	 * Defer a close until the chunk being sent, if any, has been handed over.
	 * @return {@code true} if deferred: {@link SendListener#closeAfterSend} will be called
	 */
	boolean deferClose(CloseStatus status) {
		synchronized (this.lock) {
			if (!this.sending) {
				return false;
			}
			if (this.closeAfterSend == null) {
				this.closeAfterSend = status;
			}
			return true;
		}
	}

	/** The browser is gone: drop the waiting chunk, and any that still arrives. */
	void release() {
		synchronized (this.lock) {
			this.released = true;
			releaseQueued();
		}
	}

	@Override
	public void onResult(SendResult result) {
		ByteBuf sent = this.inFlight.getAndSet(null);
		if (sent != null) {
			sent.release();
		}
		ByteBuf next = null;
		ByteBuffer nextChunk = null;
		CloseStatus close;
		synchronized (this.lock) {
			close = this.closeAfterSend;
			if (!result.isOK() || close != null || this.released || this.queued == null) {
				this.sending = false;
				releaseQueued();
			}
			else {
				next = this.queued;
				nextChunk = this.queuedChunk;
				this.queued = null;
				this.queuedChunk = null;
				this.upstream.config().setAutoRead(true);
			}
		}
		if (!result.isOK()) {
			this.listener.sendFailed(result.getException());
		}
		else if (close != null) {
			this.listener.closeAfterSend(close);
		}
		else if (next != null) {
			transmit(next, nextChunk);
		}
	}

	private void transmit(ByteBuf data, ByteBuffer chunk) {
		this.inFlight.set(data);
		this.remote.sendBinary(chunk, this);
	}

	private void releaseQueued() {
		if (this.queued != null) {
			this.queued.release();
			this.queued = null;
			this.queuedChunk = null;
		}
	}

	/** What happens when a chunk could not be handed over, or the session should end. */
	interface SendListener {

		void closeAfterSend(CloseStatus status);

		void sendFailed(Throwable failure);

	}

}
