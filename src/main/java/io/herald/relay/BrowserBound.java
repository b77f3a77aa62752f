package io.herald.relay;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.springframework.web.socket.CloseStatus;

/**
 * The broker-to-browser half of a relayed connection: one chunk at a time goes to the
 * WebSocket's asynchronous send, and the broker channel is read again only when that send
 * completes.
 */
final class BrowserBound implements SendHandler {

	private final RemoteEndpoint.Async remote;

	private final MqttFramer framer;

	private final SendListener listener;

	/** Guards {@link #sending} and {@link #closeAfterSend}. */
	private final Object lock = new Object();

	private boolean sending;

	private CloseStatus closeAfterSend;

	private final AtomicReference<ByteBuf> inFlight = new AtomicReference<>();

	BrowserBound(RemoteEndpoint.Async remote, MqttFramer framer, SendListener listener) {
		this.remote = remote;
		this.framer = framer;
		this.listener = listener;
	}

	/**
	 * Hand {@code data} to the browser; ownership passes to this object (event loop).
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
			this.sending = true;
		}
		this.inFlight.set(data);
		this.remote.sendBinary(chunk, this);
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

	@Override
	public void onResult(SendResult result) {
		ByteBuf sent = this.inFlight.getAndSet(null);
		if (sent != null) {
			sent.release();
		}
		CloseStatus close;
		synchronized (this.lock) {
			this.sending = false;
			close = this.closeAfterSend;
		}
		if (!result.isOK()) {
			this.listener.sendFailed(result.getException());
		}
		else if (close != null) {
			this.listener.closeAfterSend(close);
		}
		else {
			this.listener.sent();
		}
	}

	/** What happens once a chunk was handed over, or could not be. */
	interface SendListener {

		void sent();

		void closeAfterSend(CloseStatus status);

		void sendFailed(Throwable failure);

	}

}
