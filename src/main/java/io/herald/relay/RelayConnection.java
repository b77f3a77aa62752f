package io.herald.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.apache.tomcat.websocket.WsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * One browser's relayed MQTT session: a WebSocket on one side, a TCP connection to the broker on
 * the other, each side reading only as fast as the other side writes.
 *
 * <p>
 * Broker to browser: the upstream channel reads one chunk, hands it to the WebSocket's
 * asynchronous send, and reads the next only when that send completes. Browser to broker: each
 * WebSocket chunk is written to the channel; while the channel's outbound buffer is above its
 * high-water mark, Tomcat is asked to stop reading from the browser.
 */
final class RelayConnection implements SendHandler {

	private static final Logger logger = LoggerFactory.getLogger(RelayConnection.class);

	private static final int MAX_CLOSE_REASON_BYTES = 123;

	private final WebSocketSession browser;

	private final WsSession nativeSession;

	private final RemoteEndpoint.Async remote;

	private final long maxMessageSize;

	private final Executor closeExecutor;

	private final MqttFramer browserFramer = new MqttFramer(this::onPacket);

	private final MqttFramer brokerFramer = new MqttFramer(this::onPacket);

	private final AtomicBoolean browserClosed = new AtomicBoolean();

	/** Guards {@link #upstream}, {@link #pending} and {@link #browserSuspended}. */
	private final Object flowLock = new Object();

	private Channel upstream;

	private ByteBuf pending;

	private boolean browserSuspended;

	/** Guards {@link #sending} and {@link #closeAfterSend}. */
	private final Object sendLock = new Object();

	private boolean sending;

	private CloseStatus closeAfterSend;

	private ByteBuf inFlight;

	private long messageBytes;

	private volatile boolean disconnectSeen;

	RelayConnection(WebSocketSession browser, long maxMessageSize, Executor closeExecutor) {
		this.browser = browser;
		this.nativeSession = (WsSession) ((StandardWebSocketSession) browser).getNativeSession();
		this.remote = this.nativeSession.getAsyncRemote();
		this.maxMessageSize = maxMessageSize;
		this.closeExecutor = closeExecutor;
	}

	String id() {
		return this.browser.getId();
	}

	/** Whether a chunk from the broker is waiting for the browser to take it. */
	boolean awaitingBrowser() {
		synchronized (this.sendLock) {
			return this.sending;
		}
	}

	/** Stop reading from the browser until the broker connection is up. */
	void awaitUpstream() {
		synchronized (this.flowLock) {
			this.nativeSession.suspend();
			this.browserSuspended = true;
		}
	}

	/** The broker connection is up: flush what the browser sent meanwhile and start relaying. */
	void upstreamConnected(Channel channel) {
		if (this.browserClosed.get()) {
			channel.close();
			return;
		}
		synchronized (this.flowLock) {
			this.upstream = channel;
			if (this.pending != null) {
				channel.writeAndFlush(this.pending).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
				this.pending = null;
			}
			resumeBrowserIfWritable();
		}
		channel.read();
		logger.debug("[{}] Relaying to broker via {}", id(), channel.localAddress());
	}

	void upstreamFailed(Throwable cause) {
		logger.debug("[{}] Broker unreachable: {}", id(), cause.toString());
		closeBrowser(CloseStatus.SERVER_ERROR.withReason(reason("Broker unreachable: " + cause.getMessage())));
	}

	/** A chunk of a WebSocket binary message from the browser (Tomcat thread). */
	void fromBrowser(ByteBuffer chunk, boolean last) {
		this.messageBytes += chunk.remaining();
		if (this.messageBytes > this.maxMessageSize) {
			logger.debug("[{}] WebSocket message over {} bytes", id(), this.maxMessageSize);
			closeBrowser(CloseStatus.TOO_BIG_TO_PROCESS
				.withReason("Message larger than herald.relay.max-frame-size (" + this.maxMessageSize + " bytes)"));
			return;
		}
		if (last) {
			this.messageBytes = 0;
		}
		try {
			this.browserFramer.scan(chunk);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			logger.debug("[{}] Malformed MQTT from browser: {}", id(), ex.getMessage());
			closeBrowser(CloseStatus.PROTOCOL_ERROR.withReason(reason("Malformed MQTT: " + ex.getMessage())));
			return;
		}
		Channel channel;
		synchronized (this.flowLock) {
			channel = this.upstream;
			if (channel == null) {
				if (this.pending == null) {
					this.pending = Unpooled.buffer(chunk.remaining());
				}
				this.pending.writeBytes(chunk);
				return;
			}
		}
		ByteBuf data = channel.alloc().ioBuffer(chunk.remaining()).writeBytes(chunk);
		channel.writeAndFlush(data).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
		if (!channel.isWritable()) {
			synchronized (this.flowLock) {
				if (!channel.isWritable() && !this.browserSuspended && channel.isActive()) {
					this.nativeSession.suspend();
					this.browserSuspended = true;
				}
			}
		}
	}

	/** The upstream channel drained below its low-water mark (event loop). */
	void upstreamWritable() {
		synchronized (this.flowLock) {
			resumeBrowserIfWritable();
		}
	}

	/** A chunk from the broker (event loop): send it, and read the next when the send completes. */
	void fromBroker(ByteBuf data) {
		if (this.browserClosed.get()) {
			data.release();
			return;
		}
		ByteBuffer chunk = data.nioBuffer();
		try {
			this.brokerFramer.scan(chunk);
		}
		catch (MqttFramer.MalformedPacketException ex) {
			data.release();
			logger.warn("[{}] Malformed MQTT from broker: {}", id(), ex.getMessage());
			closeBoth(CloseStatus.SERVER_ERROR.withReason(reason("Malformed MQTT from broker: " + ex.getMessage())));
			return;
		}
		synchronized (this.sendLock) {
			this.sending = true;
		}
		this.inFlight = data;
		this.remote.sendBinary(chunk, this);
	}

	/** The asynchronous send of {@link #inFlight} to the browser finished. */
	@Override
	public void onResult(SendResult result) {
		ByteBuf sent = this.inFlight;
		this.inFlight = null;
		if (sent != null) {
			sent.release();
		}
		CloseStatus close;
		synchronized (this.sendLock) {
			this.sending = false;
			close = this.closeAfterSend;
		}
		if (!result.isOK()) {
			logger.debug("[{}] Send to browser failed: {}", id(), result.getException().toString());
			closeBoth(CloseStatus.POLICY_VIOLATION.withReason(reason("Send failed: " + result.getException())));
		}
		else if (close != null) {
			closeNow(close);
		}
		else {
			Channel channel = this.upstream;
			if (channel != null) {
				channel.read();
			}
		}
	}

	/** The broker connection closed (event loop). */
	void upstreamClosed(Throwable failure) {
		if (failure != null) {
			closeBrowser(CloseStatus.SERVER_ERROR.withReason(reason("Broker connection failed: " + failure.getMessage())));
		}
		else if (this.disconnectSeen) {
			closeBrowser(CloseStatus.NORMAL);
		}
		else {
			closeBrowser(CloseStatus.SERVER_ERROR.withReason("Broker closed the connection"));
		}
	}

	/** The browser's WebSocket closed, for whatever reason: flush and close the broker side. */
	void browserClosed(CloseStatus status) {
		this.browserClosed.set(true);
		Channel channel;
		synchronized (this.flowLock) {
			channel = this.upstream;
			if (this.pending != null) {
				this.pending.release();
				this.pending = null;
			}
		}
		if (channel != null && channel.isOpen()) {
			channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
		logger.debug("[{}] Browser closed: {}", id(), status);
	}

	/** Close the browser once the chunk being sent, if any, has been handed over. */
	void closeBrowser(CloseStatus status) {
		synchronized (this.sendLock) {
			if (this.sending) {
				if (this.closeAfterSend == null) {
					this.closeAfterSend = status;
				}
				return;
			}
		}
		closeNow(status);
	}

	private void closeBoth(CloseStatus status) {
		Channel channel = this.upstream;
		closeNow(status);
		if (channel != null) {
			channel.close();
		}
	}

	private void closeNow(CloseStatus status) {
		if (!this.browserClosed.compareAndSet(false, true)) {
			return;
		}
		// Sending a close frame can block while the browser's socket is full: never on an I/O thread.
		this.closeExecutor.execute(() -> {
			try {
				this.browser.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("[{}] Closing the WebSocket failed: {}", id(), ex.toString());
			}
		});
	}

	private void resumeBrowserIfWritable() {
		Channel channel = this.upstream;
		if (this.browserSuspended && channel != null && channel.isWritable()) {
			this.browserSuspended = false;
			this.nativeSession.resume();
		}
	}

	/** Either side sent DISCONNECT: the broker closing the connection next is normal. */
	private void onPacket(int type, int remainingLength) {
		if (type == MqttFramer.DISCONNECT) {
			this.disconnectSeen = true;
		}
	}

	private static String reason(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
			return text;
		}
		String cut = new String(bytes, 0, MAX_CLOSE_REASON_BYTES - 3, StandardCharsets.UTF_8);
		// A multi-byte character cut in half decodes to U+FFFD: drop it.
		return cut.replace("\uFFFD", "") + "...";
	}

}
